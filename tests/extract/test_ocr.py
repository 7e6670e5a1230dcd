"""OCR of pages without a text layer (fiscalpdf.extract.ocr).

End to end, the samples are rasterised at 200 dpi into temporary image-only PDFs (samples/rasterise.py,
nothing committed) and read through the pipeline with OCR; every amount must equal its truth file:
- the 2021 budget, every page an image, turned 0.4° (a scan fed in askew), lossless;
- the 2021 final accounts, pages 4–9 images stored as JPEG with noise, the other pages with their text
  layer (which must never be OCR'd);
- one page turned a quarter and stamped with a red seal, read on its own against its text layer.
About 20 pages in all (~2 minutes). The engine also runs with every network connection refused. Whatever
loads the engine runs in a child process (`in_child`): its ~0.5 GB would otherwise stay in the pytest
process.

The small functions (rules, skew, cutting at rules, placing characters) are tested on synthetic images
without the engine.
"""

from __future__ import annotations

import multiprocessing
import shutil
import subprocess
import sys
import textwrap
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import numpy as np
import pytest

from fiscalpdf.extract import ocr, ocr_engine
from fiscalpdf.extract.cell_text import assemble, page_lines

cv2 = pytest.importorskip("cv2")
from fiscalpdf.extract import raster  # noqa: E402  (needs OpenCV)
from tests.paths import ROOT, SAMPLES  # noqa: E402

NEEDS_ENGINE = pytest.mark.skipif(
    bool(ocr_engine.missing_packages()),
    reason=f"the ocr extra is not installed ({', '.join(ocr_engine.missing_packages())} missing): "
           f"{ocr_engine.INSTALL_HINT}")

BUDGET = SAMPLES / "zhuzhou-shifeng-yingshang_2021_budget.pdf"
FINAL = SAMPLES / "zhuzhou-shifeng-yingshang_2021_final.pdf"
JPEG_PAGES = set(range(4, 10))


def in_child(fn, *args):
    """fn(*args) in a child process, its result (or its failure) brought back: the OCR engine it loads stays out of
    this process. `fn` is a module-level function (it is pickled). The child comes from a fork server, not forked
    from pytest: this process has run OpenCV (the raster tests, camelot), and a child forked from it inherits
    OpenCV's thread pool without the threads: the engine's cv2.setNumThreads then waits for them forever."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver")) as pool:
        kind, value = pool.submit(_reported, fn, *args).result()
    if kind == "failed":
        pytest.fail(f"in the child:\n{value}", pytrace=False)
    return value


def _reported(fn, *args):
    try:
        return "ok", fn(*args)
    except BaseException:  # noqa: BLE001 - an assertion or error in the child is reported by the parent
        return "failed", traceback.format_exc()


# ---- end to end ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def image_pdfs(tmp_path_factory):
    from samples.rasterise import rasterise

    folder = tmp_path_factory.mktemp("ocr")
    return {
        "turned": rasterise(BUDGET, folder / "budget-turned.pdf", dpi=200, angle=0.4),
        "jpeg": rasterise(FINAL, folder / "final-jpeg.pdf", dpi=200, angle=-0.3, jpeg_quality=75, noise=8.0,
                          pages=JPEG_PAGES),
        "quarter": rasterise(BUDGET, folder / "budget-quarter.pdf", dpi=200, turn=90, stamp=True, pages={7}),
    }


@pytest.fixture(scope="module")
def ocr_results(image_pdfs):
    """(result, pages OCR read) for the two end-to-end documents, each read once."""
    return in_child(_read_both, image_pdfs)


def _read_both(image_pdfs):
    from fiscalpdf.options import ExtractOptions
    from fiscalpdf.pipelines.document import process_document

    out = {}
    real = ocr.read_page_ocr
    for name in ("turned", "jpeg"):
        read = []

        def recording(doc, page_no, *args, read=read, **kwargs):
            read.append(page_no)
            return real(doc, page_no, *args, **kwargs)

        ocr.read_page_ocr = recording
        try:
            out[name] = (process_document(image_pdfs[name], ExtractOptions(ocr="auto", ocr_dpi=200)), read)
        finally:
            ocr.read_page_ocr = real
    return out


@NEEDS_ENGINE
@pytest.mark.parametrize("name, sample", [("turned", BUDGET), ("jpeg", FINAL)])
def test_amounts_equal_truth_after_ocr(ocr_results, name, sample):
    """Every truth cell exactly as the text layer gives it — value, labels, codes, column id — and every
    identity holds; cells of image pages carry the `ocr` flag and a confidence, the others neither."""
    from tests.pipelines.test_samples_truth import assert_cells_equal_truth

    result, read = ocr_results[name]
    assert result.status == "ok", (result.error_code, result.error)
    assert [c for c in result.checks if not c.holds] == []
    got = assert_cells_equal_truth(result, sample.with_suffix(".truth.csv"))
    for key, g in got.items():
        on_image = g["page"] in read
        assert ("ocr" in g["cell_flags"]) == on_image, (key, g)
        if on_image and g["text"].strip():
            assert 0 < g["confidence"] <= 1, (key, g)
        if not on_image:
            assert g["confidence"] is None
    extractors = {t.extractor for t in result.tables if not t.empty}
    assert "ocr" in extractors


@NEEDS_ENGINE
def test_metadata_read_from_an_image_only_document(ocr_results):
    result, read = ocr_results["turned"]
    assert (result.department, result.year, result.kind, result.document_type) == (
        "株洲市石峰区优化营商环境协调事务中心", 2021, "budget", "disclosure")
    assert read == list(range(1, result.page_count + 1))  # every page, once
    assert result.ocr_pages == read and result.unread_pages == []


@NEEDS_ENGINE
def test_pages_with_a_text_layer_are_never_ocrd(ocr_results):
    result, read = ocr_results["jpeg"]
    assert sorted(read) == sorted(JPEG_PAGES) == result.ocr_pages
    assert result.unread_pages == []


def _amounts(chars):
    """The amount-like tokens of a page's lines ('0.00', '1,234.56', '186. 67' read as '186.67')."""
    from fiscalpdf.normalize.amounts import parse_amount

    out = Counter()
    for text, _ in page_lines(chars):
        for token in text.replace(". ", ".").split():
            a = parse_amount(token)
            if a is not None and "." in token:
                out[a.value] += 1
    return out


@NEEDS_ENGINE
def test_page_on_its_side_under_a_seal_reads_like_its_text_layer(image_pdfs):
    in_child(_page_on_its_side, image_pdfs["quarter"])


def _page_on_its_side(quarter):
    import pypdfium2 as pdfium

    from fiscalpdf.extract.page_objects import read_page

    scan, text = pdfium.PdfDocument(str(quarter)), pdfium.PdfDocument(str(BUDGET))
    try:
        page = ocr.read_page_ocr(scan, 7, ocr.OcrSettings(dpi=200))
        layer = read_page(text, 7)
        expected = _amounts(layer.chars)
        layer.release()
    finally:
        scan.close()
        text.close()
    assert page.turned == 270 and page.stamp_pixels > 0
    assert (round(page.width), round(page.height)) == (842, 595)  # upright again: landscape, as printed
    assert _amounts(page.chars) == expected
    assert sum(e["orientation"] == "v" for e in page.edges) >= 5
    assert all(0 <= ch["confidence"] <= 1 for ch in page.chars)
    # the grid finder runs on the OCR page unchanged, and each cell carries its least sure character's confidence
    from fiscalpdf.extract.grid_finder import find_tables
    from fiscalpdf.extract.objects_grid import TOLERANCES, deduplicated
    from fiscalpdf.extract.plumber_grid import grids_from_tables

    grids = grids_from_tables(find_tables(deduplicated(page.edges), TOLERANCES), page.chars, 7, "ocr")
    cells = [c for g in grids for row in g.rows for c in row if c.text]
    assert len(cells) > 100 and all(0 < c.confidence <= 1 for c in cells)


@NEEDS_ENGINE
def test_reread_a_cell_at_a_higher_resolution(image_pdfs):
    in_child(_reread_a_cell, image_pdfs["turned"])


def _reread_a_cell(turned):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(turned))
    try:
        page = ocr.read_page_ocr(doc, 5, ocr.OcrSettings(dpi=200))
        digits = [ch for ch in page.chars if ch["text"].isdigit()]
        # the first amount on the page: its characters' box, grown by a point
        line = min(digits, key=lambda ch: (round(ch["top"]), ch["x0"]))
        same = sorted((ch for ch in page.chars if abs(ch["top"] - line["top"]) < 2
                       and line["x0"] - 1 <= ch["x0"] and ch["x1"] < line["x0"] + 60), key=lambda c: c["x0"])
        box = (same[0]["x0"] - 1, same[0]["top"] - 1, same[-1]["x1"] + 1, same[0]["bottom"] + 1)
        again = ocr.reread(doc, 5, box, 400, turned=page.turned, skew=page.skew)
    finally:
        doc.close()
    assert assemble(again).text == assemble(same).text
    # the same place on the page: the amount's ink starts and ends where it did (each character's own box is
    # an estimate from the model's output columns, and moves by a point or two between resolutions)
    assert abs(min(c["x0"] for c in again) - same[0]["x0"]) < 1.5
    assert abs(max(c["x1"] for c in again) - same[-1]["x1"]) < 1.5
    assert abs(again[0]["top"] - same[0]["top"]) < 1.5 and abs(again[0]["bottom"] - same[0]["bottom"]) < 1.5


@NEEDS_ENGINE
def test_a_misread_amount_fails_its_identity_and_is_read_again(tmp_path):
    """OCR misreading one digit (made to, here: the engine reads the page right) breaks an identity; the cells of
    the failing identities are read again from a 400-dpi crop, the table whose identities hold is kept, and the
    cell says it was read again. Only page 5 is an image; the other pages keep their text layer."""
    from samples.rasterise import rasterise
    from tests.pipelines.test_samples_truth import assert_cells_equal_truth

    scan = rasterise(BUDGET, tmp_path / "page5.pdf", dpi=200, angle=0.4, pages={5})
    result, altered = in_child(_misread_once, scan)
    assert len(altered) == 1 and result.ocr_pages == [5]
    _, x, top = altered[0]
    reread = [c for t in result.tables for c in t.cells if "reread" in c.flags]
    assert len(reread) >= 1 and all("ocr" in c.flags for c in reread)
    assert any(c.bbox.x0 <= x <= c.bbox.x1 and c.bbox.top <= top <= c.bbox.bottom for c in reread)
    assert [c for c in result.checks if not c.holds] == []
    assert any("the second reading kept" in w for t in result.tables for w in t.warnings)
    assert_cells_equal_truth(result, BUDGET.with_suffix(".truth.csv"))


def _misread_once(scan):
    """The pipeline over `scan`, OCR made to misread the last digit of the first amount it reads."""
    from fiscalpdf.options import ExtractOptions
    from fiscalpdf.pipelines.document import process_document

    real, altered = ocr.read_page_ocr, []

    def misreading(doc, page_no, *args, **kwargs):
        page = real(doc, page_no, *args, **kwargs)
        chars = sorted(page.chars, key=lambda ch: (round(ch["top"]), ch["x0"]))
        for i, ch in enumerate(chars[:-2]):
            cents = chars[i + 1:i + 3]
            if ch["text"] == "." and all(c["text"].isdigit() and abs(c["top"] - ch["top"]) < 2 for c in cents):
                last = cents[1]
                altered.append((last["text"], (last["x0"] + last["x1"]) / 2, last["top"]))
                last["text"] = "7" if last["text"] != "7" else "3"
                break
        return page

    ocr.read_page_ocr = misreading
    try:
        return process_document(scan, ExtractOptions()), altered
    finally:
        ocr.read_page_ocr = real


@NEEDS_ENGINE
def test_engine_runs_with_the_network_refused(tmp_path):
    """A fresh process whose every connection attempt fails (and, where it can, without a network at all)
    loads the models and reads a page: nothing is downloaded."""
    code = textwrap.dedent(f"""
        import socket
        attempts = []
        def refuse(*args, **kwargs):
            attempts.append(args)
            raise OSError("network disabled by the test")
        socket.socket.connect = socket.socket.connect_ex = refuse
        socket.create_connection = socket.getaddrinfo = refuse
        import pypdfium2 as pdfium
        from fiscalpdf.extract.ocr import OcrSettings, read_page_ocr
        page = read_page_ocr(pdfium.PdfDocument({str(BUDGET)!r}), 1, OcrSettings(dpi=150))
        assert attempts == [], attempts
        assert any(ch["text"] == "株" for ch in page.chars), [ch["text"] for ch in page.chars]
        print("OK", len(page.chars))
    """)
    command = [sys.executable, "-c", code]
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        command = ["unshare", "-n"] + command
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("OK")


# ---- configuration -------------------------------------------------------------------------------------------

def test_options_refuse_an_unknown_ocr_mode():
    from fiscalpdf.options import ExtractOptions

    with pytest.raises(ValueError, match="auto"):
        ExtractOptions(ocr="yes")
    with pytest.raises(ValueError, match="dpi"):
        ExtractOptions(ocr_dpi=20)


@pytest.mark.parametrize("value, said", [("20", "OCR dpi 20 is outside 50–1200"), ("high", "not a resolution: 'high'")])
def test_a_resolution_out_of_range_is_a_usage_error_not_a_traceback(capsys, value, said):
    from fiscalpdf.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["run", "samples", "--out", "unused", "--ocr-dpi", value])
    assert stop.value.code == 2
    assert f"argument --ocr-dpi: {said}" in capsys.readouterr().err


def test_the_engine_and_its_version_join_the_options_key(monkeypatch):
    """A rerun after installing the extra (or with another engine version) redoes the documents; 'off' and
    'auto' without the extra read the same, and keep the key they had before OCR existed."""
    from fiscalpdf import options
    from fiscalpdf.options import ExtractOptions

    plain = "fallbacks=camelot-stream,camelot-network,camelot-lattice"
    assert ExtractOptions(ocr="off").key() == plain
    monkeypatch.setattr(options, "ocr_engine_version", lambda: "rapidocr 3.10.0, onnxruntime 1.32.0")
    assert ExtractOptions().key() == plain + ";ocr=rapidocr 3.10.0, onnxruntime 1.32.0 at 200 dpi"
    monkeypatch.setattr(options, "ocr_engine_version", lambda: None)
    assert ExtractOptions().key() == plain


def test_missing_engine_leaves_the_pages_unread_and_names_the_extra(monkeypatch, tmp_path):
    from fiscalpdf.options import ExtractOptions
    from fiscalpdf.pipelines.document import process_document
    from samples.rasterise import rasterise

    monkeypatch.setattr(ocr_engine, "_PACKAGES", ("fiscalpdf_no_such_package",))
    with pytest.raises(ocr_engine.OcrUnavailable, match=r"fiscalpdf\[ocr\]"):
        ocr_engine.require()
    scan = rasterise(BUDGET, tmp_path / "scan.pdf", dpi=50)
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(str(scan)))
    for options in (ExtractOptions(), ExtractOptions(ocr="off")):
        result = process_document(scan, options)
        assert result.ocr_pages == [] and result.unread_pages == list(range(1, pages + 1))
        assert result.status == "partial" and result.error_code == "image_only"
    assert "fiscalpdf[ocr]" in process_document(scan).error
    assert "--ocr off" in process_document(scan, ExtractOptions(ocr="off")).error


def test_settings_are_checked():
    with pytest.raises(ValueError):
        ocr.OcrSettings(dpi=20)
    with pytest.raises(ValueError):
        ocr.OcrSettings(threads=0)


# ---- the pieces, on synthetic images -------------------------------------------------------------------------

PX = 200 / 72  # pixels per point at 200 dpi


def _grid_image(angle: float = 0.0) -> np.ndarray:
    """A white A5-ish page with a 3 × 4 ruled grid and glyph-like strokes inside the cells."""
    img = np.full((1100, 1600), 255, np.uint8)
    xs, ys = [100, 500, 900, 1300, 1500], [200, 300, 400, 500]
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 2)
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 2)
    for x in (150, 550, 950):
        for y in (230, 330, 430):
            cv2.line(img, (x, y), (x + 40, y), 0, 3)  # 一: shorter than a rule
            cv2.line(img, (x + 60, y - 10), (x + 60, y + 25), 0, 3)  # 丨: touches no rule
    if angle:
        img = raster.rotate(img, angle)
    return img


def test_rules_become_edges_and_strokes_do_not():
    ink = raster.ink_mask(_grid_image())
    h, v = raster.line_masks(ink, PX)
    edges = raster.edges_from_masks(h, v, PX)
    horizontal = sorted(round(e["top"] * PX) for e in edges if e["orientation"] == "h")
    vertical = sorted(round(e["x0"] * PX) for e in edges if e["orientation"] == "v")
    assert [abs(a - b) <= 2 for a, b in zip(horizontal, [200, 300, 400, 500])] == [True] * 4
    assert len(horizontal) == 4 and len(vertical) == 5
    assert all(e["top"] == e["bottom"] for e in edges if e["orientation"] == "h")


def test_a_table_cut_by_the_page_edge_is_closed_by_the_border():
    """Changchun's tables (长春市信访局) are drawn from x = -0.4 pt: in the image the left rule is not there, and
    without one the column of codes lies in no cell. The border closes rules running to it; a rule already there
    is not doubled, and a single line to the border (an underline) closes nothing."""
    def h(x0, x1, y):
        return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
                "orientation": "h"}

    def v(x, top, bottom):
        return {"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0,
                "height": bottom - top, "orientation": "v"}

    # cut by the border, and a little more by straightening: the lines end 0 to 3 pt from it
    cut = [h(x0, 500.0, y) for x0, y in ((2.9, 100.0), (1.4, 120.0), (0.0, 140.0))] + [v(85.0, 100.0, 140.0),
                                                                                    v(500.0, 100.0, 140.0)]
    closed = raster.closed_at_borders(cut, 596.0, 842.0)
    assert sorted((e["orientation"], e["x0"], e["top"], e["bottom"]) for e in closed if e["x0"] == 0.0) == [
        ("h", 0.0, 100.0, 100.0), ("h", 0.0, 120.0, 120.0), ("h", 0.0, 140.0, 140.0), ("v", 0.0, 100.0, 140.0)]
    assert len(closed) == len(cut) + 1
    ruled = [h(0.6, 500.0, y) for y in (100.0, 120.0)] + [v(0.5, 99.0, 121.0)]
    assert raster.closed_at_borders(ruled, 596.0, 842.0) == ruled  # the table's own outer rule is in the image
    underline = [h(0.0, 200.0, 300.0), v(85.0, 100.0, 140.0)]
    assert raster.closed_at_borders(underline, 596.0, 842.0) == underline
    top = [v(x, 0.0, 60.0) for x in (50.0, 150.0, 250.0)] + [h(50.0, 250.0, 60.0)]  # columns cut at the top
    assert [(e["orientation"], e["top"], e["x0"], e["x1"]) for e in raster.closed_at_borders(top, 596.0, 842.0)
            if e["top"] == 0.0 and e["orientation"] == "h"] == [("h", 0.0, 50.0, 250.0)]


@pytest.mark.parametrize("angle", [0.3, -0.5, 1.0])
def test_skew_is_measured(angle):
    measured = raster.measure_skew(raster.ink_mask(_grid_image(angle)))
    assert abs(measured + angle) <= 0.05  # the turn that undoes it


def test_red_turns_white_and_black_stays():
    img = np.full((50, 50, 3), 255, np.uint8)
    img[10:20, 10:20] = (40, 30, 220)  # BGR red
    img[30:40, 30:40] = (0, 0, 0)
    out, count = raster.suppress_red(img)
    assert count == 100 and (out[10:20, 10:20] == 255).all() and (out[30:40, 30:40] == 0).all()


def test_cut_between_rules():
    assert ocr._cut(0, 100, [(40, 43)]) == [(0, 40), (43, 100)]
    assert ocr._cut(0, 100, [(0, 2), (98, 100)]) == [(2, 98)]
    assert ocr._cut(10, 20, []) == [(10, 20)]


def test_a_line_crossing_a_rule_is_read_as_two_pieces():
    ink = np.zeros((100, 400), np.uint8)
    ink[40:60, 20:120] = 255  # '14.09' left of the rule
    ink[40:60, 160:260] = 255  # '307' right of it
    quad = np.array([[10, 35], [270, 35], [270, 65], [10, 65]], float)
    pieces = ocr._pieces([quad], ink, [(139, 142, 0, 100)], [])
    assert [(p.x0, p.x1) for p in pieces] == [(20, 120), (160, 260)]
    assert pieces[0].hi <= 139 and pieces[1].lo >= 142


def _placed(text, positions, width_px=300, height_px=30):
    found = ocr_engine.Recognized(text, 0.95, tuple(positions), tuple(0.9 for _ in text))
    piece = ocr._Piece(0, 0, width_px, height_px, 0, width_px)
    return ocr._place(found, piece, 0, width_px, 1.0, (0.0, 0.0))


def test_characters_keep_the_gaps_the_page_shows():
    # digits 16 px apart, then a gap of 60 px after the point: '1668. 14', as the amount parser expects
    xs = [10, 26, 42, 58, 70, 130, 146]
    chars = _placed("1668.14", [x / 300 for x in xs])
    assert assemble(chars).text == "1668. 14"
    assert all(ch["confidence"] == 0.9 and ch["size"] == 30 and ch["baseline"] == ch["bottom"] for ch in chars)


def test_two_numbers_never_run_together():
    chars = _placed("6000 0", [p / 300 for p in (10, 26, 42, 58, 120, 200)])
    assert assemble(chars).text.split() == ["6000", "0"]


def test_a_space_the_model_reads_is_kept_and_cjk_closes_up():
    chars = _placed("二、外交支出", [p / 300 for p in (15, 40, 75, 105, 135, 165)])
    assert assemble(chars).text == "二、外交支出"
    # the same glyph positions, with and without a space read between the label and its figure
    assert assemble(_placed("合计 12", [p / 300 for p in (15, 45, 75, 110, 126)])).text.split() == ["合计", "12"]
    assert assemble(_placed("合计12", [p / 300 for p in (15, 45, 110, 126)])).text == "合计12"


def test_missed_ink_is_read_all_the_same():
    ink = np.zeros((200, 600), np.uint8)
    ink[50:53, 20:40] = 255  # 二: two strokes ...
    ink[70:73, 18:44] = 255
    ink[68:74, 48:52] = 255  # 、
    ink[50:75, 100:400] = 255  # a detected label
    quad = np.array([[95, 45], [405, 45], [405, 80], [95, 80]], float)
    lines = sorted(ocr._extent(q) for q in ocr._missed([quad], ink, PX))
    assert lines == [(18, 50, 52, 74), (95, 45, 405, 80)]  # read on its own: too far from the label to join it


def test_a_stroke_the_detector_missed_joins_its_line():
    ink = np.zeros((200, 600), np.uint8)
    ink[61:63, 100:112] = 255  # 一, thin: alone it would pass for a speck
    ink[55:70, 114:400] = 255  # '、一般公共服务支出', detected
    quad = np.array([[113, 52], [402, 52], [402, 72], [113, 72]], float)
    assert [ocr._extent(q) for q in ocr._missed([quad], ink, PX)] == [(100, 52, 402, 72)]
    # with the previous column's amount as near on the other side of a rule, it still joins its own line
    amount = np.array([[40, 52], [92, 52], [92, 72], [40, 72]], float)
    ink[55:70, 40:92] = 255
    lines = sorted(ocr._extent(q) for q in ocr._missed([amount, quad], ink, PX, [(95, 97, 0, 200)]))
    assert lines == [(40, 52, 92, 72), (100, 52, 402, 72)]


def test_a_line_found_twice_is_read_once():
    whole = np.array([[564, 1250], [614, 1250], [614, 1264], [564, 1264]], float)  # '259.15'
    tail = np.array([[609, 1250], [614, 1250], [614, 1263], [609, 1263]], float)  # its last '5' again
    other = np.array([[626, 1249], [658, 1249], [658, 1264], [626, 1264]], float)  # the next column
    below = np.array([[564, 1270], [614, 1270], [614, 1284], [564, 1284]], float)  # the next line
    merged = sorted(ocr._extent(q) for q in ocr._merged([whole, tail, other, below]))
    assert merged == [(564, 1250, 614, 1264), (564, 1270, 614, 1284), (626, 1249, 658, 1264)]


# The figures the expectation file of the corpus's scanned 情况说明 lists in its notes (read from the page images by
# hand), in 万元: what OCR must give as facts of the current year (issue 17).
SCANNED_NARRATIVE = "yusuan_2026_bj-zhengshuju-shuoming_1.pdf"
SCANNED_NARRATIVE_FIGURES = {
    "income_total": "101673.03", "fiscal_income": "101673.03", "gpb_income": "101673.03",
    "other_funds_income": "0", "carry_in": "4950.85", "expenditure_total": "101673.03",
    "basic_expenditure": "38197.01", "project_expenditure": "63408.16", "carry_out": "67.86",
    "three_public_total": "80.11", "three_public_overseas": "51.3", "three_public_reception": "7.25",
    "three_public_vehicle_subtotal": "21.56", "three_public_vehicle_purchase": "12.53",
    "three_public_vehicle_operation": "9.03", "procurement_total": "55307.45", "admin_running_costs": "760.36",
}


@NEEDS_ENGINE
def test_the_scanned_narrative_states_its_figures_as_facts(corpus_results):
    result = corpus_results[SCANNED_NARRATIVE]
    assert (result.ocr_pages, result.unread_pages) == (list(range(1, 9)), []), (
        result.status, result.error_code, result.error, result.warnings)
    current = {}
    for f in result.facts:
        if f.period == "current" and f.measure == "money":
            current.setdefault(f.fact_id, set()).add(f.value)
    assert {k: {Decimal(v) * 10_000} for k, v in SCANNED_NARRATIVE_FIGURES.items()} == {
        k: current.get(k) for k in SCANNED_NARRATIVE_FIGURES}
    assert [c.rule for c in result.fact_checks if not c.holds] == []


def test_pages_read_by_ocr_beside_a_text_layer_feed_no_metadata():
    """A chart or a scanned attachment in a text-layer document says nothing of the document's own department,
    year or kind (it may carry another body's letterhead); in a document that is all scans, OCR is all there is."""
    from fiscalpdf.extract.metadata import read_metadata
    from fiscalpdf.model import BBox, PageText, TextLine
    from fiscalpdf.pipelines.document import metadata_texts

    chart = PageText(1, 595, 842, [TextLine("北京市财政局2019年部门决算", BBox(100, 100, 400, 120))], 12,
                     image_count=1, image_cover=0.9, ocr=True)
    cover = PageText(2, 595, 842, [TextLine("株洲市石峰区优化营商环境协调事务中心", BBox(100, 100, 400, 120)),
                                   TextLine("2021年部门预算", BBox(100, 130, 400, 150))], 30)
    meta = read_metadata(metadata_texts([chart, cover]), [], "disclosure")
    assert (meta.department, meta.year, meta.kind) == ("株洲市石峰区优化营商环境协调事务中心", 2021, "budget")
    assert read_metadata([chart, cover], [], "disclosure").department == "北京市财政局"  # what the chart would say
    scanned = [chart, PageText(2, 595, 842, cover.lines, 30, image_count=1, image_cover=0.9, ocr=True)]
    assert metadata_texts(scanned) == scanned
