"""Identities over the layouts that print the same sums another way, on synthetic grids read as the pipeline reads
them: a 支出总表 by funding source, a 三公 table by year group, with its 公务用车 parts under a 其中, or listing its
items down its rows."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from fiscalpdf.model import BBox, Heading, LocatedTable
from fiscalpdf.normalize.table import normalize_table
from fiscalpdf.specs import load_specs
from fiscalpdf.validate import evaluate_table
from tests.synthetic import raw_grid

SPECS = load_specs()


def table(table_id, rows, title):
    heading = Heading(table_id, title, None, 1, BBox(300, 40, 500, 52), unit="万元")
    return normalize_table(LocatedTable(heading, [raw_grid(rows)]), 1, SPECS.by_id(table_id), SPECS, None)


def checks(t, rule):
    evaluated = evaluate_table(t, SPECS.by_id(t.table_id))
    return [(c.detail, c.holds) for c in evaluated.checks if c.rule == rule]


def altered(t, row_label, column_label, by=Decimal("0.50")):
    """The table with one amount raised by `by` 万元."""
    out = dataclasses.replace(t, cells=list(t.cells))
    for i, c in enumerate(out.cells):
        if c.row_label == row_label and c.column_label == column_label:
            out.cells[i] = dataclasses.replace(c, amount=c.amount + by * 10000)
            return out
    raise KeyError((row_label, column_label))


def test_spending_by_funding_source_adds_up_its_sources_not_the_of_which_column():
    """Xi'an's 支出总表: 合计 | 一般公共预算拨款 (小计 | 其中：专项资金) | 政府性基金拨款 | 上年结转, per unit."""
    t = table("expenditure", [
        ["单位名称", "部门预算", None, None, None, None],
        ["^", "合计", "一般公共预算拨款", None, "政府性基金拨款", "上年结转"],
        ["^", "^", "小计", "其中:专项资金列入部门预算项目", "^", "^"],
        ["合计", "30.00", "20.00", "5.00", "0", "10.00"],
        ["甲单位", "25.00", "15.00", "5.00", "0", "10.00"],
        ["乙单位", "5.00", "5.00", "0", "0", "0"],
    ], "2020年部门综合预算支出总表")
    sources = "部门预算/合计 = 部门预算/一般公共预算拨款/小计 + 部门预算/政府性基金拨款 + 部门预算/上年结转"
    assert checks(t, "expenditure.row_total") == [(f"{unit}: {sources}", True) for unit in ("合计", "甲单位", "乙单位")]
    wrong = altered(t, "甲单位", "部门预算/上年结转")
    assert checks(wrong, "expenditure.row_total") == [(f"{unit}: {sources}", unit != "甲单位")
                                                       for unit in ("合计", "甲单位", "乙单位")]


def test_each_year_groups_vehicle_subtotal_adds_up_its_own_parts():
    """Xi'an's and Yantai's 三公 tables: 2019年 | 2020年, each with 公务用车 小计 | 购置 | 运行."""
    t = table("three_public", [
        ["单位名称", "2019年", None, None, None, None, "2020年", None, None, None, None],
        ["^", "小计", "因公出国(境)", "公务用车购置及运行维护费", None, None, "小计", "因公出国(境)",
         "公务用车购置及运行维护费", None, None],
        ["^", "^", "^", "小计", "公务用车购置", "公务用车运行维护费", "^", "^", "小计", "公务用车购置",
         "公务用车运行维护费"],
        ["合计", "3.00", "1.00", "2.00", "0.50", "1.50", "4.00", "1.00", "3.00", "1.00", "2.00"],
    ], "一般公共预算拨款安排的“三公”经费预算表")
    assert checks(t, "three_public.vehicle") == [("公务用车 = 购置 + 运行", True)] * 2
    wrong = altered(t, "合计", "2020年/公务用车购置及运行维护费/公务用车购置")
    assert checks(wrong, "three_public.vehicle") == [("公务用车 = 购置 + 运行", True),
                                                     ("公务用车 = 购置 + 运行", False)]


def test_vehicle_parts_under_a_qizhong_beside_the_three_public_subtotal():
    """Changsha: 小计 | 公务接待费 | 因公出国(境)费 | 公务用车购置及运行费 | 其中:公务用车购置 | 其中:公务用车运行费
    — the 三公 小计 stands over all of them and is no part of the 公务用车 total."""
    t = table("three_public", [
        ["单位名称", "三公经费预(决)算数(财政拨款)", None, None, None, None, None],
        ["^", "小计", "公务接待费", "因公出国(境)费", "公务用车购置及运行费", "其中:公务用车购置",
         "其中:公务用车运行费"],
        ["合计", "6.00", "1.00", "2.00", "3.00", "1.00", "2.00"],
    ], "2025年一般公共预算“三公”经费支出情况表")
    assert checks(t, "three_public.vehicle") == [("公务用车 = 购置 + 运行", True)]
    group = "三公经费预(决)算数(财政拨款)"
    assert checks(t, "three_public.total") == [(
        f"{group}/小计 = {group}/公务接待费 + {group}/因公出国(境)费 + {group}/公务用车购置及运行费", True)]


def test_items_printed_as_rows_add_up_down_every_column():
    """Guangzhou: the items down the rows, the funds across (合计 | 一般公共预算 | 政府性基金 | 国有资本经营);
    行政经费 is no 三公 item."""
    t = table("three_public", [
        ["项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
        ["行政经费", "80.00", "80.00", "0.00", "0.00"],
        ["“三公”经费", "6.00", "6.00", "0.00", "0.00"],
        ["其中:(一)因公出国(境)支出", "1.00", "1.00", "0.00", "0.00"],
        ["(二)公务用车购置及运行维护支出", "3.00", "3.00", "0.00", "0.00"],
        ["1.公务用车购置费", "1.00", "1.00", "0.00", "0.00"],
        ["2.公务用车运行维护费", "2.00", "2.00", "0.00", "0.00"],
        ["(三)公务接待费支出", "2.00", "2.00", "0.00", "0.00"],
    ], "财政拨款安排的行政经费及“三公”经费预算表")
    columns = ("合计", "一般公共预算", "政府性基金预算", "国有资本经营预算")
    assert checks(t, "three_public.total") == [
        (f"“三公”经费 = 其中:(一)因公出国(境)支出 + (二)公务用车购置及运行维护支出 + (三)公务接待费支出 [{c}]", True)
        for c in columns]
    assert checks(t, "three_public.vehicle") == [
        (f"(二)公务用车购置及运行维护支出 = 1.公务用车购置费 + 2.公务用车运行维护费 [{c}]", True) for c in columns]
    # every row: 合计 = the three funds (行政经费 included: it is a row of the same columns)
    assert [holds for _, holds in checks(t, "three_public.row_total")] == [True] * 7
    wrong = altered(t, "1.公务用车购置费", "一般公共预算")
    assert [holds for _, holds in checks(wrong, "three_public.vehicle")] == [True, False, True, True]
    assert [holds for _, holds in checks(wrong, "three_public.row_total")] == [True] * 4 + [False] + [True] * 2


def test_a_single_column_of_items_with_the_vehicle_parts_under_a_qizhong():
    """Fuzhou: 合计 | 1、因公出国(境)费用 | 2、公务接待费 | 3、公务用车购置及运行费 | 其中:(1)购置费 | (2)运行费."""
    t = table("three_public", [
        ["项目", "预算数"],
        ["合计", "8.41"],
        ["1、因公出国(境)费用", "7.00"],
        ["2、公务接待费", "0.61"],
        ["3、公务用车购置及运行费", "0.80"],
        ["其中:(1)公务用车购置费", "0.00"],
        ["(2)公务用车运行费", "0.80"],
    ], "2026年度一般公共预算“三公”经费支出预算表")
    assert checks(t, "three_public.total") == [
        ("合计 = 1、因公出国(境)费用 + 3、公务用车购置及运行费 + 2、公务接待费 [预算数]", True)]
    assert checks(t, "three_public.vehicle") == [
        ("3、公务用车购置及运行费 = 其中:(1)公务用车购置费 + (2)公务用车运行费 [预算数]", True)]
    assert evaluate_table(t, SPECS.by_id("three_public")).not_applied == [
        "three_public.row_total: no total column"]


def test_a_summary_line_with_sub_lines_adds_them_up_and_a_blank_heading_states_no_sum():
    """A 收支总表 printing 类 lines over their 款 lines, and '一、财政拨款' over its funds: each such line = its
    sub-lines, in each block. Xi'an's '一、部门预算' printed blank heads its lines without a figure: nothing to
    check."""
    t = table("summary", [
        ["收入", None, "支出", None],
        ["项目", "金额", "项目", "金额"],
        ["一、部门预算", "", "一、一般公共服务支出", "6.00"],
        ["1、财政拨款", "10.00", "(一)财政事务", "6.00"],
        ["(1)一般公共预算", "8.00", "二、教育支出", "4.00"],
        ["(2)政府性基金预算", "2.00", "", ""],
        ["本年收入合计", "10.00", "本年支出合计", "10.00"],
    ], "收入支出决算总表")
    assert checks(t, "summary.sub_lines") == [
        ("1、财政拨款 = Σ its 2 sub-lines [收入/金额]", True),
        ("一、一般公共服务支出 = Σ its 1 sub-lines [支出/金额]", True)]
    wrong = altered(t, "(2)政府性基金预算", "收入/金额")
    assert checks(wrong, "summary.sub_lines")[0] == ("1、财政拨款 = Σ its 2 sub-lines [收入/金额]", False)
