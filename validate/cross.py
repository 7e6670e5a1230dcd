"""Identities across tables of one document (home table 'cross'). Each is one `CrossRule` record in
`CROSS_RULES`; the data dictionary prints their ids and what they state from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from ..model import Check
from .rules import FUNDS
from .view import TableView, sum_check, tolerance

_CARRIED = re.compile(r"^(上年|年初)结转")  # columns under 上年结转结余: last year's money, not this year's lines
Views = dict[str, TableView]  # table_id → the document's first table of that concept


@dataclass(frozen=True)
class CrossRule:
    id: str
    doc: str
    check: Callable[[Views], list[Check]]


CROSS_RULES: dict[str, CrossRule] = {}


def cross_rule(rule_id: str, doc: str):
    def register(fn: Callable[[Views], list[Check]]) -> Callable[[Views], list[Check]]:
        if rule_id in CROSS_RULES:
            raise ValueError(f"cross rule {rule_id!r} registered twice")
        CROSS_RULES[rule_id] = CrossRule(rule_id, doc, fn)
        return fn
    return register


def _equal(rule_id: str, actual, expected_terms, detail: str) -> Check:
    return sum_check(rule_id, "cross", actual, expected_terms, detail)


def _one_sided(rule_id: str, present, detail: str) -> Check:
    """A value printed in one table with no counterpart in the other: holds only if it is zero."""
    return Check("cross", rule_id, [present.ref], Decimal(0), present.amount, tolerance(1, present), detail)


def _class_rows(view: TableView, block: str | None) -> dict[str, list]:
    """类 code → the rows that make up that 类: its own row when printed, else its top-level rows (a table
    printing only 款 or 项 lines adds up to the 类 the summary prints)."""
    rows = [r for r in view.rows if r.code and r.level and (block is None or r.block == block)]
    codes = {r.code for r in rows}
    out: dict[str, list] = {}
    for r in rows:
        if r.level == 1:
            out[r.code] = [r]
    for r in rows:
        if r.level > 1 and r.code[:3] not in out and not any(r.code[:n] in codes for n in (3, 5) if n < len(r.code)):
            out.setdefault(("partial", r.code[:3]), []).append(r)
    return {(k[1] if isinstance(k, tuple) else k): v for k, v in out.items()}


def _compare_classes(rule_id: str, a: TableView, a_block, a_col, b: TableView, b_col, detail: str,
                     more: list[tuple[TableView, str]] = ()) -> list[Check]:
    """Per 类 code: the line in `a` equals the 类 in `b` (with the same 类 of the tables `more`, each with its
    column, where `a` adds up the money of several tables); one printed on one side only must be zero (a summary
    prints every 类, the detailed tables only those with money)."""
    out = []
    rows_a = _class_rows(a, a_block)
    rows_b: dict[str, list] = {}
    for view, column in [(b, b_col), *more]:
        for code, rows in _class_rows(view, None).items():
            rows_b.setdefault(code, []).extend((view, column, r) for r in rows)
    if not rows_a or not rows_b:
        return out  # one side is not by 功能分类 (an 支出总表 by unit): nothing to compare per 类
    def first(view: TableView, r, column_id, block):
        """The row's amount in `column_id`; with none named, its only — or first (本年预算 | 上年结转) — amount."""
        cell = view.cell(r, column_id, block)
        if cell is None and column_id is None:
            cells = [c for c in view.amount_cols(r) if block is None or c.block == block]
            cell = cells[0] if cells else None
        return cell

    for code in sorted(set(rows_a) | set(rows_b)):
        ca = [c for c in (first(a, r, a_col, a_block) for r in rows_a.get(code, [])) if c is not None]
        cb = [c for c in (view.cell(r, column) for view, column, r in rows_b.get(code, [])) if c is not None]
        if ca and cb:
            if len(cb) == 1:
                out.append(sum_check(rule_id, "cross", cb[0], ca, f"{detail} {code}"))
            else:  # the 类 adds up its 款 / 项 lines of the detailed table
                out.append(sum_check(rule_id, "cross", ca[0], cb + ca[1:], f"{detail} {code} (Σ its lines)"))
        elif ca:
            out.append(_one_sided(rule_id, ca[0], f"{detail} {code}: not in {b.table.title}, so zero"))
        elif len(cb) == 1:
            out.append(_one_sided(rule_id, cb[0], f"{detail} {code}: not in {a.table.title}, so zero"))
    return out


@cross_rule("cross.summary_vs_income", "收支总表 本年收入合计 = 收入表 合计; each income line = its 收入表 合计 column "
                                        "(一 + 二 + 三 = 财政拨款收入)")
def _summary_income(v: dict[str, TableView]) -> list[Check]:
    s, i = v.get("summary"), v.get("income")
    if s is None or i is None:
        return []
    total_i = i.total_row()
    if total_i is None:
        return []
    out = []
    # an income table with a 上年结转 column totals everything the summary's 收入总计 does
    role = "grand_total" if "carry_in" in i.column_ids() else "total"
    st, it = s.cell(s.role(role, "income")), i.cell(total_i, "total")
    if st is not None and it is not None:
        out.append(_equal("cross.summary_vs_income", it, [st], "本年收入合计" if role == "total" else "收入总计"))
    for cell in i.amount_cols(total_i):
        if cell.column_id in (None, "total") or _CARRIED.match(cell.column_label):
            continue
        if cell.column_id in ("carry_in", "account_balance", "use_balance"):
            continue  # balances brought forward: summary lines below 本年收入合计, not income lines
        roles = FUNDS if cell.column_id == "fiscal" else (cell.column_id,)
        lines = [s.cell(r) for r in s.block_rows("income") if r.role in roles]
        lines = [c for c in lines if c is not None]
        if lines:
            out.append(_equal("cross.summary_vs_income", cell, lines, f"收入 {cell.column_id}"))
    return out


@cross_rule("cross.summary_vs_expenditure", "收支总表 本年支出合计 = 支出表 合计; each 类 line = that 类 in 支出表")
def _summary_expenditure(v: dict[str, TableView]) -> list[Check]:
    s, e = v.get("summary"), v.get("expenditure")
    if s is None or e is None:
        return []
    out = []
    st, et = s.cell(s.role("total", "expenditure")), e.cell(e.total_row(), "total")
    if st is not None and et is not None:
        out.append(_equal("cross.summary_vs_expenditure", et, [st], "本年支出合计"))
    return out + _compare_classes("cross.summary_vs_expenditure", s, "expenditure", None, e, "total", "类")


@cross_rule("cross.fiscal_vs_summary", "财政拨款收支总表 each 拨款 income line = the same line of 收支总表")
def _fiscal_summary(v: dict[str, TableView]) -> list[Check]:
    f, s = v.get("fiscal_summary"), v.get("summary")
    if f is None or s is None:
        return []
    out = []
    total_f = f.role("total", "income")
    for fund in FUNDS:
        rf = next((r for r in f.block_rows("income") if r.role == fund and total_f and r.row_no < total_f.row_no), None)
        rs = next((r for r in s.block_rows("income") if r.role == fund), None)
        cf, cs = f.cell(rf), s.cell(rs)
        if cf is not None and cs is not None:
            out.append(_equal("cross.fiscal_vs_summary", cs, [cf], f"{fund} 拨款收入"))
    return out


@cross_rule("cross.fiscal_vs_gpb_expenditure", "财政拨款收支总表 一般公共预算 column = 一般公共预算财政拨款支出表 "
                                               "合计, in total and per 类")
def _fiscal_gpb(v: dict[str, TableView]) -> list[Check]:
    f, g = v.get("fiscal_summary"), v.get("gpb_expenditure")
    if f is None or g is None:
        return []
    out = []
    column, more = "gpb", []
    if "gpb" not in f.column_ids():
        # one amount column for all three funds: its 支出 lines add up the 一般公共预算 table and the table of every
        # other fund the 收入 side prints a line for
        more = _other_fund_spending(f, v)
        if more is None:
            return []
        column = None
    ft, gt = f.cell(f.role("total", "expenditure"), column), g.cell(g.total_row(), "total")
    others = [view.cell(view.total_row(), c) for view, c in more]
    if ft is not None and gt is not None and not more:
        out.append(_equal("cross.fiscal_vs_gpb_expenditure", gt, [ft], "一般公共预算支出合计"))
    elif ft is not None and gt is not None and None not in others:
        out.append(_equal("cross.fiscal_vs_gpb_expenditure", ft, [gt, *others],
                          "本年支出合计 = " + " + ".join(t.table.title for t in [g, *(view for view, _ in more)])))
    return out + _compare_classes("cross.fiscal_vs_gpb_expenditure", f, "expenditure", column, g, "total", "类",
                                  more)


# Where a fund's spending is printed by 功能分类: its table, and the columns of that spending (the first printed).
FUND_SPENDING = {"gov_fund": ("gov_fund", ("expenditure_total", "amount")), "soe": ("soe_capital", ("total", "amount"))}


def _other_fund_spending(f: TableView, v: Views) -> list[tuple[TableView, str]] | None:
    """For a 财政拨款收支总表 printing one 支出 column for all its funds: the table of each other fund its 收入 side
    prints a line for, with the column of that fund's spending — none for a table printed empty, or not printed
    at all (the document shows no spending of that fund); None where such a table is printed but its spending by
    类 is not read (no spending column, or a line other than its 合计 without a code): the column's 一般公共预算
    share cannot then be told.
    Decided from labels and headers, never from whether a fund's amounts are nil."""
    printed = {r.role for r in f.block_rows("income")}
    out = []
    for fund, (table_id, columns) in FUND_SPENDING.items():
        view = v.get(table_id)
        if fund not in printed or view is None or view.table.empty:
            continue
        column = next((c for c in columns if c in view.column_ids()), None)
        total = view.total_row()
        if column is None or any(not (r.code and r.level) for r in view.rows if r is not total):
            return None
        out.append((view, column))
    return out


@cross_rule("cross.gpb_basic_vs_gpb_expenditure", "一般公共预算支出表 合计/基本支出 = 基本支出表 人员经费合计 + "
                                                    "公用经费合计 (budgets: its 合计)")
def _basic(v: dict[str, TableView]) -> list[Check]:
    g, b = v.get("gpb_expenditure"), v.get("gpb_basic")
    if g is None or b is None:
        return []
    basic = g.cell(g.total_row(), "basic")
    parts = [b.cell(b.role("personnel_total")), b.cell(b.role("public_total"))]
    if any(p is None for p in parts):  # budgets print 合计 | 人员经费 | 公用经费 instead of the two footers
        parts = [b.cell(b.total_row(), "total")]
    if basic is None or any(p is None for p in parts):
        return []
    return [_equal("cross.gpb_basic_vs_gpb_expenditure", basic, parts, "基本支出 = 人员经费 + 公用经费")]


def _fund_table(rule_id: str, fund: str, table_id: str, column_id: str):
    def check(v: dict[str, TableView]) -> list[Check]:
        f, t = v.get("fiscal_summary"), v.get(table_id)
        if f is None or t is None:
            return []
        spent = f.cell(f.role("total", "expenditure"), fund)
        if spent is None:
            return []
        if t.table.empty:
            return [_one_sided(rule_id, spent, f"{fund}: {t.table.title} is printed empty")]
        total = t.cell(t.total_row(), column_id)
        return [_equal(rule_id, total, [spent], f"{fund} 本年支出")] if total is not None else []
    return check


cross_rule("cross.fiscal_vs_gov_fund", "财政拨款收支总表 政府性基金 column = 政府性基金预算支出表 本年支出 "
                                       "(zero when printed empty)")(
    _fund_table("cross.fiscal_vs_gov_fund", "gov_fund", "gov_fund", "expenditure_total"))
cross_rule("cross.fiscal_vs_soe_capital", "财政拨款收支总表 国有资本经营 column = 国有资本经营预算支出表 合计 "
                                          "(zero when printed empty)")(
    _fund_table("cross.fiscal_vs_soe_capital", "soe", "soe_capital", "total"))
