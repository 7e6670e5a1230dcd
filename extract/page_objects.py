"""One page's objects — characters, ruling edges, images — read by pdfium, or by pdfplumber where pdfium cannot.

pdfium reads a page in a few milliseconds where pdfminer's layout analysis takes tens, so it is the first
reader of every page: the locator's text pass, and the first-stage grid extractor (fiscalpdf.extract.grid_finder,
pdfplumber's table-finding rules over these edges). The dicts carry the keys pdfplumber's carry and this
project uses — text, x0, x1, top, bottom, size for characters; x0, x1, top, bottom, width, height,
orientation, object_type for edges — with `top` measured down from the top of the MediaBox, so the rules
written for pdfplumber's objects hold for these unchanged.

pdfium is called through cffi (fiscalpdf.extract.native), which costs a fraction of pypdfium2's ctypes calls:
- characters: the page's text in one call (`FPDFText_GetText`), then five calls a character for its box,
  origin, size and whether it maps to Unicode. `GetText` writes U+FFFE where `FPDFText_GetUnicode` returns a
  control code (a hyphen pdfium took for a line-end one, 0x02): for those the code is asked for by itself, and
  when the text's length is not one unit per character the codes are all asked for one by one. Only a space, a
  carriage return or a line feed can be a character pdfium generated (`FPDFText_IsGenerated` is asked only
  about those).
- edges: a path that is one straight line (a stroked rule) or an upright rectangle (a filled cell border) —
  all but a few dozen of the corpus's 131,000 paths — gives its edges from its corners, without the
  per-segment walk; any other path is walked segment by segment, as pdfminer splits it. Both give the same
  edges (fiscalpdf.extract.reference_reader keeps the first reader, and tests/extract/
  test_readers_differential.py compares them on every page of the samples and the corpus).

Both loops — per character and per path segment — run compiled where the install could build
extract/_page_reader.c (a transcription of `_read_chars` and `_read_objects`, call for call: pypdfium2's library
reached through the addresses cffi gives, nothing linked): 1.2 ms a page instead of 6.4 over the samples, corpus,
crawl and bad PDFs (5,840 pages, identical by repr). Without a compiler the install leaves it out and the Python
loops read; tests/extract/test_compiled_reader.py holds the two to the same objects on every page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import pypdfium2 as pdfium

from .native import ffi, handle, lib

try:  # the character and path loops below, compiled (extract/_page_reader.c); absent where nothing could build it
    from . import _page_reader as _compiled
except ImportError:
    _compiled = None

# pdfium's functions the compiled loops call, in the order _page_reader.bind takes their addresses
_BOUND = ("FPDFText_CountChars", "FPDFText_GetText", "FPDFText_GetUnicode", "FPDFText_IsGenerated",
          "FPDFText_HasUnicodeMapError", "FPDFText_GetLooseCharBox", "FPDFText_GetCharOrigin", "FPDFText_GetFontSize",
          "FPDFText_GetMatrix", "FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType",
          "FPDFPageObj_GetMatrix", "FPDFPageObj_GetBounds", "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject",
          "FPDFPath_GetDrawMode", "FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPathSegment_GetPoint",
          "FPDFPathSegment_GetType", "FPDFPathSegment_GetClose")
if _compiled is not None:
    _compiled.bind(tuple(int(ffi.cast("uintptr_t", getattr(lib, name))) for name in _BOUND))


def _address(pointer) -> int:
    return int(ffi.cast("uintptr_t", pointer))

_EDGE_SNAP = 0.01  # a segment whose ends differ less than this in x (y) is vertical (horizontal)
RULED_SHAPES = 6  # a page drawing this many lines or rectangles is ruled (a table's frame at the least)

# pdfium's constants (fpdf_edit.h)
_PATH, _IMAGE, _FORM = 2, 3, 5
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
_CONTROL = 0xFFFE  # what FPDFText_GetText writes for a control code
_GENERATED = (0x20, 0x0D, 0x0A)  # the only characters pdfium generates: spaces and line breaks


@dataclass
class PageObjects:
    page_no: int
    width: float
    height: float
    rotation: int
    chars: list[dict]
    _edges: list[dict] | None  # None until asked for: only pages whose grid is read need them
    image_boxes: list[tuple[float, float, float, float]]  # x0, top, x1, bottom
    unmapped_chars: int  # characters the reader could not map to Unicode
    # lines, rectangles and curves drawn (each subpath of a path is one, as pdfminer counts them): exact up to
    # RULED_SHAPES, a lower bound beyond — all it answers is whether the page is ruled
    shape_count: int
    reader: str = "pdfium"
    read_edges: Callable[[], list[dict]] | None = None
    garbled: bool | None = None  # whether the text decodes to nonsense, once asked (fiscalpdf.extract.pdf)
    release: Callable[[], None] = lambda: None  # closes the reader's page, once the objects are no longer needed

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    @property
    def edges(self) -> list[dict]:
        if self._edges is None:
            self._edges = self.read_edges() if self.read_edges is not None else []
        return self._edges


def read_page(doc: pdfium.PdfDocument, page_no: int) -> PageObjects:
    """The page's characters, image boxes and shape count now; its edges when first asked for, from the same
    loaded page (a damaged page that loads once may not load twice). The caller releases it."""
    page = doc[page_no - 1]
    try:
        box = page.get_mediabox()
        rotation = page.get_rotation() % 360
        textpage = page.get_textpage()
        try:
            chars, unmapped = read_chars(handle(textpage.raw), box, rotation)
        finally:
            textpage.close()
        _, images, shapes = _objects(handle(page.raw), box, rotation, with_edges=False)
    except BaseException:
        page.close()
        raise
    width, height = box[2] - box[0], box[3] - box[1]
    if rotation in (90, 270):
        width, height = height, width
    return PageObjects(page_no, width, height, rotation, chars, None, images, unmapped, shapes,
                       read_edges=lambda: _objects(handle(page.raw), box, rotation, with_edges=True)[0],
                       release=page.close)


def display_transform(mediabox: tuple[float, float, float, float], rotation: int):
    """PDF user space (y up) → the page as displayed, x right and `top` down from its top edge, after
    /Rotate — the coordinates pdfplumber (through pdfminer's device matrix) gives its objects."""
    x0, y0, x1, y1 = mediabox
    if rotation == 90:
        return lambda x, y: (y - y0, x - x0)
    if rotation == 180:
        return lambda x, y: (x1 - x, y - y0)
    if rotation == 270:
        return lambda x, y: (y1 - y, x1 - x)
    return lambda x, y: (x - x0, y1 - y)


def read_chars(textpage, mediabox: tuple[float, float, float, float], rotation: int) -> tuple[list[dict], int]:
    """The page's characters (pdfium's generated spaces and line breaks left out) and how many of them pdfium
    could not map to Unicode. `textpage` is a cffi handle (fiscalpdf.extract.native.handle)."""
    if _compiled is not None:
        return _compiled.chars(_address(textpage), *mediabox, rotation)
    return _read_chars(textpage, mediabox, rotation)


def _read_chars(textpage, mediabox: tuple[float, float, float, float], rotation: int) -> tuple[list[dict], int]:
    """read_chars in Python: what the compiled loop does, call for call."""
    n = lib.FPDFText_CountChars(textpage)
    if n <= 0:
        return [], 0
    units = ffi.new("unsigned short[]", n + 1)
    if lib.FPDFText_GetText(textpage, 0, n, units) == n + 1:  # n units and the terminating NUL
        codes = ffi.unpack(units, n)
    else:
        codes = [lib.FPDFText_GetUnicode(textpage, i) for i in range(n)]
    get_unicode, is_generated = lib.FPDFText_GetUnicode, lib.FPDFText_IsGenerated
    map_error, get_box, get_origin = lib.FPDFText_HasUnicodeMapError, lib.FPDFText_GetLooseCharBox, \
        lib.FPDFText_GetCharOrigin
    get_size, get_matrix = lib.FPDFText_GetFontSize, lib.FPDFText_GetMatrix
    rect, m = ffi.new("FS_RECTF *"), ffi.new("FS_MATRIX *")
    origin = ffi.new("double[2]")
    origin_y = origin + 1
    sqrt = math.sqrt
    X0, Y0, X1, Y1 = mediabox
    out: list[dict] = []
    append = out.append
    unmapped = 0
    pending_high = None
    for i in range(n):
        code = codes[i]
        if code == _CONTROL:
            code = get_unicode(textpage, i)
        if code <= 0x20 and code in _GENERATED and is_generated(textpage, i):
            continue  # spaces and line breaks pdfium inferred; the layout rules infer their own
        if 0xD800 <= code <= 0xDBFF:
            pending_high = code
            continue
        if 0xDC00 <= code <= 0xDFFF and pending_high is not None:
            text = chr(0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00))
            pending_high = None
        else:
            text = chr(code) if code else "\ufffd"
        if code in (0, 0xFFFD, 0xFFFE) or map_error(textpage, i) == 1:
            unmapped += 1
        if code == 0x0D or code == 0x0A:
            continue
        get_box(textpage, i, rect)
        get_origin(textpage, i, origin, origin_y)
        size = get_size(textpage, i)
        if get_matrix(textpage, i, m):
            # the size the glyph is drawn at, as pdfminer reports it: the font size scaled by the text matrix
            # (pdfium's font size is the size set before scaling: 720 for a 36 pt title drawn at scale 0.05)
            size *= sqrt(abs(m.a * m.d - m.b * m.c))
        left, top, right, bottom = rect.left, rect.top, rect.right, rect.bottom
        # display_transform, written out: (left, top) → (ax, atop), (right, bottom) → (bx, btop)
        if rotation == 0:
            ax, atop, bx, btop, base = left - X0, Y1 - top, right - X0, Y1 - bottom, Y1 - origin_y[0]
        elif rotation == 90:
            ax, atop, bx, btop, base = top - Y0, left - X0, bottom - Y0, right - X0, origin[0] - X0
        elif rotation == 180:
            ax, atop, bx, btop, base = X1 - left, top - Y0, X1 - right, bottom - Y0, origin_y[0] - Y0
        else:
            ax, atop, bx, btop, base = Y1 - top, X1 - left, Y1 - bottom, X1 - right, X1 - origin[0]
        append({
            "text": text,
            "x0": bx if bx < ax else ax,  # min(ax, bx) and max(ax, bx), as min and max pick among equals
            "x1": bx if bx > ax else ax,
            "top": btop if btop < atop else atop,
            "bottom": btop if btop > atop else atop,
            "size": size,
            "baseline": base,
        })
    return out, unmapped


def _objects(page, box: tuple[float, float, float, float], rotation: int,
             with_edges: bool) -> tuple[list[dict], list[tuple], int]:
    """Edges of every path (only when asked for), image boxes and the number of shapes drawn, descending into
    form XObjects with their matrices. `page` is a cffi handle."""
    if _compiled is not None:
        return _compiled.objects(_address(page), *box, rotation, with_edges)
    return _read_objects(page, box, rotation, with_edges)


def _read_objects(page, box: tuple[float, float, float, float], rotation: int,
                  with_edges: bool) -> tuple[list[dict], list[tuple], int]:
    """_objects in Python: what the compiled loop does, call for call."""
    edges: list[dict] = []
    images: list[tuple] = []
    shapes = 0
    to_page = display_transform(box, rotation)
    matrix = ffi.new("FS_MATRIX *")
    mode = ffi.new("int[2]")
    stroke = mode + 1
    bounds = ffi.new("float[4]")
    b1, b2, b3 = bounds + 1, bounds + 2, bounds + 3
    point = ffi.new("float[2]")
    get_type, draw_mode, get_matrix = lib.FPDFPageObj_GetType, lib.FPDFPath_GetDrawMode, lib.FPDFPageObj_GetMatrix

    def walk(count, get, parent, outer):
        nonlocal shapes
        for i in range(count):
            obj = get(parent, i)
            kind = get_type(obj)
            if kind == _PATH:
                if not draw_mode(obj, mode, stroke) or (mode[0] == 0 and not stroke[0]):
                    continue  # neither filled nor stroked: nothing is drawn
                if not with_edges:  # counting: each subpath while few, then each path (cheaper, as many)
                    shapes += _subpaths(obj) if shapes < RULED_SHAPES else 1
                    continue
                get_matrix(obj, matrix)
                m = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
                if outer is not None:
                    m = _compose(m, outer)
                shapes += _path_edges(obj, _mapping(m, box, rotation), edges, point)
            elif kind == _IMAGE:
                lib.FPDFPageObj_GetBounds(obj, bounds, b1, b2, b3)
                ax, atop = to_page(*_apply(outer or _IDENTITY, bounds[0], bounds[1]))
                bx, btop = to_page(*_apply(outer or _IDENTITY, bounds[2], bounds[3]))
                images.append((min(ax, bx), min(atop, btop), max(ax, bx), max(atop, btop)))
            elif kind == _FORM:
                get_matrix(obj, matrix)
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer or _IDENTITY)
                walk(lib.FPDFFormObj_CountObjects(obj), lib.FPDFFormObj_GetObject, obj, m)

    # outer None: the page itself (composing with the identity would change nothing but the sign of a zero)
    walk(lib.FPDFPage_CountObjects(page), lib.FPDFPage_GetObject, page, None)
    return edges, images, shapes


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _subpaths(obj) -> int:
    n = lib.FPDFPath_CountSegments(obj)
    segment, kind = lib.FPDFPath_GetPathSegment, lib.FPDFPathSegment_GetType
    starts = sum(kind(segment(obj, k)) == _MOVETO for k in range(n))
    return starts if n > starts else 0


def _mapping(m, box: tuple[float, float, float, float], rotation: int):
    """A path's point → the page as displayed: the path's matrix `m`, then display_transform, in one function
    doing the same arithmetic in the same order (so the same floats) as display_transform(_apply(m, x, y))."""
    a, b, c, d, e, f = m
    X0, Y0, X1, Y1 = box
    if rotation == 90:
        return lambda x, y: (b * x + d * y + f - Y0, a * x + c * y + e - X0)
    if rotation == 180:
        return lambda x, y: (X1 - (a * x + c * y + e), b * x + d * y + f - Y0)
    if rotation == 270:
        return lambda x, y: (Y1 - (b * x + d * y + f), X1 - (a * x + c * y + e))
    return lambda x, y: (a * x + c * y + e - X0, Y1 - (b * x + d * y + f))


def _path_edges(obj, to_page, edges, point) -> int:
    """Append the path's edges; return how many subpaths drew something.

    Each subpath gives the edges between its consecutive points, a closed one back to its start, as pdfminer
    splits them. Two shapes make nearly every path of a ruled table and are read without the general walk: a
    straight line (move, line: a stroked rule) gives the edge between its two points; a closed four-sided
    figure (move, four lines back to the start: a filled cell border) its four sides.
    """
    n = lib.FPDFPath_CountSegments(obj)
    segment, kind, get_point = lib.FPDFPath_GetPathSegment, lib.FPDFPathSegment_GetType, lib.FPDFPathSegment_GetPoint
    point_y = point + 1
    if n == 2:
        second = segment(obj, 1)
        if kind(second) == _LINETO:
            get_point(segment(obj, 0), point, point_y)
            x0, y0 = to_page(point[0], point[1])
            get_point(second, point, point_y)
            x1, y1 = to_page(point[0], point[1])
            edges.append(_edge(x0, y0, x1, y1))
            return 1
    elif n == 5:
        closes = lib.FPDFPathSegment_GetClose
        segs = [segment(obj, k) for k in range(5)]
        if (kind(segs[1]) == kind(segs[2]) == kind(segs[3]) == kind(segs[4]) == _LINETO
                and not (closes(segs[0]) or closes(segs[1]) or closes(segs[2]) or closes(segs[3]))):
            raw = []
            for s in segs:
                get_point(s, point, point_y)
                raw.append((point[0], point[1]))
            if raw[4] == raw[0]:  # back to the start: four sides, closed or not
                p0, p1, p2, p3 = (to_page(x, y) for x, y in raw[:4])
                edges.append(_edge(*p0, *p1))
                edges.append(_edge(*p1, *p2))
                edges.append(_edge(*p2, *p3))
                edges.append(_edge(*p3, *p0))
                return 1
    return _walked_edges(obj, n, to_page, edges, point)


def _walked_edges(obj, n: int, to_page, edges, point) -> int:
    points: list[tuple[float, float]] = []
    shapes = 0
    point_y = point + 1

    def flush(closed: bool):
        nonlocal shapes
        if closed and len(points) > 2 and points[0] != points[-1]:
            points.append(points[0])
        if len(points) > 1:
            shapes += 1
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            edges.append(_edge(x0, y0, x1, y1))
        points.clear()

    for k in range(n):
        seg = lib.FPDFPath_GetPathSegment(obj, k)
        lib.FPDFPathSegment_GetPoint(seg, point, point_y)
        xy = to_page(point[0], point[1])
        if lib.FPDFPathSegment_GetType(seg) == _MOVETO:
            flush(False)
        points.append(xy)
        if lib.FPDFPathSegment_GetClose(seg):
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
    # min, max and abs written out (the same values, several times faster)
    left, right = (x1, x0) if x1 < x0 else (x0, x1)
    top, bottom = (y1, y0) if y1 < y0 else (y0, y1)
    return {"object_type": "path_edge", "x0": left, "x1": right, "top": top, "bottom": bottom,
            "width": right - left, "height": bottom - top, "orientation": orientation}


def _apply(m, x: float, y: float) -> tuple[float, float]:
    a, b, cc, d, e, f = m
    return a * x + cc * y + e, b * x + d * y + f


def _compose(inner, outer):
    """The matrix that applies `inner` first, then `outer`."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def from_plumber(page, page_no: int) -> PageObjects:
    """The same objects from a pdfplumber page (pdfminer parses it here): for pages pdfium cannot load. A glyph
    struck two or three times at small offsets (fake bold) is read once, as pdfium reads it (pdfplumber's
    `dedupe_chars`): otherwise a header reads '部门预预算算数'."""
    chars = page.dedupe_chars().chars
    images = [(float(im["x0"]), float(im["top"]), float(im["x1"]), float(im["bottom"])) for im in page.images]
    unmapped = sum(ch["text"].startswith("(cid:") for ch in chars)
    shapes = len(page.lines) + len(page.rects) + len(page.curves)
    return PageObjects(page_no, float(page.width), float(page.height), 0, chars, page.edges, images, unmapped,
                       shapes, reader="pdfplumber")
