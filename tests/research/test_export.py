"""`fiscalpdf export`: each document's tables laid out as printed, with the numbers of `cells`, and its prose's
facts with the numbers of `facts`."""

import csv
from collections import defaultdict

import pytest
from openpyxl import load_workbook

from fiscalpdf.cli import main
from fiscalpdf.pipelines.datasets import read_rows
from fiscalpdf.pipelines.export import FACTS_HEADER, FACTS_SHEET, file_stem, sheet_name
from fiscalpdf.pipelines.layout import (
    CODE_HEADER,
    LABEL_HEADER,
    PAGE_HEADER,
    printed_layout,
)
from fiscalpdf.schema import CELLS, DOCUMENTS, FACTS, TABLES

TEXT_HEADERS = {CODE_HEADER, LABEL_HEADER, PAGE_HEADER}


@pytest.fixture(scope="module")
def dataset(batch_out):
    cells = defaultdict(list)
    for c in read_rows(batch_out, CELLS):
        cells[(c["doc_id"], c["table_no"])].append(c)
    documents = {d["doc_id"]: d for d in read_rows(batch_out, DOCUMENTS)}
    tables = defaultdict(list)
    for t in read_rows(batch_out, TABLES):
        tables[t["doc_id"]].append(t)
    return documents, tables, cells


@pytest.fixture(scope="module")
def facts(batch_out):
    by_doc = defaultdict(list)
    for f in sorted(read_rows(batch_out, FACTS), key=lambda f: f["fact_no"]):
        by_doc[f["doc_id"]].append(f)
    return by_doc


def _amounts(header, rows) -> list[float]:
    """The amounts of a sheet: every value under an amount header (codes are text, pages are under 页)."""
    keep = [i for i, h in enumerate(header) if h not in TEXT_HEADERS]
    return sorted(float(row[i]) for row in rows for i in keep if i < len(row) and row[i] not in (None, ""))


def test_layout_places_every_cell_once(dataset):
    _, _, cells = dataset
    for key, table_cells in cells.items():
        layout = printed_layout(table_cells)
        placed = {ref: row[i] for row, refs in zip(layout.rows, layout.refs) for i, ref in enumerate(refs) if ref}
        assert len(placed) == sum(r is not None for refs in layout.refs for r in refs), key
        assert placed == {f"{c['table_no']}/{c['row_no']}/{c['col_no']}": c["value"] for c in table_cells}, key


def test_layout_puts_side_by_side_blocks_back(dataset):
    """收入支出决算总表: 收入 on the left, 支出 on the right, as printed."""
    documents, tables, cells = dataset
    doc = next(d for d in documents.values() if d["path"].endswith("2020_final.pdf"))
    summary = next(t for t in tables[doc["doc_id"]] if t["table_id"] == "summary")
    layout = printed_layout(cells[(doc["doc_id"], summary["table_no"])])
    assert layout.header.count(PAGE_HEADER) == 2
    first = layout.rows[0]
    assert first[0] == "一、一般公共预算财政拨款收入" and "201" in first and "一、一般公共服务支出" in first


def test_xlsx_reopens_with_the_numbers_of_cells_and_facts(batch_out, tmp_path, dataset, facts):
    documents, tables, cells = dataset
    assert main(["export", str(batch_out), "--out", str(tmp_path)]) == 0
    with_tables = [d for d in documents.values() if tables.get(d["doc_id"])]
    assert all(tables.get(doc_id) for doc_id in facts)  # the samples' prose comes with their tables
    files = sorted(tmp_path.glob("*.xlsx"))
    assert [f.stem for f in files] == sorted(file_stem(d) for d in with_tables)
    for doc in with_tables:
        book = load_workbook(tmp_path / f"{file_stem(doc)}.xlsx", read_only=True)
        doc_tables = sorted(tables[doc["doc_id"]], key=lambda t: t["table_no"])
        doc_facts = facts.get(doc["doc_id"], [])
        facts_sheet = [FACTS_SHEET] if doc_facts else []
        assert book.sheetnames == ["tables"] + [sheet_name(t) for t in doc_tables] + facts_sheet
        if doc_facts:
            header, *rows = list(book[FACTS_SHEET].iter_rows(min_row=2, values_only=True))
            assert header == FACTS_HEADER
            assert [r[:4] for r in rows] == [(f["fact_no"], f["fact_id"], f["measure"], f["value"]) for f in doc_facts]
            assert all(r[-2] for r in rows if r[1] == "admin_running_costs")  # its checks' results
        index = list(book["tables"].iter_rows(min_row=4, values_only=True))
        assert [(r[0], r[2]) for r in index] == [(t["table_no"], t["title"]) for t in doc_tables]
        for t in doc_tables:
            rows = list(book[sheet_name(t)].iter_rows(values_only=True))
            assert t["title"] in rows[0][0]
            assert f"{doc['path']}, page {', '.join(map(str, t['pages']))}" in rows[1][0]
            expected = sorted(c["value"] for c in cells[(doc["doc_id"], t["table_no"])])
            got = _amounts(rows[2], rows[3:]) if expected else []
            assert got == expected, (doc["path"], t["table_id"])


def test_csv_has_the_same_numbers(batch_out, tmp_path, dataset):
    documents, tables, cells = dataset
    assert main(["export", str(batch_out), "--format", "csv", "--out", str(tmp_path)]) == 0
    doc = next(d for d in documents.values() if d["path"].endswith("2021_budget.pdf"))
    folder = tmp_path / file_stem(doc)
    with open(folder / "tables.csv", encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.reader(fh))) == 1 + len(tables[doc["doc_id"]])
    for t in tables[doc["doc_id"]]:
        if t["is_empty"]:
            continue
        with open(folder / f"{sheet_name(t).replace(' ', '_')}.csv", encoding="utf-8-sig", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        assert _amounts(header, rows) == sorted(c["value"] for c in cells[(doc["doc_id"], t["table_no"])])


def test_csv_has_the_facts(batch_out, tmp_path, dataset, facts):
    documents, _, _ = dataset
    assert main(["export", "--out", str(batch_out), "--format", "csv", "--to", str(tmp_path)]) == 0
    doc = next(d for d in documents.values() if d["path"].endswith("2021_budget.pdf"))
    with open(tmp_path / file_stem(doc) / f"{FACTS_SHEET}.csv", encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert tuple(header) == FACTS_HEADER
    value = header.index("value")
    assert [(int(r[0]), float(r[value]) if r[value] else None) for r in rows] == [
        (f["fact_no"], f["value"]) for f in facts[doc["doc_id"]]]
