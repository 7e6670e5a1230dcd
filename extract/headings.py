"""Finding table headings on a page: the title line, its label (公开01表, 表1, 预算01表 …), unit and department.

A heading is a line (or two wrapped lines) that, once its label is removed, ends in 表 and is named by a
table spec. Sentences (with ， or 。) are not headings, so the narrative's mentions of a table never are;
a table of contents is recognised by the caller (several headings, no grid).
"""

from __future__ import annotations

import re

from ..model import Heading, PageText, TextLine
from ..normalize.labels import SEPARATORS, split_label
from ..normalize.text import normalize_text
from ..normalize.units import find_unit
from ..specs import Specs

_BRACKETED = re.compile(r"[(（][^()（）]*[)）]$")
_SEPARATORS = SEPARATORS
MAX_TITLE_CHARS = 60
_DEPT = re.compile(
    r"(?:编制部门|部门名称|部门[(（]单位[)）]|单位名称|预算单位|编制单位|主管部门|部门|单位)\s*[:：]\s*"
    r"(?:\d{2,}\s*[-－—]\s*)?([^\s:：]+)"
)


def title_of(text: str) -> tuple[str | None, str] | None:
    """(label, title) when the line reads as a table title, else None."""
    label, rest = split_label(text)
    if not rest or len(rest) > MAX_TITLE_CHARS or any(p in rest for p in "。，；;"):
        return None
    core = rest
    while _BRACKETED.search(core) and not core.endswith("表"):
        core = _BRACKETED.sub("", core)  # '(单位：万元)' or a bracketed remark after the title
    if not core.endswith("表"):
        return None
    return label, rest


def find_headings(page: PageText, specs: Specs) -> list[Heading]:
    lines = page.lines
    headings: list[Heading] = []
    used: set[int] = set()
    for i, line in enumerate(lines):
        if i in used:
            continue
        found = _heading_at(lines, i, specs)
        if found is None:
            continue
        heading, consumed = found
        heading.page_no = page.page_no
        used.update(consumed)
        headings.append(heading)
    _attach_labels(lines, headings, used)
    for h in headings:
        zone = _zone(lines, h, headings)
        h.context = [ln.text for ln in zone]
        h.unit = find_unit("".join(ln.text for ln in zone))
        h.department = find_department([ln.text for ln in zone])
    return headings


def _heading_at(lines: list[TextLine], i: int, specs: Specs) -> tuple[Heading, list[int]] | None:
    line = lines[i]
    candidates = [([i], line.text, line.bbox)]
    if i + 1 < len(lines):  # a long title wrapped over two lines
        nxt = lines[i + 1]
        if 0 < nxt.bbox.top - line.bbox.bottom < 1.5 * line.bbox.height and not title_of(line.text):
            candidates.append(([i, i + 1], line.text + nxt.text, line.bbox.union(nxt.bbox)))
    for consumed, text, bbox in candidates:
        parsed = title_of(text)
        if parsed is None:
            continue
        label, title = parsed
        spec = specs.identify(title)
        if spec is None:
            continue
        return Heading(spec.id, title, label, 0, bbox), consumed
    return None


def _attach_labels(lines: list[TextLine], headings: list[Heading], used: set[int]) -> None:
    """A label printed on its own line ('公开 01 表' under the title) joins the nearest title without one."""
    for i, line in enumerate(lines):
        if i in used:
            continue
        label, rest = split_label(line.text)
        if label is None or (rest and not _only_meta(rest)):
            continue
        free = [h for h in headings if h.label is None and abs(h.bbox.top - line.bbox.top) < 90]
        if free:
            nearest = min(free, key=lambda h: abs(h.bbox.top - line.bbox.top))
            nearest.label = label


def _only_meta(rest: str) -> bool:
    """What may share a line with a label: unit and department text."""
    return bool(find_unit(rest)) or bool(_DEPT.search(rest))


def _zone(lines: list[TextLine], h: Heading, headings: list[Heading]) -> list[TextLine]:
    """Lines near a heading where its unit and department are printed (above or below the title)."""
    others = [o.bbox.top for o in headings if o is not h]
    upper = max([t for t in others if t < h.bbox.top] + [h.bbox.top - 60])
    lower = min([t for t in others if t > h.bbox.top] + [h.bbox.bottom + 80])
    return [ln for ln in lines if upper < ln.bbox.top + 0.01 and ln.bbox.top < lower]


def find_department(texts: list[str]) -> str | None:
    for text in texts:
        m = _DEPT.search(normalize_text(text))
        if m:
            name = re.split(r"(?:金额)?单位[:：]|币种", m.group(1))[0].strip(_SEPARATORS)
            if len(name) >= 2 and not find_unit(name) and not name.startswith(("万元", "元")):
                return name
    return None
