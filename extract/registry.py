"""Grid extractors by name, in the order the pipeline tries them.

Each extractor is a function `(source, page_no, area) -> list[RawGrid]`: a function of its inputs, no state
kept between pages.
"""

from __future__ import annotations

from functools import partial
from typing import Callable

from ..model import BBox, RawGrid
from . import camelot_grid, objects_grid, plumber_grid
from .pdf import PdfSource

GridExtractor = Callable[[PdfSource, int, "BBox | None"], list[RawGrid]]

EXTRACTORS: dict[str, GridExtractor] = {
    "pdfium": objects_grid.extract_grids,
    "pdfplumber": plumber_grid.extract_grids,
    "camelot-lattice": partial(camelot_grid.extract_grids, flavor="lattice"),
    "camelot-stream": partial(camelot_grid.extract_grids, flavor="stream"),
    "camelot-network": partial(camelot_grid.extract_grids, flavor="network"),
}
FIRST_STAGE = "pdfium"
# pdfplumber is not a fallback by default: its table finder is the first stage's, and pages pdfium cannot
# read or decode are read by pdfplumber already (fiscalpdf.extract.pdf.PdfSource.page_objects)
FALLBACKS = ("camelot-stream", "camelot-network", "camelot-lattice")


def get_extractor(name: str) -> GridExtractor:
    try:
        return EXTRACTORS[name]
    except KeyError:
        raise KeyError(f"unknown extractor {name!r}; known: {', '.join(EXTRACTORS)}") from None
