"""A row broken by a page break: the first line of a continuation page that finishes the last row of the page before.

Excel and WPS break a page inside a row that is taller than what is left of the page: the top of the row stays on
the first page, the rest — the last line of a wrapped name, the digits a narrow cell wrapped — opens the next page
as a row of its own ('杭州市机动' | 14,549.64 | 12,437.3 on one page, '车驾驶员考试服务中心' | | 6 on the next). Read
apart, the first row holds a truncated number and the second a stray '6' in a row with no total.

Rule: the first body row of a continuation fragment finishes the last body row of the fragment before when
1. it prints no classification code, and its label (if any) opens no line of its own (no ordinal '一、', no 合计);
2. it prints at least one figure, and each figure it prints is a short run of digits (at most two) under a cell of
   the row above that is cut short: that cell has fewer decimals than the table's figures (or, in a table of whole
   numbers, an unfinished last group of thousands: '21,143,30'), and the two together have the table's form.
The two rows become one: each cell's text is the first page's text, a line break, the second page's (a number
wrapped inside a cell is read so: `wrapped`), on the first row's page and box.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import RawCell
from .amounts import is_figure
from .grid import GridRow
from .header import ORDINAL, TOTAL_LABEL, row_texts
from .text import clean_label

_FRAGMENT = re.compile(r"^\d{1,2}$")
_MIN_FIGURES = 3  # a column's form is read from this many figures or more


def join_rows_broken_by_page_breaks(rows: list[GridRow], body_rows: list[int], amount_cols: list[int],
                                    code_cols: list[int], label_cols: list[int]) -> list[int]:
    """`body_rows` without the continuation rows joined into the row they finish (the cells of `rows` are
    rewritten in place)."""
    out = list(body_rows)
    for k in range(1, len(out)):
        prev, first = out[k - 1], out[k]
        if rows[first].fragment == rows[prev].fragment or rows[first].page == rows[prev].page:
            continue
        if _finishes(rows, prev, first, out, amount_cols, code_cols, label_cols):
            _join(rows[prev], rows[first])
            out[k] = -1
    return [i for i in out if i >= 0]


def _finishes(rows: list[GridRow], prev: int, first: int, body_rows: list[int], amount_cols: list[int],
              code_cols: list[int], label_cols: list[int]) -> bool:
    row, above = rows[first], rows[prev]
    if any((row.text(c) or "").strip() for c in code_cols):
        return False
    label = "".join(clean_label(row.text(c)) for c in label_cols)
    if label and (ORDINAL.match(label) or TOTAL_LABEL.match(label)):
        return False
    texts = row_texts(row)
    if texts and (texts[0].isdigit() and len(texts[0]) >= 4):
        return False  # a code printed in a column not headed as one
    pieces = []  # (the cell cut short above, the digits finishing it)
    for c in amount_cols:
        text = (row.text(c) or "").strip()
        if not is_figure(text):
            continue
        cut = (above.text(c) or "").strip()
        if not _FRAGMENT.match(text) or not is_figure(cut):
            return False
        pieces.append((cut, text))
    if not pieces:
        return False
    form = _table_form(rows, body_rows, amount_cols, exclude=(prev, first))  # only now: it reads the whole table
    return form is not None and all(_form(cut) != form and _form(cut + text) == form for cut, text in pieces)


def _form(text: str) -> tuple[int, bool]:
    """(decimals, whole groups of thousands) of a printed figure."""
    whole, _, decimals = text.partition(".")
    groups = whole.split(",")
    return len(decimals), all(len(g) == 3 for g in groups[1:])


def _table_form(rows: list[GridRow], body_rows: list[int], amount_cols: list[int],
                exclude: tuple[int, int]) -> tuple[int, bool] | None:
    """The form most of the table's figures take (a table prints its amounts alike: two decimals in 万元, none in
    元), or None when too few figures say it or they disagree."""
    forms = Counter(_form(t) for i in body_rows if i not in exclude for c in amount_cols
                    for t in [(rows[i].text(c) or "").strip()] if "\n" not in t and is_figure(t))
    if sum(forms.values()) < _MIN_FIGURES:
        return None
    form, n = forms.most_common(1)[0]
    return form if n * 5 >= sum(forms.values()) * 4 else None


def _join(above: GridRow, row: GridRow) -> None:
    for c, cell in enumerate(row.cells):
        text = (cell.text or "").strip()
        if not text or c >= len(above.cells):
            continue
        top = above.cells[c]
        if top.text is None:
            continue  # covered by a merged cell of the row above: nothing there to finish
        joined = f"{top.text}\n{text}" if top.text.strip() else text
        above.cells[c] = RawCell(joined, top.bbox, top.indent, top.confidence)
    row.cells = [RawCell("", cell.bbox, cell.indent) for cell in row.cells]
