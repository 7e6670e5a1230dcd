"""The identities' coverage: the share of amount cells of non-empty standard tables that are a term of an evaluated
identity (`fiscalpdf report` prints it per concept). A hold rate says nothing of a table that nothing checks."""

from __future__ import annotations

import csv

import pytest

from fiscalpdf.cli import main
from fiscalpdf.pipelines.report import coverage, format_coverage, format_report, load_report, unchecked_columns
from tests.paths import SAMPLE_PDFS

# The issue asks ≥ 95 % on both. Measured: the corpus 98.5 % (of 14,387 amount cells), the crawl 98.6 % (of 79,386):
# the floors keep what is reached from slipping. What stays out is listed by `fiscalpdf report` column by column,
# with why (test below): 其中 columns, memo columns (机关运行经费, 会议费 beside a 三公 合计 that does not span it),
# Jiangsu's one-column 收入总表 and Xi'an's 收支总表-shaped 政府性基金 table, on which no identity runs, and a few
# misread grids.
FLOORS = {"corpus": 0.98, "wild": 0.98}


@pytest.fixture(scope="module")
def samples_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("coverage") / "out"
    assert main(["run", *map(str, SAMPLE_PDFS), "--out", str(out), "--quiet"]) == 0
    return out


def test_every_amount_of_the_samples_is_a_term_of_an_identity(samples_out):
    shares = coverage(samples_out)
    amounts = 0
    for pdf in SAMPLE_PDFS:
        with open(pdf.with_suffix(".truth.csv"), encoding="utf-8") as f:
            amounts += sum(1 for r in csv.DictReader(f) if r["table_id"] in shares and r["value"] != "")
    assert sum(n for _, n in shares.values()) == amounts  # every truth amount counted, nothing else
    assert {t: c for t, (c, n) in shares.items() if c != n} == {}
    assert format_coverage(shares).startswith(f"identity coverage: 100.0% of {amounts} amount cells")
    assert unchecked_columns(samples_out) == []


def test_a_cell_no_identity_names_is_not_covered(samples_out, tmp_path):
    """Coverage comes from the checks' terms: without the checks dataset nothing is covered."""
    import shutil

    copy = tmp_path / "out"
    shutil.copytree(samples_out, copy)
    shutil.rmtree(copy / "checks")
    shares = coverage(copy)
    assert shares and all(c == 0 for c, _ in shares.values())


@pytest.mark.parametrize("which", sorted(FLOORS))
def test_coverage_on_real_files(request, which):
    out = request.getfixturevalue(f"{which}_run")[0]
    shares = coverage(out)
    covered, total = sum(c for c, _ in shares.values()), sum(n for _, n in shares.values())
    assert total > 10_000
    assert covered / total >= FLOORS[which], format_coverage(shares)


@pytest.mark.parametrize("which", sorted(FLOORS))
def test_every_amount_no_identity_names_is_listed_with_why(request, which):
    """`fiscalpdf report` lists, under each document, every column holding amounts that no identity names, with
    why: together they are exactly the cells the coverage leaves out."""
    out = request.getfixturevalue(f"{which}_run")[0]
    shares, listed = coverage(out), unchecked_columns(out)
    assert sum(u.cells for u in listed) == sum(n - c for c, n in shares.values()) > 0
    assert all(u.why and 0 < u.cells <= u.of for u in listed)
    text = format_report(load_report(out), failures_shown=1000)
    assert f"unchecked: {sum(u.cells for u in listed)} amount cells in {len(listed)} columns" in text
    assert all(f"     unchecked {u}" in text for u in listed)


def test_an_of_which_column_is_listed_as_such(corpus_run):
    """Xi'an's 专项资金 columns are printed under 其中 beside the 一般公共预算拨款 小计 they are part of: no identity
    breaks that 小计 down, and the report says so."""
    out, results = corpus_run
    doc_id = results["yusuan_2020_xa-renshe_1.pdf"].doc_id
    label = "部门预算/一般公共预算拨款/其中:专项资金列入部门预算项目"
    mine = [(u.table_id, u.cells, u.of, u.why) for u in unchecked_columns(out)
            if u.doc_id == doc_id and u.column_label == label]
    why = "a 其中 column: a part of the column before it, which no identity breaks down"
    assert mine == [("income", 14, 14, why), ("expenditure", 14, 14, why)]
