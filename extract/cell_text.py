"""The text of a table cell from its characters, as a reader sees it.

Rules of `assemble`:
1. Characters whose tops are within 3 pt of each other form a line (pdfplumber's y tolerance); lines run top to
   bottom, characters left to right, and a gap wider than 3 pt between two characters is a space (so a
   decimal point drawn apart from its digits reads '186. 67', which the amount parser knows).
2. Some fonts draw punctuation below or above its line ('、' 8 pt lower, brackets raised). A line made only of
   punctuation is not a line: each of its characters joins the nearest line above or below whose characters
   leave a hole at its x position, or end just before or after it ('一 一般' + '、' → '一、一般', '七' + '()' →
   '(七)'). A punctuation mark with no such place (a bracket wrapped to the start of the next line, under the
   first character of the line above) stays where it is.
3. `indent` is how far the first line starts right of the cell's left edge: labels printed without codes show
   their level (类 / 款 / 项) by indentation only.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from operator import itemgetter

Y_TOLERANCE = 3.0
X_TOLERANCE = 3.0
PUNCTUATION = set("、，。．.,;；:：()（）[]【】〔〕<>《》“”\"'‘’-—")


@dataclass(frozen=True)
class CellText:
    text: str
    indent: float | None  # pt from the cell's left edge to its first character


def baseline(ch: dict) -> float:
    """Where the glyph sits, in page coordinates from the top: the text origin of its rendering matrix. Glyph
    boxes come from font metrics, which some embedded fonts get wrong (a year in a second font whose box
    hangs a full line below its baseline); the origin is where the PDF actually put the glyph. pdfium gives
    the origin itself (`baseline`)."""
    if "baseline" in ch:
        return ch["baseline"]
    a, b, c, d, _, f = ch.get("matrix") or (1, 0, 0, 1, 0, None)
    if f is None or abs(b) > 1e-3 or abs(c) > 1e-3 or d <= 0:
        return ch["bottom"]
    return ch["top"] + ch["y1"] - f


def _lines(chars: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    line: list[dict] = []
    first = 0.0  # the baseline of the line's first character
    # sorted by (baseline, x0), ties in input order (the index; the character itself is never compared)
    for base, _, _, ch in sorted([(baseline(c), c["x0"], i, c) for i, c in enumerate(chars)]):
        if lines and abs(base - first) <= Y_TOLERANCE:
            line.append(ch)
        else:
            line = [ch]
            lines.append(line)
            first = base
    return [sorted(line, key=_x0) for line in lines]


_x0 = itemgetter("x0")  # a character's left edge: the sort key of a line (itemgetter: no Python call per key)
_x1, _top, _bottom = itemgetter("x1"), itemgetter("top"), itemgetter("bottom")


def _hole_at(line: list[dict], x0: float, x1: float) -> bool:
    """The line's characters leave room for a glyph centred between x0 and x1: a gap between two of them, or
    just before its first or after its last ('(' + '七' + ')'). Punctuation boxes are often as wide as a
    full character while the mark itself is narrow, so the centre is what counts."""
    centre, width = (x0 + x1) / 2, x1 - x0
    first, last = line[0], line[-1]
    if first["x0"] - width - 1 <= centre <= first["x0"] + 1:
        return True
    if last["x1"] - 1 <= centre <= last["x1"] + width + 1:
        return True
    for a, b in zip(line, line[1:]):
        if b["x0"] - a["x1"] >= 2 and a["x1"] - 2 <= centre <= b["x0"] + 2:
            return True
    return False


def _rehome_punctuation(lines: list[list[dict]]) -> list[list[dict]]:
    """Rule 2 over lines each sorted by x0. Most pages and nearly all cells have no line made only of
    punctuation: their lines come back as they are (the same lists), not copied and sorted again."""
    if len(lines) == 1 or not any(all(ch["text"] in PUNCTUATION for ch in line) for line in lines):
        return lines
    out = [list(line) for line in lines]
    for i, line in enumerate(lines):
        if not all(ch["text"] in PUNCTUATION for ch in line):
            continue
        stay = []
        for ch in line:
            height = ch["bottom"] - ch["top"]
            targets = [j for j in (i - 1, i + 1) if 0 <= j < len(lines) and j != i
                       and abs(lines[j][0]["top"] - ch["top"]) <= 1.2 * height
                       and _hole_at(lines[j], ch["x0"], ch["x1"])]
            if targets:
                j = min(targets, key=lambda j: abs(lines[j][0]["top"] - ch["top"]))
                out[j].append(ch)
            else:
                stay.append(ch)
        out[i] = stay
    return [sorted(line, key=_x0) for line in out if line]


def words_of(chars: list[dict]) -> list[dict]:
    """Words as pdfplumber's extract_words makes them (x and y tolerance 3 pt): runs of non-space characters
    on a line with no gap wider than X_TOLERANCE, each {text, x0, x1, top, bottom}."""
    return [w for line in word_lines(chars) for w in line]


def word_lines(chars: list[dict]) -> list[list[dict]]:
    """The words of `words_of`, line by line (top to bottom, each left to right)."""
    out = []
    for line in _lines([ch for ch in chars if ch["text"].strip()]):
        words, run = [], [line[0]]
        for a, b in zip(line, line[1:]):
            if b["x0"] - a["x1"] > X_TOLERANCE:
                words.append(_word(run))
                run = []
            run.append(b)
        words.append(_word(run))
        out.append(words)
    return out


def _word(run: list[dict]) -> dict:
    return {"text": "".join(ch["text"] for ch in run), "x0": run[0]["x0"], "x1": run[-1]["x1"],
            "top": min(ch["top"] for ch in run), "bottom": max(ch["bottom"] for ch in run)}


def _line_text(line: list[dict]) -> str:
    """A line's characters, left to right, a space where the gap between two is wider than X_TOLERANCE."""
    parts = [line[0]["text"]]
    for a, b in zip(line, line[1:]):
        if b["x0"] - a["x1"] > X_TOLERANCE:
            parts.append(" ")
        parts.append(b["text"])
    return "".join(parts)


def assemble(chars: list[dict], left: float | None = None) -> CellText:
    if not chars:
        return CellText("", None)
    lines = _rehome_punctuation(_lines(chars))
    texts = [_line_text(line) for line in lines]
    first = next((ch for ch in lines[0] if ch["text"].strip()), lines[0][0])  # leading spaces are indentation too
    indent = None if left is None else round(first["x0"] - left, 1)
    return CellText("\n".join(texts), indent)


def anchor(ch: dict) -> tuple[float, float]:
    """The point that places a character in a cell: its horizontal centre, a quarter down its box. Some fonts
    report boxes several points below the glyph (digits 8 pt low in Chongqing's tables), so the centre of
    the box can fall in the next row while the top quarter never does."""
    return (ch["x0"] + ch["x1"]) / 2, ch["top"] + 0.25 * (ch["bottom"] - ch["top"])


def page_lines(chars: list[dict]) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The text lines of a page, top to bottom: characters whose baselines lie within a third of their size
    of each other form a line (a year set in another font on the title's baseline stays on it, whatever its
    font's box says), punctuation drawn off its line is put back (rule 2); each line's text with its box
    (x0, top, x1, bottom)."""
    lines: list[list[dict]] = []
    spans: list[float] = []  # the baseline of each line
    # A line's characters mostly share one baseline and one size, and the choice of line depends only on those
    # two (and on `spans`, which a new line extends by that very baseline): a character with the baseline and
    # size of the one before goes where that one went, without the search. ~0.4 s over the corpus.
    last_base = last_size = None
    home: list[dict] = []
    # sorted by (baseline, x0), ties in input order (the index; the character itself is never compared)
    for base, _, _, ch in sorted([(baseline(c), c["x0"], k, c) for k, c in enumerate(chars) if c["text"].strip()]):
        size = ch.get("size") or (ch["bottom"] - ch["top"])
        if base == last_base and size == last_size:
            home.append(ch)
            continue
        for i in range(len(lines) - 1, max(len(lines) - 4, -1), -1):
            if abs(spans[i] - base) <= size / 3:
                home = lines[i]
                break
        else:
            home = [ch]
            lines.append(home)
            spans.append(base)
            # the next character of this baseline and size is tested against this line first: it joins it when
            # this same test holds (not for a negative size, nor an infinite baseline: then it is searched for)
            last_base, last_size = (base, size) if abs(spans[-1] - base) <= size / 3 else (None, None)
            continue
        home.append(ch)
        last_base, last_size = base, size
    order = sorted(range(len(lines)), key=spans.__getitem__)
    lines = _rehome_punctuation([sorted(lines[i], key=_x0) for i in order])
    return [(_line_text(line), (min(map(_x0, line)), min(map(_top, line)), max(map(_x1, line)),
                                max(map(_bottom, line))))
            for line in lines]


def chars_by_cell(chars: list[dict], boxes: list[tuple[float, float, float, float]],
                  anchors: list[tuple[float, float]] | None = None) -> list[list[dict]]:
    """Each character goes to the cell (x0, top, x1, bottom) holding its anchor (`anchors`, one per character,
    when the caller has them already); rows of cells are found by bisecting their tops, so the work is about
    (characters × cells in a row), not (characters × cells)."""
    out: list[list[dict]] = [[] for _ in boxes]
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
    tops = [boxes[i][1] for i in order]
    cells = [(*boxes[i], out[i]) for i in order]  # in the order of `tops`, each with its characters' list
    for ch, (cx, cy) in zip(chars, anchors if anchors is not None else map(anchor, chars)):
        k = bisect_right(tops, cy)
        while k > 0:
            k -= 1
            x0, top, x1, bottom, own = cells[k]
            if top <= cy <= bottom and x0 <= cx <= x1:
                own.append(ch)
                break
            if cy - top > 400:  # no cell that tall: stop looking upwards
                break
    return out


def least_confidence(chars: list[dict]) -> float | None:
    """Characters read by OCR carry the engine's confidence: a cell is as sure as its least sure character
    (None for a text layer's characters)."""
    return min((ch["confidence"] for ch in chars if "confidence" in ch), default=None)
