"""One table's cells laid out the way the document prints them, for people who read tables, not datasets
(`fiscalpdf export`, `fiscalpdf inspect`).

Rules:
1. A row per printed row, a column per printed column (`col_no` order), each amount in 元 under its header path.
2. Side-by-side groups (收入 | 支出, 人员经费 | 公用经费 | 公用经费), which the cells dataset unrolls into one run of
   rows, are put back side by side: a new group starts at a row whose amount columns are all new to the group
   being read. Groups are aligned at the top: the dataset does not keep which printed line a row shared.
3. Each group has its 编码 and 项目 columns (left out when nothing is printed in them) and ends with 页, the
   page its row is printed on, so a number can be found on the page.
The input is rows of the `cells` dataset (dicts); `refs` gives the cell under each amount ('table_no/row_no/col_no',
the form `checks.terms` uses), so a reader can mark the cells of an identity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

CODE_HEADER, LABEL_HEADER, PAGE_HEADER = "编码", "项目", "页"


@dataclass(frozen=True)
class Layout:
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]  # str (code, label), float (amount, 元), int (page), None: nothing printed
    refs: tuple[tuple[str | None, ...], ...]  # the cell ref at each amount position, None elsewhere
    amount_columns: frozenset[int]  # positions in `header` that hold amounts


@dataclass
class _Group:
    rows: list[int]  # row_no, top to bottom
    columns: set[int]  # col_no of its amounts


@dataclass(frozen=True)
class _Column:
    kind: str  # code | label | amount | page
    header: str
    col_no: int | None = None  # of an amount column


def printed_layout(cells: Sequence[Mapping]) -> Layout:
    by_row: dict[int, list[Mapping]] = {}
    for c in sorted(cells, key=lambda c: (c["row_no"], c["col_no"])):
        by_row.setdefault(c["row_no"], []).append(c)
    groups = _groups(by_row)
    columns = [_columns(g, by_row) for g in groups]
    rows, refs = [], []
    for i in range(max((len(g.rows) for g in groups), default=0)):
        row: list[object] = []
        ref: list[str | None] = []
        for g, group_columns in zip(groups, columns):
            printed = by_row[g.rows[i]] if i < len(g.rows) else []
            for column in group_columns:
                value, cell_ref = _value(column, printed)
                row.append(value)
                ref.append(cell_ref)
        rows.append(tuple(row))
        refs.append(tuple(ref))
    flat = [c for group_columns in columns for c in group_columns]
    return Layout(tuple(c.header for c in flat), tuple(rows), tuple(refs),
                  frozenset(i for i, c in enumerate(flat) if c.kind == "amount"))


def _groups(by_row: dict[int, list[Mapping]]) -> list[_Group]:
    """Rule 2: a row whose columns share none with the current group opens the next group."""
    groups: list[_Group] = []
    for row_no in sorted(by_row):
        cols = {c["col_no"] for c in by_row[row_no]}
        if not groups or not cols & groups[-1].columns:
            groups.append(_Group([], set()))
        groups[-1].rows.append(row_no)
        groups[-1].columns |= cols
    return groups


def _columns(group: _Group, by_row: dict[int, list[Mapping]]) -> list[_Column]:
    """Rule 3: 编码 and 项目 where printed, the amounts, then 页."""
    heads = [by_row[r][0] for r in group.rows]
    labels = {c["col_no"]: c["column_label"] for r in group.rows for c in by_row[r]}
    out = []
    if any(h["subject_code"] for h in heads):
        out.append(_Column("code", CODE_HEADER))
    if any(h["row_label"] for h in heads):
        out.append(_Column("label", LABEL_HEADER))
    out += [_Column("amount", labels[col], col) for col in sorted(group.columns)]
    out.append(_Column("page", PAGE_HEADER))
    return out


def _value(column: _Column, printed: list[Mapping]) -> tuple[object, str | None]:
    """What one printed row shows in one column, and the ref of the cell when it is an amount."""
    if not printed:
        return None, None
    if column.kind == "amount":
        cell = next((c for c in printed if c["col_no"] == column.col_no), None)
        if cell is None:
            return None, None
        return cell["value"], f"{cell['table_no']}/{cell['row_no']}/{cell['col_no']}"
    head = printed[0]
    return {"code": head["subject_code"], "label": head["row_label"], "page": head["page"]}[column.kind], None
