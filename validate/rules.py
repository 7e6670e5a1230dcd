"""Identities inside one table. Each rule has a stable id, is listed by the table specs that it holds for,
and returns one `Check` per instance (per row, per column, per parent code), naming every cell it uses.

Rule ids and what they state: `RULES` (the data dictionary prints them from there).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from ..model import Cell, Check
from ..normalize.rows import leaf_lines, number_style, sub_lines
from ..specs import TableSpec
from .columns import AmountColumn, ColumnTree
from .view import Row, TableView, sum_check

BASIC_PARTS = ("personnel", "public")
# summary-table roles that are sub-totals or balances, not income or expenditure lines
SUMMARY_NON_LINES = {"total", "use_balance", "carry_in", "grand_total", "distribution", "carry_out"}
FUNDS = ("gpb", "gov_fund", "soe")
GENERIC = "{table}."  # the id prefix of a rule any concept may name under its own id (tables.toml)

Check_ = Callable[[TableView, TableSpec, str], list[Check]]
# Why a rule does not run on a table's layout (a column or row it speaks of is not printed), or None where it
# runs. Read from headers, labels, codes and blocks, never from an amount: altering a figure never changes
# which identities are evaluated (tests/validate/test_applicability.py).
WhyNot = Callable[[TableView, TableSpec], "str | None"]


def _always(view: TableView, spec: TableSpec) -> str | None:
    return None


@dataclass(frozen=True)
class Rule:
    """One identity: its id, what it states, when a table's layout does not print what it speaks of (`why_not`:
    a 决算 基本支出 table has no 人员经费 column to add up) and the checks it makes (`check(view, spec, rule_id)`).
    A generic rule (id '{table}.row_total') serves every concept whose spec names '<id>.row_total'; its doc is
    written with the spec's name and row parts."""

    id: str
    doc: str
    check: Check_
    why_not: WhyNot = _always

    @property
    def generic(self) -> bool:
        return self.id.startswith(GENERIC)

    def doc_for(self, spec: TableSpec | None = None) -> str:
        if spec is None:
            return self.doc
        return self.doc.format(name=spec.name, parts=" + ".join(spec.row_parts) or "—")


RULES: dict[str, Rule] = {}


def rule(rule_id: str, doc: str, why_not: WhyNot = _always):
    """Register a rule. A rule that runs but finds nothing to check is reported as a failing check, never
    skipped in silence."""
    def register(fn: Check_) -> Check_:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id!r} registered twice")
        RULES[rule_id] = Rule(rule_id, doc, fn, why_not)
        return fn
    return register


def resolve(rule_id: str) -> Rule:
    """The rule a spec names: its own ('three_public.total'), else the generic one of that name
    ('income.row_total' → '{table}.row_total')."""
    if rule_id in RULES:
        return RULES[rule_id]
    generic = GENERIC + rule_id.split(".", 1)[-1]
    if "." in rule_id and generic in RULES:
        return RULES[generic]
    raise KeyError(f"spec names unknown rule {rule_id!r}; known: {', '.join(RULES)}") from None


def needs_columns(*column_ids: str, any_of: tuple[str, ...] = ()) -> WhyNot:
    """The rule speaks of the columns `column_ids`, and of at least one of `any_of` (when given)."""
    def why_not(view: TableView, spec: TableSpec) -> str | None:
        present = set(view.column_ids())
        missing = [c for c in column_ids if c not in present]
        if missing:
            return f"no {', '.join(missing)} column"
        if any_of and not present & set(any_of):
            return f"none of the columns {', '.join(any_of)}"
        return None
    return why_not


def needs_codes(view: TableView, spec: TableSpec) -> str | None:
    return None if any(r.code and r.level for r in view.rows) else "no row prints a classification code"


def needs_block(block: str) -> WhyNot:
    return lambda view, spec: None if block in view.blocks() else f"no {block} block"


def _needs_row_parts(view: TableView, spec: TableSpec) -> str | None:
    # 基本支出's parts stand for it where it is not printed (`_parts`)
    basic_parts = BASIC_PARTS if "basic" in spec.row_parts else ()
    return needs_columns("total", any_of=spec.row_parts + basic_parts)(view, spec)


# ------------------------------------------------------------------------------------------ generic
def _parts(view: TableView, spec: TableSpec) -> tuple[str, ...]:
    parts = spec.row_parts
    present = set(view.column_ids())
    if "basic" in parts and "basic" not in present:
        parts = tuple(p for p in parts if p != "basic") + BASIC_PARTS
    if "fiscal" in present:  # 财政拨款 printed with its funds beside it: the subtotal is the addend
        parts = tuple(p for p in parts if p not in FUNDS)
    return parts


def _tree(view: TableView, spec: TableSpec, block: str | None) -> tuple[ColumnTree, dict[int, AmountColumn]]:
    columns: dict[int, AmountColumn] = {}
    for c in view.table.cells:
        if block is None or c.block == block:
            # '…/合计/预算数' sits with '…/因公出国(境)费/预算数' under '预算数/…': a basis groups like a block
            columns.setdefault(c.col_no, AmountColumn(c.col_no, spec.column_key(c.column_label), c.column_id))
    ordered = [columns[k] for k in sorted(columns)]
    return ColumnTree(ordered), columns


def row_total(view: TableView, spec: TableSpec, rule_id: str, block: str | None = None) -> list[Check]:
    """Every row: the total column = the columns it adds up (validate/columns.py)."""
    parts = _parts(view, spec)
    total_id = "total"
    tree, columns = _tree(view, spec, block)
    out = []
    for r in view.rows:
        if block is not None and r.block != block:
            continue
        total = view.cell(r, total_id)
        if total is None:
            continue
        addends = tree.addends(columns[total.col_no], parts)
        terms = [c for c in (view.cells.get((r.row_no, a.col_no)) for a in addends) if c is not None]
        if terms:
            out.append(sum_check(rule_id, view.table_id, total, terms,
                                 f"{r.label}: {total.column_label} = {' + '.join(t.column_label for t in terms)}"))
    return out


def _main_total(view: TableView, columns: dict[int, AmountColumn]) -> AmountColumn | None:
    ids = [c for c in columns.values() if c.column_id == "total"]
    return ids[0] if ids else None


def column_subtotals(view: TableView, spec: TableSpec, rule_id: str) -> list[Check]:
    """Every row: each header group's 小计 = Σ its columns (validate/columns.py rule 4)."""
    tree, columns = _tree(view, spec, None)
    groups = tree.subtotal_parts(_parts(view, spec) + BASIC_PARTS + FUNDS, _main_total(view, columns))
    out = []
    for r in view.rows:
        for sub, members in groups:
            total = view.cells.get((r.row_no, sub.col_no))
            terms = [c for c in (view.cells.get((r.row_no, m.col_no)) for m in members) if c is not None]
            if total is not None and terms:
                out.append(sum_check(rule_id, view.table_id, total, terms, f"{r.label}: {sub.path} = Σ its columns"))
    return out


def _needs_subtotals(view: TableView, spec: TableSpec) -> str | None:
    tree, columns = _tree(view, spec, None)
    if tree.subtotal_parts(_parts(view, spec) + BASIC_PARTS + FUNDS, _main_total(view, columns)):
        return None
    return "no header group of part columns prints its own 小计"


def hierarchy(view: TableView, spec: TableSpec, rule_id: str) -> list[Check]:
    """Per amount column: each 类 = Σ its 款, each 款 = Σ its 项, and the 合计 row = Σ the top-level rows.
    A row's parent is its nearest ancestor code printed in the table (a 项 whose 款 is not printed counts
    under its 类); a code printed again later (the same 类 under another 政府经济 class) heads its own rows."""
    out = []
    for block in view.blocks():
        rows = view.block_rows(block)
        coded = [r for r in rows if r.code]
        codes = {r.code for r in coded}
        parent_of = {r.row_no: _nearest_ancestor(r.code, codes) for r in coded}
        for i, parent in enumerate(coded):
            children = []
            for r in coded[i + 1:]:
                if not r.code.startswith(parent.code) or r.code == parent.code:
                    break  # the parent's rows end where an unrelated code, or the parent again, begins
                if parent_of[r.row_no] == parent.code:
                    children.append(r)
            if children:
                out += _column_sums(view, rule_id, parent, children, f"{parent.code} {parent.label} = Σ its children")
        total = view.total_row(block)
        top = [r for r in coded if parent_of[r.row_no] is None]
        if total is not None and top:
            out += _column_sums(view, rule_id, total, top, f"{total.label} = Σ top-level codes")
    return out


def _nearest_ancestor(code: str, codes: set[str]) -> str | None:
    for n in (5, 3):
        if n < len(code) and code[:n] in codes:
            return code[:n]
    return None


def _column_sums(view: TableView, rule_id: str, total_row: Row, rows: list[Row], detail: str) -> list[Check]:
    out = []
    for total in view.amount_cols(total_row):
        terms = [c for c in (_same_column(view, r, total) for r in rows) if c is not None]
        if terms:
            out.append(sum_check(rule_id, view.table_id, total, terms, f"{detail} [{total.column_label}]"))
    return out


def _same_column(view: TableView, row: Row, like: Cell) -> Cell | None:
    return view.cells.get((row.row_no, like.col_no))


# ------------------------------------------------------------------------------------------ rules
@rule("{table}.row_total", "{name}, every row: the total column = Σ the part columns printed ({parts}; 基本支出, or "
      "人员经费 + 公用经费 where it is not printed; a header group by its 小计)", why_not=_needs_row_parts)
def _row_total(view, spec, rule_id): return row_total(view, spec, rule_id)


@rule("{table}.column_subtotals", "{name}, every row: a header group's 小计 (本年收入/小计, 当年预算/基本支出/小计 …) "
      "= Σ its columns", why_not=_needs_subtotals)
def _column_subtotals(view, spec, rule_id): return column_subtotals(view, spec, rule_id)


@rule("{table}.hierarchy", "{name}, every column: 类 = Σ 款, 款 = Σ 项, 合计 = Σ 类", why_not=needs_codes)
def _hierarchy(view, spec, rule_id): return hierarchy(view, spec, rule_id)


@rule("gpb_expenditure.basic_split", "一般公共预算支出表 printing 基本支出 with its parts, every row: 基本支出 = "
      "人员经费 + 公用经费", why_not=needs_columns("basic", "personnel", "public"))
def _gpb_basic_split(view, spec, rule_id):
    out = []
    for r in view.rows:
        basic, parts = view.cell(r, "basic"), [view.cell(r, p) for p in BASIC_PARTS]
        if basic is not None and all(p is not None for p in parts):
            out.append(sum_check("gpb_expenditure.basic_split", view.table_id, basic, parts,
                                 f"{r.label}: 基本 = 人员 + 公用"))
    return out


@rule("gov_fund.row_total", "政府性基金预算支出表, every row: 本年支出 = 基本支出 + 项目支出",
      why_not=needs_columns("expenditure_total", any_of=("basic", "project")))
def _gov_row_total(view, spec, rule_id):
    out = []
    for r in view.rows:
        total, parts = view.cell(r, "expenditure_total"), [view.cell(r, "basic"), view.cell(r, "project")]
        parts = [p for p in parts if p is not None]
        if total is not None and parts:
            out.append(sum_check("gov_fund.row_total", view.table_id, total, parts,
                                 f"{r.label}: 本年支出 = 基本 + 项目"))
    return out


@rule("gov_fund.balance", "政府性基金预算收支表, every row: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余",
      why_not=needs_columns("carry_in", "income", "expenditure_total", "carry_out"))
def _gov_balance(view, spec, rule_id):
    out = []
    for r in view.rows:
        cells = [view.cell(r, c) for c in ("carry_in", "income", "expenditure_total")]
        end = view.cell(r, "carry_out")
        if end is None or any(c is None for c in cells):
            continue
        out.append(sum_check("gov_fund.balance", view.table_id, end, cells, f"{r.label}: 年初 + 收入 − 支出 = 年末",
                             signs=[1, 1, -1]))
    return out


def _block_total(view: TableView, rule_id: str, role: str, block: str, wanted: tuple[str, ...] | None) -> list[Check]:
    total_row = view.role(role, block) or view.role(role)
    if total_row is None:
        return []
    total = view.cell(total_row)
    rows = [r for r in view.block_rows(block) if r.level == 1 and (wanted is None or (r.code or "")[:3] in wanted)]
    terms = [c for c in (view.cell(r) for r in rows) if c is not None]
    if total is None or not terms:
        return []
    return [sum_check(rule_id, view.table_id, total, terms,
                      f"{total_row.label} = {' + '.join(r.code or '?' for r in rows)}")]


@rule("gpb_basic.personnel_total", "一般公共预算基本支出表: 人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助",
      why_not=needs_block("personnel"))
def _personnel(view, spec, rule_id): return _block_total(view, "gpb_basic.personnel_total", "personnel_total",
                                                         "personnel", ("301", "303"))


@rule("gpb_basic.public_total", "一般公共预算基本支出表: 公用经费合计 = 302 + 307 + 310 + 399 (those printed)",
      why_not=needs_block("public"))
def _public(view, spec, rule_id): return _block_total(view, "gpb_basic.public_total", "public_total", "public",
                                                      ("302", "307", "310", "399"))


THREE_PARTS = ("overseas", "vehicle_subtotal", "reception", "meeting", "training")
VEHICLE_PARTS = ("vehicle_purchase", "vehicle_operation")


def item_groups(view: TableView, spec: TableSpec, total: str, parts: tuple[str, ...]) -> list[dict[str, Row]]:
    """A table printing its items as rows (a 三公 table: 合计 | 1、因公出国(境)费用 | … down its rows, its columns by
    fund or basis): each `total` row with the item rows after it, up to the next `total` row (item id → its first
    row), where at least one of `parts` is printed. Read from the row labels (the spec's `row_items`)."""
    groups: list[dict[str, Row]] = []
    for r in view.rows:
        item = spec.row_item(r.label)
        if item == total:
            groups.append({total: r})
        elif item is not None and groups:
            groups[-1].setdefault(item, r)
    return [g for g in groups if any(p in g for p in parts)]


def _row_sums(view: TableView, rule_id: str, group: dict[str, Row], total: str, parts: tuple[str, ...]) -> list[Check]:
    """Per amount column: the `total` row of an item group = Σ its `parts` rows printed."""
    rows = [group[p] for p in parts if p in group]
    out = []
    for cell in view.amount_cols(group[total]):
        terms = [c for c in (view.cells.get((r.row_no, cell.col_no)) for r in rows) if c is not None]
        if terms:
            out.append(sum_check(rule_id, view.table_id, cell, terms, f"{group[total].label} = "
                                 f"{' + '.join(r.label for r in rows)} [{cell.column_label}]"))
    return out


def _columns_or_rows(columns: WhyNot, total: str, parts: tuple[str, ...]) -> WhyNot:
    """The rule speaks of items printed as columns (`columns` says why not) or as rows."""
    def why_not(view: TableView, spec: TableSpec) -> str | None:
        reason = columns(view, spec)
        if reason is None or item_groups(view, spec, total, parts):
            return None
        return f"{reason}, nor a {total} row with {' / '.join(parts)} rows"
    return why_not


def _three_items(group: dict[str, Row]) -> tuple[str, ...]:
    """The 三公 items a total row adds up: the 公务用车 小计, or its two parts where it is not printed as a row."""
    return THREE_PARTS[:3] if "vehicle_subtotal" in group else ("overseas", *VEHICLE_PARTS, "reception")


@rule("three_public.total", "“三公”经费表, every total column (预算数 and 决算数, or each year): 合计 = "
      "因公出国（境）费 + 公务用车购置及运行费 + 公务接待费 (+ 会议费 + 培训费 where the 合计 spans them); a table "
      "printing the items as rows: the 合计 row = the item rows, in every column",
      why_not=_columns_or_rows(needs_columns("total", any_of=THREE_PARTS[:3]), "total",
                               ("overseas", "vehicle_subtotal", "reception", *VEHICLE_PARTS)))
def _three_total(view, spec, rule_id):
    tree, columns = _tree(view, spec, None)
    out = []
    for r in view.rows:
        for total in view.amount_cols(r):
            if total.column_id not in ("total", "total_with_meeting_training"):
                continue
            # a total named as the 三公 total adds up the three items, even where 会议费 and 培训费 stand beside it
            parts = THREE_PARTS[:3] if "三公" in total.column_label.rsplit("/", 1)[-1] else THREE_PARTS
            addends = tree.addends(columns[total.col_no], parts)
            terms = [c for c in (view.cells.get((r.row_no, a.col_no)) for a in addends) if c is not None]
            if terms:
                out.append(sum_check("three_public.total", view.table_id, total, terms,
                                     f"{total.column_label} = {' + '.join(t.column_label for t in terms)}"))
    for group in item_groups(view, spec, "total", ("overseas", "vehicle_subtotal", "reception", *VEHICLE_PARTS)):
        out += _row_sums(view, "three_public.total", group, "total", _three_items(group))
    return out


@rule("three_public.vehicle", "“三公”经费表, 预算数 and 决算数 each (every year group): 公务用车购置及运行费 = "
      "购置费 + 运行（维护）费; a table printing the items as rows: the 公务用车 row = its two rows, in every column",
      why_not=_columns_or_rows(needs_columns("vehicle_subtotal", any_of=VEHICLE_PARTS), "vehicle_subtotal",
                               VEHICLE_PARTS))
def _three_vehicle(view, spec, rule_id):
    # each 公务用车 小计 column adds up the 购置 and 运行 columns of its own header group (2019年 | 2020年 | 增减)
    tree, columns = _tree(view, spec, None)
    out = []
    for r in view.rows:
        for total in view.amount_cols(r):
            if total.column_id != "vehicle_subtotal":
                continue
            addends = tree.addends(columns[total.col_no], VEHICLE_PARTS)
            parts = [view.cells.get((r.row_no, a.col_no)) for a in addends]
            if len(parts) == len(VEHICLE_PARTS) and all(p is not None for p in parts):
                out.append(sum_check("three_public.vehicle", view.table_id, total, parts,
                                     f"{total.block or ''} 公务用车 = 购置 + 运行".strip()))
    for group in item_groups(view, spec, "vehicle_subtotal", VEHICLE_PARTS):
        out += _row_sums(view, "three_public.vehicle", group, "vehicle_subtotal", VEHICLE_PARTS)
    return out


# ----------------------------------------------------------------------------- summary-like tables
# 收支总表 and 财政拨款收支总表 print one 收入 block and one or more 支出 blocks side by side (by 功能分类, and in
# some regions also by 支出用途 or 经济分类). Their lines nest by numbering ('一、' > '1、' > '(1)'), and '其中：'
# lines are parts of the line above: a total adds up the lines that have no sub-lines, never a '其中'.
def expenditure_blocks(view: TableView) -> list[str]:
    return [b for b in view.blocks() if b and b.startswith("expenditure")]


def _line_sum(view: TableView, rule_id: str, total_row: Row, rows: list[Row], detail: str,
              column_id: str | None = None) -> list[Check]:
    out = []
    totals = view.amount_cols(total_row)
    printed = [c for c in totals if "placeholder" not in c.flags]
    if len(printed) == 1 and len(totals) > 1 and not any(view.cells.get((r.row_no, printed[0].col_no)) for r in rows):
        totals = printed  # one amount printed in a row of empty fragment columns (Word tables)
    for total in totals:
        if column_id is not None and total.column_id != column_id:
            continue
        terms = [c for c in (view.cells.get((r.row_no, total.col_no)) for r in rows) if c is not None]
        if not terms and len(totals) == 1 and rows:
            # a total whose label spans into the next block prints its amount in that block's column
            # (Jiangsu's 当年支出小计): the lines' terms are in the column where the lines print their amounts
            counts: dict[int, int] = {}
            for r in rows:
                for c in view.amount_cols(r):
                    counts[c.col_no] = counts.get(c.col_no, 0) + ("placeholder" not in c.flags)
            col = max(counts, key=lambda k: (counts[k], -k)) if counts else None
            terms = [c for c in (view.cells.get((r.row_no, col)) for r in rows) if c is not None]
        out.append(sum_check(rule_id, view.table_id, total, terms, f"{detail} [{total.column_label}]"))
    return out


def _lines_above_total(view: TableView, block: str) -> tuple[Row | None, list[Row]]:
    """The block's 本年合计 row (its 总计 when no 本年合计 is printed; the main 支出 block's when a side block
    prints none) and the lines it adds up: those above it, or, when it heads the block ('一、本年收入' then its
    lines), those below it down to the next line of its own level or a balance line."""
    total = view.role("total", block) or view.role("grand_total", block)
    if total is None and block.startswith("expenditure"):
        # a total whose label spans the 支出 blocks prints its amount in one of them (Jiangsu's 当年支出小计)
        total = next((view.role("total", b) for b in expenditure_blocks(view) if view.role("total", b)), None)
    if total is None:
        return None, []
    rows = view.block_rows(block)
    above = [r for r in rows if r.row_no < total.row_no and r.role not in SUMMARY_NON_LINES]
    if above:
        return total, leaf_lines(above)
    after = [r for r in rows if r.row_no > total.row_no]
    # '一、本年收入' then '(一)…' lines: they run to the next line of the total's own style; but '一、本年支出'
    # may head class lines numbered in its own style ('一、一般公共服务支出' …): then they run to a balance line
    style = number_style(total)
    same_style_members = bool(after) and style is not None and number_style(after[0]) == style
    below = []
    for r in after:
        if r.role in SUMMARY_NON_LINES:
            if not below:
                continue  # balance lines printed on the total's own rows, before this block's lines (Jiangsu)
            break
        if not same_style_members and number_style(r) is not None and number_style(r) == number_style(total):
            break
        below.append(r)
    return total, leaf_lines(below)


def _grand_total(view: TableView, rule_id: str, block: str, detail: str) -> list[Check]:
    """总计 = 本年合计 + the lines between them (结转, 结余 …), without '其中' lines, a balance's fund lines, or
    the lines of a 本年合计 that heads its block."""
    grand, total = view.role("grand_total", block), view.role("total", block)
    if grand is None or total is None:
        return []  # (a 支出 block sharing another block's totals is checked there)
    _, members = _lines_above_total(view, block)
    if members and members[0].row_no > total.row_no:  # the total heads its lines: they are inside it
        last = max(m.row_no for m in members)
        members_span = {r.row_no for r in view.block_rows(block) if total.row_no < r.row_no <= last}
    else:
        members_span = set()
    between = [r for r in view.block_rows(block) if total.row_no < r.row_no < grand.row_no
               and r.role not in FUNDS and r.row_no not in members_span]
    return _line_sum(view, rule_id, grand, [total] + leaf_lines(between), detail)


def _grands_equal(view: TableView, rule_id: str, column_id: str | None) -> list[Check]:
    """收入总计 = 支出总计; a table printing no 总计 lines (its 合计 lines are the totals) compares those.
    Several amount columns on each side (本年预算 | 编制预算 | 上年结转) are compared in order."""
    role = "grand_total" if view.role("grand_total", "income") else "total"
    a = view.role(role, "income")
    out = []
    for block in expenditure_blocks(view):
        b = view.role(role, block) or view.role(role, "expenditure")
        if a is None or b is None:
            continue
        ca, cb = view.amount_cols(a), view.amount_cols(b)
        if column_id and view.cell(b, column_id) is not None:
            pairs = [(ca[0] if len(ca) == 1 else view.cell(a, column_id), view.cell(b, column_id))]
        elif len(ca) == len(cb):
            pairs = list(zip(ca, cb))
        elif len(ca) == 1 and cb:
            pairs = [(ca[0], cb[0])]
        else:
            pairs = []
        for x, y in pairs:
            if x is not None and y is not None:
                out.append(sum_check(rule_id, view.table_id, y, [x],
                                     f"收入总计 = 支出总计 ({block}, {y.column_label})"))
    return out


def _line_groups(view: TableView) -> list[tuple[Row, list[Row]]]:
    """Each line with sub-lines and its direct sub-lines, block by block. A total or balance line (本年收入合计,
    年初结转和结余 …) ends the lines above it: what follows it nests anew (a balance's fund lines are its own). A
    line printing no figure of its own (its cells blank: Xi'an's '一、部门预算') only heads its sub-lines."""
    out = []
    for block in view.blocks():
        segment: list[Row] = []
        for r in view.block_rows(block) + [None]:
            if r is None or r.role in SUMMARY_NON_LINES:
                out += [(head, lines) for head, lines in sub_lines(segment) if _printed(view, head)]
                segment = []
            else:
                segment.append(r)
    return out


def _printed(view: TableView, row: Row) -> list[Cell]:
    """The row's cells that print a figure (a blank cell is read as 0, but states nothing of a heading)."""
    return [c for c in view.amount_cols(row) if c.text.strip()]


def _needs_sub_lines(view: TableView, spec: TableSpec) -> str | None:
    return None if _line_groups(view) else "no line printing a figure has sub-lines"


@rule("{table}.sub_lines", "{name}, every column of each block: a line with sub-lines (nested by numbering or "
      "indentation: a 类 printed by name over its 款, '一、财政拨款' over its funds) = Σ its sub-lines (never a 其中 "
      "line; a heading printed blank states no sum)", why_not=_needs_sub_lines)
def _sub_lines(view, spec, rule_id):
    out = []
    for head, lines in _line_groups(view):
        for total in _printed(view, head):
            terms = [c for c in (view.cells.get((r.row_no, total.col_no)) for r in lines) if c is not None]
            if terms:
                out.append(sum_check(rule_id, view.table_id, total, terms,
                                     f"{head.label} = Σ its {len(lines)} sub-lines [{total.column_label}]"))
    return out


@rule("summary.income_total", "收支总表: 本年收入合计 = Σ the income lines above it (sub-lines, not their heading; "
                              "never a 其中 line)")
def _summary_income(view, spec, rule_id):
    total, lines = _lines_above_total(view, "income")
    return _line_sum(view, "summary.income_total", total, lines, "本年收入合计 = Σ 收入 lines") if total else []


@rule("summary.expenditure_total", "收支总表, each 支出 block: 本年支出合计 = Σ the lines above it (the 类 lines)")
def _summary_expenditure(view, spec, rule_id):
    out = []
    for block in expenditure_blocks(view) or ["expenditure"]:
        total, lines = _lines_above_total(view, block)
        if total is None:
            return []
        out += _line_sum(view, "summary.expenditure_total", total, lines, f"本年支出合计 = Σ {block} lines")
    return out


def _needs_both(side: str) -> WhyNot:
    """总计 = 本年合计 + … needs both printed on that side: some layouts print only 总计, others only 合计."""
    def why_not(view: TableView, spec: TableSpec) -> str | None:
        blocks = ["income"] if side == "income" else (expenditure_blocks(view) or ["expenditure"])
        if any(view.role("total", b) and view.role("grand_total", b) for b in blocks):
            return None
        return f"no {side} block prints both a total and a grand_total row"
    return why_not


@rule("summary.income_grand_total", "收支总表: 收入总计 = 本年收入合计 + the lines between them (结转, 结余 …)",
      why_not=_needs_both("income"))
def _summary_income_grand(view, spec, rule_id):
    return _grand_total(view, "summary.income_grand_total", "income", "收入总计")


@rule("summary.expenditure_grand_total", "收支总表, each 支出 block: 支出总计 = 本年支出合计 + the lines between them",
      why_not=_needs_both("expenditure"))
def _summary_expenditure_grand(view, spec, rule_id):
    out = []
    for block in expenditure_blocks(view) or ["expenditure"]:
        if view.role("grand_total", block) is None:
            continue  # a block printing no 总计 of its own shares another block's (支出用途 beside 功能分类)
        checks = _grand_total(view, "summary.expenditure_grand_total", block, f"支出总计 ({block})")
        if not checks:
            return []
        out += checks
    return out


@rule("summary.grand_totals_equal", "收支总表: 收入总计 = 支出总计 (each 支出 block)")
def _summary_equal(view, spec, rule_id): return _grands_equal(view, "summary.grand_totals_equal", None)


@rule("fiscal_summary.row_total", "财政拨款收支总表, every 支出 row: 合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
      why_not=lambda view, spec: needs_columns("total", any_of=spec.row_parts)(view, spec))
def _fiscal_row_total(view, spec, rule_id):
    return [c for b in expenditure_blocks(view) for c in row_total(view, spec, rule_id, block=b)]


def _fiscal_income_lines(view: TableView) -> tuple[Row | None, dict[str, Row], Row | None, dict[str, Row]]:
    """(本年收入合计, this year's fund lines, 年初结转和结余, its fund lines): fund lines before the balance
    line are this year's (above the 本年 total, or below it when it heads them); after it, the balance's."""
    total, carry = view.role("total", "income"), view.role("carry_in", "income")
    above, below = {}, {}
    for r in view.block_rows("income"):
        if r.role in FUNDS:
            if carry is None or r.row_no < carry.row_no:
                above.setdefault(r.role, r)
            else:
                below.setdefault(r.role, r)
    return total, above, carry, below


def _needs_carry_split(view: TableView, spec: TableSpec | None = None) -> str | None:
    """The 年初财政拨款结转和结余 line is printed with its three fund lines below it (final accounts)."""
    if _fiscal_income_lines(view)[3]:
        return None
    return "no carry_in row with fund rows (gpb, gov_fund, soe) below it"


@rule("fiscal_summary.income_total", "财政拨款收支总表: 本年收入合计 = Σ the 拨款 lines above it")
def _fiscal_income(view, spec, rule_id):
    total, lines = _lines_above_total(view, "income")
    return _line_sum(view, "fiscal_summary.income_total", total, lines, "本年收入合计 = Σ 拨款 lines") if total else []


@rule("fiscal_summary.carry_in_split", "财政拨款收支总表: 年初财政拨款结转和结余 = Σ its three fund lines",
      why_not=_needs_carry_split)
def _fiscal_carry_split(view, spec, rule_id):
    _, _, carry, below = _fiscal_income_lines(view)
    if carry is None or not below:
        return []
    return _line_sum(view, "fiscal_summary.carry_in_split", carry, list(below.values()), "年初结转和结余 = Σ 三项")


@rule("fiscal_summary.expenditure_total", "财政拨款收支总表, every column of each 支出 block: 本年支出合计 = "
      "Σ the lines above")
def _fiscal_expenditure(view, spec, rule_id):
    out = []
    for block in expenditure_blocks(view) or ["expenditure"]:
        total, lines = _lines_above_total(view, block)
        if total is None:
            return []
        out += _line_sum(view, "fiscal_summary.expenditure_total", total, lines, f"本年支出合计 = Σ {block} lines")
    return out


@rule("fiscal_summary.income_grand_total", "财政拨款收支总表: 收入总计 = 本年收入合计 + 年初财政拨款结转和结余",
      why_not=_needs_both("income"))
def _fiscal_income_grand(view, spec, rule_id):
    return _grand_total(view, "fiscal_summary.income_grand_total", "income", "收入总计")


@rule("fiscal_summary.expenditure_grand_total", "财政拨款收支总表, every column: 支出总计 = 本年支出合计 + "
      "年末结转和结余", why_not=_needs_both("expenditure"))
def _fiscal_expenditure_grand(view, spec, rule_id):
    out = []
    for block in expenditure_blocks(view) or ["expenditure"]:
        if view.role("grand_total", block) is None:
            continue  # a block printing no 总计 of its own shares another block's (支出用途 beside 功能分类)
        checks = _grand_total(view, "fiscal_summary.expenditure_grand_total", block, f"支出总计 ({block})")
        if not checks:
            return []
        out += checks
    return out


@rule("fiscal_summary.grand_totals_equal", "财政拨款收支总表: 收入总计 = 支出总计 (合计 column)")
def _fiscal_equal(view, spec, rule_id): return _grands_equal(view, "fiscal_summary.grand_totals_equal", "total")


def _needs_fund_balances(view: TableView, spec: TableSpec) -> str | None:
    """Final accounts print 年初 split by fund and 年末 in the fund columns; budgets often print no 年末."""
    if view.role("carry_out", "expenditure") is None:
        return "no carry_out row in the expenditure block"
    return _needs_carry_split(view) or needs_columns("gpb")(view, spec)


@rule("fiscal_summary.fund_balance", "财政拨款收支总表, each fund: 年初结转和结余 + 本年收入 − 本年支出 = "
      "年末结转和结余", why_not=_needs_fund_balances)
def _fiscal_fund_balance(view, spec, rule_id):
    total_e, carry_out = view.role("total", "expenditure"), view.role("carry_out", "expenditure")
    _, above, _, below = _fiscal_income_lines(view)
    out = []
    for fund in FUNDS:
        start, income = view.cell(below.get(fund)), view.cell(above.get(fund))
        spent, end = view.cell(total_e, fund), view.cell(carry_out, fund)
        if None in (start, income, spent, end):
            continue
        out.append(sum_check("fiscal_summary.fund_balance", view.table_id, end, [start, income, spent],
                             f"{fund}: 年初 + 收入 − 支出 = 年末", signs=[1, 1, -1]))
    return out


@dataclass(frozen=True)
class TableRules:
    """What the identities of one table came to: the checks of every rule that runs, and 'rule: why' for every
    rule its spec names that does not run on its layout (`tables.rules_not_applied`)."""

    checks: list[Check]
    not_applied: list[str]


def run_table_rules(view: TableView, spec: TableSpec) -> TableRules:
    """Every identity the spec names whose layout the table prints: its checks, or one failing check saying
    it could not be evaluated; the others, each with why it does not run."""
    out: list[Check] = []
    skipped: list[str] = []
    for rule_id in spec.identities:
        found = resolve(rule_id)
        why = found.why_not(view, spec)
        if why is not None:
            skipped.append(f"{rule_id}: {why}")
            continue
        out += found.check(view, spec, rule_id) or [unevaluable(view, rule_id)]
    return TableRules(out, skipped)


def unevaluable(view: TableView, rule_id: str) -> Check:
    """An identity the table should satisfy but whose rows or columns were not recognised: a failure."""
    return Check(view.table_id, rule_id, [], None, None, Decimal(0),
                 f"could not be evaluated on {view.table.title}: the rows or columns it needs were not recognised")
