"""`fiscalpdf inspect`: each table page as an image with the grid read drawn over it, the normalized table beside
it, the failed identities marked on their cells, each fact of the prose boxed on its line and listed beside its
page; one file that needs no network."""

import base64
import io
import json
import re
import resource
import subprocess
import sys
import time
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from PIL import Image

from fiscalpdf.cli import main
from fiscalpdf.pipelines.inspect import (
    MAX_PIXELS,
    MIN_PIXELS,
    PIXEL_BUDGET,
    inspect_document,
    page_budget,
    render_html,
    render_pages,
)
from tests.paths import DATA, ROOT, SAMPLES, shared_dir

ALTERED = DATA / "seed_altered_amount.pdf"
OCR_CPU_SECONDS_PER_PAGE = 5  # measured 3.9–4.7 s a page at 200 dpi (make ocr-bench)


class _Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def altered():
    seen = inspect_document(ALTERED)
    parser = _Elements()
    parser.feed(seen.html)
    return seen, parser.found


def test_one_image_per_table_or_fact_page_within_the_pixel_budget(altered):
    seen, elements = altered
    images = [a["href"] for tag, a in elements if tag == "image"]
    table_pages = sorted({p for t in seen.result.tables if t.table_id != "performance" for p in t.pages})
    fact_pages = sorted({f.page for f in seen.result.facts} - set(table_pages))
    assert fact_pages, "the sample's 情况说明 states facts on pages of its own"
    assert len(images) == len(table_pages) + len(fact_pages) == len(seen.pages)
    assert seen.pages == sorted(table_pages + fact_pages)
    figures = [a["id"] for tag, a in elements if tag == "figure"]
    assert figures == [f"page-{p}" for p in fact_pages + table_pages]  # prose-only pages before the table groups
    for href in images:
        assert href.startswith("data:image/png;base64,")
        image = Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1])))
        assert image.width * image.height <= MAX_PIXELS


def test_render_keeps_within_any_pixel_budget():
    pages = render_pages(ALTERED, [1, 9], max_pixels=50_000)
    for page in pages.values():
        image = Image.open(io.BytesIO(page.png))
        assert image.width * image.height <= 50_000
        assert abs(image.width / image.height - page.width / page.height) < 0.02  # the page's shape is kept


def test_table_boxes_rows_and_columns_are_drawn(altered):
    seen, elements = altered
    boxes = [a for tag, a in elements if tag == "rect" and a.get("class") == "tbox"]
    grids = sum(len(t.geometry) for t in seen.tables)
    assert len(boxes) == grids > 0
    lines = sum(1 for tag, a in elements if tag == "line" and a.get("class") == "rule")
    assert lines == sum(len(g.column_edges) + len(g.row_edges) for t in seen.tables for g in t.geometry)


def test_every_failed_identity_is_marked_on_its_cells(altered):
    seen, elements = altered
    failed = [c for c in seen.result.checks if not c.holds]
    assert {c.rule for c in failed} == {"expenditure.row_total", "expenditure.hierarchy"}
    marked = {}  # (tag, ref) → rules
    for tag, a in elements:
        if "failed" in (a.get("class") or "").split():
            marked[(tag, a["data-ref"])] = set(a["data-rules"].split())
    for check in failed:
        for ref in check.terms:
            assert check.rule in marked.get(("rect", ref), set()), (check.rule, ref, "on the page")
            assert check.rule in marked.get(("td", ref), set()), (check.rule, ref, "in the table")
    involved = {ref for c in failed for ref in c.terms}
    assert {ref for _, ref in marked} == involved  # nothing else is marked


def test_every_amount_cell_is_drawn_and_listed(altered):
    seen, elements = altered
    on_page = {a["data-ref"] for tag, a in elements if tag == "rect" and "cell" in a.get("class", "").split()}
    in_table = {a["data-ref"] for tag, a in elements if tag == "td" and "data-ref" in a}
    refs = {c.ref for t in seen.tables for c in t.cells}
    assert in_table == refs
    assert on_page == {c.ref for t in seen.tables for c in t.cells if c.bbox is not None} == refs


def test_every_fact_is_boxed_on_its_line_and_listed(altered):
    seen, elements = altered
    facts = seen.result.facts
    assert facts and seen.facts == facts
    boxes = [a for tag, a in elements if tag == "rect" and "fact" in a.get("class", "").split()]
    on_page = [ref for a in boxes for ref in a["data-ref"].split()]
    assert sorted(on_page) == sorted(f.ref for f in facts)  # each fact in exactly one box: the line of its figure
    for a in boxes:
        first = next(f for f in facts if f.ref == a["data-ref"].split()[0])
        b = first.bbox
        assert (float(a["x"]), float(a["y"])) == (round(b.x0, 2), round(b.top, 2))
    listed = {a["data-ref"] for tag, a in elements if tag == "tr" and a.get("data-ref", "").startswith("f")}
    assert listed == {f.ref for f in facts}
    assert "fact.admin_running_costs.comparison holds" in seen.html  # its check result beside it


def test_a_fact_of_a_failed_check_is_marked_on_its_line_and_in_the_list(altered):
    seen, _ = altered
    check = next(c for c in seen.result.fact_checks if c.rule == "fact.three_public_total")
    broken = replace(check, actual=check.actual + Decimal(100000))
    result = replace(seen.result, checks=[broken if c is check else c for c in seen.result.checks])
    fact = next(f for f in result.facts if f.ref == check.terms[0])
    html = render_html(result, [], render_pages(ALTERED, [fact.page], max_pixels=MIN_PIXELS), [], result.facts)
    parser = _Elements()
    parser.feed(html)
    failed = [(tag, a["data-ref"]) for tag, a in parser.found if "failed" in (a.get("class") or "").split()]
    assert ("tr", fact.ref) in failed and any(tag == "rect" and fact.ref in refs.split() for tag, refs in failed)
    assert f'href="#c-{fact.ref}"' in html  # the list of failed checks at the top links to it


def test_the_page_needs_no_network(altered):
    html = altered[0].html
    assert not re.search(r"<script|<link|<iframe|<object|@import|@font-face|url\(", html, re.I)
    for tag, a in altered[1]:
        for name in ("src", "href", "xlink:href"):
            value = a.get(name)
            assert value is None or value.startswith(("#", "data:")), (tag, name, value[:80])
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html.replace("data:image/png;base64,", ""))


def test_cli_writes_the_page(tmp_path, capsys):
    out = tmp_path / "budget.html"
    assert main(["inspect", str(SAMPLES / "zhuzhou-shifeng-yingshang_2021_budget.pdf"), "--out", str(out)]) == 0
    assert "<svg" in out.read_text(encoding="utf-8")
    printed = capsys.readouterr().out
    assert "0 failed identities, 0 failed fact check(s)" in printed
    assert f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)" in printed
    assert main(["inspect", str(tmp_path / "missing.pdf")]) == 2


def fiscalpdf(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fiscalpdf.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def test_a_file_that_is_not_a_pdf_says_why(tmp_path):
    shown = fiscalpdf("inspect", DATA / "not_a_pdf.pdf", "--out", tmp_path / "x.html")
    assert shown.returncode == 1 and "Traceback" not in shown.stderr
    assert shown.stdout.startswith("failed: [not_pdf] the file is not a PDF")
    assert "[not_pdf]" in (tmp_path / "x.html").read_text(encoding="utf-8")


def test_pages_and_tables_choose_what_is_shown(tmp_path):
    every = inspect_document(ALTERED)
    expenditure = next(t for t in every.tables if t.table_id == "expenditure")
    by_id = inspect_document(ALTERED, tables=["expenditure"])
    by_no = inspect_document(ALTERED, tables=[str(expenditure.table_no)])
    assert [t.table_id for t in by_id.tables] == [t.table_id for t in by_no.tables] == ["expenditure"]
    assert by_id.pages == expenditure.pages and by_id.tables_found == len(every.tables)
    bare = inspect_document(ALTERED, pages=[1])  # the cover: no table, rendered bare
    assert (bare.pages, bare.tables, bare.facts) == ([1], [], [])
    prose = inspect_document(ALTERED, tables=["facts"])
    assert prose.tables == [] and prose.facts == every.facts
    assert prose.pages == sorted({f.page for f in every.facts})
    with pytest.raises(ValueError, match="no table 'nonsense'.*its tables: 1 summary"):
        inspect_document(ALTERED, tables=["nonsense"])
    shown = fiscalpdf("inspect", ALTERED, "--pages", "1,3-4", "--out", tmp_path / "p.html")
    assert shown.returncode == 0 and " on 3 page(s)" in shown.stdout
    assert fiscalpdf("inspect", ALTERED, "--pages", "3-x").returncode == 2


def test_pages_past_the_budget_are_named_not_rendered():
    every = inspect_document(ALTERED)
    tight = inspect_document(ALTERED, budget=2 * MIN_PIXELS)
    assert len(tight.pages) == 2 and tight.pages + tight.not_rendered == every.pages
    assert f"Page(s) {tight.not_rendered[0]}" in tight.html and "--pages" in tight.html
    assert len(tight.tables) == len(every.tables)  # every table is still shown, read beside its page
    table_pages = {p for t in every.tables for p in t.pages}
    assert set(tight.pages) <= table_pages  # the tables' pages come first, the prose's after them


@pytest.mark.parametrize("n_pages", [1, 10, 16, 26, 27, 241])
def test_the_pixel_budget_holds_for_any_number_of_pages(n_pages):
    per_page, rendered = page_budget(n_pages)
    assert MIN_PIXELS <= per_page <= MAX_PIXELS
    assert rendered == n_pages or rendered * per_page <= PIXEL_BUDGET
    assert rendered * per_page <= max(PIXEL_BUDGET, MAX_PIXELS) and rendered >= 1


def test_the_largest_corpus_document_is_inspected_quickly_into_a_file_one_can_mail(tmp_path):
    """The 171-page corpus document: at most 10 s of CPU for its text layer, and OCR's ~5 s for each of its pages
    that are images (the wall time is that on an idle machine; this one may be shared), and at most 5 MB, by
    default."""
    pdf = shared_dir("corpus") / "juesuan_2022_xian-weijianwei-huizong_1.pdf"
    out = tmp_path / "big.html"
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    shown = fiscalpdf("inspect", pdf, "--out", out)
    after, wall = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic() - started
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert shown.returncode == 0, shown.stderr
    image_pages = json.loads((ROOT / "tests/corpus/expected" / f"{pdf.stem}.json").read_text())["image_only_pages"]
    assert cpu <= 10 + OCR_CPU_SECONDS_PER_PAGE * len(image_pages), f"{cpu:.1f} s of CPU ({wall:.1f} s wall)"
    assert wall <= 60
    assert out.stat().st_size <= 5 * 2**20
    assert re.search(r"on \d+ page\(s\).*wrote .*big\.html \([\d.]+ MB\)", shown.stdout)


def test_orphan_amounts_are_marked_on_their_page(monkeypatch):
    """With the reading of rows outside the rules turned off, the borderless variant's lost amounts are orphans:
    each is boxed on its page (with what it is in its tooltip), and the summary says how many."""
    from fiscalpdf.extract import locate

    monkeypatch.setattr(locate, "with_rows_outside_rules", lambda grid, chars, upper, lower: grid)
    seen = inspect_document(DATA / "seed_borderless_rows.pdf", pages=[9, 11])
    parser = _Elements()
    parser.feed(seen.html)
    boxes = [a for tag, a in parser.found if tag == "rect" and a.get("class") == "orphan"]
    orphans = [(t.table_no, o) for t in seen.tables for o in t.orphans]
    assert len(boxes) == len(orphans) == 11
    assert {(round(float(a["x"]), 2), round(float(a["y"]), 2)) for a in boxes} == {
        (round(o.bbox.x0, 2), round(o.bbox.top, 2)) for _, o in orphans}
    assert "11 amount(s) printed in a table's area are in none of its cells" in seen.html
