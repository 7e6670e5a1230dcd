"""Generate the bundled sample PDFs and the exact truth beside each (`make samples`).

Sources are `samples/src/*.toml`: one file per department-year-kind, holding every table as printed
(grid notation: tab-separated cells, `<` continues the cell on the left, `^` the cell above). This script
draws them the way real disclosures are printed — a CJK TrueType font embedded in the PDF, ruled grids,
landscape pages for wide tables, a table over a page break without a repeated header and printed twice,
a wrapped unit line, letter-spaced headers, Kangxi-radical characters, a 4 pt gap after the decimal point —
and writes `<name>.truth.csv`, the cells a correct extractor must return, computed from the source alone
(never from fiscalpdf's own code).

Test variants (unruled table, altered amount, rows outside the ruled grid, broken files) go to `tests/data/`.

Generation is deterministic: reportlab's invariant mode, pinned versions of reportlab / fonttools / the
font package (constraints.txt). `tests/samples/test_generation.py` regenerates into a temporary folder and
compares bytes with the committed files.
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FONT_NAME = "WQYMicroHei"
UNIT_FACTOR = {"万元": Decimal(10000), "元": Decimal(1)}
TRUTH_COLUMNS = [
    "table_id", "table_no", "block", "row_no", "line_no", "row_label", "row_group", "subject_code", "code_level",
    "parent_code", "function_code", "econ_code", "gov_econ_code", "col_no", "column_label", "column_id",
    "column_period", "fund", "basis", "value", "unit", "page",
]
# the fund a table's amounts are money of, where its title says it (一般公共预算…表, 政府性基金…表 …)
TABLE_FUND = {"gpb_expenditure": "gpb", "gpb_basic": "gpb", "gov_fund": "gov_fund", "soe_capital": "soe"}
# the basis a block's header names (三公: 预算数 | 决算数)
BLOCK_BASIS = {"budget": "budget", "final": "final"}
# a code's classification by its first digit: 功能分类 2xx, 部门经济分类 3xx, 政府经济分类 5xx
CODE_SYSTEM = {"2": "function_code", "3": "econ_code", "5": "gov_econ_code"}
MERGE_LEFT, MERGE_UP = "<", "^"


# ----------------------------------------------------------------------------------------------- font
def cjk_font_path() -> Path:
    """WenQuanYi Micro Hei (TrueType outlines) with the Kangxi radicals mapped onto their ideographs.

    Some producers' fonts map a glyph to a Kangxi-radical code point (⽀ U+2F40) instead of the unified
    ideograph (支 U+652F); the sample font reproduces that by adding those cmap entries.
    """
    from importlib.resources import files

    import fontTools
    from fontTools.ttLib import TTCollection

    out = ROOT / "build" / "fonts" / f"wqy-microhei-kangxi-fonttools{fontTools.version}.ttf"
    if out.exists():
        return out
    ttc = files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"
    font = TTCollection(str(ttc)).fonts[0]
    font.recalcTimestamp = False  # keep the head table as shipped: the same font bytes on every machine
    for table in font["cmap"].tables:
        if not table.isUnicode():
            continue
        for cp in range(0x2F00, 0x2FD6):
            target = ord(unicodedata.normalize("NFKC", chr(cp)))
            if target in table.cmap and cp not in table.cmap:
                table.cmap[cp] = table.cmap[target]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    font.save(str(tmp))
    tmp.replace(out)
    return out


def register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(cjk_font_path())))


def text_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, FONT_NAME, size)


# ------------------------------------------------------------------------------------------ the source
@dataclass
class Column:
    role: str  # code | label | line | amount
    block: str | None
    column_id: str | None
    # what the printed header says of the column's amounts, 'period/fund/basis' (empty parts: it says nothing)
    qualifiers: tuple[str, str, str] = ("current", "", "")

    @classmethod
    def parse(cls, spec: str) -> "Column":
        role, _, rest = spec.partition(":")
        column_id, _, qualifiers = rest.partition(":")
        role, _, block = role.partition("@")
        parts = tuple(qualifiers.split("/")) if qualifiers else ("current", "", "")
        return cls(role, block or None, column_id or None, parts)


@dataclass
class TableSource:
    table_id: str
    label: str | None
    title: str
    unit: str
    note: str
    widths: list[float]
    columns: list[Column]
    header: list[list[str]]
    body: list[list[str]]
    landscape: bool = False
    unit_wrap: bool = False
    break_after: int | None = None
    printed_twice: bool = False
    decimal_gap: float | None = None
    ruled: bool = True
    grid: bool = True  # False: only the heading and the note are printed (an empty table without a grid)
    # body rows (0-based) drawn without the rule above them, their vertical rules kept: as Word and WPS draw the
    # first row of a continuation page, whose top border is the previous page's last rule (mid-page, the row
    # above still draws that rule as its bottom)
    open_top_rows: tuple[int, ...] = ()
    # body rows drawn with no ruling of their own, only their text in the columns: a total printed under the
    # grid's last rule (the row above still draws its bottom rule)
    unruled_rows: tuple[int, ...] = ()

    @classmethod
    def from_dict(cls, d: dict) -> "TableSource":
        n = len(d["columns"])
        return cls(
            table_id=d["table_id"], label=d.get("label"), title=d["title"], unit=d["unit"],
            note=d.get("note", ""), widths=d["widths"], columns=[Column.parse(c) for c in d["columns"]],
            header=parse_grid(d["header"], n), body=parse_grid(d["body"], n),
            landscape=d.get("landscape", False), unit_wrap=d.get("unit_wrap", False),
            break_after=d.get("break_after"), printed_twice=d.get("printed_twice", False),
            decimal_gap=d.get("decimal_gap"), ruled=d.get("ruled", True), grid=d.get("grid", True),
            open_top_rows=tuple(d.get("open_top_rows", ())), unruled_rows=tuple(d.get("unruled_rows", ())),
        )


def parse_grid(text: str, ncols: int) -> list[list[str]]:
    rows = []
    for line in text.strip("\n").split("\n"):
        cells = line.split("\t")
        if len(cells) != ncols:
            raise ValueError(f"row has {len(cells)} cells, expected {ncols}: {line!r}")
        rows.append(cells)
    return rows


@dataclass
class DocumentSource:
    name: str
    meta: dict
    tables: list[TableSource]
    narrative: list[dict] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> "DocumentSource":
        d = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(path.stem, d["document"], [TableSource.from_dict(t) for t in d["tables"]], d.get("narrative", []))


# --------------------------------------------------------------------------------------------- truth
def norm_label(text: str) -> str:
    """The normalized form of a printed label: NFKC (which also maps Kangxi radicals), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def origin(grid: list[list[str]], r: int, c: int) -> tuple[int, int]:
    while grid[r][c] in (MERGE_LEFT, MERGE_UP):
        if grid[r][c] == MERGE_LEFT:
            c -= 1
        else:
            r -= 1
    return r, c


def is_column_number_row(row: list[str]) -> bool:
    """The 栏次 row: '栏次' as its label, or nothing but the numbers 1, 2, 3 …"""
    texts = [t for t in row if t not in ("", MERGE_LEFT, MERGE_UP)]
    return (bool(texts) and texts[0] == "栏次") or (bool(texts) and all(t.isdigit() for t in texts))


def column_labels(table: TableSource) -> list[str]:
    rows = [i for i, row in enumerate(table.header) if not is_column_number_row(row)]
    labels = []
    for c in range(len(table.columns)):
        parts: list[str] = []
        seen: set[tuple[int, int]] = set()
        for r in rows:
            o = origin(table.header, r, c)
            text = norm_label(table.header[o[0]][o[1]])
            if o in seen or not text:
                continue
            seen.add(o)
            parts.append(text)
        labels.append("/".join(parts))
    return labels


def column_groups(columns: list[Column]) -> list[list[int]]:
    """Side-by-side groups: a new group starts at a code or label column that follows an amount column."""
    groups: list[list[int]] = [[]]
    for i, col in enumerate(columns):
        if col.role in ("code", "label") and groups[-1] and columns[groups[-1][-1]].role == "amount":
            groups.append([])
        groups[-1].append(i)
    return groups


def subject_code(code: str, table_id: str) -> tuple[str | None, int | None, str | None]:
    code = code.strip()
    if not code.isdigit():
        return None, None, None
    level = {3: 1, 5: 2, 7: 3}.get(len(code))
    if level is None:
        return None, None, None
    parent = None if level == 1 else code[: 3 if level == 2 else 5]
    return code, level, parent


def class_codes() -> dict[str, str]:
    """功能分类 类 names used by the samples' summary tables → 3-digit code (the samples' own list)."""
    d = tomllib.loads((HERE / "src" / "classes.toml").read_text(encoding="utf-8"))
    return {name: code for code, names in d["classes"].items() for name in names}


def strip_numbering(label: str) -> str:
    import re

    return re.sub(r"^[一二三四五六七八九十]+、", "", label)


@dataclass
class BodyRow:
    group: int
    source_row: int
    cols: list[int]  # columns of this group, plus amount columns merged in from groups to the right


def unrolled_rows(table: TableSource) -> list[BodyRow]:
    groups = column_groups(table.columns)
    out: list[BodyRow] = []
    for g, cols in enumerate(groups):
        for r, row in enumerate(table.body):
            text_cols = [c for c in cols if table.columns[c].role in ("code", "label")]
            if text_cols and all(row[c] == MERGE_LEFT for c in text_cols):
                continue  # this part of the row belongs to a group on the left
            own = list(cols)
            for later in groups[g + 1 :]:
                later_text = [c for c in later if table.columns[c].role in ("code", "label")]
                if later_text and all(row[c] == MERGE_LEFT for c in later_text):
                    own += later
                else:
                    break
            labels = [row[c] for c in own if table.columns[c].role in ("code", "label") and row[c] not in (MERGE_LEFT,)]
            amounts = [row[c] for c in own if table.columns[c].role == "amount" and row[c] not in (MERGE_LEFT,)]
            if not any(t.strip() for t in labels) and not any(t.strip() for t in amounts):
                continue
            out.append(BodyRow(g, r, own))
    return out


def table_truth(table: TableSource, table_no: int, row_pages: list[int], classes: dict[str, str]) -> list[dict]:
    labels = column_labels(table)
    factor = UNIT_FACTOR[table.unit]
    amount_cells = [row[c] for row in table.body for c, col in enumerate(table.columns) if col.role == "amount"]
    if not any(t.strip() and t not in (MERGE_LEFT, MERGE_UP) for t in amount_cells):
        return []  # printed empty: the table is present, it has no cells
    out = []
    for row_no, br in enumerate(unrolled_rows(table), start=1):
        row = table.body[br.source_row]
        cols = br.cols
        label = next((norm_label(row[c]) for c in cols
                      if table.columns[c].role == "label" and row[c] != MERGE_LEFT), "")
        code_text = next((row[c] for c in cols if table.columns[c].role == "code" and row[c] != MERGE_LEFT), "")
        if not label and code_text and not code_text.strip().isdigit():
            label = norm_label(code_text)  # '合计' printed across the code and name columns
        line = next((row[c] for c in cols if table.columns[c].role == "line" and row[c].strip().isdigit()), "")
        code, level, parent = subject_code(code_text, table.table_id)
        inferred = False  # a 类 line of a summary table prints no code: its code comes from its name
        if code is None and strip_numbering(label) in classes and table.table_id in ("summary", "fiscal_summary"):
            code, level, parent = classes[strip_numbering(label)], 1, None
            inferred = True
        for c in cols:
            col = table.columns[c]
            if col.role != "amount" or row[c] == MERGE_LEFT:
                continue
            text = row[c].strip()
            value = (Decimal(text.replace(",", "")) if text else Decimal(0)) * factor
            period, fund, basis = col.qualifiers
            codes = {name: "" for name in CODE_SYSTEM.values()}
            if code and not inferred:
                codes[CODE_SYSTEM[code[0]]] = code
            out.append({
                "table_id": table.table_id, "table_no": table_no, "block": col.block or "", "row_no": row_no,
                "line_no": line, "row_label": label, "row_group": "", "subject_code": code or "",
                "code_level": level or "", "parent_code": parent or "", **codes, "col_no": c + 1,
                "column_label": labels[c], "column_id": col.column_id or "", "column_period": period,
                "fund": fund or TABLE_FUND.get(table.table_id, ""), "basis": basis or BLOCK_BASIS.get(col.block, ""),
                "value": str(value.quantize(Decimal("0.01"), ROUND_HALF_UP)), "unit": table.unit,
                "page": row_pages[br.source_row],
            })
    return out


# ------------------------------------------------------------------------------------------- drawing
A4 = (595.28, 841.89)
MARGIN = 36.0


class Renderer:
    def __init__(self, path_or_buffer, doc: DocumentSource):
        from reportlab.pdfgen.canvas import Canvas

        register_font()
        self.doc = doc
        self.canvas = Canvas(path_or_buffer, pagesize=A4, invariant=1, pageCompression=1)
        self.canvas.setTitle(f"{doc.meta['department']} {doc.meta['year']}")
        self.canvas.setAuthor("fiscalpdf sample generator")
        self.canvas.setCreator("fiscalpdf samples/generate.py")  # read as documents.origin = sample
        self.page_no = 0
        self.page_open = False
        self.size = A4

    # pages
    def new_page(self, landscape: bool = False) -> None:
        if self.page_open:
            self.canvas.showPage()
        self.size = (A4[1], A4[0]) if landscape else A4
        self.canvas.setPageSize(self.size)
        self.page_no += 1
        self.page_open = True

    def finish(self) -> None:
        if self.page_open:
            self.canvas.showPage()
        self.canvas.save()

    # text
    def text(self, x: float, y: float, s: str, size: float = 9, align: str = "left") -> None:
        w = text_width(s, size)
        if align == "center":
            x -= w / 2
        elif align == "right":
            x -= w
        self.canvas.setFont(FONT_NAME, size)
        self.canvas.drawString(x, y, s)

    def spaced_text(self, x: float, y: float, chars: list[str], size: float, gap: float, align: str) -> None:
        """Letter-spaced text ('收 入'): characters drawn apart, no space character in the stream."""
        total = sum(text_width(ch, size) for ch in chars) + gap * (len(chars) - 1)
        if align == "center":
            x -= total / 2
        elif align == "right":
            x -= total
        for ch in chars:
            self.text(x, y, ch, size)
            x += text_width(ch, size) + gap

    def wrap(self, s: str, width: float, size: float) -> list[str]:
        lines, current = [], ""
        for ch in s:
            if text_width(current + ch, size) > width and current:
                lines.append(current)
                current = ch
            else:
                current += ch
        if current:
            lines.append(current)
        return lines or [""]

    def paragraph(self, y: float, s: str, size: float = 11, indent: bool = True) -> float:
        width = self.size[0] - 2 * MARGIN
        for line in self.wrap(("\u3000\u3000" if indent else "") + s, width, size):
            if y < MARGIN + size:
                self.new_page()
                y = self.size[1] - MARGIN - size
            self.text(MARGIN, y, line, size)
            y -= size * 1.7
        return y

    # document parts
    def cover(self) -> None:
        self.new_page()
        y = self.size[1] * 0.62
        for i, line in enumerate(self.doc.meta["cover"]):
            self.text(self.size[0] / 2, y, line, 26 if i == 1 else 20, align="center")
            y -= 54

    def contents(self) -> None:
        self.new_page()
        y = self.size[1] - MARGIN - 30
        self.text(self.size[0] / 2, y, "目  录", 18, align="center")
        y -= 40
        for i, t in enumerate(self.doc.tables, start=1):
            self.text(MARGIN + 40, y, f"{i}、{t.title}", 12)
            y -= 24

    def narrative(self, part: dict) -> None:
        self.new_page()
        y = self.size[1] - MARGIN - 30
        self.text(self.size[0] / 2, y, part["title"], 16, align="center")
        y -= 40
        for p in part["paragraphs"]:
            y = self.paragraph(y, p)


@dataclass
class Layout:
    x: list[float]  # column left edges, plus the right edge
    header_h: list[float]
    body_h: list[float]
    font: float


def layout(r: Renderer, t: TableSource) -> Layout:
    width = r.size[0] - 2 * MARGIN
    total = sum(t.widths)
    x = [MARGIN]
    for w in t.widths:
        x.append(x[-1] + width * w / total)
    font = 8.0 if len(t.body) > 20 or len(t.columns) > 8 else 9.0
    line_h = font + 3

    def height(grid: list[list[str]], r_i: int, base: float) -> float:
        lines = 1
        for c, cell in enumerate(grid[r_i]):
            if cell in (MERGE_LEFT, MERGE_UP) or not cell:
                continue
            c_end = c + 1
            while c_end < len(grid[r_i]) and grid[r_i][c_end] == MERGE_LEFT:
                c_end += 1
            below = r_i + 1
            while below < len(grid) and grid[below][c] == MERGE_UP:
                below += 1
            n = len(r.wrap(cell, x[c_end] - x[c] - 4, font))
            lines = max(lines, -(-n // (below - r_i)))
        return max(base, lines * line_h + 4)

    header_h = [height(t.header, i, 16) for i in range(len(t.header))]
    body_h = [height(t.body, i, 14 if len(t.body) > 20 else 16) for i in range(len(t.body))]
    return Layout(x, header_h, body_h, font)


def draw_grid(r: Renderer, t: TableSource, lay: Layout, grid: list[list[str]], heights: list[float], top: float,
              kind: str, first: int = 0) -> None:
    """Draw rows of `grid` from `top` down: text, and the ruling of every (merged) cell.

    `first`: the body row that `grid` starts with, for the rows `t` draws without (some of) their ruling.
    """
    c = r.canvas
    c.setLineWidth(0.6)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    for ri, row in enumerate(grid):
        for ci, cell in enumerate(row):
            if cell in (MERGE_LEFT, MERGE_UP):
                continue
            c_end = ci + 1
            while c_end < len(row) and row[c_end] == MERGE_LEFT:
                c_end += 1
            r_end = ri + 1
            while r_end < len(grid) and grid[r_end][ci] == MERGE_UP:
                r_end += 1
            x0, x1, y0, y1 = lay.x[ci], lay.x[c_end], ys[r_end], ys[ri]
            body_row = first + ri if kind == "body" else None
            if t.ruled and body_row not in t.unruled_rows:
                if body_row not in t.open_top_rows:
                    c.line(x0, y1, x1, y1)
                c.line(x0, y0, x1, y0)
                c.line(x0, y0, x0, y1)
                c.line(x1, y0, x1, y1)
            draw_cell(r, t, lay, cell, x0, x1, y0, y1, kind, t.columns[ci].role)


def draw_cell(r: Renderer, t: TableSource, lay: Layout, cell: str, x0: float, x1: float, y0: float, y1: float,
              kind: str, role: str) -> None:
    if not cell:
        return
    size = lay.font
    if kind == "header":
        parts = cell.split(" ")
        if len(parts) > 1 and all(len(p) == 1 for p in parts):
            r.spaced_text((x0 + x1) / 2, (y0 + y1) / 2 - size / 3, parts, size, size * 1.5, "center")
            return
        lines = r.wrap(cell, x1 - x0 - 4, size)
        y = (y0 + y1) / 2 + (len(lines) - 1) * (size + 3) / 2 - size / 3
        for line in lines:
            r.text((x0 + x1) / 2, y, line, size, align="center")
            y -= size + 3
        return
    if role == "amount":
        y = (y0 + y1) / 2 - size / 3
        if t.decimal_gap and "." in cell:
            whole, frac = cell.split(".")
            w_frac = text_width(frac, size)
            r.text(x1 - 3 - w_frac, y, frac, size)
            r.text(x1 - 3 - w_frac - t.decimal_gap, y, whole + ".", size, align="right")
        else:
            r.text(x1 - 3, y, cell, size, align="right")
        return
    lines = r.wrap(cell, x1 - x0 - 4, size)
    y = (y0 + y1) / 2 + (len(lines) - 1) * (size + 3) / 2 - size / 3
    for line in lines:
        if role == "line":
            r.text((x0 + x1) / 2, y, line, size, align="center")
        else:
            r.text(x0 + 2, y, line, size)
        y -= size + 3


def draw_table(r: Renderer, t: TableSource, dept_line: str, unit_prefix: str = "金额单位：") -> list[int]:
    """Draw one table (title block, header, body, note); returns the page of every body row."""
    r.new_page(t.landscape)
    lay = layout(r, t)
    w, h = r.size
    y = h - MARGIN - 16
    r.text(w / 2, y, t.title, 16, align="center")
    y -= 22
    if t.label:
        r.text(w - MARGIN, y, t.label, 9, align="right")
        y -= 14
    r.text(MARGIN, y, dept_line, 9)
    if t.unit_wrap:
        r.text(w - MARGIN - 6, y, f"{unit_prefix}{t.unit[:-1]}", 9, align="right")
        r.text(w - MARGIN - 6 - text_width(unit_prefix, 9), y - 11, t.unit[-1:], 9)
        y -= 11
    else:
        r.text(w - MARGIN, y, f"{unit_prefix}{t.unit}", 9, align="right")
    y -= 10
    if not t.grid:
        y -= 20
        for line in r.wrap(t.note, w - 2 * MARGIN, 11):
            r.text(MARGIN, y, line, 11)
            y -= 16
        return [r.page_no] * len(t.body)
    draw_grid(r, t, lay, t.header, lay.header_h, y, "header")
    y -= sum(lay.header_h)
    pages: list[int] = []
    start = 0
    while start < len(t.body):
        room = y - MARGIN - 30
        end = start
        used = 0.0
        while end < len(t.body) and used + lay.body_h[end] <= room:
            if t.break_after is not None and start == 0 and end == t.break_after:
                break
            used += lay.body_h[end]
            end += 1
        if end == start:
            raise ValueError(f"{t.title}: row {start} does not fit on a page")
        draw_grid(r, t, lay, t.body[start:end], lay.body_h[start:end], y, "body", start)
        pages += [r.page_no] * (end - start)
        y -= used
        start = end
        if start < len(t.body):  # continuation page, no repeated title or header
            r.new_page(t.landscape)
            y = r.size[1] - MARGIN
    y -= 16
    for part in filter(None, t.note.split("\n")):
        for line in r.wrap(part, w - 2 * MARGIN, 9):
            r.text(MARGIN, y, line, 9)
            y -= 13
    return pages


def render(doc: DocumentSource, out_pdf) -> list[dict]:
    """Draw `doc` into `out_pdf` (a path or a binary buffer); returns its truth rows."""
    r = Renderer(out_pdf, doc)
    r.cover()
    r.contents()
    for part in doc.narrative:
        if part.get("position", "before") == "before":
            r.narrative(part)
    classes = class_codes()
    truth: list[dict] = []
    for table_no, t in enumerate(doc.tables, start=1):
        unit_prefix = doc.meta.get("unit_prefix", "金额单位：")
        pages = draw_table(r, t, doc.meta["dept_line"], unit_prefix)
        if t.printed_twice:
            draw_table(r, _no_break(t), doc.meta["dept_line"], unit_prefix)
        truth += table_truth(t, table_no, pages, classes)
    for part in doc.narrative:
        if part.get("position") == "after":
            r.narrative(part)
    r.finish()
    return truth


def _no_break(t: TableSource) -> TableSource:
    t2 = copy.copy(t)
    t2.break_after = None
    return t2


def write_truth(rows: list[dict], path: Path) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, TRUTH_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


# ------------------------------------------------------------------------------------------ variants
def variant_unruled(doc: DocumentSource) -> DocumentSource:
    """收入决算表 printed without ruling, columns separated by whitespace only (as Word prints them)."""
    d = copy.deepcopy(doc)
    for t in d.tables:
        if t.table_id == "income":
            t.ruled = False
    return d


ALTERED = ("expenditure", "2010301", "basic", "107.20", "107.50")


def variant_altered(doc: DocumentSource) -> DocumentSource:
    """One amount changed (支出决算表, 行政运行, 基本支出 107.20 → 107.50): the identities that use it must fail."""
    table_id, code, column_id, old, new = ALTERED
    d = copy.deepcopy(doc)
    t = next(t for t in d.tables if t.table_id == table_id)
    c = next(i for i, col in enumerate(t.columns) if col.column_id == column_id)
    row = next(row for row in t.body if row[0] == code)
    assert row[c] == old, row
    row[c] = new
    return d


BORDERLESS_BREAK = ("expenditure", 6, "215")  # the table, the body row that opens its continuation page, its code
BORDERLESS_TOTAL = ("fiscal_summary", "总计")  # the table whose last row is printed under its last rule


def variant_borderless(doc: DocumentSource) -> DocumentSource:
    """Rows outside the ruled grid. 支出决算表 over a page break, the continuation page's first row (215
    资源勘探工业信息等支出) drawn without its top rule, its vertical rules kept — the previous page draws that
    border, as Word and WPS do — and 财政拨款收入支出决算总表's last row (总计, both sides) printed under its last
    rule with no ruling of its own. A grid finder sees neither row; every amount of both is in the truth."""
    d = copy.deepcopy(doc)
    table_id, row, code = BORDERLESS_BREAK
    t = next(t for t in d.tables if t.table_id == table_id)
    assert t.body[row][0] == code and t.break_after is None and not t.printed_twice, t.body[row]
    t.break_after, t.open_top_rows = row, (row,)
    table_id, label = BORDERLESS_TOTAL
    t = next(t for t in d.tables if t.table_id == table_id)
    assert t.body[-1][0] == label, t.body[-1]
    t.unruled_rows = (len(t.body) - 1,)
    return d


def generate(out_samples: Path, out_tests: Path) -> list[Path]:
    written = []
    sources = sorted((HERE / "src").glob("*.toml"))
    docs = [DocumentSource.load(p) for p in sources if p.name != "classes.toml"]
    for doc in docs:
        pdf = out_samples / doc.meta["file"]
        truth = render(doc, str(pdf))
        write_truth(truth, pdf.with_suffix(".truth.csv"))
        written += [pdf, pdf.with_suffix(".truth.csv")]
    seed = next(d for d in docs if d.meta["year"] == 2020 and d.meta["kind"] == "final")
    out_tests.mkdir(parents=True, exist_ok=True)
    for name, fn in (("seed_unruled_income", variant_unruled), ("seed_altered_amount", variant_altered),
                     ("seed_borderless_rows", variant_borderless)):
        pdf = out_tests / f"{name}.pdf"
        truth = render(fn(seed), str(pdf))
        write_truth(truth, pdf.with_suffix(".truth.csv"))
        written += [pdf, pdf.with_suffix(".truth.csv")]
    # broken inputs: a text file named .pdf, zero bytes, a PDF cut in the middle of a stream
    (out_tests / "not_a_pdf.pdf").write_text("这不是PDF文件，只是一个文本文件。\n", encoding="utf-8")
    (out_tests / "empty.pdf").write_bytes(b"")
    whole = (out_samples / seed.meta["file"]).read_bytes()
    (out_tests / "truncated.pdf").write_bytes(whole[: len(whole) * 2 // 5])
    written += [out_tests / n for n in ("not_a_pdf.pdf", "empty.pdf", "truncated.pdf")]
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=Path, default=HERE, help="where the showcase PDFs go")
    ap.add_argument("--tests", type=Path, default=ROOT / "tests" / "data", help="where the test variants go")
    args = ap.parse_args(argv)
    for p in generate(args.samples, args.tests):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
