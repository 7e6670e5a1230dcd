"""pdfium's C functions called through cffi's ABI mode, on the very library pypdfium2 loaded.

pypdfium2 binds pdfium with ctypes, whose every call converts its arguments through Python objects (about a
microsecond a call); a page of 1,500 characters asks seven functions about each. cffi's ABI mode calls the
same exported functions several times faster and needs no compiler at install time: it opens the shared
library pypdfium2 ships (`dlopen` of the same file returns the same loaded library, so the handles pypdfium2
gives — document, page, text page — are valid here) and declares only the functions used below. pypdfium2
still opens, loads and closes everything; this module only reads.

`LIBRARY` is the library's path; importing this module fails with `PdfiumLibraryNotFound`, naming where it
looked, when pypdfium2's library cannot be found (a pypdfium2 built against a system pdfium, a layout change).
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

import cffi
import pypdfium2.raw  # noqa: F401 - loads (and initialises) the library first: this module shares it

_DECLARATIONS = """
typedef struct { float left; float top; float right; float bottom; } FS_RECTF;
typedef struct { float a; float b; float c; float d; float e; float f; } FS_MATRIX;

int FPDFText_CountChars(void* text_page);
int FPDFText_GetText(void* text_page, int start_index, int count, unsigned short* result);
unsigned int FPDFText_GetUnicode(void* text_page, int index);
int FPDFText_IsGenerated(void* text_page, int index);
int FPDFText_HasUnicodeMapError(void* text_page, int index);
int FPDFText_GetLooseCharBox(void* text_page, int index, FS_RECTF* rect);
int FPDFText_GetCharOrigin(void* text_page, int index, double* x, double* y);
double FPDFText_GetFontSize(void* text_page, int index);
int FPDFText_GetMatrix(void* text_page, int index, FS_MATRIX* matrix);

int FPDFPage_CountObjects(void* page);
void* FPDFPage_GetObject(void* page, int index);
int FPDFPageObj_GetType(void* page_object);
int FPDFPageObj_GetMatrix(void* page_object, FS_MATRIX* matrix);
int FPDFPageObj_GetBounds(void* page_object, float* left, float* bottom, float* right, float* top);
int FPDFPageObj_GetStrokeWidth(void* page_object, float* width);
int FPDFFormObj_CountObjects(void* form_object);
void* FPDFFormObj_GetObject(void* form_object, unsigned long index);
int FPDFPath_GetDrawMode(void* path, int* fillmode, int* stroke);
int FPDFPath_CountSegments(void* path);
void* FPDFPath_GetPathSegment(void* path, int index);
int FPDFPathSegment_GetPoint(void* segment, float* x, float* y);
int FPDFPathSegment_GetType(void* segment);
int FPDFPathSegment_GetClose(void* segment);
"""


class PdfiumLibraryNotFound(ImportError):
    """pypdfium2's pdfium library is not where this module looks for it."""


def library_path() -> Path:
    """The file pypdfium2 loaded pdfium from: the path its ctypes handle was opened with, else the file
    pypdfium2's loader would open (`libpdfium.so`, `pdfium.dll`, `libpdfium.dylib` beside its bindings)."""
    import pypdfium2_raw.bindings as bindings

    handle = getattr(bindings, "_libs", {}).get("pdfium")
    name = getattr(handle, "_name", None)
    if name and Path(name).is_file():
        return Path(name)
    if sys.platform.startswith(("win32", "cygwin", "msys")):
        file = "pdfium.dll"
    elif sys.platform.startswith(("darwin", "ios")):
        file = "libpdfium.dylib"
    else:
        file = "libpdfium.so"
    path = Path(bindings.__file__).with_name(file)
    if not path.is_file():
        raise PdfiumLibraryNotFound(
            f"pypdfium2's pdfium library was not found (looked for the path of its loaded handle, {name!r}, and "
            f"for {path}): fiscalpdf reads pages through that library with cffi; reinstall pypdfium2 from its "
            f"wheels (pip install --force-reinstall pypdfium2)")
    return path


ffi = cffi.FFI()
ffi.cdef(_DECLARATIONS)
LIBRARY = library_path()
lib = ffi.dlopen(str(LIBRARY))


def handle(raw) -> object:
    """A pypdfium2 (ctypes) handle — `page.raw`, `textpage.raw`, a page object — as a cffi pointer."""
    return ffi.cast("void *", ctypes.cast(raw, ctypes.c_void_p).value or 0)
