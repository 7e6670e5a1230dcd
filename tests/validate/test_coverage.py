"""The identities' coverage: the share of amount cells of non-empty standard tables that are a term of an evaluated
identity (`fiscalpdf report` prints it per concept). A hold rate says nothing of a table that nothing checks."""

from __future__ import annotations

import csv

import pytest

from fiscalpdf.cli import main
from fiscalpdf.pipelines.report import coverage, format_coverage
from tests.paths import SAMPLE_PDFS

# The issue asks ≥ 95 % on both. The wild crawl has it; the corpus stands at 94.9 % (Xi'an's 支出表 by funding
# source and 三公 by vehicle item, and the one-column 收支总表 of several regions, have no identity over those
# columns yet): this floor keeps what is reached from slipping, and the issue stays open until it is 95 %.
FLOORS = {"corpus": 0.945, "wild": 0.95}


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
