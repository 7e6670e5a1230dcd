"""A table too wide for its page, printed in parts side by side: the columns that did not fit continue on the next
page, under the repeated title, beside the same rows.

Beijing's 预算02表 收入总表 prints 合计 and 本年收入's first nine columns on one page, and 其他收入 with the
上年结转结余 columns on the next: stacked as a continuation, the second page's amounts fall under the first
page's columns (其他收入 under 本年收入/小计) and its row becomes a second row.

Rule (decided from headers and the count of rows, never from amounts): a later fragment is a part printed beside
the first when it prints a header of its own, no amount column of its header is one of the first part's (the same
header path), and it holds as many body rows as the first part. Each part is read as a table of its own; the
later parts' cells are the first part's rows continued to the right — their column numbers follow the first
part's columns, their rows take the first part's row by order (its label, codes and unit), their page is their
own. A fragment that repeats the first part's header, or prints none, continues the part before it downwards.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import RawGrid, Table
from .amounts import is_figure
from .grid import stack
from .header import column_labels, split_header


def side_by_side_parts(fragments: list[RawGrid], title: str) -> list[list[RawGrid]]:
    """The fragments grouped into parts printed side by side (one part: the table is printed whole across)."""
    first = _header_reading(fragments[0], title)
    parts = [[fragments[0]]]
    body_rows = first[1]
    for frag in fragments[1:]:
        labels, n = _header_reading(frag, title)
        if (first[0] and labels and not labels & first[0] and n == body_rows and len(parts[0]) == 1
                and frag.page_no != parts[-1][-1].page_no):
            parts.append([frag])
        else:
            parts[-1].append(frag)
            if len(parts) == 1:
                body_rows += n
    return parts


def _header_reading(frag: RawGrid, title: str) -> tuple[set[str], int]:
    """(the header paths of the fragment's amount columns, the number of its body rows); no header: (∅, rows)."""
    rows, edges = stack([frag])
    start, body = split_header(rows, title)
    filled = [r for r in rows[body:] if any((c.text or "").strip() for c in r.cells)]
    if body <= start:
        return set(), len(filled)
    labels = column_labels(rows, edges, start, body)
    amounts = {labels[c] for c in range(len(labels))
               if labels[c] and any(is_figure(r.text(c)) for r in rows[body:])}
    return amounts, len(filled)


def join_side_by_side(parts: list[Table], columns_of: list[int]) -> Table | None:
    """One table of its parts read apart: the first part's rows, every part's columns left to right.
    `columns_of[k]`: how many columns part k has. None when a later part's rows do not pair one to one with the
    first's — as many rows, and where a part prints a row's label or code, the same one (a repeated label column):
    then the parts are no side-by-side print of one set of rows."""
    table = parts[0]
    rows = sorted({c.row_no for c in table.cells})
    by_row = {}
    for c in table.cells:
        by_row.setdefault(c.row_no, c)
    pairs = []
    for part in parts[1:]:
        own = {}
        for c in part.cells:
            own.setdefault(c.row_no, c)
        if len(own) != len(rows) or any(
                (c.row_label and c.row_label != by_row[r].row_label)
                or (c.subject_code and c.subject_code != by_row[r].subject_code)
                for c, r in zip((own[k] for k in sorted(own)), rows)):
            return None
        pairs.append(dict(zip(sorted(own), rows)))
    offset = columns_of[0]
    for k, (part, pair) in enumerate(zip(parts[1:], pairs), start=1):
        for c in part.cells:
            row = by_row[pair[c.row_no]]
            table.cells.append(replace(
                c, table_no=table.table_no, row_no=row.row_no, line_no=row.line_no, row_label=row.row_label,
                subject_code=row.subject_code, code_level=row.code_level, parent_code=row.parent_code,
                col_no=c.col_no + offset, row_role=row.row_role, indent=row.indent, codes=dict(row.codes),
                row_group=row.row_group, row_period=row.row_period, budget_unit_code=row.budget_unit_code,
                budget_unit_name=row.budget_unit_name, block=c.block or row.block, is_leaf=row.is_leaf))
        offset += columns_of[k]
        table.pages = sorted(set(table.pages) | set(part.pages))
        table.geometry += part.geometry
        table.warnings += [w for w in part.warnings if w not in table.warnings]
        table.unread_amounts += part.unread_amounts
    return table
