"""Every amount of every table of every sample equals its truth file, cell by cell."""

import csv
from decimal import Decimal

import pytest

from fiscalpdf.extract.registry import FIRST_STAGE
from fiscalpdf.pipelines.rows import cell_rows
from samples import generate
from tests.paths import DATA, SAMPLE_PDFS, SAMPLES, VARIANT_PDFS

FIELDS = ("table_id", "block", "line_no", "row_label", "row_group", "subject_code", "code_level", "parent_code",
          "function_code", "econ_code", "gov_econ_code", "column_label", "column_id", "column_period", "fund", "basis",
          "unit", "page")
PRINTED_CODES = ("function_code", "econ_code", "gov_econ_code")  # a code inferred from a 类 name is not printed


def _as_text(v):
    return "" if v is None else str(v)


@pytest.mark.parametrize("pdf", SAMPLE_PDFS + VARIANT_PDFS, ids=lambda p: p.stem)
def test_cells_equal_truth(pdf, results):
    assert_cells_equal_truth(results[pdf.name], pdf.with_suffix(".truth.csv"))


def assert_cells_equal_truth(result, truth_file) -> dict[tuple[int, int, int], dict]:
    """Every cell of the truth file, and no other, with its value and FIELDS; the cells rows by key."""
    truth = list(csv.DictReader(truth_file.open(encoding="utf-8")))
    got = {(r["table_no"], r["row_no"], r["col_no"]): r for r in cell_rows(result, result.year)}
    assert len(got) == len(truth)
    for t in truth:
        key = (int(t["table_no"]), int(t["row_no"]), int(t["col_no"]))
        assert key in got, f"missing {t}"
        g = got[key]
        assert Decimal(str(g["value"])).quantize(Decimal("0.01")) == Decimal(t["value"]), (key, t, g)
        for field in FIELDS:
            got_field = "" if field in PRINTED_CODES and "code_from_name" in g["cell_flags"] else _as_text(g[field])
            assert got_field == t[field], (key, field, t, g)
    return got


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=lambda p: p.stem)
def test_document_metadata(pdf, results):
    doc = generate.DocumentSource.load(SAMPLES / "src" / pdf.with_suffix(".toml").name)
    r = results[pdf.name]
    assert (r.department, r.year, r.kind, r.scope, r.status) == (
        doc.meta["department"], doc.meta["year"], doc.meta["kind"], doc.meta["scope"], "ok")
    assert [t.table_id for t in r.tables] == [t.table_id for t in doc.tables]
    assert [t.label for t in r.tables] == [t.label.replace(" ", "") for t in doc.tables]


def test_unruled_table_comes_from_camelot(results):
    r = results["seed_unruled_income.pdf"]
    income = next(t for t in r.tables if t.table_id == "income")
    assert income.extractor == "camelot-stream"
    assert all(t.extractor == FIRST_STAGE for t in r.tables if t.table_id != "income" and not t.empty)


# a cell by what it is, not by its place: a row left unread moves every later row of its table up one row_no
CELL_KEY = ("table_no", "block", "line_no", "row_label", "subject_code", "col_no")


def _cell_key(cell: dict) -> tuple[str, ...]:
    return tuple(_as_text(cell[k]) for k in CELL_KEY)


def test_rows_outside_the_ruled_grid_are_read(results):
    """Issue 19, seed_borderless_rows (samples/generate.py variant_borderless): 支出决算表 runs over a page break
    and its continuation page opens with 215 资源勘探工业信息等支出 drawn without a top rule (p9), and
    财政拨款收入支出决算总表 prints its 总计 row under its last rule, unruled (p11). Every truth cell is read,
    in its place, with its value, labels, codes, column and page; every identity holds, and the document is
    checked by exactly the identities of the seed it is drawn from (a row left unread drops its checks, it
    does not fail them)."""
    r = results["seed_borderless_rows.pdf"]
    truth_file = DATA / "seed_borderless_rows.truth.csv"
    truth = {_cell_key(t): t for t in csv.DictReader(truth_file.open(encoding="utf-8"))}
    got = {_cell_key(g): g for g in cell_rows(r, r.year)}
    missing: dict[str, list[str]] = {}
    for key in sorted(truth.keys() - got.keys()):
        t = truth[key]
        row = f"{t['table_id']} p{t['page']} {t['block'] or '-'} {t['row_label']} {t['subject_code']}".rstrip()
        missing.setdefault(row, []).append(f"{t['column_id']}={t['value']}")
    extra = sorted(f"{g['table_id']} p{g['page']} {g['row_label']} {g['column_id']}={g['value']}"
                   for key, g in got.items() if key not in truth)
    assert (missing, extra) == ({}, []), "truth cells not read (row: cells), cells read that the truth has not"
    assert_cells_equal_truth(r, truth_file)
    assert len(r.checks) > 200 and [c for c in r.checks if not c.holds] == []
    seed = results["zhuzhou-shifeng-yingshang_2020_final.pdf"]
    assert sorted((c.rule, tuple(c.terms)) for c in r.checks) == sorted((c.rule, tuple(c.terms)) for c in seed.checks)


def test_gap_after_decimal_point_is_read_as_printed(results):
    r = results["zhuzhou-shifeng-yingshang_2020_final.pdf"]
    gpb = next(t for t in r.tables if t.table_id == "gpb_expenditure")
    texts = [c.text for c in gpb.cells]
    assert "186. 67" in texts
    total = next(c for c in gpb.cells if c.text == "186. 67")
    assert total.amount == Decimal("1866700.00") and "spaced" in total.flags


def test_table_printed_twice_is_kept_once(results):
    r = results["zhuzhou-shifeng-yingshang_2020_final.pdf"]
    summaries = [t for t in r.tables if t.table_id == "summary"]
    assert len(summaries) == 1
    assert summaries[0].pages == [4, 5]  # over a page break: one table
    assert any("printed again" in w for w in summaries[0].warnings)


def test_empty_tables_are_present_with_their_note(results):
    r = results["zhuzhou-shifeng-yingshang_2020_final.pdf"]
    empty = {t.table_id: t for t in r.tables if t.empty}
    assert set(empty) == {"gov_fund", "soe_capital"}
    assert "无政府性基金" in empty["gov_fund"].note
    assert not empty["gov_fund"].cells
    budget = results["zhuzhou-shifeng-yingshang_2021_budget.pdf"]
    gov = next(t for t in budget.tables if t.table_id == "gov_fund")
    assert gov.empty and gov.extractor is None and "故本表无数据" in gov.note  # printed as a note, no grid


def test_every_flag_emitted_is_declared(results):
    from fiscalpdf.flags import CELL_FLAGS

    emitted = {f for r in results.values() for t in r.tables for c in t.cells for f in c.flags}
    assert emitted and emitted <= set(CELL_FLAGS)
