"""Which columns add up to a total, read from the header paths (validate/columns.py)."""

from __future__ import annotations

from fiscalpdf.validate.columns import AmountColumn, ColumnTree

PARTS = ("basic", "project", "operating", "to_superior", "subsidiary_subsidy")


def tree(*columns: tuple[str, str | None]) -> ColumnTree:
    return ColumnTree([AmountColumn(i, path, cid) for i, (path, cid) in enumerate(columns)])


def addend_paths(t: ColumnTree) -> list[str]:
    total = next(c for c in t.columns if c.column_id == "total")
    return [c.path for c in t.addends(total, PARTS)]


def test_columns_under_a_qizhong_header_are_parts_of_those_before_them():
    """Beijing's 支出总表: 合计 | 基本支出 | 项目支出 | 其中 (事业单位经营支出 | 上缴上级支出 | 对附属单位补助支出)."""
    t = tree(("合计", "total"), ("基本支出", "basic"), ("项目支出", "project"),
             ("其中/事业单位经营支出", "operating"), ("其中/上缴上级支出", "to_superior"),
             ("其中/对附属单位补助支出", "subsidiary_subsidy"))
    assert addend_paths(t) == ["基本支出", "项目支出"]


def test_a_qizhong_that_introduces_every_part_is_the_breakdown():
    """Fuzhou's 一般公共预算支出表: 小计 | 其中: (基本支出 | 项目支出) — nothing is printed outside the 其中."""
    t = tree(("小计", "total"), ("其中:/基本支出", "basic"), ("其中:/项目支出", "project"))
    assert addend_paths(t) == ["其中:/基本支出", "其中:/项目支出"]


def test_an_of_which_leaf_beside_its_parts_is_no_addend():
    """支出决算表: 合计 | 基本支出 | 项目支出 | 上缴上级支出 … are addends; '其中：…' printed beside them is not."""
    t = tree(("合计", "total"), ("基本支出", "basic"), ("其中：人员经费", "basic"), ("项目支出", "project"),
             ("上缴上级支出", "to_superior"))
    assert addend_paths(t) == ["基本支出", "项目支出", "上缴上级支出"]
