"""How the lines of a table nest when no code says it: numbering ('一、' > '（一）' > '1、' > '(1)'), indentation, and
'其中' lists — which lines add up into a total and which are parts of another line.

Rules of `leaf_lines`: a total adds up the lines that have no sub-lines, never a '其中' line (nor the lines listed
under a '其中'). The next line is a sub-line when both are numbered and its numbering style came into use later
('一、' before '1、' before '(1)'), or, when either is unnumbered, when it is indented further (Shenzhen prints
类, 款 and 项 by indentation alone). `sub_lines`: a line's direct sub-lines are the lines nested under it and under
no line between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Protocol, TypeVar


class Line(Protocol):
    row_no: int
    label: str
    indent: float | None


L = TypeVar("L", bound=Line)

_OF_WHICH = re.compile(r"^(其中|含)[:：]?")
_NUMBER_STYLES = (
    re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    re.compile(r"^[(（][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d+[、.．](?!\d)"),
    re.compile(r"^[(（]\d+[)）]"),
)


def is_of_which(r: Line) -> bool:
    return bool(_OF_WHICH.match(r.label))


def leaf_lines(rows: list[L]) -> list[L]:
    """The lines a total adds up: not '其中' lines (nor the lines listed under a '其中'), and not lines
    whose sub-lines follow them. The next line is a sub-line when both are numbered and its numbering style
    came into use later ('一、' before '1、' before '(1)'), or, when either is unnumbered, when it is indented
    further (Shenzhen prints 类, 款 and 项 by indentation alone)."""
    kept, deeper = _nesting(rows)
    return [r for i, r in enumerate(kept) if i + 1 == len(kept) or not deeper(r, kept[i + 1])]


def sub_lines(rows: list[L]) -> list[tuple[L, list[L]]]:
    """Each line that has sub-lines, with its direct sub-lines (those nested under it and under no line between):
    a 类 line by name with its 款 lines, a '一、财政拨款' line with its fund lines. Nesting as `leaf_lines` reads it;
    '其中' lines (and the lines listed under them) are parts of the line above, never sub-lines."""
    kept, deeper = _nesting(rows)
    children: dict[int, list[L]] = {}
    heads: list[L] = []
    stack: list[L] = []
    for r in kept:
        while stack and not deeper(stack[-1], r):
            stack.pop()
        if stack:
            if stack[-1].row_no not in children:
                heads.append(stack[-1])
            children.setdefault(stack[-1].row_no, []).append(r)
        stack.append(r)
    return [(h, children[h.row_no]) for h in heads]


def _nesting(rows: list[L]) -> tuple[list[L], Callable[[Line, Line], bool]]:
    """The lines without '其中' lists, and whether a line is nested deeper than another."""
    indents = dict(zip((r.row_no for r in rows), indent_levels([r.indent for r in rows])))
    kept: list[L] = []
    under_of_which: int | None = None  # indentation of the line a '其中' list belongs to
    for r in rows:
        if is_of_which(r):
            under_of_which = indents[kept[-1].row_no] if kept else 0
            continue
        if under_of_which is not None and number_style(r) is None and indents[r.row_no] > under_of_which:
            continue  # the '其中' list goes on
        under_of_which = None
        kept.append(r)
    styles: list[int] = []
    for r in kept:
        if number_style(r) is not None and number_style(r) not in styles:
            styles.append(number_style(r))

    def deeper(a: Line, b: Line) -> bool:
        sa, sb = number_style(a), number_style(b)
        if sa is not None and sb is not None:
            return styles.index(sb) > styles.index(sa)
        return indents[b.row_no] > indents[a.row_no]

    return kept, deeper


def number_style(r: Line) -> int | None:
    return next((i for i, p in enumerate(_NUMBER_STYLES) if p.match(r.label)), None)


def indent_levels(indents: list[float | None], step: float = 3.0) -> list[int]:
    """Indentations clustered into levels: values less than `step` apart are one level."""
    known = sorted({round(x, 1) for x in indents if x is not None})
    level_of: dict[float, int] = {}
    level = 0
    for i, x in enumerate(known):
        if i and x - known[i - 1] >= step:
            level += 1
        level_of[x] = level
    return [level_of[round(x, 1)] if x is not None else 0 for x in indents]




# A row that names the year its amounts are for (a 三公 table printing, per unit, a 2025年, a 2026年 and an 增减变化金额
# row), and one that names their change.
_PERIOD_YEAR = re.compile(r"^(20\d{2})年度?(预算|决算|执行|调整预算)?数?$")
_PERIOD_CHANGE = re.compile(r"^(增减(变化|变动)?(情况|金额|额|数)?|比上年增减(额)?|增减变化金额)$")
TOTAL_ROLES = ("total", "grand_total", "personnel_total", "public_total")


def row_period(label: str, year: int | None) -> str | None:
    """prior | current | change for a row labelled by a year or as the change; None for any other row."""
    if _PERIOD_CHANGE.match(label):
        return "change"
    m = _PERIOD_YEAR.match(label)
    if m is None or not year:
        return None
    printed = int(m.group(1))
    return "prior" if printed < year else "current" if printed == year else None


@dataclass(frozen=True)
class _Line:
    row_no: int
    label: str
    indent: float | None


def leaves(heads: list) -> list:
    """The rows (one cell per row: row_no, row_label, indent, row_role) whose lines a total adds up: `leaf_lines`
    over the rows that are no totals."""
    lines = [_Line(h.row_no, h.row_label, h.indent) for h in heads if h.row_role not in TOTAL_ROLES]
    kept = {line.row_no for line in leaf_lines(lines)}
    return [h for h in heads if h.row_no in kept]


def line_parents(heads: list) -> dict[int, int]:
    """row_no → the row_no of the line a row is a sub-line of (`sub_lines`), over the rows (one cell per row:
    row_no, row_label, indent, row_role) of one block; a row with a role (a total, a balance) ends the lines above
    it, and what follows it nests anew."""
    out: dict[int, int] = {}
    segment: list[_Line] = []
    for h in [*heads, None]:
        if h is None or h.row_role is not None:
            out.update({r.row_no: head.row_no for head, rows in sub_lines(segment) for r in rows})
            segment = []
        else:
            segment.append(_Line(h.row_no, h.row_label, h.indent))
    return out
