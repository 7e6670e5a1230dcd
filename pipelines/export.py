"""`fiscalpdf export --out DIR --format xlsx|csv`: each document's tables laid out as printed, for colleagues who work
in Excel rather than with datasets.

- xlsx: one workbook per document. Its first sheet lists the tables (label, title, pages, unit, identities
  failed, note); then one sheet per table: the title, where it is printed (file and pages), and the table as
  printed (pipelines/layout.py), a 页 column giving each row's page; then, when its prose states figures, a
  sheet `facts`: one row per fact (the `facts` dataset's columns) with the result of its checks.
- csv: one folder per document: `tables.csv` (the list), one file per table, the same layout, and `facts.csv`.
  UTF-8 with a byte-order mark, which Excel needs to read Chinese text from a CSV.
Amounts are the `cells` and `facts` values, in 元 (the sheet says which unit the document printed), so a sum in
Excel matches a sum over the dataset. Documents with neither tables nor facts (failed ones, or nothing found) get
no file: the result names them, and the command says so.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import CELLS, CHECKS, DOCUMENTS, FACTS, TABLES
from .datasets import read_rows
from .layout import Layout, printed_layout

FORMATS = ("xlsx", "csv")
INDEX_HEADER = ("表", "label", "title", "table_id", "pages", "unit", "rows", "empty", "identities failed", "note")
FACTS_SHEET = "facts"
FACTS_HEADER = ("fact_no", "fact_id", "measure", "value", "unit", "subject_code", "subject_label", "period", "basis",
                "change_value", "change_pct", "change_basis", "page", "section", "checks", "text")
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class Exported:
    written: list[Path] = field(default_factory=list)
    without_tables: list[str] = field(default_factory=list)  # 'path (status error_code)': no table and no fact


def export(out: Path, to: Path, fmt: str) -> Exported:
    """Write every document of the output folder `out` into `to`; the files written, the documents left out."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    tables: dict[str, list[dict]] = defaultdict(list)
    for t in read_rows(out, TABLES):
        tables[t["doc_id"]].append(t)
    cells: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for c in read_rows(out, CELLS):
        cells[(c["doc_id"], c["table_no"])].append(c)
    facts = _fact_rows(out)
    to.mkdir(parents=True, exist_ok=True)
    done = Exported()
    written = done.written
    for doc in sorted(read_rows(out, DOCUMENTS), key=lambda d: d["path"]):
        doc_tables = sorted(tables.get(doc["doc_id"], []), key=lambda t: t["table_no"])
        doc_facts = facts.get(doc["doc_id"], [])
        if not doc_tables and not doc_facts:
            why = " ".join(str(x) for x in (doc["status"], doc["error_code"]) if x)
            done.without_tables.append(f"{doc['path']} ({why})")
            continue
        sheets = [(t, printed_layout(cells.get((doc["doc_id"], t["table_no"]), []))) for t in doc_tables]
        if fmt == "xlsx":
            written.append(_write_xlsx(to / f"{file_stem(doc)}.xlsx", doc, sheets, doc_facts))
        else:
            written += _write_csv(to / file_stem(doc), sheets, doc_facts)
    return done


def _fact_rows(out: Path) -> dict[str, list[list]]:
    """doc_id → the rows of its facts sheet (FACTS_HEADER), in fact_no order, each with its checks' results."""
    results: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in read_rows(out, CHECKS):
        if c["table_id"] == FACTS.name:
            for ref in c["terms"]:
                if ref.startswith("f"):
                    results[(c["doc_id"], ref)].append(f"{c['rule']} {'holds' if c['holds'] else 'fails'}")
    rows: dict[str, list[list]] = defaultdict(list)
    for f in sorted(read_rows(out, FACTS), key=lambda f: (f["doc_id"], f["fact_no"])):
        checks = "; ".join(results.get((f["doc_id"], f"f{f['fact_no']}"), []))
        rows[f["doc_id"]].append([checks if h == "checks" else f[h] for h in FACTS_HEADER])
    return rows


def file_stem(doc: dict) -> str:
    """'2020_final_株洲市石峰区…中心_9f2c41e0': sorts by year, names the department, unique by doc_id."""
    parts = [str(doc["year"]), doc["kind"] or "unknown", doc["department"] or "department-unknown", doc["doc_id"][:8]]
    return "_".join(_UNSAFE.sub("-", p) for p in parts)


def sheet_name(table: dict) -> str:
    return f"{table['table_no']:02d} {table['table_id']}"  # Excel: ≤ 31 characters, none of []:*?/\


def _index_row(t: dict) -> list:
    return [t["table_no"], t["label"], t["title"], t["table_id"], ", ".join(map(str, t["pages"])), t["unit"],
            t["rows"], t["is_empty"], t["checks_failed"], t["note"]]


def _source(doc: dict, t: dict) -> str:
    pages = ", ".join(map(str, t["pages"]))
    unit = f"printed in {t['unit']}; " if t["unit"] else ""
    return f"{doc['path']}, page {pages} · {unit}amounts here in 元"


def _write_xlsx(path: Path, doc: dict, sheets: list[tuple[dict, Layout]], facts: list[list]) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    index = book.active
    index.title = "tables"
    index.append([f"{doc['department'] or ''} {doc['year']} {doc['kind'] or ''}".strip()])
    index.append([doc["path"]])
    index.append(list(INDEX_HEADER))
    for t, _ in sheets:
        index.append(_index_row(t))
    for cell in index[3]:
        cell.font = Font(bold=True)
    for t, layout in sheets:
        sheet = book.create_sheet(sheet_name(t))
        sheet.append([" ".join(p for p in (t["label"], t["title"]) if p)])
        sheet.append([_source(doc, t)])
        sheet["A1"].font = Font(bold=True, size=12)
        if t["is_empty"] or not layout.rows:
            sheet.append([t["note"] or "printed empty"])
            continue
        sheet.append(list(layout.header))
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in layout.rows:
            sheet.append(list(row))
        for i, header in enumerate(layout.header, start=1):
            letter = get_column_letter(i)
            if i - 1 in layout.amount_columns:
                sheet.column_dimensions[letter].width = 16
                for (cell,) in sheet.iter_rows(min_row=4, min_col=i, max_col=i):
                    cell.number_format = "#,##0.00"
            else:
                sheet.column_dimensions[letter].width = {"编码": 10, "项目": 28, "页": 5}.get(header, 14)
        sheet.freeze_panes = "A4"
    if facts:
        sheet = book.create_sheet(FACTS_SHEET)
        sheet.append([f"the figures the prose states · {doc['path']} · money in 元 (unit: as printed)"])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(list(FACTS_HEADER))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in facts:
            sheet.append(row)
        for i, header in enumerate(FACTS_HEADER, start=1):
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = {"text": 60, "checks": 30, "section": 24, "subject_label": 20,
                                                     "fact_id": 24}.get(header, 12)
            if header in ("value", "change_value"):
                for (cell,) in sheet.iter_rows(min_row=3, min_col=i, max_col=i):
                    cell.number_format = "#,##0.00"
        sheet.freeze_panes = "A3"
    tmp = path.with_name(f".{path.name}.tmp")
    book.save(tmp)
    tmp.replace(path)  # a reader never opens a half-written workbook
    return path


def _write_csv(folder: Path, sheets: list[tuple[dict, Layout]], facts: list[list]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / "tables.csv"
    _csv(index, [INDEX_HEADER] + [_index_row(t) for t, _ in sheets])
    written = [index]
    for t, layout in sheets:
        if t["is_empty"] or not layout.rows:
            continue
        path = folder / f"{sheet_name(t).replace(' ', '_')}.csv"
        _csv(path, [layout.header] + [["" if v is None else v for v in row] for row in layout.rows])
        written.append(path)
    if facts:
        path = folder / f"{FACTS_SHEET}.csv"
        _csv(path, [FACTS_HEADER] + [["" if v is None else v for v in row] for row in facts])
        written.append(path)
    return written


def _csv(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
