"""A located table → a normalized `Table`: typed cells with labels, codes, column ids and exact values.

Rules (beyond those of header.py, grid.py, amounts.py, codes.py):
1. Column roles come from the header leaf: 编码/代码/类/款/项 → code, 名称/项目/科目 → label, 行次 → line,
   序号 → seq; other columns are amounts when their body cells are (mostly) amounts, text otherwise.
2. Side-by-side blocks: a new column group starts at a code or label column that follows an amount
   column (收入 | 支出, 人员经费 | 公用经费 | 公用经费). A group's block is the most specific spec block
   named by a header above it or by its label column's header ('支出功能分类' → expenditure, '部门预算支出
   经济分类' → expenditure_economic); else the spec's blocks in order. Each group is unrolled in turn, top to bottom;
   `row_no` counts the unrolled rows. A group whose label cells are merged into the group on its left
   (the footer '公用经费合计' spanning two groups) gives its amounts to that group's row.
3. Rows with neither label, code nor amount are filler and skipped. Continuation fragments drop their
   repeated header and a repeated total row.
4. A label merged across the code and name columns ('合计') is the row label. In tables whose spec says
   `codes_from_class_names` (summary tables) a 类 line printed by name gets its 功能分类 code from classes.toml
   (flag `code_from_name`).
5. Values are exact: Decimal amount × 元 per printed unit. A table whose amounts are all placeholders
   is empty: it is kept, with its note, and has no cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..flags import CODE_FROM_NAME, CODE_IN_LABEL, PLACEHOLDER
from ..model import Cell, LocatedTable, RawCell, Table
from ..specs import Specs, TableSpec
from .amounts import parse_amount
from .codes import SubjectCode, read_codes, split_label_code
from .grid import GridRow, geometry, span_origin, stack
from .header import TOTAL_LABEL, column_labels, is_body_row, row_texts, split_header
from .labels import is_empty_note
from .text import clean_label
from .units import unit_factor
from .unruled import repair_unruled

_CODE_HEADER = re.compile(r"(编码|代码|编号)$|^(类|款|项)$")
_LABEL_HEADER = re.compile(r"名称$|^项目$|^科目$|分类科目$|^(收入|支出)项目$|分类$|科目\(按.*\)$")
_LINE_HEADER = re.compile(r"^行次$|^行号$")
_SEQ_HEADER = re.compile(r"^序号$")
_NOTE_HEADER = re.compile(r"^(备注|说明|附注)$")
_UNIT_CODE_HEADER = re.compile(r"单位(编码|代码|编号)$")
TEXT_ROLES = ("code", "label")
_NOTE_START = re.compile(r"^(注|说明|备注)\d?[:：]")


@dataclass
class Column:
    index: int
    label: str
    role: str  # code | label | line | seq | amount | text
    block: str | None = None
    column_id: str | None = None
    group: int = 0


def normalize_table(located: LocatedTable, table_no: int, spec: TableSpec, specs: Specs,
                    default_unit: str | None) -> Table:
    h = located.heading
    unit = h.unit or default_unit
    table = Table(table_no=table_no, table_id=spec.id, label=h.label, title=h.title, pages=located.pages,
                  unit=unit, rows=0, empty=False, note=located.note, extractor=None, cells=[])
    if h.unit is None:
        table.warnings.append(f"no unit line found; {default_unit or 'no unit'} assumed from the document")
    if not spec.has_cells:
        return table
    if not located.fragments:
        table.empty = True
        if not is_empty_note(located.note):
            table.warnings.append("no table grid found under the heading")
        return table
    table.extractor = located.fragments[0].extractor
    fragments = [f if f.ruled else repair_unruled(f, h.title) for f in located.fragments]
    table.geometry = [geometry(f) for f in fragments]
    rows, edges = stack(fragments)
    first = [r for r in rows if r.fragment == 0]
    start, body = split_header(first, h.title)
    labels = column_labels(rows, edges, start, body)
    body_rows = _body_rows(rows, body)
    _take_split_code_headers(rows, body_rows, labels)
    columns = _columns(labels, rows, body_rows, spec)
    cells = _cells(rows, edges, body_rows, columns, spec, specs, table, unit)
    _settle_totals(cells)
    table.rows = len({c.row_no for c in cells})
    if not cells or all(PLACEHOLDER in c.flags for c in cells):
        table.empty, table.rows, cells = True, 0, []
    table.cells = cells
    return table


def _take_split_code_headers(rows: list[GridRow], body_rows: list[int], labels: list[str]) -> None:
    """Split code columns whose '类 | 款 | 项' header shares a grid row with the 合计 line (Shanghai prints
    them so): those three cells are header, the rest of the row is body."""
    if not body_rows:
        return
    row = rows[body_rows[0]]
    split = {c: clean_label(cell.text) for c, cell in enumerate(row.cells)
             if clean_label(cell.text) in ("类", "款", "项")}
    if len(split) < 2:
        return
    for c, text in split.items():
        labels[c] = f"{labels[c]}/{text}" if labels[c] else text
        row.cells[c] = RawCell("", row.cells[c].bbox, row.cells[c].indent)


def _body_rows(rows: list[GridRow], body: int) -> list[int]:
    """Indices of body rows: the first fragment's after its header, later fragments' after any repeated
    header, without a repeated total row."""
    out = [i for i in range(body, len(rows)) if rows[i].fragment == 0]
    out = _until_note(rows, out)
    first_total = next((rows[i] for i in out if _is_total(rows[i])), None)
    fragments = sorted({r.fragment for r in rows if r.fragment > 0})
    for k in fragments:
        idx = [i for i, r in enumerate(rows) if r.fragment == k]
        j = 0
        while j < len(idx) and not is_body_row(rows[idx[j]]):
            j += 1
        if j < len(idx) and first_total is not None and row_texts(rows[idx[j]]) == row_texts(first_total):
            j += 1
        out += _until_note(rows, idx[j:])
    return out


def _until_note(rows: list[GridRow], idx: list[int]) -> list[int]:
    """Body rows stop at a note ('注：…') that a whitespace-based extractor read as a row."""
    for n, i in enumerate(idx):
        texts = row_texts(rows[i])
        if texts and _NOTE_START.match(texts[0]):
            return idx[:n]
    return idx


def _is_total(row: GridRow) -> bool:
    texts = row_texts(row)
    return bool(texts) and TOTAL_LABEL.match(texts[0]) is not None


def _columns(labels: list[str], rows: list[GridRow], body_rows: list[int], spec: TableSpec) -> list[Column]:
    columns = []
    for c, label in enumerate(labels):
        leaf = label.rsplit("/", 1)[-1]
        if _UNIT_CODE_HEADER.search(leaf):
            role = "unit_code"  # a budget unit's code, not a classification code
        elif _CODE_HEADER.search(leaf):
            role = "code"
        elif _LINE_HEADER.match(leaf):
            role = "line"
        elif _SEQ_HEADER.match(leaf):
            role = "seq"
        elif _NOTE_HEADER.match(leaf):
            role = "note"
        elif _LABEL_HEADER.search(leaf):
            role = "label"
        else:
            role = _role_from_content([rows[i].text(c) for i in body_rows])
            if role == "amount" and not label and not any((rows[i].text(c) or "").strip() for i in body_rows):
                role = "blank"  # an empty margin column: no header, nothing printed
        columns.append(Column(c, label, role))
    # a text column that opens a group (no label or code since the last amount column) is its label
    opened = False
    for col in columns:
        if col.role == "amount":
            opened = False
        elif col.role in TEXT_ROLES:
            opened = True
        elif col.role == "text" and not opened:
            col.role, opened = "label", True
    group = 0
    for i, col in enumerate(columns):
        if i and col.role in TEXT_ROLES and any(c.role == "amount" and c.group == group for c in columns[:i]):
            group += 1
        col.group = group
    block_order = list(spec.blocks)
    n_groups = group + 1
    for g in range(n_groups):
        members = [col for col in columns if col.group == g]
        if n_groups == 1:  # one group: blocks, if any, are column spans (预算数 | 决算数)
            for col in members:
                col.block = spec.block(col.label)
        else:
            _group_block(spec, members, g, block_order)
        for col in members:
            if col.role == "amount":
                col.column_id = spec.column_id(col.label)
    return columns


def _group_block(spec: TableSpec, members: list[Column], g: int, block_order: list[str]) -> None:
    """A side-by-side group's block: named above its columns or by its label column's header ('支出功能分类' |
    '部门预算支出经济分类'), the most specific spec block first; else the spec's blocks in order."""
    levels = [lvl for col in members
              for lvl in (col.label.split("/") if col.role in TEXT_ROLES else col.label.split("/")[:-1])]
    group_block = spec.block_of_levels(levels)
    if group_block is None and block_order:  # unnamed: the first group is the first block, the rest the last
        group_block = block_order[0] if g == 0 else block_order[-1]
    for col in members:
        col.block = group_block


def _role_from_content(texts: list[str | None]) -> str:
    values = [t for t in texts if t is not None and t.strip()]
    if not values:
        return "amount"  # an all-blank column under an amount header: placeholders
    amounts = sum(parse_amount(t) is not None for t in values)
    return "amount" if amounts >= 0.8 * len(values) else "text"


def _cells(rows: list[GridRow], edges: list[float], body_rows: list[int], columns: list[Column],
           spec: TableSpec, specs: Specs, table: Table, unit: str | None) -> list[Cell]:
    factor = unit_factor(unit)
    groups = sorted({col.group for col in columns})
    out: list[Cell] = []
    row_no = 0
    for g in groups:
        own_cols = [col for col in columns if col.group == g]
        live = [r for r in body_rows if not _merged_into_left(rows, edges, r, own_cols)]
        code_cols = [col for col in own_cols if col.role == "code"]
        codes = read_codes([[rows[r].text(col.index) for col in code_cols] for r in live],
                           [col.label.rsplit("/", 1)[-1] for col in code_cols])
        for r, code in zip(live, codes):
            row = rows[r]
            cols = own_cols + _attached(rows, edges, r, columns, g)
            label, code_texts, line = _row_text(rows, edges, r, cols)
            indent = next((row.cells[col.index].indent for col in cols if col.role == "label"
                           and col.index < len(row.cells) and row.cells[col.index].indent is not None), None)
            amounts = [(col, row.text(col.index)) for col in cols if col.role == "amount"]
            if not label and not any(code_texts) and not any(t and t.strip() for _, t in amounts):
                continue
            row_no += 1
            flags_row: list[str] = []
            if code is None and not any(t and t.strip().isdigit() for t in code_texts):
                if not label and code_texts and code_texts[0]:
                    label = clean_label(code_texts[0])
            if code is None and label:
                code, rest = split_label_code(label)
                if code is not None:
                    label = rest
                    flags_row.append(CODE_IN_LABEL)
            block = next((col.block for col in cols if col.block), None)
            if code is None and spec.codes_from_class_names and block == "expenditure" and label:
                class_code = specs.class_code(label)
                if class_code:
                    code = SubjectCode(class_code, 1)
                    flags_row.append(CODE_FROM_NAME)
            row_block = spec.block_of_levels([label]) if spec.row_blocks and label else None
            role = spec.row_role(block, label) if label else None
            for col, text in amounts:
                if text is None:
                    continue  # covered by a merged cell
                amount = parse_amount(text)
                if amount is None:
                    table.warnings.append(
                        f"page {row.page}, row {row_no} ({label or '?'}), column {col.index + 1} "
                        f"({col.label or '?'}): {text!r} is not an amount")
                    continue
                out.append(Cell(
                    table_no=table.table_no, table_id=spec.id, row_no=row_no,
                    block=col.block or row_block,
                    line_no=line,
                    row_label=label, subject_code=code.code if code else None,
                    code_level=code.level if code else None, parent_code=code.parent if code else None,
                    col_no=col.index + 1, column_label=col.label, column_id=col.column_id,
                    amount=amount.value * factor, unit=unit or "", text=text,
                    flags=list(amount.flags) + flags_row, page=row.page, row_role=role, indent=indent,
                    bbox=row.cells[col.index].bbox,
                ))
    return out


def _settle_totals(cells: list[Cell]) -> None:
    """In a block, only the last row read as a total (or grand total) is one: '收入合计' before '收入总计' is
    the year's total (Jiangsu prints '当年收入小计 … 收入合计', others '收入合计 … 收入总计'), and a '财政拨款'
    line heading its funds is a total only where no '本年收入合计' follows."""
    for role, demoted in (("grand_total", "total"), ("total", None)):
        by_block: dict[str | None, list[int]] = {}
        for c in cells:
            if c.row_role == role:
                rows = by_block.setdefault(c.block, [])
                if c.row_no not in rows:
                    rows.append(c.row_no)
        for block, role_rows in by_block.items():
            if len(role_rows) < 2:
                continue
            has_demoted = demoted is not None and any(c.row_role == demoted and c.block == block for c in cells)
            for c in cells:
                if c.block == block and c.row_no in role_rows[:-1]:
                    c.row_role = None if (demoted is None or has_demoted) else demoted


def _origin_col(rows: list[GridRow], edges: list[float], r: int, c: int) -> int | None:
    origin = span_origin(rows, edges, r, c)
    return None if origin is None else origin[1]


def _merged_into_left(rows: list[GridRow], edges: list[float], r: int, own_cols: list[Column]) -> bool:
    """True when this group's label and code cells are all covered by a cell of a group on the left."""
    text_cols = [col for col in own_cols if col.role in TEXT_ROLES]
    if not text_cols:
        return False
    first = min(col.index for col in own_cols)
    for col in text_cols:
        if rows[r].text(col.index) is not None:
            return False
        origin = _origin_col(rows, edges, r, col.index)
        if origin is None or origin >= first:
            return False
    return True


def _attached(rows: list[GridRow], edges: list[float], r: int, columns: list[Column], g: int) -> list[Column]:
    """Columns of groups to the right whose label cells are covered by this group's row (rule 2)."""
    out: list[Column] = []
    last = max(col.group for col in columns)
    for later in range(g + 1, last + 1):
        members = [col for col in columns if col.group == later]
        if not _merged_into_left(rows, edges, r, members):
            break
        out += members
    return out


def _row_text(rows: list[GridRow], edges: list[float], r: int,
              cols: list[Column]) -> tuple[str, list[str | None], int | None]:
    """(label, code parts, 行次) of one unrolled row."""
    row = rows[r]
    parts: list[str] = []
    for col in cols:
        if col.role != "label":
            continue
        text = row.text(col.index)
        if text is None:  # covered by a merged cell: on this row (合计 across code and name), or above it
            origin = span_origin(rows, edges, r, col.index)
            if origin is not None and (origin[0] != r or origin[1] in {c.index for c in cols}):
                text = rows[origin[0]].cells[origin[1]].text
        cleaned = clean_label(text)
        if cleaned and cleaned not in parts:
            parts.append(cleaned)
    label = "/".join(parts)  # several label columns (资金性质 | 项目) read as a path, like headers
    codes = [row.text(col.index) for col in cols if col.role == "code"]
    line = None
    for col in cols:
        if col.role == "line":
            t = clean_label(row.text(col.index))
            if t.isdigit():
                line = int(t)
    return label, codes, line
