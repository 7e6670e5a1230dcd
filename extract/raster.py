"""A page as pixels, for OCR: rendering, stamps taken out, skew measured and undone, ruling lines found.

Small functions on numpy images (OpenCV does the pixel work), each testable alone; fiscalpdf.extract.ocr
chains them. Images are 8-bit: `gray` is 0 (black) … 255 (white); an `ink` mask is 255 where something is
printed. Coordinates are pixels, x right and y down from the top-left of the page as displayed.

Rules:
1. A red stamp (seal) is not text: pixels whose hue is red and whose colour is strong turn white before
   anything is read. Black print under the stamp stays (it is dark, not red).
2. Skew is measured on a small copy of the page: the angle (within ±MAX_SKEW degrees) that makes the rows of
   ink sharpest — ruling lines and text lines alike — first in coarse steps, then in fine ones.
3. A ruling line is a run of ink (or, for long horizontal rules, `light_rules`, of pixels darker than what
   surrounds them) at least `min_h` (horizontal) or `min_v` (vertical) long, found by
   morphological opening with a line-shaped kernel. A horizontal run shorter than `long_h` counts only where
   it touches a vertical line, and a vertical run only where it touches a horizontal one: table rules meet
   each other, glyph strokes (一, 丨, the bar of a large 1) meet nothing.
4. Each line becomes an edge like pdfium's (`object_type`, x0, x1, top, bottom, width, height,
   `orientation` 'h'/'v'), in points: a horizontal edge has top == bottom at the line's centre.
5. A table printed to the page's edge loses its outer rule in the image (drawn at x = -0.4 pt, it is not on the
   page; straightening a skewed scan cuts the lines a little more): where two horizontal rules or more end
   within BORDER_PT of the image's left or right border and no vertical rule closes them there, they run on to
   the border and a vertical edge along it closes them (the same for vertical rules at the top and bottom).
   Without it the first column, codes and all, lies outside every cell.
"""

from __future__ import annotations

import cv2
import numpy as np

MAX_SKEW = 3.0  # degrees: a scan tilted more than this is not straightened (and is rare)
_SKEW_WIDTH = 1200  # px: the long side of the copy on which skew is measured


def to_gray(bgr: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if bgr.ndim == 3 else bgr


def suppress_red(bgr: np.ndarray, min_saturation: int = 70, min_value: int = 60) -> tuple[np.ndarray, int]:
    """Rule 1: the image with strong red turned white, and how many pixels were turned."""
    if bgr.ndim != 3:
        return bgr, 0
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    # OpenCV hue runs 0–179: red wraps around 0
    red = ((hue <= 10) | (hue >= 165)) & (sat >= min_saturation) & (val >= min_value)
    count = int(red.sum())
    if count:
        bgr = bgr.copy()
        bgr[red] = 255
    return bgr, count


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """255 where something is printed: Otsu's threshold, never above 200 (a page of almost nothing but paper
    would otherwise count its JPEG noise as ink)."""
    level, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, mask = cv2.threshold(gray, min(level, 200), 255, cv2.THRESH_BINARY_INV)
    return mask


def measure_skew(ink: np.ndarray, max_skew: float = MAX_SKEW) -> float:
    """Rule 2: the angle in degrees (counter-clockwise positive, as cv2.getRotationMatrix2D takes it) by which
    the page must be turned for its rows of ink to be level."""
    scale = min(1.0, _SKEW_WIDTH / max(ink.shape))
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else ink
    small = small.astype(np.float32)

    def sharpness(angle: float) -> float:
        rows = _rotate(small, angle, border=0.0).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-max_skew, max_skew + 1e-9, 0.25), key=sharpness)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.025), key=sharpness)
    return round(float(best), 3)


def rotate(image: np.ndarray, angle: float, border: int = 255) -> np.ndarray:
    """The image turned by `angle` degrees about its centre, the same size, corners filled with `border`."""
    return _rotate(image, angle, border)


def _rotate(image: np.ndarray, angle: float, border) -> np.ndarray:
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border)


def rotation_matrix(shape: tuple[int, ...], angle: float) -> np.ndarray:
    h, w = shape[:2]
    return cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)


RULE_CONTRAST = 25  # gray levels a light rule is darker than the paper or shading around it
LIGHT_RULE_MIN = 72.0  # pt: a light horizontal rule is a table's (a glyph's stroke, light fringe and all, is shorter)


def light_rules(gray: np.ndarray, px_per_pt: float, h_mask: np.ndarray, v_mask: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """Rule 3, light rules: `h_mask` (found on Otsu's ink) with the horizontal rules added that are only darker by
    RULE_CONTRAST than their surroundings (the page with thin dark strokes closed over, 3 pt across): light gray
    rules on a shaded header (Beijing's 报表: ~190 on ~240) lie above any global threshold that leaves the paper
    white, and Otsu finds them in pieces. Only rules LIGHT_RULE_MIN long or more, and only their pixels away from
    the rules already found (those keep their width and place). Vertical ones are not added: the light fringe of
    a column of glyphs one row under the other would pass for one (measured on Xi'an's tables)."""
    k = max(3, int(round(3 * px_per_pt)) | 1)
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    _, local = cv2.threshold(cv2.subtract(background, gray), RULE_CONTRAST, 255, cv2.THRESH_BINARY)
    light_h, _ = line_masks(local, px_per_pt)
    light_h = _keep_components(light_h, lambda width, window, inside: width >= LIGHT_RULE_MIN * px_per_pt)
    light_h[cv2.dilate(np.maximum(h_mask, v_mask), cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))) > 0] = 0
    return np.maximum(h_mask, light_h), v_mask


def turn(image: np.ndarray, quarter_turns: int) -> np.ndarray:
    """The image turned clockwise by 90° × quarter_turns (exact, no resampling)."""
    return np.ascontiguousarray(np.rot90(image, k=-(quarter_turns % 4)))


def line_masks(ink: np.ndarray, px_per_pt: float, min_h: float = 24.0, min_v: float = 12.0,
               long_h: float = 72.0, short_v: float = 5.0) -> tuple[np.ndarray, np.ndarray]:
    """Rule 3: masks of the horizontal and vertical ruling lines (lengths in points). A vertical run from
    `short_v` up to `min_v` long counts only where both its ends meet horizontal lines: the dividers of a
    single row printed small (a table's last row alone on a page, 10 pt high), never a glyph's stroke."""
    def opened(length_pt: float, horizontal: bool) -> np.ndarray:
        n = max(5, int(round(length_pt * px_per_pt)))
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1) if horizontal else (1, n))
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        # bridge gaps of a point or two (a rule broken by JPEG noise or a faint scan)
        bridge = max(3, int(round(2 * px_per_pt)))
        return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(
            cv2.MORPH_RECT, (bridge, 1) if horizontal else (1, bridge)))

    h_mask, v_mask = opened(min_h, True), opened(short_v, False)
    reach = max(3, int(round(2 * px_per_pt)))
    grow = cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach))
    h_near = cv2.dilate(h_mask, grow)
    long_v = min_v * px_per_pt

    def rule(width, window, inside) -> bool:
        rows = np.flatnonzero(inside.any(axis=1))
        if rows[-1] - rows[0] + 1 >= long_v:
            return bool(h_near[window][inside].any())
        near = h_near[window] > 0
        return bool((near[rows[0]] & inside[rows[0]]).any() and (near[rows[-1]] & inside[rows[-1]]).any())

    v_mask = _keep_components(v_mask, rule)
    v_near = cv2.dilate(v_mask, grow)
    long_px = long_h * px_per_pt
    h_mask = _keep_components(h_mask, lambda width, window, inside: width >= long_px
                              or bool(v_near[window][inside].any()))
    return h_mask, v_mask


def _keep_components(mask: np.ndarray, keep) -> np.ndarray:
    """The mask with only the connected components for which keep(width, window, inside) holds: `window` is
    the component's bounding box as slices, `inside` its pixels within that box."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = np.zeros_like(mask)
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        window = (slice(y, y + h), slice(x, x + w))
        inside = labels[window] == i
        if keep(w, window, inside):
            out[window][inside] = 255
    return out


def edges_from_masks(h_mask: np.ndarray, v_mask: np.ndarray, px_per_pt: float) -> list[dict]:
    """Rule 4: one edge per connected line, in points."""
    edges = []
    for mask, orientation in ((h_mask, "h"), (v_mask, "v")):
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, w, h = (float(v) for v in stats[i, :4])
            x0, top, x1, bottom = x / px_per_pt, y / px_per_pt, (x + w) / px_per_pt, (y + h) / px_per_pt
            if orientation == "h":
                top = bottom = (top + bottom) / 2
            else:
                x0 = x1 = (x0 + x1) / 2
            edges.append({"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                          "width": x1 - x0, "height": bottom - top, "orientation": orientation})
    return edges


# pt: a rule ending this close to the image's border was cut by it — the page's own edge, or the white wedge that
# straightening a skewed scan leaves along it (up to ~6 pt on A4 at 0.4°, ~15 pt at 1°)
BORDER_PT = 15.0
_CLOSED_PT = 3.0  # a rule within this distance of the border's line already closes the lines cut there


def closed_at_borders(edges: list[dict], width: float, height: float) -> list[dict]:
    """Rule 5: each line cut by a border that two lines or more run to and nothing closes runs on to the border,
    and a rule along the border closes them."""
    edges = _border_rules(edges, width)
    return [_transposed(e) for e in _border_rules([_transposed(e) for e in edges], height)]


def _border_rules(edges: list[dict], width: float) -> list[dict]:
    """`edges` with the horizontal lines cut by the left or right border (x = 0 or width) run on to it and closed
    there by a vertical rule."""
    lines = [e for e in edges if e["orientation"] == "h"]
    verticals = [e for e in edges if e["orientation"] == "v"]
    added = []
    extended: dict[int, dict] = {}
    for side, x in (("x0", 0.0), ("x1", width)):
        cut = [e for e in lines if abs(e[side] - x) <= BORDER_PT]
        if len(cut) < 2:
            continue
        top, bottom = min(e["top"] for e in cut), max(e["top"] for e in cut)
        nearest = min(e[side] for e in cut) if side == "x0" else max(e[side] for e in cut)
        if any(abs(v["x0"] - nearest) <= _CLOSED_PT and v["top"] <= top + _CLOSED_PT
               and v["bottom"] >= bottom - _CLOSED_PT for v in verticals):
            continue  # the table's own outer rule is in the image
        for e in cut:
            line = extended.setdefault(id(e), dict(e))
            line[side] = x
            line["width"] = line["x1"] - line["x0"]
        added.append({"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0,
                      "height": bottom - top, "orientation": "v"})
    return [extended.get(id(e), e) for e in edges] + added


def _transposed(e: dict) -> dict:
    """The edge mirrored about the diagonal: x ↔ y, 'h' ↔ 'v'."""
    return {**e, "x0": e["top"], "x1": e["bottom"], "top": e["x0"], "bottom": e["x1"], "width": e["height"],
            "height": e["width"], "orientation": "v" if e["orientation"] == "h" else "h"}


def erase(gray: np.ndarray, mask: np.ndarray, px_per_pt: float) -> np.ndarray:
    """The image with the masked pixels (and a pixel or so around them, the anti-aliased fringe) turned white."""
    grow = max(1, int(round(0.5 * px_per_pt)))
    wide = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * grow + 1, 2 * grow + 1)))
    out = gray.copy()
    out[wide > 0] = 255
    return out


def ink_span(ink: np.ndarray, axis: int) -> tuple[int, int] | None:
    """First and last index along `axis` (0: rows, 1: columns) holding ink, or None."""
    profile = np.flatnonzero(ink.any(axis=1 - axis))
    if profile.size == 0:
        return None
    return int(profile[0]), int(profile[-1]) + 1

