"""`normalize_table`, grid → typed cells, on synthetic grids: header paths and column ids, codes whole or split
over 类 | 款 | 项, side-by-side blocks unrolled, merged labels, continuation pages, units, empty tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fiscalpdf.model import BBox, Heading, LocatedTable
from fiscalpdf.normalize.table import normalize_table
from fiscalpdf.specs import load_specs
from tests.synthetic import raw_grid

SPECS = load_specs()


def table(table_id, grids, title="支出决算表", unit="万元", note=None):
    heading = Heading(table_id, title, None, 1, BBox(300, 40, 500, 52), unit=unit)
    return normalize_table(LocatedTable(heading, grids, note), 3, SPECS.by_id(table_id), SPECS, None)


def by_row(t):
    rows = {}
    for c in t.cells:
        rows.setdefault(c.row_no, []).append(c)
    return rows


def test_header_paths_column_ids_codes_and_values_in_yuan():
    t = table("expenditure", [raw_grid([
        ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        [None, "合计", "30.00", "10.00", "20. 00"],
        ["201", "一般公共服务支出", "30.00", "10.00", "20.00"],
        ["20103", "政府办公厅（室）及相关机构事务", "30.00", "10.00", "20.00"],
        ["2010301", "行政运行", "30.00", "10.00", "-"],
    ])])
    assert (t.table_id, t.table_no, t.unit, t.rows, t.empty) == ("expenditure", 3, "万元", 4, False)
    rows = by_row(t)
    total = rows[1]
    assert [c.row_label for c in total] == ["合计"] * 3 and total[0].subject_code is None
    assert [(c.column_label, c.column_id) for c in total] == [
        ("本年支出合计", "total"), ("基本支出", "basic"), ("项目支出", "project")]
    assert total[2].amount == Decimal("200000.00") and "spaced" in total[2].flags
    assert [(r[0].subject_code, r[0].code_level, r[0].parent_code) for r in (rows[2], rows[3], rows[4])] == [
        ("201", 1, None), ("20103", 2, "201"), ("2010301", 3, "20103")]
    project = rows[4][2]
    assert (project.text, project.amount, project.flags) == ("-", Decimal(0), ["placeholder"])
    assert all(c.table_no == 3 and c.page == 1 for c in t.cells)


def test_codes_split_over_lei_kuan_xiang_columns_take_missing_parts_from_above():
    t = table("gpb_expenditure", [raw_grid([
        ["功能分类科目编码", None, None, "科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", "^", "^", "^", "^"],
        ["201", "", "", "一般公共服务支出", "5.00", "5.00", "0.00"],
        ["", "3", "", "政府办公厅（室）及相关机构事务", "5.00", "5.00", "0.00"],
        ["", "", "1", "行政运行", "5.00", "5.00", "0.00"],
    ])], title="一般公共预算财政拨款支出决算表")
    codes = [(r[0].subject_code, r[0].code_level) for r in by_row(t).values()]
    assert codes == [("201", 1), ("20103", 2), ("2010301", 3)]
    assert {c.column_id for c in t.cells} == {"total", "basic", "project"}


def test_side_by_side_blocks_are_unrolled_and_class_names_give_codes():
    t = table("summary", [raw_grid([
        ["收入", None, "支出", None],
        ["项目", "金额", "项目", "金额"],
        ["一、一般公共预算财政拨款收入", "8.00", "一、一般公共服务支出", "5.00"],
        ["二、事业收入", "2.00", "二、教育支出", "5.00"],
        ["本年收入合计", "10.00", "本年支出合计", "10.00"],
    ])], title="收入支出决算总表")
    got = [(c.block, c.row_no, c.row_label, c.subject_code, c.row_role, "code_from_name" in c.flags) for c in t.cells]
    assert got == [
        ("income", 1, "一、一般公共预算财政拨款收入", None, "gpb", False),
        ("income", 2, "二、事业收入", None, "business", False),
        ("income", 3, "本年收入合计", None, "total", False),
        ("expenditure", 4, "一、一般公共服务支出", "201", None, True),
        ("expenditure", 5, "二、教育支出", "205", None, True),
        ("expenditure", 6, "本年支出合计", None, "total", False),
    ]


@pytest.mark.parametrize("label, code", [
    ("一、一般公共服务支出", "201"), ("1、一般公共服务", "201"),  # the whole name, or without its closing 支出
    ("7、文化旅游", "207"), ("十九、自然资源", "220"),  # Xi'an's shortened names, listed as printed
    ("文化和旅游", None), ("文化", None), ("卫生", None), ("一般公共", None),  # a prefix names no 类
])
def test_a_class_is_named_by_a_whole_name_never_a_prefix(label, code):
    assert SPECS.class_code(label) == code


def test_a_line_under_a_line_named_by_its_class_gets_no_class_code():
    """'(一)文化和旅游' (款 20701) under 207's line, '(一)其他支出' (款 22999) under 229's: 款 lines, not 类 lines."""
    t = table("summary", [raw_grid([
        ["收入", None, "支出", None],
        ["项目", "金额", "项目", "金额"],
        ["一、一般公共预算财政拨款收入", "10.00", "一、文化旅游体育与传媒支出", "6.00"],
        ["", "", "(一)文化和旅游", "6.00"],
        ["", "", "二、其他支出", "4.00"],
        ["", "", "(一)其他支出", "4.00"],
        ["本年收入合计", "10.00", "本年支出合计", "10.00"],
    ])], title="收入支出决算总表")
    got = [(c.row_label, c.subject_code, "code_from_name" in c.flags) for c in t.cells if c.block == "expenditure"]
    assert got == [("一、文化旅游体育与传媒支出", "207", True), ("(一)文化和旅游", None, False),
                   ("二、其他支出", "229", True), ("(一)其他支出", None, False), ("本年支出合计", None, False)]
    # a 类 line over its 款 lines is no leaf: summing the leaves counts nothing twice
    leaves = [c for c in t.cells if c.block == "expenditure" and c.is_leaf]
    assert [c.row_label for c in leaves] == ["(一)文化和旅游", "(一)其他支出"]
    assert sum(c.amount for c in leaves) == next(c.amount for c in t.cells if c.row_label == "本年支出合计")


def test_a_continuation_page_drops_its_repeated_header_and_total_row():
    header = ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]
    first = raw_grid([header, ["", "合计", "3.00", "1.00", "2.00"],
                      ["201", "一般公共服务支出", "1.00", "1.00", "0.00"]])
    second = raw_grid([header, ["", "合计", "3.00", "1.00", "2.00"], ["205", "教育支出", "2.00", "0.00", "2.00"]],
                      page_no=2)
    t = table("expenditure", [first, second])
    rows = by_row(t)
    assert [(r[0].row_label, r[0].page) for r in rows.values()] == [
        ("合计", 1), ("一般公共服务支出", 1), ("教育支出", 2)]
    assert t.pages == [1, 2] and len(t.geometry) == 2


def test_a_table_whose_amounts_are_all_placeholders_is_empty():
    t = table("gov_fund", [raw_grid([["科目名称", "本年支出"], ["合计", ""], ["", "-"]])],
              title="政府性基金预算财政拨款收入支出决算表",
              note="注：本单位无政府性基金收支。")
    assert (t.empty, t.rows, t.cells, t.note) == (True, 0, [], "注：本单位无政府性基金收支。")


def test_the_column_number_row_of_a_one_column_table_is_no_amount():
    """Hangzhou's empty 国有资本经营 table: '** | 1' numbers its one column; it is structure, and the table empty. A
    '1' after a label is an amount."""
    t = table("soe_capital", [raw_grid([["功能分类科目名称", "项目支出"], ["**", "1"], ["合计", ""]])],
              title="国有资本经营预算支出预算表", note="备注：本部门没有国有资本经营预算拨款安排的支出，故本表无数据。")
    assert (t.empty, t.cells) == (True, [])
    t = table("soe_capital", [raw_grid([["功能分类科目名称", "项目支出"], ["**", "1"], ["合计", "1"]])],
              title="国有资本经营预算支出预算表")
    assert [(c.row_label, c.amount) for c in t.cells] == [("合计", Decimal(10000))]


def test_whitespace_grids_are_repaired_before_reading():
    grid = raw_grid([
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["2010301", "行政运行", "10.00", "10.00", "0.00"],
        ["", "其他政府办公厅（室）及相关机构", "", "", ""],
        ["2010399", "", "19.62", "19.62", "0.00"],
        ["", "事务支出", "", "", ""],
    ], extractor="camelot-stream")
    grid.ruled = False  # as the registry marks a whitespace extractor's grids
    t = table("expenditure", [grid])
    assert sorted({(c.subject_code, c.row_label) for c in t.cells}) == [
        ("2010301", "行政运行"), ("2010399", "其他政府办公厅(室)及相关机构事务支出")]  # NFKC: （） → ()


INCOME_HEADER = ["单位名称", "合计", "一般公共预算", "事业收入"]


def test_a_row_broken_by_a_page_break_is_one_row():
    # Excel breaks the page inside a tall row: the rest of the name and the digit the narrow cell wrapped open the
    # next page ('杭州市机动' | 12,437.3 … then '车驾驶员考试服务中心' | 6)
    first = raw_grid([INCOME_HEADER, ["合计", "30,000.00", "15,562.64", "14,437.36"],
                      ["甲单位", "15,450.36", "13,450.36", "2,000.00"],
                      ["杭州市机动", "14,549.64", "2,112.28", "12,437.3"]])
    second = raw_grid([["车驾驶员考试服务中心", "", "", "6"], ["乙单位", "1.00", "1.00", ""]], page_no=2)
    t = table("income", [first, second], title="收入总表")
    rows = by_row(t)
    assert [r[0].row_label for r in rows.values()] == ["合计", "甲单位", "杭州市机动车驾驶员考试服务中心", "乙单位"]
    broken = {c.column_id: c for c in rows[3]}
    assert broken["business"].amount == Decimal("124373600.00") and broken["business"].page == 1
    assert broken["business"].text == "12,437.3\n6" and "wrapped" in broken["business"].flags


@pytest.mark.parametrize("above, rest", [
    ("12,437.3", ["乙单位", "6", "", "6"]),  # it prints a total of its own: a row, though a cell above is cut short
    ("12,437.3", ["（一）乙单位", "", "", "6"]),  # its label opens a line
    ("12,437.36", ["车驾驶员考试服务中心", "", "", "6.00"]),  # a whole figure, not the digits a cell wrapped
    ("12,437.30", ["车驾驶员考试服务中心", "", "", "16"]),  # the cell above is whole: nothing to finish
])
def test_a_first_row_that_finishes_nothing_stays_a_row(above, rest):
    first = raw_grid([INCOME_HEADER, ["合计", "30,000.00", "15,562.64", "14,437.36"],
                      ["甲单位", "15,450.36", "13,450.36", "2,000.00"],
                      ["杭州市机动", "14,549.64", "2,112.28", above]])
    t = table("income", [first, raw_grid([rest], page_no=2)], title="收入总表")
    assert len(by_row(t)) == 4 and by_row(t)[4][0].page == 2


def test_a_table_printed_in_parts_side_by_side_is_joined_row_by_row():
    # Beijing's 收入总表: the columns that do not fit continue on the next page, under the repeated title
    left = raw_grid([["合计", "本年收入", None], ["^", "小计", "一般公共预算资金"],
                     ["10.00", "8.00", "6.00"]])
    right = raw_grid([["本年收入", "上年结转结余", None], ["其他收入", "小计", "一般公共预算资金"],
                      ["2.00", "2.00", "2.00"]], page_no=2)
    t = table("income", [left, right], title="收入总表")
    rows = by_row(t)
    assert len(rows) == 1 and t.pages == [1, 2]
    got = [(c.col_no, c.column_label, c.column_id, c.text, c.page) for c in rows[1]]
    assert got == [(1, "合计", "total", "10.00", 1), (2, "本年收入/小计", "new_funds", "8.00", 1),
                   (3, "本年收入/一般公共预算资金", "gpb", "6.00", 1), (4, "本年收入/其他收入", "other", "2.00", 2),
                   (5, "上年结转结余/小计", "carry_in", "2.00", 2),
                   (6, "上年结转结余/一般公共预算资金", "carry_in", "2.00", 2)]


def test_a_continuation_that_repeats_the_header_is_stacked_not_put_beside():
    header = ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]
    first = raw_grid([header, ["201", "一般公共服务支出", "1.00", "1.00", "0.00"]])
    second = raw_grid([header, ["205", "教育支出", "2.00", "0.00", "2.00"]], page_no=2)
    t = table("expenditure", [first, second])
    assert [(r[0].row_label, r[0].page) for r in by_row(t).values()] == [("一般公共服务支出", 1), ("教育支出", 2)]


def test_a_figure_spilled_into_the_merged_cell_beside_it_is_the_amount_columns():
    # the 合计 figure, wider than its cell, printed in one cell with the code column on its left
    t = table("expenditure", [raw_grid([
        ["支出功能分类科目", "部门支出经济分类科目", "合计", "基本支出"],
        ["2010301-行政运行", "30101-基本工资", "1.00", "1.00"],
        ["合计", "1,024,807.17", None, "1.00"],
    ])])
    total = by_row(t)[2]
    assert [(c.row_label, c.column_id, c.text) for c in total] == [("合计", "total", "1,024,807.17"),
                                                                    ("合计", "basic", "1.00")]


def test_a_department_line_inside_the_grid_is_no_header_however_many_cells_it_spans():
    t = table("fiscal_summary", [raw_grid([
        ["编制单位：上海市财务", "会计综合管理事务中", "心（上海市财政科学研究", "单位：元"],
        ["项目", "预算数", "项目", "合计"],
        ["一、一般公共预算", "100", "一、一般公共服务支出", "100"],
    ])], title="财政拨款收支预算总表", unit="元")
    assert {c.column_label for c in t.cells} == {"预算数", "合计"}


def test_a_continuation_whose_header_reads_differently_but_whose_rows_are_its_own_is_stacked():
    # as many rows, a header of its own with other paths ('本年支出/基本支出'), yet rows with their own codes: no
    # part printed beside the first, a continuation read with a different header
    first = raw_grid([["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
                      ["201", "一般公共服务支出", "1.00", "1.00", "0.00"]])
    second = raw_grid([["编码", "名称", "本年支出", None, None], ["^", "^", "合计", "基本", "项目"],
                       ["205", "教育支出", "2.00", "0.00", "2.00"]], page_no=2)
    t = table("expenditure", [first, second])
    assert [(r[0].subject_code, r[0].page) for r in by_row(t).values()] == [("201", 1), ("205", 2)]
