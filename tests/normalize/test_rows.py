"""How lines nest without codes (normalize/rows.py): the lines a total adds up, and each line's direct sub-lines."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fiscalpdf.normalize.rows import leaf_lines, sub_lines


@dataclass(frozen=True)
class L:
    row_no: int
    label: str
    indent: float | None = None


def lines(*spec: tuple[str, float | None]) -> list[L]:
    return [L(i, label, indent) for i, (label, indent) in enumerate(spec, start=1)]


def named(groups) -> list[tuple[str, list[str]]]:
    return [(head.label, [r.label for r in rows]) for head, rows in groups]


CASES = {
    # Huzhou / Hangzhou: 类, 款 and 项 by name, nested by indentation alone
    "indentation": (lines(("科学技术支出", 1.7), ("基础研究", 10.7), ("实验室及相关设施", 19.7), ("应用研究", 10.7),
                          ("社会公益研究", 19.7), ("社会保障和就业支出", 1.7), ("就业补助", 10.7)),
                    [("科学技术支出", ["基础研究", "应用研究"]), ("基础研究", ["实验室及相关设施"]),
                     ("应用研究", ["社会公益研究"]), ("社会保障和就业支出", ["就业补助"])],
                    ["实验室及相关设施", "社会公益研究", "就业补助"]),
    # numbering: '一、' over '1、' over '(1)', whatever the indentation; a '其中' line is a part, not a sub-line
    "numbering": (lines(("一、部门预算", None), ("1、财政拨款", None), ("(1)一般公共预算拨款", None),
                        ("其中:专项资金列入部门预算的项目", None), ("(2)政府性基金拨款", None), ("2、事业收入", None)),
                  [("一、部门预算", ["1、财政拨款", "2、事业收入"]),
                   ("1、财政拨款", ["(1)一般公共预算拨款", "(2)政府性基金拨款"])],
                  ["(1)一般公共预算拨款", "(2)政府性基金拨款", "2、事业收入"]),
    # a fund line indented under '一、财政拨款', the next numbered line back at the top
    "mixed": (lines(("一、财政拨款", 1.7), ("一般公共预算", 51.1), ("政府性基金预算", 51.1), ("二、事业收入", 1.7)),
              [("一、财政拨款", ["一般公共预算", "政府性基金预算"])],
              ["一般公共预算", "政府性基金预算", "二、事业收入"]),
    "flat": (lines(("一般公共服务支出", 2.0), ("教育支出", 2.0)), [], ["一般公共服务支出", "教育支出"]),
}


@pytest.mark.parametrize("rows, groups, leaves", CASES.values(), ids=CASES.keys())
def test_sub_lines_and_leaves(rows, groups, leaves):
    assert named(sub_lines(rows)) == groups
    assert [r.label for r in leaf_lines(rows)] == leaves
