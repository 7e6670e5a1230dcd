import pytest

from fiscalpdf.normalize.codes import SubjectCode, parse_code, read_codes
from fiscalpdf.normalize.units import find_unit


@pytest.mark.parametrize("parts,code,level,parent", [
    (("2010301",), "2010301", 3, "20103"),
    (("20103",), "20103", 2, "201"),
    (("201",), "201", 1, None),
    (("201", "03", "01"), "2010301", 3, "20103"),
    (("201", "03", ""), "20103", 2, "201"),
    (("201", None, None), "201", 1, None),
    (("30101",), "30101", 2, "301"),
])
def test_parse_code(parts, code, level, parent):
    c = parse_code(*parts)
    assert (c.code, c.level, c.parent) == (code, level, parent)


@pytest.mark.parametrize("parts", [("合计",), ("",), ("2010",), ("20103011",), ("201a",)])
def test_not_a_code(parts):
    assert parse_code(*parts) is None


def test_two_digit_codes_completed_from_the_rows_above():
    # a 款 printed as its two digits ('10 人力资源事务') under a whole 类 and 项 column (Xi'an)
    rows = [["208"], ["10"], ["2081001"], ["11"]]
    assert read_codes(rows, ["科目编码"]) == [SubjectCode("208", 1), SubjectCode("20810", 2),
                                             SubjectCode("2081001", 3), SubjectCode("20811", 2)]
    # a 项 printed as its two digits where 类 and 款 are whole
    assert read_codes([["201"], ["20103"], ["01"]], ["科目编码"])[2] == SubjectCode("2010301", 3)
    # no 类 above: a lone two-digit part is no code
    assert read_codes([["10"]], ["科目编码"]) == [None]


@pytest.mark.parametrize("text,unit", [
    ("金额单位：万元", "万元"),
    ("部门：国家信访局 金额单位：万元", "万元"),
    ("单位:元", "元"),
    ("金额单位：万\n元", "万元"),
    ("单位：万/元", "万元"),
    ("单位名称：长春市信访局 单位：万元", "万元"),
    ("（单位：万元）", "万元"),
    ("预算单位：长春市信访局", None),
    ("收入支出决算总表", None),
])
def test_find_unit(text, unit):
    assert find_unit(text) == unit
