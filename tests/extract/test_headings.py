import pytest

from fiscalpdf.extract.headings import find_department, split_label, title_of
from fiscalpdf.specs import load_specs

LABELS = [
    ("公开 01 表", "公开01表", ""),
    ("公开01表", "公开01表", ""),
    ("公开表一", "公开表一", ""),
    ("公开表1", "公开表1", ""),
    ("预算01表 收支总表", "预算01表", "收支总表"),
    ("（预算表 5）", "预算表5", ""),
    ("表1：2026年市级部门收支预算总表", "表1", "2026年市级部门收支预算总表"),
    ("表 1", "表1", ""),
    ("表01", "表01", ""),
    ("表一", "表一", ""),
    ("一、收支预算总表", "一、", "收支预算总表"),
    ("本年一般公共预算支出表(预算表5)", "预算表5", "本年一般公共预算支出表"),
    ("收入支出决算总表", None, "收入支出决算总表"),
]


@pytest.mark.parametrize("line,label,rest", LABELS)
def test_split_label(line, label, rest):
    assert split_label(line) == (label, rest)


TITLES = [
    ("收入支出决算总表", "summary"),
    ("2026年部门收支总体情况表", "summary"),
    ("2026年度部门财务收支预算总表", "summary"),
    ("收支预算总表", "summary"),
    ("收入决算表", "income"),
    ("部门收入总表", "income"),
    ("支出决算表", "expenditure"),
    ("部门支出总表", "expenditure"),
    ("财政拨款收入支出决算总表", "fiscal_summary"),
    ("2021年财政拨款收支总表", "fiscal_summary"),
    ("一般公共预算财政拨款支出决算表", "gpb_expenditure"),
    ("本年一般公共预算支出表", "gpb_expenditure"),
    ("一般公共预算财政拨款基本支出决算表", "gpb_basic"),
    ("一般公共预算基本支出表", "gpb_basic"),
    ("一般公共预算财政拨款“三公”经费支出决算表", "three_public"),
    ("政府性基金预算财政拨款收入支出决算表", "gov_fund"),
    ("国有资本经营预算财政拨款支出决算表", "soe_capital"),
    ("政府采购预算表", "other"),
    ("项目支出绩效目标表", "performance"),
]


@pytest.mark.parametrize("title,table_id", TITLES)
def test_titles_name_their_concept(title, table_id):
    parsed = title_of(title)
    assert parsed is not None
    assert load_specs().identify(parsed[1]).id == table_id


@pytest.mark.parametrize("line", [
    "一、收入支出决算总体情况说明",            # a narrative heading, not a table
    "2020年度收、支总计259.15万元。",
    "本表反映部门本年度的总收支和年末结转结余情况。",
    "公开 01 表",                               # a label alone
])
def test_not_titles(line):
    parsed = title_of(line)
    assert parsed is None or load_specs().identify(parsed[1]) is None


@pytest.mark.parametrize("lines,department", [
    (["部门：国家信访局 金额单位：万元"], "国家信访局"),
    (["编制部门：西安市卫生健康委员会"], "西安市卫生健康委员会"),
    (["单位名称:重庆市商务委员会 单位:万元"], "重庆市商务委员会"),
    (["预算单位：长春市信访局"], "长春市信访局"),
    (["部门（单位）：株洲市石峰区优化营商环境协调事务中心"], "株洲市石峰区优化营商环境协调事务中心"),
    (["单位名称：507-湖州市卫生健康委员会"], "湖州市卫生健康委员会"),
    (["金额单位：万元"], None),
])
def test_department_line(lines, department):
    assert find_department(lines) == department
