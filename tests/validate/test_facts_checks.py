"""fact.* checks: the prose against the tables and against itself (fiscalpdf.validate.facts)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from fiscalpdf.extract.pdf import PdfSource
from fiscalpdf.model import Cell, PageText, Table
from fiscalpdf.normalize.facts import read_facts
from fiscalpdf.validate.facts import check_facts
from tests.normalize.test_facts import page
from tests.paths import SAMPLES

SEED_SAMPLE = "zhuzhou-shifeng-yingshang_2020_final.pdf"


def sample_facts(name: str):
    path = SAMPLES / name
    source = PdfSource.open(path, path.read_bytes())
    try:
        return read_facts([source.page_text(n) for n in range(1, source.page_count + 1)])
    finally:
        source.close()


@pytest.fixture(scope="module")
def seed_sample(results):
    return sample_facts(SEED_SAMPLE), results[SEED_SAMPLE].tables


def test_every_check_of_the_seed_sample_holds(seed_sample):
    facts, tables = seed_sample
    checks = check_facts(facts, tables)
    assert checks, "the seed sample restates its tables"
    assert all(c.table_id == "facts" and c.rule.startswith("fact.") for c in checks)
    failing = [(c.rule, c.terms, c.expected, c.actual) for c in checks if not c.holds]
    assert not failing
    restated = {c.rule for c in checks}
    assert {"fact.income_total", "fact.fiscal_income", "fact.basic_expenditure", "fact.admin_running_costs.comparison",
            "fact.admin_running_costs.change_pct"} <= restated


def test_a_changed_figure_fails_its_check(seed_sample):
    facts, tables = seed_sample
    fact = next(f for f in facts if f.fact_id == "basic_expenditure")
    changed = [replace(f, value=f.value + 100) if f is fact else f for f in facts]
    failing = [c for c in check_facts(changed, tables) if not c.holds]
    assert [(c.rule, c.terms[0]) for c in failing] == [("fact.basic_expenditure", f"f{fact.fact_no}")]


def test_a_comparison_never_fails(seed_sample):
    facts, tables = seed_sample
    admin = next(f for f in facts if f.fact_id == "admin_running_costs")
    changed = [replace(f, value=f.value * 3) if f is admin else f for f in facts]
    comparison = next(c for c in check_facts(changed, tables) if c.rule == "fact.admin_running_costs.comparison")
    assert comparison.holds and comparison.difference == admin.value * 2


def one_page(*paragraphs: str) -> list[PageText]:
    return [page(1, list(paragraphs))]


def checks_of(*paragraphs: str, kind: str = "final", year: int = 2020, tables=()):
    facts = read_facts(one_page(*paragraphs), year=year, kind=kind)
    return {c.rule: c for c in check_facts(facts, list(tables), kind=kind)}


ADMIN = "十、关于机关运行经费支出说明"
ADMIN_SENTENCE = "本部门2020年度机关运行经费支出14.09万元，比年初预算数减少3.54万元，降低{pct}%。"
INCOME = "二、收入预算情况说明"
INCOME_SENTENCE = "2026 年度收入预算 9626.78 万元，比 2025 年年初预算数 9819.98 万元减少 {change} 万元，下降 1.97%。"
THREE_PUBLIC = "（一）“三公”经费财政拨款支出决算总体情况说明"
THREE_PUBLIC_SENTENCE = "“三公”经费财政拨款支出预算为0.5万元，支出决算为0万元，完成预算的0%。"
GPB = "五、一般公共预算财政拨款支出决算情况说明"
GPB_SENTENCE = "2020年度财政拨款支出年初预算数为112.55万元，支出决算数为186.67万元。"


def test_a_percentage_holds_within_one_unit_of_its_last_digit():
    # 3.54 / (14.09 + 3.54) = 20.08 %: printed 20.0 holds within 0.1, would fail within 0.05
    pct = checks_of(ADMIN, ADMIN_SENTENCE.format(pct="20.0"))["fact.admin_running_costs.change_pct"]
    assert pct.holds and pct.tolerance == Decimal("0.1") and abs(pct.difference) > Decimal("0.05")
    assert not checks_of(ADMIN, ADMIN_SENTENCE.format(pct="22.0"))["fact.admin_running_costs.change_pct"].holds


def test_a_change_against_the_stated_base():
    ok = checks_of(INCOME, INCOME_SENTENCE.format(change="193.20"), kind="budget", year=2026)
    assert ok["fact.income_total.change"].holds and ok["fact.income_total.change_pct"].holds
    bad = checks_of(INCOME, INCOME_SENTENCE.format(change="93.20"), kind="budget", year=2026)
    assert not bad["fact.income_total.change"].holds


def three_public_table(budget: str, final: str) -> Table:
    blocks = [("budget", "预算数/合计", budget), ("final", "决算数/合计", final)]
    cells = [Cell(7, "three_public", block, 1, None, "", None, None, None, no, label, "total",
                  Decimal(amount) * 10000, "万元", amount, [], 1)
             for no, (block, label, amount) in enumerate(blocks, start=1)]
    return Table(7, "three_public", None, "“三公”经费支出决算表", [1], "万元", 1, False, None, "test", cells,
                 checks_passed=2)  # its identities were evaluated: it was read as a 三公 table


def test_three_public_budget_and_final_against_their_blocks():
    facts = read_facts(one_page(THREE_PUBLIC, THREE_PUBLIC_SENTENCE), year=2020, kind="final")
    checks = check_facts(facts, [three_public_table("0.5", "0")], kind="final")
    assert [(c.rule, c.terms, c.holds) for c in checks] == [
        ("fact.three_public_total", ["f1", "7/1/1"], True), ("fact.three_public_total", ["f2", "7/1/2"], True)]
    wrong = check_facts(facts, [three_public_table("0.8", "0")], kind="final")
    assert [c.holds for c in wrong] == [False, True]


def test_a_table_none_of_whose_identities_could_be_evaluated_restates_nothing():
    """Its rows and columns were not recognised (长春's 三公 table came out as one cell under an amount-like row
    label): comparing a sentence with such a cell would report the reading, not the document."""
    facts = read_facts(one_page(THREE_PUBLIC, THREE_PUBLIC_SENTENCE), year=2020, kind="final")
    unread = replace(three_public_table("0.8", "0"), checks_passed=0)
    assert check_facts(facts, [unread], kind="final") == []


def test_a_budget_figure_of_a_final_account_is_not_compared_with_its_tables(seed_sample):
    _, tables = seed_sample
    facts = read_facts(one_page(GPB, GPB_SENTENCE), year=2020, kind="final")
    checks = check_facts(facts, tables, kind="final")
    assert [(c.rule, c.terms[0], c.holds) for c in checks] == [("fact.gpb_expenditure", "f2", True)]
