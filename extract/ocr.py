"""Reading a page that has no usable text layer: OCR into the same `PageObjects` the text layer gives.

`read_page_ocr` returns characters (text, x0, x1, top, bottom, size, baseline, and `confidence`), ruling edges
and the page's size in points, so locating tables, the grid finder, cell text and the normalizers run on a
scanned page unchanged. `reread` reads one region again at a higher resolution.

The steps, each a function of fiscalpdf.extract.raster or of the engine (fiscalpdf.extract.ocr_engine):
1. Render the page with pdfium at `dpi` (within MAX_RENDER_PIXELS); red stamps turn white.
2. Find the text lines on a copy reduced to `detect_dpi` (detection costs by the pixel; 120 dpi finds the
   same lines as 200 at a third of the time). Mostly tall lines: the page lies on its side, turn it a
   quarter and look again. Then the 0°/180° classifier votes on the longest lines: a page upside down is
   turned over. (2a) Lines found twice, overlapping on one line, become one: read twice, the overlap
   would print twice ('259.15' + '5'). (2b) Ink that no line covers (the detector passes over a '二、' now
   and then) is grouped into words and read all the same: nothing printed is dropped in silence.
3. Measure the skew (rows of ink sharpest) and turn the page level; the lines found move with it.
4. Find the ruling lines (they become the page's edges, in points) and erase them from the image that is
   read, so that no rule is read as '1' or '|'.
5. Every text line is cut at each vertical rule that crosses it (and at a horizontal rule, should one
   cross it): no piece spans two cells, so '14.09' and the next column's '307' never merge. Each piece is
   trimmed to its ink and recognised on the full-resolution page.
6. Each recognised character gets a box: centred where the model emitted it, as wide as a glyph of its kind
   (a CJK character about as wide as the line is high, others about 0.6 of it) but never past the midpoint
   to its neighbours; the first and last start and end with the piece's ink; top and bottom are its ink. A gap
   wider than the glyphs stays a gap, so the
   cell text reads '1668. 14' (which the amount parser knows) and two numbers never run together. Spaces
   the model emits are kept as characters (as a text layer's spaces are).
7. `confidence` is the model's probability for that character (0–1; the line's mean score where the model
   gives none). Pieces scoring below `min_score` are dropped (specks and stamps' remains, not print).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import OCR_READER
from ..options import OCR_DPI, check_ocr_dpi
from .page_objects import PageObjects, display_transform
from .pdf import MAX_RENDER_PIXELS, render_scale

DETECT_DPI = 120
_WIDE = (0x2E80, 0xFFEF)  # CJK, full-width forms and punctuation: glyphs as wide as the line is high
_WORD_GAP = 4.0  # pt: ink closer than this side by side is one word (for ink the detector missed)
_MIN_MARK = 1.5  # pt: a mark missed by the detector smaller than this (both ways) is a speck


@dataclass(frozen=True)
class OcrSettings:
    dpi: int = OCR_DPI  # resolution the text is recognised at
    detect_dpi: int = DETECT_DPI  # resolution text lines are found at (at most `dpi`)
    threads: int = 1  # onnxruntime intra-op threads: batch workers run one per core
    min_score: float = 0.3
    straighten: bool = True  # measure and undo skew, turn pages lying on their side or upside down
    remove_stamps: bool = True
    max_pixels: int = MAX_RENDER_PIXELS

    def __post_init__(self):
        check_ocr_dpi(self.dpi)
        if not 30 <= self.detect_dpi:
            raise ValueError(f"OCR detect_dpi {self.detect_dpi} is below 30")
        if self.threads < 1:
            raise ValueError(f"OCR threads must be at least 1, not {self.threads}")
        if not 0 <= self.min_score < 1:
            raise ValueError(f"OCR min_score {self.min_score} is outside [0, 1)")


@dataclass
class OcrPage(PageObjects):
    """PageObjects read by OCR, and how the image was set right before it was read."""

    turned: int = 0  # degrees the page image was turned clockwise (0, 90, 180, 270) to stand upright
    skew: float = 0.0  # degrees it was then turned (counter-clockwise positive) to be level
    dpi: float = 0.0  # the resolution it was read at
    stamp_pixels: int = 0  # pixels of red stamp whitened


@dataclass(frozen=True)
class _Piece:
    """A part of a text line to recognise: its ink box (px) and how far its crop may reach each side."""

    x0: int
    top: int
    x1: int
    bottom: int
    lo: int
    hi: int


def read_page_ocr(doc, page_no: int, settings: OcrSettings = OcrSettings(), engine=None,
                  image_boxes: list[tuple[float, float, float, float]] | None = None) -> OcrPage:
    """The page's characters and ruling edges by OCR (see the module docstring for the steps). `doc` is a
    pypdfium2 PdfDocument; `image_boxes` (the page's images, as the text-layer reader found them) are
    passed through."""
    from . import raster
    from .ocr_engine import load_engine

    engine = engine or load_engine(settings.threads)
    gray, px_per_pt, (width, height), offset, rotation, stamp = _render(doc, page_no, settings.dpi, settings)
    page = OcrPage(page_no, width, height, rotation, [], [], list(image_boxes or []), 0, 0, reader=OCR_READER,
                   dpi=round(px_per_pt * 72, 1), stamp_pixels=stamp)
    if _blank(gray):
        return page
    det_scale = min(1.0, settings.detect_dpi / (px_per_pt * 72))
    gray, quads, page.turned, page.skew = _upright(engine, gray, det_scale, settings.straighten)
    if quads is None:
        quads = _detect(engine, gray, det_scale)
    if page.turned:
        offset = (0.0, 0.0)  # the page's own coordinates no longer apply: the OCR page is the turned image
        page.width, page.height = gray.shape[1] / px_per_pt, gray.shape[0] / px_per_pt
    h_mask, v_mask, clean, clean_ink = _rules_erased(gray, px_per_pt)
    edges = raster.closed_at_borders(raster.edges_from_masks(h_mask, v_mask, px_per_pt),
                                     gray.shape[1] / px_per_pt, gray.shape[0] / px_per_pt)
    page._edges = [_shifted(e, offset) for e in edges]
    page.shape_count = len(page._edges)
    quads = _merged(quads)
    vertical = _components(v_mask)
    quads = _missed(quads, clean_ink, px_per_pt, vertical)
    pieces = _pieces(quads, clean_ink, vertical, _components(h_mask))
    page.chars = _recognise(engine, clean, pieces, px_per_pt, offset, settings.min_score)
    return page


def reread(doc, page_no: int, bbox, dpi: int = 400, *, turned: int | None = None, skew: float | None = None,
           settings: OcrSettings = OcrSettings(), engine=None) -> list[dict]:
    """The characters inside `bbox` (x0, top, x1, bottom in the points of the page `read_page_ocr` gave, e.g. a
    cell's box) read again at `dpi`: for a cell whose amount breaks an identity after OCR. Only that region
    is rendered, and only the inside of the box is read (its border rules and the neighbours' text stay
    out). `turned` and `skew` are the OcrPage's; when None they are measured again on the page at
    `detect_dpi` (the orientation costs a detection pass)."""
    from .ocr_engine import load_engine

    engine = engine or load_engine(settings.threads)
    if turned is None or skew is None:
        low, _, _, _, _, _ = _render(doc, page_no, settings.detect_dpi, settings)
        if _blank(low):
            return []
        _, _, turned, skew = _upright(engine, low, 1.0, settings.straighten, turned, skew)
    inset = 0.75  # pt inside the box: its border rules stay out
    x0, top, x1, bottom = (bbox.x0, bbox.top, bbox.x1, bbox.bottom) if hasattr(bbox, "x0") else bbox
    region, px_per_pt, origin = _render_region(doc, page_no, dpi, settings, turned, skew,
                                               (x0 + inset, top + inset, x1 - inset, bottom - inset))
    if region is None:
        return []
    pad = int(round(3 * px_per_pt))  # a white margin around the region: the detector wants some
    framed = np.full((region.shape[0] + 2 * pad, region.shape[1] + 2 * pad), 255, dtype=np.uint8)
    framed[pad:-pad, pad:-pad] = region
    h_mask, v_mask, clean, clean_ink = _rules_erased(framed, px_per_pt)
    if not clean_ink.any():
        return []
    quads = _merged(_detect(engine, clean, min(1.0, settings.detect_dpi / (px_per_pt * 72))))
    vertical = _components(v_mask)
    quads = _missed(quads, clean_ink, px_per_pt, vertical)
    pieces = _pieces(quads, clean_ink, vertical, _components(h_mask))
    origin = (origin[0] - pad / px_per_pt, origin[1] - pad / px_per_pt)
    return _recognise(engine, clean, pieces, px_per_pt, origin, settings.min_score)


def _render_region(doc, page_no: int, dpi: float, settings: OcrSettings, turned: int, skew: float,
                   box: tuple[float, float, float, float]):
    """The part of the page under `box` (points of the upright, level page) in gray at `dpi`, turned and
    levelled like the whole page would be; its pixels per point and where its top-left lies in points.
    Only the region is rendered: (None, …) when it is empty."""
    import cv2

    from . import raster

    page = doc[page_no - 1]
    try:
        media = page.get_mediabox()
        crop = page.get_cropbox()
        to_page = display_transform(media, page.get_rotation() % 360)
        width_pt, height_pt = page.get_size()
        scale = render_scale(width_pt, height_pt, settings.max_pixels, dpi / 72)
        corners = [to_page(crop[0], crop[1]), to_page(crop[2], crop[3])]
        offset = (0.0, 0.0) if turned else (min(x for x, _ in corners), min(t for _, t in corners))
        width, height = width_pt * scale, height_pt * scale
        forward = _placement(width, height, turned, skew)  # rendered pixels → upright, level pixels
        c0, r0 = (box[0] - offset[0]) * scale, (box[1] - offset[1]) * scale
        c1, r1 = (box[2] - offset[0]) * scale, (box[3] - offset[1]) * scale
        if c1 - c0 < 4 or r1 - r0 < 4:
            return None, scale, offset
        back = np.linalg.inv(forward)
        points = np.array([[c0, r0, 1], [c1, r0, 1], [c1, r1, 1], [c0, r1, 1]]) @ back.T
        ox0, oy0 = max(0, int(points[:, 0].min()) - 4), max(0, int(points[:, 1].min()) - 4)
        ox1 = min(int(width), int(np.ceil(points[:, 0].max())) + 4)
        oy1 = min(int(height), int(np.ceil(points[:, 1].max())) + 4)
        if ox1 - ox0 < 4 or oy1 - oy0 < 4:
            return None, scale, offset
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255),
                             crop=(ox0 / scale, (height - oy1) / scale, (width - ox1) / scale, oy0 / scale))
        image = bitmap.to_numpy()[..., :3]
        if settings.remove_stamps:
            image, _ = raster.suppress_red(image)
        part = raster.to_gray(image)
        bitmap.close()
    finally:
        page.close()
    shift = np.array([[1, 0, ox0], [0, 1, oy0], [0, 0, 1]], dtype=np.float64)
    to_region = np.array([[1, 0, -int(c0)], [0, 1, -int(r0)], [0, 0, 1]], dtype=np.float64)
    matrix = (to_region @ forward @ shift)[:2]
    region = cv2.warpAffine(part, matrix, (int(np.ceil(c1)) - int(c0), int(np.ceil(r1)) - int(r0)),
                            flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return region, scale, (offset[0] + int(c0) / scale, offset[1] + int(r0) / scale)


def _placement(width: float, height: float, turned: int, skew: float) -> np.ndarray:
    """The 3×3 matrix taking a pixel of the page as rendered (width × height) to the page turned clockwise by
    `turned` degrees, then levelled by `skew` (as raster.turn and raster.rotate do to the whole image)."""
    from . import raster

    quarter = (turned // 90) % 4
    turns = {0: [[1, 0, 0], [0, 1, 0]], 1: [[0, -1, height], [1, 0, 0]], 2: [[-1, 0, width], [0, -1, height]],
             3: [[0, 1, 0], [-1, 0, width]]}
    turn = np.vstack([np.array(turns[quarter], dtype=np.float64), [0, 0, 1]])
    w, h = (height, width) if quarter % 2 else (width, height)
    level = np.eye(3)
    if abs(skew) >= 0.05:
        level[:2] = raster.rotation_matrix((int(np.ceil(h)), int(np.ceil(w))), skew)
    return level @ turn


def _blank(gray: np.ndarray) -> bool:
    from .raster import ink_mask

    return ink_mask(gray).mean() < 255 * 2e-5  # a page number alone is ~1e-4 of an A4 page


def _upright(engine, gray: np.ndarray, det_scale: float, straighten: bool, turned: int | None = None,
             skew: float | None = None) -> tuple[np.ndarray, list[np.ndarray] | None, int, float]:
    """Steps 2–3: the page turned upright and level; the text lines found on the way (None when none were
    looked for: `turned` given); the quarter turns and skew applied (given ones are applied, not measured)."""
    from . import raster

    if not straighten:
        return gray, None, 0, 0.0
    quads = None
    if turned is None:
        turned = 0
        quads = _detect(engine, gray, det_scale)
        if _sideways(quads):
            gray = raster.turn(gray, 1)
            turned = 90
            quads = _detect(engine, gray, det_scale)
        if _upside_down(engine, gray, quads):
            gray = raster.turn(gray, 2)
            turned = (turned + 180) % 360
            h, w = gray.shape
            quads = [np.array([[w, h]]) - q for q in quads]
    elif turned:
        gray = raster.turn(gray, turned // 90)
    if skew is None:
        skew = raster.measure_skew(raster.ink_mask(gray))
    if abs(skew) >= 0.05:
        matrix = raster.rotation_matrix(gray.shape, skew)
        gray = raster.rotate(gray, skew)
        if quads is not None:
            quads = [q @ matrix[:, :2].T + matrix[:, 2] for q in quads]
    return gray, quads, turned, skew


def _rules_erased(gray: np.ndarray, px_per_pt: float):
    """Step 4: (horizontal rules, vertical rules, the image without them, its ink)."""
    from . import raster

    ink = raster.ink_mask(gray)
    h_mask, v_mask = raster.light_rules(gray, px_per_pt, *raster.line_masks(ink, px_per_pt))
    lines = np.maximum(h_mask, v_mask)
    if not lines.any():
        return h_mask, v_mask, gray, ink
    clean = raster.erase(gray, lines, px_per_pt)
    return h_mask, v_mask, clean, raster.ink_mask(clean)


def _render(doc, page_no: int, dpi: float, settings: OcrSettings):
    """Step 1: the page in gray at (at most) `dpi`, red stamps whitened; its pixels per point; its size in
    points as displayed (of the MediaBox, as the text-layer reader gives it); where the rendered crop box
    starts in those coordinates; its /Rotate; how many stamp pixels were whitened."""
    from . import raster

    page = doc[page_no - 1]
    try:
        media = page.get_mediabox()
        crop = page.get_cropbox()
        rotation = page.get_rotation() % 360
        to_page = display_transform(media, rotation)
        width, height = media[2] - media[0], media[3] - media[1]
        if rotation in (90, 270):
            width, height = height, width
        shown = page.get_size()  # the crop box as displayed: what pdfium renders
        scale = render_scale(*shown, settings.max_pixels, dpi / 72)
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
        image = bitmap.to_numpy()[..., :3]
        stamp = 0
        if settings.remove_stamps:
            image, stamp = raster.suppress_red(image)
        gray = raster.to_gray(image)
        del image
        bitmap.close()
    finally:
        page.close()
    corners = [to_page(crop[0], crop[1]), to_page(crop[2], crop[3])]
    offset = (min(x for x, _ in corners), min(t for _, t in corners))
    return gray, scale, (width, height), offset, rotation, stamp


def _detect(engine, gray: np.ndarray, scale: float) -> list[np.ndarray]:
    """Text-line quadrilaterals in full-resolution pixels, found on a copy reduced by `scale`."""
    import cv2

    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    return [np.asarray(q, dtype=np.float64) / scale for q in engine.detect(small)]


def _extent(q: np.ndarray) -> tuple[float, float, float, float]:
    return float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max())


def _sideways(quads: list[np.ndarray]) -> bool:
    """Mostly tall text lines: the page lies on its side (square boxes, single characters, say nothing)."""
    tall = wide = 0
    for q in quads:
        x0, top, x1, bottom = _extent(q)
        w, h = x1 - x0, bottom - top
        tall += h > 2 * w
        wide += w > 2 * h
    return tall >= 3 and tall > 2 * wide


def _upside_down(engine, gray: np.ndarray, quads: list[np.ndarray], voters: int = 24) -> bool:
    """The classifier's vote on the page's longest text lines (numbers read upside down look alike, long
    lines do not): upside down when most of them say so, surely."""
    long = sorted((_extent(q) for q in quads), key=lambda b: b[2] - b[0], reverse=True)
    long = [b for b in long if b[2] - b[0] >= 3 * (b[3] - b[1])][:voters]
    if len(long) < 3:
        return False
    crops = [gray[int(t):int(np.ceil(b)), int(x0):int(np.ceil(x1))] for x0, t, x1, b in long]
    votes = engine.upside_down([c for c in crops if c.size])
    flipped = sum(turned and score >= 0.9 for turned, score in votes)
    return flipped > len(votes) / 2


def _merged(quads: list[np.ndarray]) -> list[np.ndarray]:
    """Step 2a: text lines the detector found twice, overlapping on the same line (a box over '259.15' and
    another over its last '5'), become one box: read twice, the overlap would print twice ('259.155')."""
    boxes = [list(_extent(q)) for q in quads]
    merged = True
    while merged:
        merged = False
        boxes.sort(key=lambda b: (b[1], b[0]))
        out: list[list[float]] = []
        for b in boxes:
            for m in out:
                overlap_x = min(m[2], b[2]) - max(m[0], b[0])
                overlap_y = min(m[3], b[3]) - max(m[1], b[1])
                if overlap_x > 0 and overlap_y >= 0.5 * min(m[3] - m[1], b[3] - b[1]):
                    m[:] = [min(m[0], b[0]), min(m[1], b[1]), max(m[2], b[2]), max(m[3], b[3])]
                    merged = True
                    break
            else:
                out.append(b)
        boxes = out
    return [np.array([[x0, top], [x1, top], [x1, bottom], [x0, bottom]], dtype=np.float64)
            for x0, top, x1, bottom in boxes]


def _missed(quads: list[np.ndarray], ink: np.ndarray, px_per_pt: float, rules: list = ()) -> list[np.ndarray]:
    """Step 2b: printed ink no text line covers, grouped into words — the detector now and then passes over
    a short run ('二、' before a long label, a lone digit, the 一 of '一、一般公共服务支出'); it is read all the
    same. Marks are grouped across gaps up to _WORD_GAP points wide and half a text line high (the strokes
    of 二 and 三). A group on a detected line and within _WORD_GAP of it joins that line (read with its
    neighbours, a lone 一 is not taken for a dash; never across a vertical rule, `rules` as _components gives); a
    group on its own must be _MIN_MARK / 2 points thick
    and _MIN_MARK × 2 long, and any group at least a pixel thick: smaller ones are specks. Returns all the
    lines, those extended and those added."""
    import cv2

    covered = np.zeros_like(ink)
    margin = max(1, int(round(0.5 * px_per_pt)))
    heights = []
    for q in quads:
        x0, top, x1, bottom = _extent(q)
        heights.append(bottom - top)
        covered[max(0, int(top) - margin):int(bottom) + margin + 1, max(0, int(x0) - margin):int(x1) + margin + 1] = 255
    left = cv2.bitwise_and(ink, cv2.bitwise_not(covered))
    boxes = [list(_extent(q)) for q in quads]
    if not left.any():
        return quads
    line = float(np.median(heights)) if heights else 12 * px_per_pt
    gap_w, gap_h = max(3, int(round(_WORD_GAP * px_per_pt))), max(3, int(round(0.5 * line)))
    grouped = cv2.dilate(left, cv2.getStructuringElement(cv2.MORPH_RECT, (gap_w, gap_h)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    smallest = _MIN_MARK * px_per_pt
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        window = left[y:y + h, x:x + w] & (labels[y:y + h, x:x + w] == i).astype(np.uint8) * 255
        rows, cols = np.flatnonzero(window.any(axis=1)), np.flatnonzero(window.any(axis=0))
        if rows.size == 0:
            continue
        x0, x1, top, bottom = x + cols[0], x + cols[-1] + 1, y + rows[0], y + rows[-1] + 1
        if max(x1 - x0, bottom - top) < 2 * smallest or min(x1 - x0, bottom - top) < 2:
            continue
        if not _attach(boxes, (x0, top, x1, bottom), gap_w, rules) and min(x1 - x0, bottom - top) >= smallest / 2:
            boxes.append([x0, top, x1, bottom])
    return [np.array([[x0, top], [x1, top], [x1, bottom], [x0, bottom]], dtype=np.float64)
            for x0, top, x1, bottom in boxes]


def _attach(boxes: list[list[float]], mark: tuple[int, int, int, int], gap: float, rules: list) -> bool:
    """Extend the nearest line box beside `mark` (on its line, at most `gap` away, no vertical rule between
    them) to take it in; False when there is none."""
    x0, top, x1, bottom = mark
    middle = (top + bottom) / 2
    best, best_gap = None, None
    for b in boxes:
        apart = max(b[0] - x1, x0 - b[2])
        if apart > gap or min(b[3], bottom) - max(b[1], top) < 0.5 * (bottom - top):
            continue
        lo, hi = (x1, b[0]) if b[0] >= x1 else (b[2], x0)
        if any(lo <= (a + z) / 2 <= hi and t <= middle <= bt for a, z, t, bt in rules):
            continue  # the other side of a rule: another cell
        if best_gap is None or apart < best_gap:
            best, best_gap = b, apart
    if best is None:
        return False
    best[:] = [min(best[0], x0), min(best[1], top), max(best[2], x1), max(best[3], bottom)]
    return True


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [(int(x), int(x + w), int(y), int(y + h)) for x, y, w, h, _ in stats[1:]]


def _pieces(quads: list[np.ndarray], ink: np.ndarray, vertical: list, horizontal: list) -> list[_Piece]:
    """Step 5: each text line cut at the rules crossing it, each part trimmed to its ink."""
    from .raster import ink_span

    height, width = ink.shape
    pieces: list[_Piece] = []
    for q in quads:
        x0, top, x1, bottom = _extent(q)
        x0, top = max(0, int(x0)), max(0, int(top))
        x1, bottom = min(width, int(np.ceil(x1))), min(height, int(np.ceil(bottom)))
        if x1 - x0 < 2 or bottom - top < 2:
            continue
        bands = _cut(top, bottom, [(t, b) for a, z, t, b in horizontal
                                   if min(z, x1) - max(a, x0) > 0.5 * (x1 - x0) and top < (t + b) / 2 < bottom])
        for band_top, band_bottom in bands:
            spans = _cut(x0, x1, [(a, z) for a, z, t, b in vertical
                                  if min(b, band_bottom) - max(t, band_top) > 0.5 * (band_bottom - band_top)
                                  and x0 < (a + z) / 2 < x1])
            for lo, hi in spans:
                window = ink[band_top:band_bottom, lo:hi]
                rows = ink_span(window, 0)
                cols = ink_span(window, 1)
                if rows is None or cols is None:
                    continue
                piece = _Piece(lo + cols[0], band_top + rows[0], lo + cols[1], band_top + rows[1], lo, hi)
                if piece.bottom - piece.top >= 3:
                    pieces.append(piece)
    return pieces


def _cut(start: int, end: int, rules: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) without the spans of `rules` (each (from, to)): the parts between them."""
    parts, at = [], start
    for a, z in sorted(rules):
        if a > at:
            parts.append((at, min(a, end)))
        at = max(at, z)
    if at < end:
        parts.append((at, end))
    return [(a, z) for a, z in parts if z - a >= 2]


def _recognise(engine, clean: np.ndarray, pieces: list[_Piece], px_per_pt: float,
               offset: tuple[float, float], min_score: float) -> list[dict]:
    height, width = clean.shape
    crops, boxes = [], []
    for p in pieces:
        h = p.bottom - p.top
        pad_x, pad_y = max(2, int(0.3 * h)), max(2, int(0.2 * h))
        cx0, cx1 = max(p.lo, p.x0 - pad_x, 0), min(p.hi, p.x1 + pad_x, width)
        cy0, cy1 = max(0, p.top - pad_y), min(height, p.bottom + pad_y)
        crops.append(clean[cy0:cy1, cx0:cx1])
        boxes.append((cx0, cx1))
    chars: list[dict] = []
    for p, (cx0, cx1), found in zip(pieces, boxes, engine.recognize(crops)):
        if not found.text.strip() or found.score < min_score:
            continue
        chars += _place(found, p, cx0, cx1, px_per_pt, offset)
    return chars


def _place(found, p: _Piece, cx0: int, cx1: int, px_per_pt: float, offset: tuple[float, float]) -> list[dict]:
    """Step 6: a box for each recognised character, in points."""
    h = p.bottom - p.top
    text = found.text
    centres = [cx0 + pos * (cx1 - cx0) for pos in found.positions]
    spans = []
    for i, ch in enumerate(text):
        half = 0.5 * h * (1.0 if _wide(ch) else 0.6)
        left, right = centres[i] - half, centres[i] + half
        if i > 0:
            left = max(left, (centres[i - 1] + centres[i]) / 2)
        if i + 1 < len(centres):
            right = min(right, (centres[i] + centres[i + 1]) / 2)
        spans.append([max(left, p.x0), min(right, p.x1)])
    # the piece is trimmed to its ink: its first and last glyphs start and end where the ink does
    if spans and not text[0].isspace():
        spans[0][0] = p.x0
    if spans and not text[-1].isspace():
        spans[-1][1] = p.x1
    for i in range(len(text) - 1):
        # beside a CJK glyph the box is a guess ('、' sits left in its square): where the model read no space,
        # there is none; between narrow glyphs (digits) the gap is measured and stays
        if not text[i].isspace() and not text[i + 1].isspace() and (_wide(text[i]) or _wide(text[i + 1])):
            middle = (spans[i][1] + spans[i + 1][0]) / 2
            if spans[i + 1][0] > spans[i][1]:
                spans[i][1] = spans[i + 1][0] = middle
    out = []
    for i, ch in enumerate(text):
        left, right = spans[i]
        if right <= left:
            right = left + 0.1
        dx, dy = offset
        top, bottom = p.top / px_per_pt + dy, p.bottom / px_per_pt + dy
        out.append({"text": ch, "x0": left / px_per_pt + dx, "x1": right / px_per_pt + dx, "top": top,
                    "bottom": bottom, "size": bottom - top, "baseline": bottom,
                    "confidence": round(found.scores[i], 4)})
    return out


def _wide(ch: str) -> bool:
    return _WIDE[0] <= ord(ch) <= _WIDE[1]


def _shifted(edge: dict, offset: tuple[float, float]) -> dict:
    dx, dy = offset
    if not dx and not dy:
        return edge
    return {**edge, "x0": edge["x0"] + dx, "x1": edge["x1"] + dx, "top": edge["top"] + dy,
            "bottom": edge["bottom"] + dy}
