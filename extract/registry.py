"""Grid extractors by name, in the order the pipeline tries them.

Each extractor reads `(source, page_no, area) -> list[RawGrid]`: a function of its inputs, no state kept between
pages. Its entry says what delimits the cells it finds — ruling lines, or whitespace alone (the normalizers repair
the wrapped text of the latter: fiscalpdf.normalize.unruled) — and every grid it returns carries that.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from ..model import BBox, RawGrid
from . import camelot_grid, objects_grid, plumber_grid
from .pdf import PdfSource

ReadGrids = Callable[[PdfSource, int, "BBox | None"], list[RawGrid]]


@dataclass(frozen=True)
class Extractor:
    name: str
    read: ReadGrids
    reads: str  # 'ruling' (cells between drawn lines) | 'whitespace' (columns from gaps between words)

    def __call__(self, source: PdfSource, page_no: int, area: BBox | None) -> list[RawGrid]:
        grids = self.read(source, page_no, area)
        for grid in grids:
            grid.ruled = self.reads == "ruling"
        return grids


EXTRACTORS: dict[str, Extractor] = {e.name: e for e in (
    Extractor("pdfium", objects_grid.extract_grids, "ruling"),
    Extractor("pdfplumber", plumber_grid.extract_grids, "ruling"),
    Extractor("camelot-lattice", partial(camelot_grid.extract_grids, flavor="lattice"), "ruling"),
    Extractor("camelot-stream", partial(camelot_grid.extract_grids, flavor="stream"), "whitespace"),
    Extractor("camelot-network", partial(camelot_grid.extract_grids, flavor="network"), "whitespace"),
)}
FIRST_STAGE = "pdfium"
# pdfplumber is not a fallback by default: its table finder is the first stage's, and pages pdfium cannot
# read or decode are read by pdfplumber already (fiscalpdf.extract.pdf.PdfSource.page_objects)


def get_extractor(name: str) -> Extractor:
    try:
        return EXTRACTORS[name]
    except KeyError:
        raise KeyError(f"unknown extractor {name!r}; known: {', '.join(EXTRACTORS)}") from None
