"""A read-only view of one normalized table, addressed the way identities speak: rows by role, code or
position, columns by `column_id`, blocks by id. Identities build `Check`s from it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import Cell, Check, Table
from ..normalize.units import unit_factor

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Row:
    row_no: int
    block: str | None
    label: str
    code: str | None
    level: int | None
    parent: str | None
    role: str | None
    indent: float | None = None


class TableView:
    def __init__(self, table: Table):
        self.table = table
        self.cells: dict[tuple[int, int], Cell] = {(c.row_no, c.col_no): c for c in table.cells}
        rows: dict[int, Row] = {}
        for c in table.cells:
            rows.setdefault(c.row_no, Row(c.row_no, c.block, c.row_label, c.subject_code, c.code_level,
                                          c.parent_code, c.row_role, c.indent))
        self.rows = [rows[k] for k in sorted(rows)]
        self.factor = unit_factor(table.unit)
        # each row's cells left to right, sorted once here: amount_cols is asked ~10,000 times over the corpus,
        # and sorting the table's cells for each ask was 0.3 s of it
        self._row_cells: dict[int, list[Cell]] = {}
        for (row_no, _), c in sorted(self.cells.items()):
            self._row_cells.setdefault(row_no, []).append(c)

    @property
    def table_id(self) -> str:
        return self.table.table_id

    def blocks(self) -> list[str | None]:
        return list(dict.fromkeys(r.block for r in self.rows))

    def block_rows(self, block: str | None) -> list[Row]:
        return [r for r in self.rows if r.block == block]

    def role(self, role: str, block: str | None = None) -> Row | None:
        for r in self.rows:
            if r.role == role and (block is None or r.block == block):
                return r
        return None

    def amount_cols(self, row: Row) -> list[Cell]:
        return list(self._row_cells.get(row.row_no, ()))  # a copy: the caller may change its list

    def cell(self, row: Row | None, column_id: str | None = None, block: str | None = None) -> Cell | None:
        """The cell of `row` in the column `column_id` (the row's only amount when None)."""
        if row is None:
            return None
        cells = [c for c in self.amount_cols(row) if block is None or c.block == block]
        if column_id is None:
            return cells[0] if len(cells) == 1 else None
        return next((c for c in cells if c.column_id == column_id), None)

    def column_ids(self) -> list[str]:
        return list(dict.fromkeys(c.column_id for c in self.table.cells if c.column_id))

    def total_row(self, block: str | None = None) -> Row | None:
        """The row holding the table's 合计 (role 'total', or a label like 合计 / 总计 without a code)."""
        found = self.role("total", block)
        if found:
            return found
        for r in self.rows:
            if (block is None or r.block == block) and r.code is None and r.label in ("合计", "总计", "合计:", "总计:"):
                return r
        return None


def tolerance(n_terms: int, *cells: Cell) -> Decimal:
    """0.01 in the printed unit per summed term (the documents warn of 尾数误差), in 元."""
    factor = max([unit_factor(c.unit) for c in cells if c is not None] or [Decimal(1)])
    return CENT * factor * max(1, n_terms)


def sum_check(rule: str, table_id: str, total: Cell | None, terms: list[Cell], detail: str,
              signs: list[int] | None = None) -> Check:
    """`total` = Σ ±terms. A missing total makes a check that cannot hold (expected None)."""
    signs = signs or [1] * len(terms)
    expected = sum((s * t.amount for s, t in zip(signs, terms)), Decimal(0))
    refs = ([total.ref] if total is not None else []) + [t.ref for t in terms]
    return Check(table_id=table_id, rule=rule, terms=refs, expected=expected,
                 actual=total.amount if total is not None else None,
                 tolerance=tolerance(len(terms), total, *terms), detail=detail)
