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
   repeated header and a repeated total row; a continuation's first row that finishes a row broken by the page
   break is joined to it (normalize/page_breaks.py). A table printed in parts side by side over pages (the columns
   that did not fit on the next page) is read part by part and joined row by row (normalize/side_by_side.py).
4. A label merged across the code and name columns ('合计') is the row label. In tables whose spec says
   `codes_from_class_names` (summary tables) a 类 line printed by name gets its 功能分类 code from classes.toml
   (flag `code_from_name`).
5. Values are exact: Decimal amount × 元 per printed unit. A table whose amounts are all placeholders
   is empty: it is kept, with its note, and has no cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..flags import CODE_FROM_NAME, CODE_IN_LABEL, OCR, PLACEHOLDER
from ..model import CODE_SYSTEMS, Cell, LocatedTable, RawCell, RawGrid, SubjectCode, Table
from ..specs import Specs, TableSpec
from .amounts import is_figure, parse_amount
from .codes import UNIT_CODE, code_system, read_codes, split_label_code
from .grid import GridRow, column_edges, geometry, span_origin, stack
from .header import TOTAL_LABEL, column_labels, is_body_row, row_texts, split_header
from .labels import is_empty_note, is_organisation
from .page_breaks import join_rows_broken_by_page_breaks
from .qualifiers import column_qualifiers
from .rows import leaves, line_parents, row_period
from .side_by_side import join_side_by_side, side_by_side_parts
from .text import clean_label
from .units import unit_factor
from .unruled import repair_unruled

_CODE_HEADER = re.compile(r"(编码|代码|编号)$|^(类|款|项)$")
_LABEL_HEADER = re.compile(r"名称$|^项目$|^科目$|分类科目$|^(收入|支出)项目$|分类$|科目\(按.*\)$|^年度$|^年份$")
_LINE_HEADER = re.compile(r"^行次$|^行号$")
_SEQ_HEADER = re.compile(r"^序号$")
_NOTE_HEADER = re.compile(r"^(备注|说明|附注)$")
_UNIT_CODE_HEADER = re.compile(r"单位(编码|代码|编号)$")
_UNIT_NAME_HEADER = re.compile(r"^(预算单位|单位名称|预算单位名称|单位)$")
TEXT_ROLES = ("code", "label", "unit_name", "unit_code")
_DIGITS = re.compile(r"^\d+$")
# Columns that are no money whatever their cells hold: counts, shares, ordinals (contract: cells are money only)
_NOT_MONEY_HEADER = re.compile(r"^(序号|序|编号)$|人数|数量|台数|辆数|人次|个数|面积|比例|比率|百分比|%|增长率"
                               r"|增减率|幅度|占比|单价")
_NOTE_START = re.compile(r"^(注|说明|备注)\d?[:：]")


@dataclass
class Column:
    index: int
    label: str
    role: str  # code | label | line | seq | amount | text | not_money …
    block: str | None = None
    column_id: str | None = None
    group: int = 0
    period: str | None = None  # the qualifiers of an amount column (normalize/qualifiers.py)
    fund: str | None = None
    basis: str | None = None


def normalize_table(located: LocatedTable, table_no: int, spec: TableSpec, specs: Specs,
                    default_unit: str | None, year: int | None = None) -> Table:
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
    parts = side_by_side_parts(fragments, h.title) if len(fragments) > 1 else [fragments]
    if len(parts) > 1:
        read = [_read_fragments(replace(table, cells=[], warnings=list(table.warnings),
                                        pages=sorted({f.page_no for f in part})),
                                part, h.title, spec, specs, unit, year) for part in parts]
        joined = join_side_by_side(read, [len(column_edges(part[0])) - 1 for part in parts])
        if joined is not None:
            return joined
    return _read_fragments(table, fragments, h.title, spec, specs, unit, year)


def _read_fragments(table: Table, fragments: list[RawGrid], title: str, spec: TableSpec, specs: Specs,
                    unit: str | None, year: int | None) -> Table:
    """The table's cells from its fragments stacked on the first's columns."""
    table.geometry = [geometry(f) for f in fragments]
    rows, edges = stack(fragments)
    first = [r for r in rows if r.fragment == 0]
    start, body = split_header(first, title)
    labels = column_labels(rows, edges, start, body)
    body_rows = _body_rows(rows, body)
    _take_split_code_headers(rows, body_rows, labels)
    columns = _columns(labels, rows, body_rows, spec, year)
    _figures_spilled_into_text_cells(rows, body_rows, columns)
    body_rows = join_rows_broken_by_page_breaks(
        rows, body_rows, amount_cols=[c.index for c in columns if c.role == "amount"],
        code_cols=[c.index for c in columns if c.role == "code"],
        label_cols=[c.index for c in columns if c.role in ("label", "unit_name")])
    cells = _cells(rows, edges, body_rows, columns, spec, specs, table, unit, year)
    _settle_totals(cells)
    _class_codes_on_class_lines(cells)
    _mark_leaves(cells)
    table.rows = len({c.row_no for c in cells})
    if not cells or all(PLACEHOLDER in c.flags for c in cells):
        table.empty, table.rows, cells = True, 0, []
    table.cells = cells
    return table


def _figures_spilled_into_text_cells(rows: list[GridRow], body_rows: list[int], columns: list[Column]) -> None:
    """A figure printed in a cell merged over text columns and one amount column (Beijing's 合计 row, whose
    '1,024,807.171785' is wider than its cell and is printed in one cell with the code column beside it) is the
    amount column's: code and name columns never print amounts, and the amount stands right-aligned in it."""
    for r in body_rows:
        cells = rows[r].cells
        for c, cell in enumerate(cells):
            if c >= len(columns) or columns[c].role not in TEXT_ROLES or not is_figure(cell.text):
                continue
            covered = []
            for j in range(c + 1, len(cells)):
                if cells[j].text is not None:
                    break
                covered.append(j)
            amounts = [j for j in covered if columns[j].role == "amount"]
            if len(amounts) == 1 and amounts[0] == covered[-1] and all(
                    columns[j].role in TEXT_ROLES for j in covered[:-1]):
                cells[amounts[0]] = cell
                cells[c] = RawCell("", cell.bbox, cell.indent)


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


def _columns(labels: list[str], rows: list[GridRow], body_rows: list[int], spec: TableSpec,
             year: int | None = None) -> list[Column]:
    columns = []
    for c, label in enumerate(labels):
        leaf = label.rsplit("/", 1)[-1]
        if _NOT_MONEY_HEADER.search(leaf) or (label and spec.column_id(label) == "not_money"):
            role = "not_money"
        elif _UNIT_CODE_HEADER.search(leaf):
            role = "unit_code"  # a budget unit's code, not a classification code
        elif _UNIT_NAME_HEADER.match(leaf):
            role = "unit_name"  # the 预算单位 the rows are of
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
    _outer_totals(columns, spec)
    rows_carry_periods = any(row_period(clean_label(rows[r].text(c.index)), year) for r in body_rows
                             for c in columns if c.role == "label")
    for col in columns:
        if col.role == "amount":
            q = column_qualifiers(col.label, year, spec.fund, rows_carry_periods)
            col.period, col.fund, col.basis = q.period, q.fund, q.basis
    return columns


def _outer_totals(columns: list[Column], spec: TableSpec) -> None:
    """A total column whose header spans another total column of its group, in a table that prints 会议费 or
    培训费 beside the 三公 (合计 over 三公 小计, 会议费 and 培训费), is the spec's `outer_total`."""
    if not spec.outer_total:
        return
    totals = [col for col in columns if col.column_id == "total"]
    if not any(col.column_id in ("meeting", "training") for col in columns):
        return
    for col in totals:
        prefix = col.label.rsplit("/", 1)[0] + "/" if "/" in col.label else ""
        if any(o is not col and o.label.startswith(prefix) and o.label.count("/") > col.label.count("/")
               for o in totals):
            col.column_id = spec.outer_total


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
           spec: TableSpec, specs: Specs, table: Table, unit: str | None, year: int | None) -> list[Cell]:
    factor = unit_factor(unit)
    groups = sorted({col.group for col in columns})
    out: list[Cell] = []
    row_no = 0
    for g in groups:
        own_cols = [col for col in columns if col.group == g]
        live = [r for r in body_rows if not _merged_into_left(rows, edges, r, own_cols)]
        code_groups = _code_groups([col for col in own_cols if col.role == "code"])
        read = [read_codes([[rows[r].text(col.index) for col in group] for r in live],
                           [col.label.rsplit("/", 1)[-1] for col in group]) for group in code_groups]
        unit_now: tuple[str, str] | None = None  # the 预算单位 whose rows follow
        for i, r in enumerate(live):
            row = rows[r]
            cols = own_cols + _attached(rows, edges, r, columns, g)
            text = _row_text(rows, edges, r, cols)
            indent = next((row.cells[col.index].indent for col in cols if col.role == "label"
                           and col.index < len(row.cells) and row.cells[col.index].indent is not None), None)
            amounts = [(col, row.text(col.index)) for col in cols if col.role == "amount"]
            if not text.label and not text.group and not any(text.codes) and not any(
                    t and t.strip() for _, t in amounts):
                continue
            row_no += 1
            reading = _read_row(text, [codes[i] for codes in read], spec, specs)
            block = next((col.block for col in cols if col.block), None)
            label = reading.label
            if not reading.codes and spec.codes_from_class_names and block == "expenditure" and label:
                class_code = specs.class_code(label)
                if class_code:
                    reading.codes["function"] = SubjectCode(class_code, 1)
                    reading.flags.append(CODE_FROM_NAME)
            if reading.unit is not None:
                unit_now = (reading.unit[0] or None, reading.unit[1] or None)
            elif not reading.codes and (not label or TOTAL_LABEL.match(label)):
                unit_now = None  # a total line, or a line naming nothing, closes the unit above it
            code = subject_of(reading.codes)
            row_block = spec.block_of_levels([label]) if spec.row_blocks and label else None
            role = spec.row_role(block, label) if label else None
            for col, printed in amounts:
                if printed is None:
                    continue  # covered by a merged cell
                amount = parse_amount(printed)
                if amount is None:
                    table.unread_amounts += 1
                    table.warnings.append(
                        f"page {row.page}, row {row_no} ({label or '?'}), column {col.index + 1} "
                        f"({col.label or '?'}): {printed!r} is not an amount")
                    continue
                out.append(Cell(
                    table_no=table.table_no, table_id=spec.id, row_no=row_no,
                    block=col.block or row_block,
                    line_no=text.line,
                    row_label=label, subject_code=code.code if code else None,
                    code_level=code.level if code else None, parent_code=code.parent if code else None,
                    col_no=col.index + 1, column_label=col.label, column_id=col.column_id,
                    amount=amount.value * factor, unit=unit or "", text=printed,
                    flags=list(amount.flags) + reading.flags, page=row.page, row_role=role, indent=indent,
                    bbox=row.cells[col.index].bbox, codes=dict(reading.codes), row_group=text.group or None,
                    row_period=row_period(label, year),
                    budget_unit_code=unit_now[0] if unit_now else None,
                    budget_unit_name=unit_now[1] if unit_now else None,
                    column_period=col.period, fund=col.fund, basis=col.basis,
                    confidence=row.cells[col.index].confidence,
                ))
                if row.ocr:
                    out[-1].flags.append(OCR)
    return out


def _code_groups(code_cols: list[Column]) -> list[list[Column]]:
    """Code columns of one side-by-side group, split by classification: the columns under one header (功能分类 |
    政府经济分类 | 部门经济分类, each perhaps split 类 | 款 | 项) are one code; a new group starts where the header
    above the leaf changes, or where a split part comes round again (类 | 款 | 类 | 款)."""
    groups: list[list[Column]] = []
    for col in code_cols:
        parent = col.label.rsplit("/", 1)[0] if "/" in col.label else ""
        leaf = col.label.rsplit("/", 1)[-1]
        last = groups[-1] if groups else None
        if last is not None:
            last_parent = last[-1].label.rsplit("/", 1)[0] if "/" in last[-1].label else ""
            seen = {c.label.rsplit("/", 1)[-1] for c in last}
            if last_parent == parent and leaf in ("类", "款", "项") and leaf not in seen:
                last.append(col)
                continue
        groups.append([col])
    return groups


@dataclass
class _RowReading:
    label: str
    codes: dict[str, SubjectCode]  # classification → code
    unit: tuple[str, str] | None  # (code, name) when the row names a 预算单位
    flags: list[str]


def _read_row(text: "_RowText", codes: list[SubjectCode | None], spec: TableSpec, specs: Specs) -> _RowReading:
    """The row's codes by classification, its own label and the 预算单位 it names (codes.py rules 5–6): from the
    code columns, then from codes printed inside the label cells."""
    found: dict[str, SubjectCode] = {}
    unit: tuple[str, str] | None = None
    flags: list[str] = []
    for code, printed in zip(codes, text.code_groups):
        system = code_system(code.code, specs.class_lists) if code is not None else None
        if system:
            found.setdefault(system, code)
        elif printed and _DIGITS.match(printed) and len(printed) == 6:
            unit = (printed, "")  # six digits: a 预算单位's code (部门 + 单位), if the row names an organisation
    parts: list[str] = []
    for part in text.parts:
        code, rest = split_label_code(part)
        if code is not None and (system := code_system(code.code, specs.class_lists)):
            if system not in found:
                found[system] = code
                flags.append(CODE_IN_LABEL)
            part = rest
        elif (m := UNIT_CODE.match(part)) and code_system(m.group(1), specs.class_lists) is None \
                and is_organisation(part[m.end():]):
            unit, part = (m.group(1), part[m.end():]), part[m.end():]
        if part:
            parts.append(part)
    label = "/".join(parts)
    if unit is not None and not unit[1]:
        unit = (unit[0], label) if is_organisation(label) else None
    # a 单位编码 of 6 digits is a 预算单位's (a department's own 3-digit code names no unit); a name printed in a
    # 预算单位 column is the unit's, unless it is the total line
    unit_code = text.unit_code if len(text.unit_code) == 6 and text.unit_code.isdigit() else ""
    unit_name = "" if TOTAL_LABEL.match(text.unit_name) or (text.unit_code_printed and not unit_code) else \
        text.unit_name
    if unit_code or unit_name:
        unit = (unit_code, unit_name or label)
    label = label or text.unit_name  # a unit's own row is labelled by its name
    lead = found.get("function")
    if lead is not None and lead.level == 1 and is_organisation(label) and specs.class_code(label) is None:
        del found["function"]  # '204 西安市科学技术局': the department's own code, not 204 公共安全支出
    if not label and not found and text.code_groups and text.code_groups[0] and not text.code_groups[0].isdigit():
        label = clean_label(text.code_groups[0])  # a name printed in the code column (合计 across both)
    return _RowReading(label, found, unit, flags)


def subject_of(codes: dict[str, SubjectCode]) -> SubjectCode | None:
    """The row's subject code: its 功能分类 code, else its 部门经济分类 code, else its 政府经济分类 code."""
    return next((codes[s] for s in CODE_SYSTEMS if s in codes), None)


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


@dataclass
class _RowText:
    parts: list[str]  # the row's own label cells, cleaned, left to right
    group: str  # label cells merged over several rows (the group the row sits under), joined by '/'
    code_groups: list[str]  # the row's code printed in each code-column group (parts joined)
    line: int | None  # the printed 行次
    unit_code: str = ""  # a 单位编码 column's text
    unit_name: str = ""  # a 预算单位 column's text (perhaps merged over the unit's rows)
    unit_code_printed: bool = False  # the table has a 单位编码 column: units are told by their codes

    @property
    def label(self) -> str:
        return "/".join(self.parts)

    @property
    def codes(self) -> list[str]:
        return self.code_groups


def _row_text(rows: list[GridRow], edges: list[float], r: int, cols: list[Column]) -> _RowText:
    """What one unrolled row prints: its own label parts, the group label it sits under (a label cell merged over
    several rows: on the rows below its first, and on that first row too), its code texts and its 行次."""
    row = rows[r]
    parts: list[str] = []
    group: list[str] = []
    read: set[tuple[int, int]] = set()  # the cells read: a cell merged over two label columns is one part
    for col in cols:
        if col.role != "label":
            continue
        text = row.text(col.index)
        at = (r, col.index)
        spans_rows = False
        if text is None:  # covered by a merged cell: on this row (合计 across code and name), or above it
            origin = span_origin(rows, edges, r, col.index)
            if origin is not None and (origin[0] != r or origin[1] in {c.index for c in cols}):
                text = rows[origin[0]].cells[origin[1]].text
                spans_rows = origin[0] != r
                at = origin
        elif _spans_rows_below(rows, r, col.index):
            spans_rows = True
        cleaned = clean_label(text)
        if not cleaned or at in read:
            continue
        read.add(at)
        # names printed in several label columns (功能 | 政府经济 | 部门经济) are a path, repeated names included
        (group if spans_rows and any(c.role == "label" and c.index > col.index for c in cols) else parts).append(
            cleaned)
    unit_name = unit_code = ""
    for col in cols:
        if col.role in ("unit_name", "unit_code"):
            text = row.text(col.index)
            if text is None:  # merged over the unit's rows
                origin = span_origin(rows, edges, r, col.index)
                text = rows[origin[0]].cells[origin[1]].text if origin is not None else None
            if col.role == "unit_name":
                unit_name = clean_label(text)
            else:
                unit_code = clean_label(text)
    codes = []
    for group_cols in _code_groups([col for col in cols if col.role == "code"]):
        codes.append("".join("".join((row.text(col.index) or "").split()) for col in group_cols))
    line = None
    for col in cols:
        if col.role == "line":
            t = clean_label(row.text(col.index))
            if t.isdigit():
                line = int(t)
    return _RowText(parts, "/".join(group), codes, line, unit_code, unit_name,
                    any(col.role == "unit_code" for col in cols))


def _spans_rows_below(rows: list[GridRow], r: int, c: int) -> bool:
    """The cell at (r, c) is merged over the rows below it: its box reaches past its row's other cells."""
    cell = rows[r].cells[c] if c < len(rows[r].cells) else None
    if cell is None or cell.bbox is None:
        return False
    others = [x.bbox.bottom for i, x in enumerate(rows[r].cells)
              if i != c and x.bbox is not None and x.text is not None]
    return bool(others) and cell.bbox.bottom > min(others) + 2 and r + 1 < len(rows) and (
        c < len(rows[r + 1].cells) and rows[r + 1].cells[c].text is None)


def _class_codes_on_class_lines(cells: list[Cell]) -> None:
    """A 类 code read from a line's name holds on a 类-level line only: a line nested (by numbering or indentation)
    under a line named by its 类 is a 款 or 项 of it — '其他支出' under '其他支出' — and keeps no code from its name."""
    by_row: dict[int, Cell] = {}
    for c in cells:
        by_row.setdefault(c.row_no, c)
    named = {r for r, c in by_row.items() if CODE_FROM_NAME in c.flags}
    if not named:
        return
    below: set[int] = set()
    for block in dict.fromkeys(c.block for c in by_row.values()):
        parent = line_parents(sorted((h for h in by_row.values() if h.block == block), key=lambda h: h.row_no))
        for row_no in named:
            up = parent.get(row_no)
            while up is not None and up not in named:
                up = parent.get(up)
            if up is not None:
                below.add(row_no)
    for c in cells:
        if c.row_no in below:
            c.codes.pop("function", None)
            c.subject_code = c.code_level = c.parent_code = None
            c.flags = [f for f in c.flags if f != CODE_FROM_NAME]


def _mark_leaves(cells: list[Cell]) -> None:
    """`is_leaf`: no other row of the table adds up into the row. Coded rows: no row of its block and 预算单位 whose
    codes refine all of its own; rows without codes (or with a 类 code read from their name): the lines a total adds
    up (normalize/rows.py), never a total or a '其中' line."""
    by_row: dict[int, Cell] = {}
    for c in cells:
        by_row.setdefault(c.row_no, c)
    heads = list(by_row.values())
    parents: set[int] = set()
    # a 类 line's code read from its name says nothing of what it adds up: it nests as a line, by numbering or
    # indentation, over the 款 and 项 lines printed by name under it
    lines = {h.row_no for h in heads if not h.codes or CODE_FROM_NAME in h.flags}
    coded = [h for h in heads if h.row_no not in lines]
    for a in coded:
        for b in coded:
            if b is not a and (a.block, a.budget_unit_code) == (b.block, b.budget_unit_code) and _refines(b, a):
                parents.add(a.row_no)
                break
    for block in dict.fromkeys(h.block for h in heads):
        plain = [h for h in heads if h.block == block and h.row_no in lines]
        kept = {h.row_no for h in leaves(plain)}
        parents.update(h.row_no for h in plain if h.row_no not in kept or h.row_role in ("total", "grand_total"))
    units = {h.budget_unit_code for h in heads if h.budget_unit_code}
    for h in heads:  # a 预算单位's own row holds the sum of the rows under it
        if h.budget_unit_code in units and not h.codes and any(
                o.budget_unit_code == h.budget_unit_code and o.row_no > h.row_no for o in heads):
            parents.add(h.row_no)
    for c in cells:
        c.is_leaf = c.row_no not in parents


def _refines(b: Cell, a: Cell) -> bool:
    """b's codes are a's, or finer, in every classification a prints, and finer in one."""
    finer = False
    for system, code in a.codes.items():
        other = b.codes.get(system)
        if other is None or not other.code.startswith(code.code):
            return False
        finer = finer or len(other.code) > len(code.code)
    return finer or len(b.codes) > len(a.codes)
