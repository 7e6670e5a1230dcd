"""Rows printed outside a grid's rules (extract/outside_rows.py) and the completeness check that catches what no
rule reads (pipelines/completeness.py), on synthetic pages: a continuation page's first row without its top
border, a total under the last rule, and the lines that are no rows (a note, a page number, 栏次, the unit line)."""

from __future__ import annotations

from decimal import Decimal

from fiscalpdf.extract.locate import locate_tables
from fiscalpdf.normalize.table import normalize_table
from fiscalpdf.pipelines.completeness import find_orphans
from fiscalpdf.specs import load_specs
from tests.synthetic import Grid, Page, SyntheticSource

XS = [60.0, 260.0, 380.0, 500.0]
HEADER = ["项目", "合计", "基本支出"]
HEADING = [("公开03表", 380, 30), ("支出决算表", 360, 50), ("单位：万元", 440, 75)]


def grid(rows, top=100.0):
    return Grid(XS, top, rows)


def row_at(texts, top):
    """A row printed without ruling: each text at its column's left, 2 pt in, as the grid's own cells are."""
    return [(t, XS[c] + 2, top) for c, t in enumerate(texts) if t]


def read(pages):
    specs = load_specs()
    source = SyntheticSource(pages)
    found = locate_tables(source, specs)
    out = []
    for no, lt in enumerate(found.tables, start=1):
        table = normalize_table(lt, no, specs.by_id(lt.heading.table_id), specs, "万元")
        out.append((lt, table, find_orphans(source, lt, table, [t.heading for t in found.tables])))
    return out


def amounts(table):
    return {(c.row_label, c.column_label): c.amount for c in table.cells}


def test_a_continuation_row_without_its_top_border_is_the_first_row_of_its_page():
    # page 2: the row '205教育支出' sits right above the first rule (Word drew its top border on page 1)
    pages = [Page(HEADING, [grid([HEADER, ["合计", "10.00", "4.00"], ["201一般公共服务支出", "6.00", "2.00"]])]),
             Page(row_at(["205教育支出", "3.00", "1.00"], 45), [grid([["208社会保障和就业支出", "1.00", "1.00"]],
                                                                    top=60)])]
    [(lt, table, orphans)] = read(pages)
    assert [len(f.rows) for f in lt.fragments] == [3, 2]
    got = amounts(table)
    assert got[("教育支出", "合计")] == Decimal("30000.00")
    assert got[("教育支出", "基本支出")] == Decimal("10000.00")
    assert [c.page for c in table.cells if c.row_label == "教育支出"] == [2, 2]
    assert orphans == []


def test_a_total_printed_under_the_last_rule_is_the_last_row():
    note = [("注：本表反映部门本年度支出 12.50 万元。", 60, 200), ("3", 420, 560)]
    pages = [Page(HEADING + row_at(["合计", "10.00", "4.00"], 165) + note,
                  [grid([HEADER, ["201一般公共服务支出", "6.00", "2.00"], ["205教育支出", "4.00", "2.00"]])])]
    [(lt, table, orphans)] = read(pages)
    assert len(lt.fragments[0].rows) == 4  # the note and the page number below it are no rows
    assert amounts(table)[("合计", "合计")] == Decimal("100000.00")
    assert orphans == []


def test_lines_that_are_no_rows_leave_the_grid_as_it_is():
    # the unit line above, a line of column numbers below, a ruled header over nothing
    pages = [Page(HEADING + [("栏次", 62, 165), ("1", 262, 165), ("2", 382, 165)],
                  [grid([HEADER, ["201一般公共服务支出", "6.00", "2.00"]])])]
    [(lt, _, orphans)] = read(pages)
    assert len(lt.fragments[0].rows) == 2 and orphans == []


def test_a_header_over_an_unruled_body_is_left_to_the_later_stages():
    pages = [Page(HEADING + row_at(["201一般公共服务支出", "6.00", "2.00"], 125), [grid([HEADER])])]
    [(lt, _, _)] = read(pages)
    assert len(lt.fragments[0].rows) == 1


def test_an_amount_no_rule_reads_is_an_orphan_with_its_position():
    # a figure printed across a column rule below the grid: no row of it, and no page number, 栏次 or note
    pages = [Page(HEADING + [("1,234.56", 250, 170)],
                  [grid([HEADER, ["201一般公共服务支出", "6.00", "2.00"], ["205教育支出", "4.00", "2.00"]])]),
             Page([("说明", 60, 60)])]
    [(_, table, orphans)] = read(pages)
    assert [(o.page, o.text, round(o.bbox.x0), round(o.bbox.top)) for o in orphans] == [(1, "1,234.56", 250, 170)]
    assert ("合计", "合计") not in amounts(table)


def test_amounts_of_another_table_are_not_orphans_of_this_one():
    pages = [Page([("收入决算表", 360, 30), ("支出决算表", 360, 230)] + [("9.99", 400, 300)],
                  [grid([HEADER, ["合计", "1.00", "1.00"]], top=60),
                   grid([HEADER, ["合计", "2.00", "2.00"]], top=260)])]
    (_, _, first), (_, _, second) = read(pages)
    assert first == []
    assert [o.text for o in second] == ["9.99"]  # printed inside the second table's area, beside no cell


def test_the_completeness_check_names_every_amount_the_grid_stage_would_lose(monkeypatch):
    """The generated variant whose continuation row (215, page 9) has no top border and whose 总计 (page 11) is
    printed under the last rule: with the rule reading such rows turned off, exactly their amounts are orphans,
    each at its page; with it on, none is."""
    from fiscalpdf.extract import locate
    from fiscalpdf.pipelines.document import process_document
    from tests.paths import DATA

    pdf = DATA / "seed_borderless_rows.pdf"
    assert process_document(pdf).tables and all(not t.orphans for t in process_document(pdf).tables)
    monkeypatch.setattr(locate, "with_rows_outside_rules", lambda grid, chars, upper, lower: grid)
    result = process_document(pdf)
    lost = sorted((t.table_id, o.page, o.text) for t in result.tables for o in t.orphans)
    assert lost == sorted([("expenditure", 9, text) for text in ("48.99", "0.00", "48.99", "0.00", "0.00", "0.00")]
                          + [("fiscal_summary", 11, text) for text in ("186.67", "186.67", "186.67", "0.00", "0.00")])
    assert result.error_code == "orphan_amounts" and result.status == "partial"


def test_the_number_of_a_label_spaced_out_is_no_orphan():
    """OCR may read 公开05表 as '公开 05 表' on its own line under the title: the 05 is the label's, not an amount."""
    pages = [Page([("支出决算表", 360, 30), ("公开 05 表", 400, 70)],
                  [grid([HEADER, ["201一般公共服务支出", "6.00", "2.00"]], top=100)]),
             Page([("说明", 60, 60)])]
    [(_, _, orphans)] = read(pages)
    assert orphans == []
