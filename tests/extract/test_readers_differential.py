"""The fast page reader and grid finder against the ones they replace, page by page.

New: fiscalpdf.extract.page_objects (pdfium through cffi, edges of lines and four-sided figures from their
corners) and fiscalpdf.extract.grid_finder. Old: fiscalpdf.extract.reference_reader (pdfium through ctypes,
every path segment by segment) and pdfplumber's own TableFinder, over the edges deduplicated as before.
On every page: identical characters (dicts equal), the same image boxes, shape count and unmapped count,
edges within 0.01 pt of each other, and the same cells (structure and text identical, boxes within 0.01 pt).

Every page of the samples and test variants; of the corpus (../shared/corpus), every CORPUS_EVERY-th page of each
document here, and every page with FISCALPDF_ALL_CORPUS_PAGES=1 (`make bench` runs that sweep).
"""

from __future__ import annotations

import os

import pypdfium2 as pdfium
import pytest
from pdfplumber.table import TableFinder

from fiscalpdf.extract import page_objects, reference_reader
from fiscalpdf.extract.grid_finder import find_tables
from fiscalpdf.extract.objects_grid import TOLERANCES, deduplicated
from fiscalpdf.extract.plumber_grid import SETTINGS, grids_from_tables
from tests.paths import SAMPLE_PDFS, VARIANT_PDFS, shared_dir

TOLERANCE = 0.01  # pt
CORPUS_EVERY = 4
ALL_CORPUS_PAGES = os.environ.get("FISCALPDF_ALL_CORPUS_PAGES") == "1"


class _Page:
    """What pdfplumber's TableFinder reads of a page: its edges and bbox."""

    def __init__(self, edges: list[dict], bbox):
        self.edges, self.bbox = edges, bbox


def _rounded_once(edges: list[dict]) -> list[dict]:
    """The deduplication the first stage used before the grid finder: the first edge of each key rounded to
    0.01 pt (fiscalpdf.extract.objects_grid.deduplicated must keep the same edges)."""
    seen: dict[tuple, dict] = {}
    for e in edges:
        seen.setdefault((e["orientation"], round(e["x0"], 2), round(e["x1"], 2), round(e["top"], 2),
                         round(e["bottom"], 2)), e)
    return list(seen.values())


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= TOLERANCE


def _box(b) -> tuple:
    return (b.x0, b.top, b.x1, b.bottom)


def _edge_differences(old: list[dict], new: list[dict]) -> list[str]:
    def key(e):
        return (e["orientation"] or "", round(e["x0"], 1), round(e["top"], 1), round(e["x1"], 1),
                round(e["bottom"], 1))
    if len(old) != len(new):
        return [f"{len(old)} edges read before, {len(new)} now"]
    out = []
    for a, b in zip(sorted(old, key=key), sorted(new, key=key)):
        if a["orientation"] != b["orientation"] or a["object_type"] != b["object_type"] or not all(
                _close(a[k], b[k]) for k in ("x0", "x1", "top", "bottom", "width", "height")):
            out.append(f"edge {a} became {b}")
    return out[:3]


def _grid_differences(old, new) -> list[str]:
    if len(old) != len(new):
        return [f"{len(old)} grids before, {len(new)} now"]
    out = []
    for g, h in zip(old, new):
        if g.extractor != h.extractor or not all(_close(x, y) for x, y in zip(_box(g.bbox), _box(h.bbox))):
            out.append(f"grid {g.bbox} ({g.extractor}) became {h.bbox} ({h.extractor})")
        if [len(r) for r in g.rows] != [len(r) for r in h.rows]:
            out.append(f"grid at {g.bbox}: rows of {[len(r) for r in g.rows]} cells became {[len(r) for r in h.rows]}")
            continue
        for r, (row_g, row_h) in enumerate(zip(g.rows, h.rows)):
            for c, (a, b) in enumerate(zip(row_g, row_h)):
                same_box = (a.bbox is None) == (b.bbox is None) and (
                    a.bbox is None or all(_close(x, y) for x, y in zip(_box(a.bbox), _box(b.bbox))))
                if a.text != b.text or not same_box or not _close(a.indent, b.indent):
                    out.append(f"grid at {g.bbox}, row {r}, cell {c}: {a} became {b}")
    return out[:3]


def page_differences(doc: pdfium.PdfDocument, page_no: int) -> list[str]:
    """What the new reader and finder read differently from the old ones on one page ([] when nothing)."""
    try:
        old = reference_reader.read_page(doc, page_no)
    except pdfium.PdfiumError as exc:
        with pytest.raises(type(exc)):
            page_objects.read_page(doc, page_no)
        return []
    new = page_objects.read_page(doc, page_no)
    try:
        out = []
        if old.chars != new.chars:
            changed = next((a, b) for a, b in zip(old.chars + [None], new.chars + [None]) if a != b)
            out.append(f"{len(old.chars)} characters before, {len(new.chars)} now; first change {changed}")
        for name in ("width", "height", "rotation", "image_boxes", "unmapped_chars", "shape_count"):
            if getattr(old, name) != getattr(new, name):
                out.append(f"{name}: {getattr(old, name)} before, {getattr(new, name)} now")
        out += _edge_differences(old.edges, new.edges)
        before = _rounded_once(old.edges)
        if deduplicated(old.edges) != before:
            out.append("the deduplicated edges are not those of the rounded-key deduplication")
        plumber_tables = TableFinder(_Page(before, old.bbox), SETTINGS).tables
        finder_tables = find_tables(before, TOLERANCES)
        same = [(t.bbox, [r.cells for r in t.rows]) for t in plumber_tables] == \
               [(t.bbox, [r.cells for r in t.rows]) for t in finder_tables]
        if not same:
            out.append("on the same edges, the grid finder's cells differ from pdfplumber's TableFinder's")
        old_grids = grids_from_tables(plumber_tables, old.chars if plumber_tables else [], page_no, "pdfium")
        new_tables = find_tables(deduplicated(new.edges), TOLERANCES)
        new_grids = grids_from_tables(new_tables, new.chars if new_tables else [], page_no, "pdfium")
        out += _grid_differences(old_grids, new_grids)
        return out
    finally:
        old.release()
        new.release()


def document_differences(path, pages=None, differences=page_differences) -> list[str]:
    """`differences(doc, page_no)` on every page of `path` (or those `pages(page count)` lists), each named."""
    doc = pdfium.PdfDocument(path)
    try:
        wanted = range(1, len(doc) + 1) if pages is None else pages(len(doc))
        return [f"{path.name} page {p}: {d}" for p in wanted for d in differences(doc, p)]
    finally:
        doc.close()


@pytest.mark.parametrize("path", SAMPLE_PDFS + VARIANT_PDFS, ids=lambda p: p.name)
def test_every_sample_page_reads_alike(path):
    assert document_differences(path) == []


def test_corpus_pages_read_alike():
    corpus = shared_dir("corpus")
    pdfs = sorted(corpus.glob("*.pdf"))
    assert pdfs, f"no PDFs in {corpus}"
    out = []
    for i, path in enumerate(pdfs):
        if ALL_CORPUS_PAGES:
            out += document_differences(path)
        else:  # every CORPUS_EVERY-th page, starting at a different page in each document
            out += document_differences(path, lambda n, i=i: range(1 + i % CORPUS_EVERY, n + 1, CORPUS_EVERY))
    assert out == []
