"""A real crawl (../shared/wild: 155 files saved as "部门预算", disclosures and debris), processed once per session
by `fiscalpdf run`: every file is told for what it is, named truthfully and placed on the map.

`expected.tsv` was written by reading each file's pages (pdfium text; page images for scans), never from
fiscalpdf's output: one row per file with its document type, status, department and year — each with the page
and the printed string it was read from —, kind, scope, region and the standard tables it prints.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from fiscalpdf.specs import load_specs
from tests.corpus.confirm_goldens import confirm
from tests.corpus.golden import compare, load_goldens
from tests.paths import shared_dir

EXPECTED = {r["file"]: r for r in csv.DictReader(open(Path(__file__).with_name("expected.tsv"), encoding="utf-8"),
                                                 delimiter="\t")}


def _none(text: str) -> str | None:
    return text or None


def concepts(text: str) -> dict[str, list[int]]:
    """'summary:5;expenditure:7,8' → {'summary': [5], 'expenditure': [7, 8]}"""
    out = {}
    for part in filter(None, text.split(";")):
        concept, pages = part.split(":")
        out[concept] = sorted(int(p) for p in pages.split(","))
    return out


@pytest.fixture(scope="module")
def wild(wild_run):
    return wild_run[1]


def test_every_file_of_the_crawl_has_an_expectation(wild):
    files = {p.name for p in shared_dir("wild").glob("*.pdf")}
    assert set(EXPECTED) == files and set(wild) == files


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_told_for_what_it_is(wild, name):
    want, r = EXPECTED[name], wild[name]
    assert (r.document_type, r.status.value if hasattr(r.status, "value") else r.status, r.error_code) == (
        _none(want["document_type"]), want["status"], _none(want["error_code"])), r.error
    if want["document_type"] == "other":
        assert r.error.startswith("not a budget disclosure: it looks like") or "name no 部门预算" in r.error
        assert not r.tables and not r.checks


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_named_truthfully_and_placed_on_the_map(wild, name):
    want, r = EXPECTED[name], wild[name]
    assert (r.department, r.year or 0, r.kind, r.scope) == (
        _none(want["department"]), int(want["year"]), _none(want["kind"]), _none(want["scope"]))
    region = r.region
    assert (region.province, region.city, region.county, region.region_code, region.gov_level) == (
        _none(want["province"]), _none(want["city"]), _none(want["county"]), _none(want["region_code"]),
        _none(want["gov_level"]))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_standard_tables_found_on_their_pages(wild, name):
    specs = load_specs()
    found: dict[str, list[int]] = {}
    for t in wild[name].tables:
        if specs.by_id(t.table_id).is_standard:
            found[t.table_id] = sorted(set(found.get(t.table_id, [])) | set(t.pages))
    assert found == concepts(EXPECTED[name]["concepts"])


@lru_cache(maxsize=32)
def _page_text(name: str, page: int) -> str:
    pdf = pdfium.PdfDocument(str(shared_dir("wild") / name))
    try:
        return _flat(pdf[page - 1].get_textpage().get_text_range())
    finally:
        pdf.close()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("name", [n for n, r in sorted(EXPECTED.items()) if r["department"] or r["year_text"]])
def test_department_and_year_stand_on_their_pages(name):
    """The printed strings the department and year were read from are on their pages, and hold them."""
    want = EXPECTED[name]
    if want["department"]:
        printed = _flat(want["department_text"])
        assert printed in _page_text(name, int(want["department_page"]))
        assert _flat(want["department"]) in printed
    if want["year_text"]:
        printed = _flat(want["year_text"])
        assert printed in _page_text(name, int(want["year_page"]))
        assert want["year"] in printed


def test_report_counts_the_types_and_lists_what_is_no_disclosure(wild_run):
    import subprocess
    import sys
    from collections import Counter

    out, _ = wild_run
    text = subprocess.run([sys.executable, "-m", "fiscalpdf.cli", "report", str(out), "--totals"],
                          capture_output=True, text=True, check=True).stdout
    types = Counter(r["document_type"] or "unknown (unread)" for r in EXPECTED.values())
    assert "documents per type: " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())) in text
    other = [name for name, r in EXPECTED.items() if r["document_type"] == "other"]
    assert f"not disclosures ({len(other)}), nothing extracted:" in text
    for name in other:
        said = rf"^  {re.escape(name)}: (it looks like|its first pages name no)"
        assert re.search(said, text, re.M), name


WILD_GOLDENS = load_goldens(Path(__file__).with_name("goldens"))


@pytest.mark.parametrize("golden", WILD_GOLDENS, ids=[g.name.removesuffix(".csv") for g in WILD_GOLDENS])
def test_golden_cell_by_cell(wild, golden):
    """Every printed amount of the table, with its row, codes and column attributes, read from the page."""
    assert compare(wild[golden.file], golden) == []


@pytest.mark.parametrize("golden", WILD_GOLDENS, ids=[g.name.removesuffix(".csv") for g in WILD_GOLDENS])
def test_golden_amounts_and_codes_stand_in_pdfium_text(golden):
    assert confirm(golden, shared_dir("wild")).unconfirmed == []
