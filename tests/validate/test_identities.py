"""Identities: all hold on the samples; altering any amount fails exactly the rules that declare it."""

import copy
import dataclasses
import json
from decimal import Decimal

import pytest

from fiscalpdf.specs import load_specs
from fiscalpdf.validate import validate_across, validate_table
from tests.paths import DATA, SAMPLE_PDFS

# Amounts no identity covers, with the reason. The samples' every amount is in at least one identity, so
# the list is empty; a sample that adds an uncovered amount must explain it here.
UNCOVERED: dict[str, str] = {}


def evaluate(tables):
    specs = load_specs()
    checks = []
    for t in tables:
        checks += validate_table(t, specs.by_id(t.table_id))
    return checks + validate_across(tables, load_specs())


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=lambda p: p.stem)
def test_every_identity_holds(pdf, results):
    r = results[pdf.name]
    assert len(r.checks) > 200
    assert [c for c in r.checks if not c.holds] == []
    assert {c.rule for c in r.checks} >= {"summary.grand_totals_equal", "income.hierarchy", "cross.summary_vs_income"}


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=lambda p: p.stem)
def test_each_altered_amount_fails_exactly_its_rules(pdf, results):
    tables = results[pdf.name].tables
    base = evaluate(tables)
    assert all(c.holds for c in base)
    uncovered = []
    for ti, table in enumerate(tables):
        for ci, cell in enumerate(table.cells):
            declaring = {(c.rule, tuple(c.terms)) for c in base if cell.ref in c.terms}
            if not declaring:
                uncovered.append(f"{cell.ref} {table.table_id} {cell.row_label} {cell.column_label}")
                continue
            changed = copy.copy(table)
            changed.cells = list(table.cells)
            changed.cells[ci] = dataclasses.replace(cell, amount=cell.amount + Decimal(12345))
            altered = tables[:ti] + [changed] + tables[ti + 1:]
            failing = {(c.rule, tuple(c.terms)) for c in evaluate(altered) if not c.holds}
            assert failing == declaring, cell.ref
    assert uncovered == sorted(UNCOVERED), "amounts that no identity covers (explain them in UNCOVERED)"


def test_altered_pdf_fails_exactly_the_expected_rules(results):
    expected = json.loads((DATA / "seed_altered_amount.expected.json").read_text(encoding="utf-8"))
    r = results["seed_altered_amount.pdf"]
    failing = sorted([c.rule, c.terms] for c in r.checks if not c.holds)
    assert failing == sorted([e["rule"], e["terms"]] for e in expected["failing"])
