"""The real corpus (../shared/corpus), processed once per session by `fiscalpdf run` (fixture `corpus_run`).

Expected values come from reading the documents (tests/corpus/expected/*.json, goldens/*.csv,
known_discrepancies.csv), never from fiscalpdf's output.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from fiscalpdf.pipelines.datasets import read_rows
from fiscalpdf.schema import DOCUMENTS
from tests import discrepancies
from tests.corpus.confirm_goldens import confirm
from tests.corpus.golden import compare, load_goldens, pick_table
from tests.discrepancies import assert_printed_so
from tests.paths import shared_dir

HERE = Path(__file__).resolve().parent
EXPECTED = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((HERE / "expected").glob("*.json"))}
GOLDENS = load_goldens()
KNOWN = discrepancies.load(HERE / "known_discrepancies.csv")
STANDARD = ("summary", "income", "expenditure", "fiscal_summary", "gpb_expenditure", "gpb_basic", "gov_fund",
            "soe_capital", "three_public")
IDENTITY_RATE = 0.99


def test_every_corpus_file_has_a_documents_row(corpus_out, corpus_dir_files):
    paths = {Path(d["path"]).name for d in read_rows(corpus_out, DOCUMENTS)}
    assert paths == corpus_dir_files
    assert len(EXPECTED) == len(corpus_dir_files), "an expected/*.json per corpus file"


@pytest.fixture(scope="module")
def corpus_dir():
    return shared_dir("corpus")


@pytest.fixture(scope="module")
def corpus_dir_files(corpus_dir, corpus_out):
    return {p.name for p in corpus_dir.glob("*.pdf")}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_metadata(corpus_results, stem):
    want = EXPECTED[stem]
    r = corpus_results[want["file"]]
    assert r.status == "ok", r.error  # a document whose every page is an image too: OCR reads it
    assert (r.department, r.year, r.kind, r.scope) == (want["department"], want["year"], want["kind"], want["scope"])
    assert r.document_type == want["document_type"]
    region = r.region
    assert (region.province, region.city, region.county, region.region_code, region.gov_level) == (
        want["province"], want["city"], want["county"], want["region_code"], want["gov_level"])


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_standard_tables_found(corpus_results, stem):
    """Every concept the document prints is found, on its pages, and nothing else is taken for one."""
    want = EXPECTED[stem]
    r = corpus_results[want["file"]]
    found: dict[str, list[int]] = {}
    for t in r.tables:
        if t.table_id in STANDARD:
            found.setdefault(t.table_id, []).extend(t.pages)
    expected = {cid: sorted(c["pages"]) for cid, c in want["concepts"].items()}
    assert {k: sorted(v) for k, v in found.items()} == expected


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_other_and_performance_tables(corpus_results, stem):
    want = EXPECTED[stem]
    r = corpus_results[want["file"]]
    other = {_title_key(t.title) for t in r.tables if t.table_id == "other"}
    for title in want["other_tables"]:
        assert _title_key(title) in other, f"other table {title!r} not found; found {sorted(other)}"
    performance = [t for t in r.tables if t.table_id == "performance"]
    untitled = want.get("untitled_performance", 0)  # tables inside the narrative under a section heading only
    assert bool(performance) == (want["performance_tables"] - untitled > 0)
    assert all(t.pages and not t.cells for t in performance)


def test_ocr_reads_exactly_the_image_only_pages(corpus_results):
    """OCR (on in the corpus run) reads every page the expectation files list as an image without text, and no
    page with a text layer: the pages each document says it read by OCR, counted over the corpus."""
    read = {name: sorted(r.ocr_pages) for name, r in corpus_results.items() if r.ocr_pages}
    listed = {w["file"]: sorted(w["image_only_pages"]) for w in EXPECTED.values() if w.get("image_only_pages")}
    assert read == listed
    assert sum(map(len, read.values())) == sum(map(len, listed.values())) == 10
    assert all(r.unread_pages == [] for r in corpus_results.values())


def _title_key(title: str) -> str:
    return re.sub(r"^\d{4}年度?", "", re.sub(r"\s+", "", unicodedata.normalize("NFKC", title)))


@pytest.mark.parametrize("golden", GOLDENS, ids=[g.name.removesuffix(".csv") for g in GOLDENS])
def test_golden_cell_by_cell(corpus_results, golden):
    assert compare(corpus_results[golden.file], golden) == []


def test_goldens_cover_the_corpus():
    files = {g.file for g in GOLDENS}
    assert len(GOLDENS) >= 40 and len(files) >= 15
    must = {"cc-xinfangju": "10", "bj-caizhengju": None, "yantai-caizhengju": None, "xa-kejiju": None}
    for name, page in must.items():
        hits = [g for g in GOLDENS if name in g.file and (page is None or int(page) in g.pages)]
        assert hits, f"no golden from {name}{' p' + page if page else ''}"
    assert any(g.unit == "元" and "xa-" in g.file for g in GOLDENS)


@pytest.mark.parametrize("golden", GOLDENS, ids=[g.name.removesuffix(".csv") for g in GOLDENS])
def test_golden_amounts_stand_in_pdfium_text(corpus_dir, golden):
    assert confirm(golden).unconfirmed == []


def test_golden_tables_break_no_identity_but_known_ones(corpus_results):
    """A golden's own identities hold: the tool's checks on the table (whose cells equal the golden) pass,
    except those listed in known_discrepancies.csv."""
    known = discrepancies.keys(KNOWN)
    for g in GOLDENS:
        r = corpus_results[g.file]
        table = pick_table(r, g)
        prefix = f"{table.table_no}/"
        for c in r.checks:
            if not c.holds and c.table_id == table.table_id and any(t.startswith(prefix) for t in c.terms):
                assert (g.file, c.rule, c.detail) in known, f"{g.name}: {c.rule} {c.detail}"


def test_identity_rate_over_the_corpus(corpus_results):
    checks = [c for r in corpus_results.values() for c in r.identities]  # the facts' checks: tests/facts
    held = sum(c.holds for c in checks)  # a check that could not be evaluated does not hold
    assert len(checks) > 5000
    assert held / len(checks) >= IDENTITY_RATE, f"{held}/{len(checks)}"


def test_every_failing_identity_is_a_known_discrepancy(corpus_results):
    failing, known = discrepancies.failing(corpus_results), discrepancies.keys(KNOWN)
    assert failing - known == set(), "failing identities not in known_discrepancies.csv"
    assert known - failing == set(), "known discrepancies that no longer fail: remove them"


@pytest.mark.parametrize("row", KNOWN, ids=[f"{k['file'][:24]}-{k['rule']}-{i}" for i, k in enumerate(KNOWN)])
def test_known_discrepancy_is_printed_so(corpus_dir, row):
    assert_printed_so(corpus_dir / row["file"], row)


def test_report_lists_each_document(corpus_out):
    proc = subprocess.run([sys.executable, "-m", "fiscalpdf.cli", "report", str(corpus_out)],
                          capture_output=True, text=True, check=True)
    text = proc.stdout
    for want in EXPECTED.values():
        block = text.split(f"== {want['file']}", 1)[1].split("\n== ", 1)[0]
        for concept in want["concepts"]:
            assert re.search(rf"^\s+{concept}\s", block, re.M), f"{want['file']}: {concept} not reported"
        assert re.search(r"identities: \d+ passed, \d+ failed", block)
        if want.get("image_only_pages"):
            assert "pages read by OCR: p" in block
    assert re.search(r"identities: \d+ passed, \d+ failed \(\d+\.\d+% hold\)", text)
    assert "error image_only" not in text  # the corpus's image-only pages are all read by OCR


def test_every_flag_emitted_is_declared(corpus_results):
    from fiscalpdf.flags import CELL_FLAGS

    emitted = {f for r in corpus_results.values() for t in r.tables for c in t.cells for f in c.flags}
    assert emitted - set(CELL_FLAGS) == set()
    assert {"placeholder", "code_from_name", "code_in_label"} <= emitted
