"""The first pdfium reader, through pypdfium2's ctypes bindings: seven calls per character and four per path
segment, each edge built from its segment's two points. fiscalpdf.extract.page_objects reads the same objects
several times faster (cffi, edges of lines and upright rectangles from their bounds); this reader is kept as its
reference, and tests/extract/test_readers_differential.py compares the two on every page of the samples and
the corpus: identical characters, edges within 0.01 pt, the same cells.
"""

from __future__ import annotations

import ctypes
import math

import pypdfium2 as pdfium
import pypdfium2.raw as c

from .page_objects import RULED_SHAPES, PageObjects, display_transform

_EDGE_SNAP = 0.01  # a segment whose ends differ less than this in x (y) is vertical (horizontal)


def read_page(doc: pdfium.PdfDocument, page_no: int) -> PageObjects:
    """The page's characters, image boxes and shape count now; its edges when first asked for, from the same
    loaded page (a damaged page that loads once may not load twice). The caller releases it."""
    page = doc[page_no - 1]
    try:
        box = page.get_mediabox()
        rotation = page.get_rotation() % 360
        to_page = display_transform(box, rotation)
        textpage = page.get_textpage()
        try:
            chars, unmapped = _chars(textpage.raw, to_page)
        finally:
            textpage.close()
        _, images, shapes = _objects(page.raw, to_page, with_edges=False)
    except BaseException:
        page.close()
        raise
    width, height = box[2] - box[0], box[3] - box[1]
    if rotation in (90, 270):
        width, height = height, width
    return PageObjects(page_no, width, height, rotation, chars, None, images, unmapped, shapes,
                       read_edges=lambda: _objects(page.raw, to_page, with_edges=True)[0], release=page.close)



def _chars(textpage, to_page) -> tuple[list[dict], int]:
    n = c.FPDFText_CountChars(textpage)
    rect = c.FS_RECTF()
    matrix = c.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    out: list[dict] = []
    unmapped = 0
    pending_high = None
    for i in range(n):
        if c.FPDFText_IsGenerated(textpage, i):
            continue  # spaces and line breaks pdfium inferred; the layout rules infer their own
        code = c.FPDFText_GetUnicode(textpage, i)
        if 0xD800 <= code <= 0xDBFF:
            pending_high = code
            continue
        if 0xDC00 <= code <= 0xDFFF and pending_high is not None:
            text = chr(0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00))
            pending_high = None
        else:
            text = chr(code) if code else "\ufffd"
        if code in (0, 0xFFFD, 0xFFFE) or c.FPDFText_HasUnicodeMapError(textpage, i) == 1:
            unmapped += 1
        if text in "\r\n":
            continue
        c.FPDFText_GetLooseCharBox(textpage, i, rect)
        c.FPDFText_GetCharOrigin(textpage, i, ox, oy)
        ax, atop = to_page(rect.left, rect.top)
        bx, btop = to_page(rect.right, rect.bottom)
        out.append({
            "text": text,
            "x0": min(ax, bx),
            "x1": max(ax, bx),
            "top": min(atop, btop),
            "bottom": max(atop, btop),
            "size": _effective_size(textpage, i, matrix),
            "baseline": to_page(ox.value, oy.value)[1],
        })
    return out, unmapped


def _effective_size(textpage, i: int, matrix) -> float:
    """The size the glyph is drawn at, as pdfminer reports it: the font size scaled by the text matrix
    (pdfium's font size is the size set before scaling: 720 for a 36 pt title drawn at scale 0.05)."""
    size = c.FPDFText_GetFontSize(textpage, i)
    if c.FPDFText_GetMatrix(textpage, i, matrix):
        size *= math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    return size


def _objects(page, to_page, with_edges: bool) -> tuple[list[dict], list[tuple], int]:
    """Edges of every path (each segment of each subpath, as pdfminer splits them; only when asked for),
    image boxes and the number of shapes drawn, descending into form XObjects with their matrices."""
    edges: list[dict] = []
    images: list[tuple] = []
    shapes = 0
    matrix = c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    bl, bb, br, bt = (ctypes.c_float() for _ in range(4))

    def walk(count, get, parent, outer):
        nonlocal shapes
        for i in range(count):
            obj = get(parent, i)
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_PATH:
                if not c.FPDFPath_GetDrawMode(obj, fill, stroke) or (fill.value == 0 and not stroke.value):
                    continue  # neither filled nor stroked: nothing is drawn
                if not with_edges:  # counting: each subpath while few, then each path (cheaper, as many)
                    shapes += _subpaths(obj) if shapes < RULED_SHAPES else 1
                    continue
                c.FPDFPageObj_GetMatrix(obj, matrix)
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                shapes += _path_edges(obj, m, to_page, edges, x, y)
            elif kind == c.FPDF_PAGEOBJ_IMAGE:
                c.FPDFPageObj_GetBounds(obj, bl, bb, br, bt)
                ax, atop = to_page(*_apply(outer, bl.value, bb.value))
                bx, btop = to_page(*_apply(outer, br.value, bt.value))
                images.append((min(ax, bx), min(atop, btop), max(ax, bx), max(atop, btop)))
            elif kind == c.FPDF_PAGEOBJ_FORM:
                c.FPDFPageObj_GetMatrix(obj, matrix)
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                walk(c.FPDFFormObj_CountObjects(obj), c.FPDFFormObj_GetObject, obj, m)

    walk(c.FPDFPage_CountObjects(page), c.FPDFPage_GetObject, page, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return edges, images, shapes


def _subpaths(obj) -> int:
    n = c.FPDFPath_CountSegments(obj)
    starts = sum(c.FPDFPathSegment_GetType(c.FPDFPath_GetPathSegment(obj, k)) == c.FPDF_SEGMENT_MOVETO
                 for k in range(n))
    return starts if n > starts else 0


def _path_edges(obj, m, to_page, edges, x, y) -> int:
    """Append the path's edges; return how many subpaths drew something."""
    points: list[tuple[float, float]] = []
    shapes = 0

    def flush(closed: bool):
        nonlocal shapes
        if closed and len(points) > 2 and points[0] != points[-1]:
            points.append(points[0])
        if len(points) > 1:
            shapes += 1
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            edges.append(_edge(x0, y0, x1, y1))
        points.clear()

    for k in range(c.FPDFPath_CountSegments(obj)):
        seg = c.FPDFPath_GetPathSegment(obj, k)
        c.FPDFPathSegment_GetPoint(seg, x, y)
        point = to_page(*_apply(m, x.value, y.value))
        if c.FPDFPathSegment_GetType(seg) == c.FPDF_SEGMENT_MOVETO:
            flush(False)
        points.append(point)
        if c.FPDFPathSegment_GetClose(seg):
            flush(True)
    flush(False)
    return shapes


def _edge(x0: float, y0: float, x1: float, y1: float) -> dict:
    if abs(x0 - x1) < _EDGE_SNAP:
        orientation = "v"
        x1 = x0
    elif abs(y0 - y1) < _EDGE_SNAP:
        orientation = "h"
        y1 = y0
    else:
        orientation = None
    return {"object_type": "path_edge", "x0": min(x0, x1), "x1": max(x0, x1), "top": min(y0, y1),
            "bottom": max(y0, y1), "width": abs(x1 - x0), "height": abs(y1 - y0), "orientation": orientation}


def _apply(m, x: float, y: float) -> tuple[float, float]:
    a, b, cc, d, e, f = m
    return a * x + cc * y + e, b * x + d * y + f


def _compose(inner, outer):
    """The matrix that applies `inner` first, then `outer`."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)
