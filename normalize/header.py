"""Header rows: where the body starts, which rows are structure, and each column's label path.

Rules:
1. Preamble rows printed inside the grid (the title, its label, '单位：万元', '预算单位：…') are dropped; a row
   starting with '编制单位：' is preamble however many cells its name and unit are spread over.
2. The header is the run of rows before the first body row. A body row holds an amount or a
   classification code, or is a total row (合计, 总计 … followed by amounts or blanks only), or starts
   with an ordinal ('一、', '（一）') — header cells do not.
3. The 栏次 row ('栏次 | 1 | 2 …', or the bare column numbers 1 … n, with 甲/乙 for text columns; a table of one
   amount column numbers it alone under a marker: '** | 1', '甲 | 1') and the 行次 column are structure, never
   amounts.
4. A column's label is its header path: the texts of the header cells above it, top to bottom, a merged
   cell counted once, each cleaned (whitespace removed, NFKC, radicals mapped), joined by '/'
   ('本年支出/基本支出').
"""

from __future__ import annotations

import re

from .amounts import is_figure, parse_amount
from .grid import GridRow, span_origin
from .labels import split_label
from .text import clean_label
from .units import find_unit

TOTAL_LABEL = re.compile(r"^(合计|总计|小计|本年(收入|支出)合计|收入总计|支出总计|收支总计)[:：]?$")
ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
_STRUCTURE_WORDS = {"栏次", "行次", "甲", "乙", "丙", "丁", "栏", "次", "*", "**", "***", "—", "-"}
# what a 栏次 row prints in its label column instead of a label: a lone column number after it is that row's
_COLUMN_NUMBER_MARKERS = {"*", "**", "***", "甲"}
_META = re.compile(r"(编制|预算|主管)?(部门|单位)(名称)?[:：]|单位[:：]")


def row_texts(row: GridRow) -> list[str]:
    return [clean_label(c.text) for c in row.cells if c.text]


def is_column_number_row(row: GridRow) -> bool:
    """The 栏次 row: '栏次' first, or nothing but consecutive numbers (甲/乙 allowed for text columns)."""
    texts = row_texts(row)
    if not texts:
        return False
    if texts[0] in ("栏次", "栏目"):
        return True
    nums = [t for t in texts if t not in _STRUCTURE_WORDS]
    # one number is a 栏次 row only after a marker: a body row may print one amount '1'
    if len(nums) < (1 if texts[0] in _COLUMN_NUMBER_MARKERS else 2) or not all(t.isdigit() for t in nums):
        return False
    values = [int(t) for t in nums]
    return values[0] in (0, 1) and all(b == a + 1 for a, b in zip(values, values[1:]))


def is_body_row(row: GridRow) -> bool:
    texts = row_texts(row)
    if not texts or is_column_number_row(row):
        return False
    if ORDINAL.match(texts[0]):
        return True
    if TOTAL_LABEL.match(texts[0]) and all(parse_amount(t) is not None for t in texts[1:]):
        return True  # '合计' with amounts or blanks; a header row naming a 合计 column has other labels
    for cell in row.cells:
        if is_figure(cell.text):
            return True
    return False


def is_preamble(row: GridRow, title: str) -> bool:
    """A title, unit or department line printed inside the grid's first rows."""
    texts = list(dict.fromkeys(row_texts(row)))
    if not texts:
        return False
    joined = "".join(texts)
    if _META.match(joined):
        return True  # '编制单位：…' however many cells the department's name and the unit are spread over
    if len(texts) > 3:
        return False
    key = re.sub(r"^\d{4}年度?", "", title)
    label, rest = split_label(joined)
    return ((key and key in joined) or find_unit(joined) is not None or bool(_META.search(joined))
            or (label is not None and not rest))


def preamble_rows(rows: list[GridRow], title: str) -> int:
    """How many of the first rows are preamble (rule 1): empty spacer rows count too."""
    start = preamble = 0
    while start < len(rows) and preamble < 4 and not is_body_row(rows[start]):
        if not row_texts(rows[start]):
            start += 1
        elif is_preamble(rows[start], title):
            start += 1
            preamble += 1
        else:
            break
    return start


def split_header(rows: list[GridRow], title: str) -> tuple[int, int]:
    """(first header row, first body row) of the first fragment's rows."""
    start = preamble_rows(rows, title)
    body = start
    while body < len(rows) and not is_body_row(rows[body]):
        body += 1
    return start, body


def column_labels(rows: list[GridRow], edges: list[float], start: int, body: int) -> list[str]:
    """The '/'-joined header path of every column (rule 4)."""
    n = len(edges) - 1
    header = [r for r in range(start, body) if not is_column_number_row(rows[r])]
    labels = []
    for c in range(n):
        parts: list[str] = []
        seen: set[tuple[int, int]] = set()
        for r in header:
            origin = span_origin(rows, edges, r, c)
            if origin is None or origin in seen:
                continue
            seen.add(origin)
            text = clean_label(rows[origin[0]].cells[origin[1]].text)
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append("/".join(parts))
    return labels
