"""The prose against the tables, and against itself: `Check`s with rule ids fact.*, table_id 'facts'.

Terms name facts as 'f<fact_no>' and cells as 'table_no/row_no/col_no'. Checks run within one document.

Rules
-----
- fact.<fact_id> — a fact that restates a table figure (facts.toml `table`, by the section it sits in) equals
  it: |fact − cell| ≤ ½ unit in the last printed digit of the coarser of the two (a sentence's 107.2万元 holds
  against a cell's 107.20). Compared: facts of the current period whose basis is the table's — the document's
  kind (部门预算 → budget, 部门决算 → final), the 三公 table's 预算数 block for budget and adjusted_budget facts
  and its 决算数 block for final ones (a 三公 table without blocks is of the document's kind); 类 facts against
  the row of their code, 款/项 facts only when the sentence prints their code. Counterparts are tried in the
  order facts.toml lists them; a table or cell the document does not have makes no check.
- fact.<fact_id>.comparison — a relation seen but not an identity (compare = "comparison": 机关运行经费 against
  公用经费合计): recorded with its difference as tolerance, so it never fails.
- fact.<fact_id>.change — a fact that states its value, a change, and in the same sentence the figure it is
  compared with (its comparison base): value − base = change, within the sum of ½ unit in the last printed
  digit of the three figures (each is rounded).
- fact.<fact_id>.change_pct — a stated percentage recomputed from the stated (rounded) figures: change ÷ base
  × 100, the base being the stated comparison figure, else value − change; it holds within one unit of the
  percentage's last printed digit. The seed's '机关运行经费支出14.09万元，比年初预算数减少3.54万元，降低20.0%'
  holds only so: 3.54 ÷ (14.09 + 3.54) = 20.08 %, printed 20.0 (half a unit, 0.05, would fail it).
"""

from __future__ import annotations

from decimal import Decimal

from ..model import FACTS_TABLE_ID, Cell, Check, Fact, Table
from ..normalize.facts import load_vocabulary, money_factor
from ..specs import load_specs
from .view import Row, TableView

TABLE_ID = FACTS_TABLE_ID
HALF = Decimal("0.5")

# The rules, as the data dictionary lists them (<fact_id> is any fact of specs/facts.toml with a table figure).
FACT_RULES = {
    "fact.<fact_id>": "the prose's figure equals the table figure it restates (specs/facts.toml `table`, by the "
                      "section it sits in), within half a unit of the last printed digit of the coarser of the two; "
                      "compared only for figures of the current period and the document's basis (三公: the block of "
                      "the figure's basis); terms: the fact, then the cell",
    "fact.<fact_id>.comparison": "a relation seen but no identity (机关运行经费 against 公用经费合计): recorded with "
                                 "its difference as tolerance, never fails",
    "fact.<fact_id>.change": "value − the figure the same sentence compares it with = the stated change, within the "
                             "sum of half a unit of the last printed digit of the three; terms: the fact, its base",
    "fact.<fact_id>.change_pct": "the stated percentage recomputed from the stated (rounded) figures, change ÷ base "
                                 "× 100 (base: the stated comparison figure, else value − change), holds within one "
                                 "unit of its last printed digit; actual, expected and tolerance in percent",
}


def check_facts(facts: list[Fact], tables: list[Table], kind: str | None = None) -> list[Check]:
    """Every fact.* check of one document (see the module docstring). `kind` is the document's (budget |
    final); when None, final if any fact of the current period is a 决算 figure, else budget."""
    views: dict[str, TableView] = {}
    specs = load_specs()
    for t in tables:
        if t.cells and not t.empty and (t.checks_passed + t.checks_failed or not _declares_identities(specs, t)):
            views.setdefault(t.table_id, TableView(t))
    if kind is None:
        kind = "final" if any(f.basis == "final" and f.period == "current" for f in facts) else "budget"
    out: list[Check] = []
    for f in facts:
        out += _against_table(f, views, kind)
    for f in facts:
        out += _against_itself(f, facts)
    return out


def _declares_identities(specs, t: Table) -> bool:
    """A table whose spec declares identities and none of which could be evaluated was not read as that table
    (its rows and columns were not recognised: 长春's 三公 table read as one cell): its cells restate nothing."""
    return bool(specs.by_id(t.table_id).identities)


# ---------------------------------------------------------------------------------------------- the tables
def _against_table(f: Fact, views: dict[str, TableView], kind: str) -> list[Check]:
    if f.value is None or f.period != "current" or f.measure != "money":
        return []
    for target in load_vocabulary().facts[f.fact_id].counterparts(f.section_kind):
        view = views.get(target["concept"])
        if view is None:
            continue
        block = target.get("block")
        if block == "basis":
            block = "final" if f.basis == "final" else "budget"
            if not any(c.block for c in view.table.cells):  # a 三公 table of one kind: the document's
                if (f.basis == "final") != (kind == "final"):
                    continue
                block = None
        elif f.basis != kind:
            return []  # a 决算's 年初预算 figure is not what its tables print
        cell = _cell(view, target, block, f)
        if cell is not None:
            return [_restatement(f, target, view, cell)]
    return []


def _restatement(f: Fact, target: dict[str, str], view: TableView, cell: Cell) -> Check:
    printed = f"{_printed(f.value, f.unit)}{f.unit or ''}"
    where = f"{view.table.title or view.table_id} {cell.row_label or ''} {cell.column_label or ''}".strip()
    if target.get("compare") == "comparison":
        gap = abs(f.value - cell.amount)
        return Check(TABLE_ID, f"fact.{f.fact_id}.comparison", [f.ref, cell.ref], cell.amount, f.value,
                     gap, f"comparison (never fails): the prose's {printed} against {where}")
    tolerance = max(_half_unit(f.value, f.unit), _half_unit(cell.amount, cell.unit))
    return Check(TABLE_ID, f"fact.{f.fact_id}", [f.ref, cell.ref], cell.amount, f.value, tolerance,
                 f"the prose's {printed} restates {where}")


def _cell(view: TableView, target: dict[str, str], block: str | None, f: Fact) -> Cell | None:
    row_key, column = target.get("row"), target.get("column")
    row: Row | None
    if row_key is None:  # one row per block (the 三公 table): the one cell of that block and column
        cells = [c for c in view.table.cells if c.block == block and c.column_id == column]
        return cells[0] if len(cells) == 1 else None  # items printed as rows (广州): not told apart, no check
    if row_key == "total_row":
        row = view.total_row(block)
    elif row_key in ("class", "item"):
        if not f.subject_code:
            return None
        row = next((r for r in view.rows if r.code == f.subject_code and (block is None or r.block == block)), None)
    else:
        row = view.role(row_key, block)
    if row is None:
        return None
    return view.cell(row, column, block)


# ---------------------------------------------------------------------------------------------- the prose itself
def _against_itself(f: Fact, facts: list[Fact]) -> list[Check]:
    if f.value is None or "comparison_base" in f.flags:
        return []
    base = _base_of(f, facts)
    out: list[Check] = []
    if base is not None and f.change_value is not None:
        tolerance = _half_unit(f.value, f.unit) + _half_unit(base.value, base.unit) + _half_unit(f.change_value, f.unit)
        out.append(Check(TABLE_ID, f"fact.{f.fact_id}.change", [f.ref, base.ref],
                         f.value - base.value, f.change_value, tolerance,
                         f"the stated change against the stated figures: {_printed(f.value, f.unit)} − "
                         f"{_printed(base.value, base.unit)} ({f.unit})"))
    if f.change_pct is not None:
        if base is not None:
            denominator = base.value
            change = f.change_value if f.change_value is not None else f.value - base.value
            terms = [f.ref, base.ref]
        elif f.change_value is not None:
            denominator, change, terms = f.value - f.change_value, f.change_value, [f.ref]
        else:
            return out
        if denominator:
            computed = (change / denominator * 100).quantize(Decimal("0.000001"))
            unit = Decimal(1).scaleb(f.change_pct.as_tuple().exponent)
            out.append(Check(TABLE_ID, f"fact.{f.fact_id}.change_pct", terms, computed, f.change_pct, unit,
                             f"the stated percentage recomputed from the stated figures: "
                             f"{_printed(change, f.unit)} / {_printed(denominator, f.unit)} × 100"))
    return out


def _base_of(f: Fact, facts: list[Fact]) -> Fact | None:
    """The figure the same sentence compares this fact with."""
    for b in facts:
        if b is not f and b.value is not None and "comparison_base" in b.flags and b.fact_id == f.fact_id \
                and b.text == f.text and (b.subject_code, b.subject_label) == (f.subject_code, f.subject_label):
            return b
    return None


def _printed(value: Decimal, unit: str | None) -> Decimal:
    """The figure as printed: 2591500.00 元 with unit 万元 → 259.15."""
    factor = money_factor(unit)
    return value if factor is None else value / factor


def _half_unit(value: Decimal, unit: str | None) -> Decimal:
    """Half a unit in the last printed digit, in 元: 259.15万元 → 50."""
    printed = _printed(value, unit)
    factor = money_factor(unit) or Decimal(1)
    return HALF * Decimal(1).scaleb(printed.as_tuple().exponent) * factor
