"""Which identities run on a table is decided from its headers, labels, codes and blocks, never from its amounts:
altering any one amount of a sample changes neither the rules that run nor those recorded as not applied (with
their reason), nor which instances are checked — only whether they hold."""

import copy
import dataclasses
from decimal import Decimal

import pytest

from fiscalpdf.specs import load_specs
from fiscalpdf.validate import evaluate_table, validate_across
from tests.paths import SAMPLE_PDFS

# Each amount is altered two ways: to nil (a rule asking 'is anything printed' of the amount would notice) and by
# an amount no sum of the table's can absorb.
ALTERATIONS = {
    "nil": lambda a: Decimal(0),
    "shifted": lambda a: a + Decimal("12345.67"),
}


def run_inside(table) -> tuple[list, list]:
    """The rules not applied to the table ('rule: why') and the instances checked (rule, terms, detail): what
    runs, with amounts, expected values and whether they hold left out."""
    evaluated = evaluate_table(table, load_specs().by_id(table.table_id))
    return sorted(evaluated.not_applied), sorted((c.rule, tuple(c.terms), c.detail) for c in evaluated.checks)


def run_across(tables) -> list:
    return sorted((c.rule, tuple(c.terms), c.detail) for c in validate_across(tables, load_specs()))


def _altered(tables, ti, ci, new_amount):
    table = tables[ti]
    changed = copy.copy(table)
    changed.cells = list(table.cells)
    changed.cells[ci] = dataclasses.replace(table.cells[ci], amount=new_amount)
    return tables[:ti] + [changed] + tables[ti + 1:]


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=lambda p: p.stem)
def test_no_amount_changes_which_rules_run(pdf, results):
    tables = results[pdf.name].tables
    inside, across = [run_inside(t) for t in tables], run_across(tables)
    # the samples exercise both sides: rules that run, and rules recorded as not applying to a layout
    assert sum(len(checks) for _, checks in inside) > 150 and any(not_applied for not_applied, _ in inside)
    assert across
    altered = 0
    for ti, table in enumerate(tables):
        for ci, cell in enumerate(table.cells):
            for how, alter in ALTERATIONS.items():
                changed = _altered(tables, ti, ci, alter(cell.amount))
                where = f"{cell.ref} {table.table_id} {cell.row_label} {cell.column_label} {how}"
                # a table's identities read that table alone: the others' are unchanged by construction
                assert run_inside(changed[ti]) == inside[ti], where
                assert run_across(changed) == across, where
                altered += 1
    assert altered == len(ALTERATIONS) * sum(len(t.cells) for t in tables) > 300


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=lambda p: p.stem)
def test_the_tables_record_the_rules_not_applied(pdf, results):
    """What the pipeline records on each table is what evaluating it says: the spec's identities split into those
    that run and those that do not, none lost."""
    specs = load_specs()
    for t in results[pdf.name].tables:
        spec = specs.by_id(t.table_id)
        evaluated = evaluate_table(t, spec)
        assert t.rules_not_applied == evaluated.not_applied
        ran = {c.rule for c in evaluated.checks}
        skipped = {entry.split(": ", 1)[0] for entry in t.rules_not_applied}
        assert ran | skipped == set(spec.identities) and not ran & skipped, t.title


def test_the_rules_not_applied_follow_the_header(results):
    """The layout decides: a 基本支出 table whose 人员经费 | 公用经费 blocks are not recognised records its two footer
    rules as not applied, with the block each lacks; empty tables record every rule, with why."""
    tables = results["zhuzhou-shifeng-yingshang_2020_final.pdf"].tables
    basic = next(t for t in tables if t.table_id == "gpb_basic")
    assert basic.rules_not_applied == ["gpb_basic.row_total: no total column"]
    unblocked = copy.copy(basic)
    unblocked.cells = [dataclasses.replace(c, block=None) for c in basic.cells]
    assert evaluate_table(unblocked, load_specs().by_id("gpb_basic")).not_applied == [
        "gpb_basic.row_total: no total column",
        "gpb_basic.personnel_total: no personnel block",
        "gpb_basic.public_total: no public block",
    ]
    gov_fund = next(t for t in tables if t.table_id == "gov_fund")
    assert gov_fund.empty and gov_fund.rules_not_applied == [
        "gov_fund.balance: the table is printed empty", "gov_fund.row_total: the table is printed empty",
        "gov_fund.hierarchy: the table is printed empty"]


# The crawl's documents whose 财政拨款收支总表 prints one 支出 column for all funds, compared with the 一般公共预算
# table and a 政府性基金 or 国有资本经营 table that prints lines (Beijing's and Fuzhou's budgets).
SUMMED_WITH_OTHER_FUNDS = {"beijing-060.pdf", "beijing-063.pdf", "beijing-064.pdf", "beijing-067.pdf",
                           "beijing-070.pdf", "beijing-081.pdf", "beijing-082.pdf", "beijing-083.pdf",
                           "beijing-085.pdf", "beijing-086.pdf", "fuzhou-389.pdf", "fuzhou-394.pdf"}


def test_no_fund_amount_decides_the_comparison_across_tables(wild_run):
    """A 财政拨款收支总表 printing one 支出 column for all funds is compared with the 一般公共预算 table together with
    the table of each other fund its 收入 side names — whatever that fund's amounts: altering its 收入 lines (to nil
    or not) changes no instance checked across the tables."""
    wild = wild_run[1]
    summed = set()
    for name, r in wild.items():
        tables = r.tables
        fi = next((i for i, t in enumerate(tables) if t.table_id == "fiscal_summary"), None)
        if fi is None:
            continue
        base = run_across(tables)
        other_funds = {t.table_no for t in tables if t.table_id in ("gov_fund", "soe_capital")}
        if any(rule == "cross.fiscal_vs_gpb_expenditure" and any(int(t.split("/")[0]) in other_funds for t in terms)
               for rule, terms, _ in base):
            summed.add(name)
        if any(c.column_id == "gpb" for c in tables[fi].cells):
            continue  # a 一般公共预算 column of its own: compared column by column, whatever the other funds
        for ci, cell in enumerate(tables[fi].cells):
            if cell.block == "income" and cell.row_role in ("gov_fund", "soe"):
                for how, alter in ALTERATIONS.items():
                    assert run_across(_altered(tables, fi, ci, alter(cell.amount))) == base, f"{name} {cell.ref} {how}"
    assert summed == SUMMED_WITH_OTHER_FUNDS
    assert all(c.holds for name in summed for c in wild[name].identities if c.rule == "cross.fiscal_vs_gpb_expenditure")
