"""Second-stage grid extraction: camelot (lattice for ruled tables, stream / network for tables whose
columns are separated by whitespace only, as Word prints them).

camelot works in PDF space (origin bottom-left); grids are returned in the top-left convention of the rest
of fiscalpdf. In lattice output, cells joined by a missing ruling line are one merged cell: its text goes
to the top-left position, the covered positions get None — as pdfplumber reports them.
"""

from __future__ import annotations

import warnings

from ..model import BBox, RawCell, RawGrid
from .cell_text import anchor, words_of
from .pdf import PdfSource, render_scale


def extract_grids(source: PdfSource, page_no: int, area: BBox | None, flavor: str) -> list[RawGrid]:
    import camelot  # imported here: cv2 and camelot's parsers cost ~0.5 s, paid only when a fallback runs

    height = float(source.page(page_no).height)
    kwargs = {}
    if area is not None:
        kwargs["table_areas"] = [f"{area.x0},{height - area.top},{area.x1},{height - area.bottom}"]
    if flavor == "lattice":  # lattice finds the ruling on a rendered page: keep the bitmap within budget
        page = source.page(page_no)
        kwargs["resolution"] = round(72 * render_scale(float(page.width), float(page.height)))
    if flavor == "stream":
        separators = body_column_separators(source, page_no, area)
        if separators:
            kwargs["columns"] = [",".join(f"{x:.2f}" for x in separators)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # camelot warns on pages without tables; the caller records that
        tables = camelot.read_pdf(str(source.file_for_other_readers()), pages=str(page_no), flavor=flavor,
                                  password=source.password, suppress_stdout=True, **kwargs)
    name = f"camelot-{flavor}"
    grids = []
    for table in tables:
        rows = _lattice_rows(table.cells, height) if flavor == "lattice" else _plain_rows(table.cells, height)
        x0, y0, x1, y1 = table._bbox
        grid = RawGrid(page_no, BBox(x0, height - y1, x1, height - y0), rows, name)
        if rows and grid.n_cols >= 2:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.bbox.top)


def body_column_separators(source: PdfSource, page_no: int, area: BBox | None) -> list[float]:
    """Column separators of a whitespace-separated table, read from its body, not its header.

    Body lines are the lines from the first to the last that hold two or more amounts. The x extents of
    their words, merged where they overlap, are the columns (numbers right-aligned, labels left-aligned);
    a separator goes in the middle of each gap. Headers are centred over columns and often wider than
    their numbers, so they would blur the gaps: camelot places them by overlap afterwards.
    """
    from ..normalize.amounts import parse_amount

    chars = source.page_objects(page_no).chars  # pdfium's, already read: no second parse of the page
    if area is not None:
        chars = [ch for ch in chars if area.x0 <= anchor(ch)[0] <= area.x1 and area.top <= anchor(ch)[1] <= area.bottom]
    words = words_of(chars)
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    numeric = [i for i, ln in enumerate(lines)
               if sum(parse_amount(w["text"]) is not None for w in ln) >= 2 and not _column_numbers(ln)]
    if not numeric:
        return []
    spans = sorted((w["x0"], w["x1"]) for ln in lines[numeric[0]: numeric[-1] + 1] for w in ln)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a[1] + b[0]) / 2 for a, b in zip(merged, merged[1:])]


def _column_numbers(line: list[dict]) -> bool:
    """The 栏次 line ('栏次 1 2 3 …'): centred numbers that would add false columns."""
    texts = [w["text"] for w in line]
    if any("栏次" in t for t in texts):
        return True
    nums = [t for t in texts if t.isdigit()]
    return len(nums) == len(texts) and all(int(b) == int(a) + 1 for a, b in zip(nums, nums[1:]))


def _bbox(cell, height: float) -> BBox:
    return BBox(cell.x1, height - cell.y2, cell.x2, height - cell.y1)


def _plain_rows(cells, height: float) -> list[list[RawCell]]:
    return [[RawCell(c.text.strip("\n"), _bbox(c, height)) for c in row] for row in cells]


def _lattice_rows(cells, height: float) -> list[list[RawCell]]:
    """Merge positions that no ruling separates; the merged cell lives at its top-left position."""
    n_rows = len(cells)
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(len(cells[r]))}

    def find(p):
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for r in range(n_rows):
        for c in range(len(cells[r])):
            cell = cells[r][c]
            if c + 1 < len(cells[r]) and not cell.right and not cells[r][c + 1].left:
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < n_rows and c < len(cells[r + 1]) and not cell.bottom and not cells[r + 1][c].top:
                parent[find((r + 1, c))] = find((r, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for p in parent:
        groups.setdefault(find(p), []).append(p)
    rows: list[list[RawCell]] = [[RawCell(None, None)] * len(cells[r]) for r in range(n_rows)]
    for members in groups.values():
        members.sort()
        r0, c0 = members[0]
        text = "\n".join(t for t in (cells[r][c].text.strip("\n") for r, c in members) if t)
        box = _bbox(cells[r0][c0], height)
        for r, c in members[1:]:
            box = box.union(_bbox(cells[r][c], height))
        rows[r0] = list(rows[r0])
        rows[r0][c0] = RawCell(text, box)
    return rows
