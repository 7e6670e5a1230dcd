/* fiscalpdf.extract._page_reader: the two loops of fiscalpdf.extract.page_objects that call pdfium once or more per
 * character and per path segment, written in C.
 *
 * Through cffi each pdfium call still costs a Python call and its argument conversions (a third of a microsecond),
 * and a page of 1,500 characters makes six of them a character; here the same calls are plain C calls. The module
 * links against nothing: pdfium's functions are reached through the addresses `bind` is given (those of the
 * library pypdfium2 loaded, taken by fiscalpdf.extract.native), so it builds with only a C compiler and the Python
 * headers, and an install without a compiler leaves it out and page_objects runs its Python loops.
 *
 * It is a transcription of the Python loops (read_chars, _objects and their helpers), not a second design: the
 * same calls in the same order, the same arithmetic in the same order on doubles (built with -ffp-contract=off, so
 * no fused multiply-add rounds differently), the same dicts with their keys in the same order. Where the Python
 * ignores a call's failure and reads what the shared buffer last held, so does this. The differential tests
 * (tests/extract/test_readers_differential.py) compare both on every page of the samples and the corpus.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>

typedef struct { float left, top, right, bottom; } FS_RECTF;
typedef struct { float a, b, c, d, e, f; } FS_MATRIX;

/* pdfium's functions, in the order `bind` takes their addresses (page_objects._BOUND lists the same names) */
static struct {
    int (*CountChars)(void *);
    int (*GetText)(void *, int, int, unsigned short *);
    unsigned int (*GetUnicode)(void *, int);
    int (*IsGenerated)(void *, int);
    int (*HasUnicodeMapError)(void *, int);
    int (*GetLooseCharBox)(void *, int, FS_RECTF *);
    int (*GetCharOrigin)(void *, int, double *, double *);
    double (*GetFontSize)(void *, int);
    int (*GetTextMatrix)(void *, int, FS_MATRIX *);
    int (*CountObjects)(void *);
    void *(*GetObject)(void *, int);
    int (*GetType)(void *);
    int (*GetObjMatrix)(void *, FS_MATRIX *);
    int (*GetBounds)(void *, float *, float *, float *, float *);
    int (*FormCountObjects)(void *);
    void *(*FormGetObject)(void *, unsigned long);
    int (*GetDrawMode)(void *, int *, int *);
    int (*CountSegments)(void *);
    void *(*GetPathSegment)(void *, int);
    int (*SegmentGetPoint)(void *, float *, float *);
    int (*SegmentGetType)(void *);
    int (*SegmentGetClose)(void *);
} F;
#define N_FUNCTIONS (sizeof(F) / sizeof(void *))
static int bound = 0;

enum { PATH = 2, IMAGE = 3, FORM = 5 };
enum { LINETO = 0, MOVETO = 2 };
#define RULED_SHAPES 6
#define EDGE_SNAP 0.01
#define CONTROL 0xFFFE

/* dict keys and constant values, made once */
static PyObject *k_text, *k_x0, *k_x1, *k_top, *k_bottom, *k_size, *k_baseline, *k_object_type, *k_width,
    *k_height, *k_orientation, *v_path_edge, *v_v, *v_h;

static int set_float(PyObject *dict, PyObject *key, double value) {
    PyObject *v = PyFloat_FromDouble(value);
    if (v == NULL) return -1;
    int rc = PyDict_SetItem(dict, key, v);
    Py_DECREF(v);
    return rc;
}

/* ---- characters (page_objects.read_chars) ------------------------------------------------------------------- */

static PyObject *chars(PyObject *self, PyObject *args) {
    unsigned long long address;
    double X0, Y0, X1, Y1;
    int rotation;
    if (!PyArg_ParseTuple(args, "Kddddi", &address, &X0, &Y0, &X1, &Y1, &rotation)) return NULL;
    if (!bound) {
        PyErr_SetString(PyExc_RuntimeError, "_page_reader.bind was not called");
        return NULL;
    }
    void *tp = (void *)(uintptr_t)address;
    int n = F.CountChars(tp);
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    if (n <= 0) return Py_BuildValue("(Ni)", out, 0);

    unsigned int *codes = PyMem_Malloc(sizeof(unsigned int) * (size_t)n);
    unsigned short *units = PyMem_Malloc(sizeof(unsigned short) * ((size_t)n + 1));
    if (codes == NULL || units == NULL) {
        PyMem_Free(codes);
        PyMem_Free(units);
        Py_DECREF(out);
        return PyErr_NoMemory();
    }
    memset(units, 0, sizeof(unsigned short) * ((size_t)n + 1));
    if (F.GetText(tp, 0, n, units) == n + 1) { /* n units and the terminating NUL */
        for (int i = 0; i < n; i++) codes[i] = units[i];
    } else {
        for (int i = 0; i < n; i++) codes[i] = F.GetUnicode(tp, i);
    }
    PyMem_Free(units);

    FS_RECTF rect = {0, 0, 0, 0};
    FS_MATRIX m = {0, 0, 0, 0, 0, 0};
    double origin_x = 0, origin_y = 0;
    long unmapped = 0;
    int has_pending = 0;
    unsigned int pending_high = 0;
    for (int i = 0; i < n; i++) {
        unsigned int code = codes[i];
        PyObject *text;
        if (code == CONTROL) code = F.GetUnicode(tp, i);
        if ((code == 0x20 || code == 0x0D || code == 0x0A) && F.IsGenerated(tp, i)) continue;
        if (0xD800 <= code && code <= 0xDBFF) {
            pending_high = code;
            has_pending = 1;
            continue;
        }
        if (0xDC00 <= code && code <= 0xDFFF && has_pending) {
            text = PyUnicode_FromOrdinal((int)(0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)));
            has_pending = 0;
        } else {
            /* beyond U+10FFFF: PyUnicode_FromOrdinal raises the ValueError chr() raises */
            text = PyUnicode_FromOrdinal(code == 0 ? 0xFFFD : code > 0x10FFFF ? 0x110000 : (int)code);
        }
        if (text == NULL) goto fail;
        if (code == 0 || code == 0xFFFD || code == 0xFFFE || F.HasUnicodeMapError(tp, i) == 1) unmapped++;
        if (code == 0x0D || code == 0x0A) {
            Py_DECREF(text);
            continue;
        }
        F.GetLooseCharBox(tp, i, &rect);
        F.GetCharOrigin(tp, i, &origin_x, &origin_y);
        double size = F.GetFontSize(tp, i);
        if (F.GetTextMatrix(tp, i, &m)) {
            /* the size the glyph is drawn at, as pdfminer reports it: see read_chars */
            size *= sqrt(fabs((double)m.a * (double)m.d - (double)m.b * (double)m.c));
        }
        double left = rect.left, top = rect.top, right = rect.right, bottom = rect.bottom;
        double ax, atop, bx, btop, base;
        if (rotation == 0) {
            ax = left - X0; atop = Y1 - top; bx = right - X0; btop = Y1 - bottom; base = Y1 - origin_y;
        } else if (rotation == 90) {
            ax = top - Y0; atop = left - X0; bx = bottom - Y0; btop = right - X0; base = origin_x - X0;
        } else if (rotation == 180) {
            ax = X1 - left; atop = top - Y0; bx = X1 - right; btop = bottom - Y0; base = origin_y - Y0;
        } else {
            ax = Y1 - top; atop = X1 - left; bx = Y1 - bottom; btop = X1 - right; base = X1 - origin_x;
        }
        PyObject *ch = PyDict_New();
        if (ch == NULL) {
            Py_DECREF(text);
            goto fail;
        }
        int rc = PyDict_SetItem(ch, k_text, text);
        Py_DECREF(text);
        if (rc < 0
            || set_float(ch, k_x0, bx < ax ? bx : ax) < 0
            || set_float(ch, k_x1, bx > ax ? bx : ax) < 0
            || set_float(ch, k_top, btop < atop ? btop : atop) < 0
            || set_float(ch, k_bottom, btop > atop ? btop : atop) < 0
            || set_float(ch, k_size, size) < 0
            || set_float(ch, k_baseline, base) < 0
            || PyList_Append(out, ch) < 0) {
            Py_DECREF(ch);
            goto fail;
        }
        Py_DECREF(ch);
    }
    PyMem_Free(codes);
    return Py_BuildValue("(Nl)", out, unmapped);
fail:
    PyMem_Free(codes);
    Py_DECREF(out);
    return NULL;
}

/* ---- edges, image boxes, shapes (page_objects._objects) --------------------------------------------------- */

typedef struct { double a, b, c, d, e, f; } Matrix;
static const Matrix IDENTITY = {1.0, 0.0, 0.0, 1.0, 0.0, 0.0};

typedef struct {
    double X0, Y0, X1, Y1;
    int rotation;
    int with_edges;
    PyObject *edges, *images;
    long shapes;
    /* buffers shared by every call, as the Python's are: a failed call leaves what the last one wrote */
    FS_MATRIX matrix;
    int fill, stroke;
    float bounds[4];
    float point[2];
} Walk;

/* display_transform: PDF user space → the page as displayed */
static void to_page(const Walk *w, double x, double y, double *px, double *py) {
    if (w->rotation == 90) { *px = y - w->Y0; *py = x - w->X0; }
    else if (w->rotation == 180) { *px = w->X1 - x; *py = y - w->Y0; }
    else if (w->rotation == 270) { *px = w->Y1 - y; *py = w->X1 - x; }
    else { *px = x - w->X0; *py = w->Y1 - y; }
}

/* _mapping: the path's matrix, then display_transform, the arithmetic in the Python's order */
static void mapped(const Walk *w, const Matrix *m, double x, double y, double *px, double *py) {
    if (w->rotation == 90) {
        *px = m->b * x + m->d * y + m->f - w->Y0; *py = m->a * x + m->c * y + m->e - w->X0;
    } else if (w->rotation == 180) {
        *px = w->X1 - (m->a * x + m->c * y + m->e); *py = m->b * x + m->d * y + m->f - w->Y0;
    } else if (w->rotation == 270) {
        *px = w->Y1 - (m->b * x + m->d * y + m->f); *py = w->X1 - (m->a * x + m->c * y + m->e);
    } else {
        *px = m->a * x + m->c * y + m->e - w->X0; *py = w->Y1 - (m->b * x + m->d * y + m->f);
    }
}

static Matrix compose(const Matrix *i, const Matrix *o) {
    Matrix r = {i->a * o->a + i->b * o->c, i->a * o->b + i->b * o->d, i->c * o->a + i->d * o->c,
                i->c * o->b + i->d * o->d, i->e * o->a + i->f * o->c + o->e, i->e * o->b + i->f * o->d + o->f};
    return r;
}

/* _edge */
static int add_edge(Walk *w, double x0, double y0, double x1, double y1) {
    PyObject *orientation = Py_None;
    if (fabs(x0 - x1) < EDGE_SNAP) {
        orientation = v_v;
        x1 = x0;
    } else if (fabs(y0 - y1) < EDGE_SNAP) {
        orientation = v_h;
        y1 = y0;
    }
    double left = x0, right = x1, top = y0, bottom = y1;
    if (x1 < x0) { left = x1; right = x0; }
    if (y1 < y0) { top = y1; bottom = y0; }
    PyObject *e = PyDict_New();
    if (e == NULL) return -1;
    if (PyDict_SetItem(e, k_object_type, v_path_edge) < 0
        || set_float(e, k_x0, left) < 0 || set_float(e, k_x1, right) < 0
        || set_float(e, k_top, top) < 0 || set_float(e, k_bottom, bottom) < 0
        || set_float(e, k_width, right - left) < 0 || set_float(e, k_height, bottom - top) < 0
        || PyDict_SetItem(e, k_orientation, orientation) < 0
        || PyList_Append(w->edges, e) < 0) {
        Py_DECREF(e);
        return -1;
    }
    Py_DECREF(e);
    return 0;
}

static void get_point(Walk *w, void *segment, double *x, double *y) {
    F.SegmentGetPoint(segment, &w->point[0], &w->point[1]);
    *x = w->point[0];
    *y = w->point[1];
}

/* _walked_edges: every subpath segment by segment, as pdfminer splits it; returns shapes or -1 on error */
typedef struct { double x, y; } Point;

static int flush(Walk *w, Point *points, Py_ssize_t *count, int closed, long *shapes) {
    if (closed && *count > 2 && (points[0].x != points[*count - 1].x || points[0].y != points[*count - 1].y)) {
        points[*count] = points[0];
        (*count)++;
    }
    if (*count > 1) (*shapes)++;
    for (Py_ssize_t k = 0; k + 1 < *count; k++)
        if (add_edge(w, points[k].x, points[k].y, points[k + 1].x, points[k + 1].y) < 0) return -1;
    *count = 0;
    return 0;
}

static long walked_edges(Walk *w, void *obj, int n, const Matrix *m) {
    /* at most n points and the closing one */
    Point *points = PyMem_Malloc(sizeof(Point) * ((size_t)n + 2));
    if (points == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t count = 0;
    long shapes = 0;
    for (int k = 0; k < n; k++) {
        void *seg = F.GetPathSegment(obj, k);
        double x, y, px, py;
        get_point(w, seg, &x, &y);
        mapped(w, m, x, y, &px, &py);
        if (F.SegmentGetType(seg) == MOVETO && flush(w, points, &count, 0, &shapes) < 0) goto fail;
        points[count].x = px;
        points[count].y = py;
        count++;
        if (F.SegmentGetClose(seg) && flush(w, points, &count, 1, &shapes) < 0) goto fail;
    }
    if (flush(w, points, &count, 0, &shapes) < 0) goto fail;
    PyMem_Free(points);
    return shapes;
fail:
    PyMem_Free(points);
    return -1;
}

/* _path_edges: a straight line and a closed four-sided figure from their points, any other path walked */
static long path_edges(Walk *w, void *obj, const Matrix *m) {
    int n = F.CountSegments(obj);
    if (n == 2) {
        void *second = F.GetPathSegment(obj, 1);
        if (F.SegmentGetType(second) == LINETO) {
            double x, y, x0, y0, x1, y1;
            get_point(w, F.GetPathSegment(obj, 0), &x, &y);
            mapped(w, m, x, y, &x0, &y0);
            get_point(w, second, &x, &y);
            mapped(w, m, x, y, &x1, &y1);
            return add_edge(w, x0, y0, x1, y1) < 0 ? -1 : 1;
        }
    } else if (n == 5) {
        void *segs[5];
        for (int k = 0; k < 5; k++) segs[k] = F.GetPathSegment(obj, k);
        int t1 = F.SegmentGetType(segs[1]);
        int lines = t1 == LINETO && F.SegmentGetType(segs[2]) == t1 && F.SegmentGetType(segs[3]) == t1
                    && F.SegmentGetType(segs[4]) == t1;
        if (lines && !(F.SegmentGetClose(segs[0]) || F.SegmentGetClose(segs[1]) || F.SegmentGetClose(segs[2])
                       || F.SegmentGetClose(segs[3]))) {
            double raw[5][2];
            for (int k = 0; k < 5; k++) get_point(w, segs[k], &raw[k][0], &raw[k][1]);
            if (raw[4][0] == raw[0][0] && raw[4][1] == raw[0][1]) {
                double p[4][2];
                for (int k = 0; k < 4; k++) mapped(w, m, raw[k][0], raw[k][1], &p[k][0], &p[k][1]);
                for (int k = 0; k < 4; k++)
                    if (add_edge(w, p[k][0], p[k][1], p[(k + 1) % 4][0], p[(k + 1) % 4][1]) < 0) return -1;
                return 1;
            }
        }
    }
    return walked_edges(w, obj, n, m);
}

/* _subpaths */
static long subpaths(void *obj) {
    int n = F.CountSegments(obj);
    long starts = 0;
    for (int k = 0; k < n; k++)
        if (F.SegmentGetType(F.GetPathSegment(obj, k)) == MOVETO) starts++;
    return n > starts ? starts : 0;
}

static int walk(Walk *w, void *parent, int is_form, const Matrix *outer) {
    int count = is_form ? F.FormCountObjects(parent) : F.CountObjects(parent);
    for (int i = 0; i < count; i++) {
        void *obj = is_form ? F.FormGetObject(parent, (unsigned long)i) : F.GetObject(parent, i);
        int kind = F.GetType(obj);
        if (kind == PATH) {
            if (!F.GetDrawMode(obj, &w->fill, &w->stroke) || (w->fill == 0 && !w->stroke)) continue;
            if (!w->with_edges) {
                w->shapes += w->shapes < RULED_SHAPES ? subpaths(obj) : 1;
                continue;
            }
            F.GetObjMatrix(obj, &w->matrix);
            Matrix m = {w->matrix.a, w->matrix.b, w->matrix.c, w->matrix.d, w->matrix.e, w->matrix.f};
            if (outer != NULL) m = compose(&m, outer);
            long shapes = path_edges(w, obj, &m);
            if (shapes < 0) return -1;
            w->shapes += shapes;
        } else if (kind == IMAGE) {
            F.GetBounds(obj, &w->bounds[0], &w->bounds[1], &w->bounds[2], &w->bounds[3]);
            const Matrix *o = outer != NULL ? outer : &IDENTITY;
            double ux, uy, ax, atop, bx, btop;
            ux = o->a * w->bounds[0] + o->c * w->bounds[1] + o->e;
            uy = o->b * w->bounds[0] + o->d * w->bounds[1] + o->f;
            to_page(w, ux, uy, &ax, &atop);
            ux = o->a * w->bounds[2] + o->c * w->bounds[3] + o->e;
            uy = o->b * w->bounds[2] + o->d * w->bounds[3] + o->f;
            to_page(w, ux, uy, &bx, &btop);
            PyObject *box = Py_BuildValue("(dddd)", bx < ax ? bx : ax, btop < atop ? btop : atop,
                                          bx > ax ? bx : ax, btop > atop ? btop : atop);
            if (box == NULL || PyList_Append(w->images, box) < 0) {
                Py_XDECREF(box);
                return -1;
            }
            Py_DECREF(box);
        } else if (kind == FORM) {
            F.GetObjMatrix(obj, &w->matrix);
            Matrix m = {w->matrix.a, w->matrix.b, w->matrix.c, w->matrix.d, w->matrix.e, w->matrix.f};
            m = compose(&m, outer != NULL ? outer : &IDENTITY);
            if (walk(w, obj, 1, &m) < 0) return -1;
        }
    }
    return 0;
}

static PyObject *objects(PyObject *self, PyObject *args) {
    unsigned long long address;
    Walk w;
    memset(&w, 0, sizeof w);
    if (!PyArg_ParseTuple(args, "Kddddip", &address, &w.X0, &w.Y0, &w.X1, &w.Y1, &w.rotation, &w.with_edges))
        return NULL;
    if (!bound) {
        PyErr_SetString(PyExc_RuntimeError, "_page_reader.bind was not called");
        return NULL;
    }
    w.edges = PyList_New(0);
    w.images = PyList_New(0);
    if (w.edges == NULL || w.images == NULL || walk(&w, (void *)(uintptr_t)address, 0, NULL) < 0) {
        Py_XDECREF(w.edges);
        Py_XDECREF(w.images);
        return NULL;
    }
    return Py_BuildValue("(NNl)", w.edges, w.images, w.shapes);
}

static PyObject *bind(PyObject *self, PyObject *args) {
    PyObject *addresses;
    if (!PyArg_ParseTuple(args, "O!", &PyTuple_Type, &addresses)) return NULL;
    if ((size_t)PyTuple_GET_SIZE(addresses) != N_FUNCTIONS) {
        PyErr_Format(PyExc_ValueError, "bind takes %zu addresses, got %zd", N_FUNCTIONS,
                     PyTuple_GET_SIZE(addresses));
        return NULL;
    }
    void *table[N_FUNCTIONS];
    for (size_t i = 0; i < N_FUNCTIONS; i++) {
        unsigned long long a = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(addresses, i));
        if (PyErr_Occurred()) return NULL;
        if (a == 0) {
            PyErr_Format(PyExc_ValueError, "address %zu is null", i);
            return NULL;
        }
        table[i] = (void *)(uintptr_t)a;
    }
    memcpy(&F, table, sizeof F);
    bound = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS, "bind(addresses): pdfium's functions, in page_objects._BOUND's order"},
    {"chars", chars, METH_VARARGS,
     "chars(textpage, x0, y0, x1, y1, rotation) -> (chars, unmapped): page_objects.read_chars"},
    {"objects", objects, METH_VARARGS,
     "objects(page, x0, y0, x1, y1, rotation, with_edges) -> (edges, image boxes, shapes): page_objects._objects"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_page_reader", NULL, -1, methods};

PyMODINIT_FUNC PyInit__page_reader(void) {
    struct { PyObject **slot; const char *text; } names[] = {
        {&k_text, "text"}, {&k_x0, "x0"}, {&k_x1, "x1"}, {&k_top, "top"}, {&k_bottom, "bottom"},
        {&k_size, "size"}, {&k_baseline, "baseline"}, {&k_object_type, "object_type"}, {&k_width, "width"},
        {&k_height, "height"}, {&k_orientation, "orientation"}, {&v_path_edge, "path_edge"}, {&v_v, "v"},
        {&v_h, "h"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        *names[i].slot = PyUnicode_InternFromString(names[i].text);
        if (*names[i].slot == NULL) return NULL;
    }
    return PyModule_Create(&module);
}
