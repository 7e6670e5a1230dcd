"""A new table concept is one TOML block: located by its title, read, checked by the generic identities its spec
names (the row total from its row_parts, the hierarchy), and documented in the data dictionary."""

from __future__ import annotations

from importlib.resources import files

from fiscalpdf.dictionary import render
from fiscalpdf.extract.locate import locate_tables
from fiscalpdf.normalize.table import normalize_table
from fiscalpdf.specs import specs_from_toml
from fiscalpdf.validate import validate_table
from tests.synthetic import Grid, Page, SyntheticSource

DUMMY = '''
[[table]]
id = "grants"
name = "对个人和家庭补助支出表"
role = "standard"
number = 10
titles = ['补助支出表$']
row_parts = ["basic", "project"]
identities = ["grants.row_total", "grants.hierarchy"]
[table.columns]
total = ['^合计$']
basic = ['^基本支出$']
project = ['^项目支出$']
'''


def specs_with_dummy():
    root = files("fiscalpdf.specs")
    read = lambda name: (root / name).read_text(encoding="utf-8")  # noqa: E731
    # tried first: a concept's place in tables.toml decides which of two matching specs names a title
    return specs_from_toml(DUMMY + read("tables.toml"), read("printed.toml"), read("classes.toml"))


def dummy_document(total_row: str = "30.00") -> SyntheticSource:
    rows = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["", "合计", total_row, "10.00", "20.00"],
            ["208", "社会保障和就业支出", "30.00", "10.00", "20.00"],
            ["20805", "行政事业单位养老支出", "30.00", "10.00", "20.00"]]
    return SyntheticSource([Page([("表10 对个人和家庭补助支出表", 300, 40), ("单位：万元", 700, 70)],
                                 [Grid([40.0, 110.0, 330.0, 450.0, 570.0, 690.0], 100.0, rows)])])


def read(source, specs):
    located = locate_tables(source, specs)
    assert [t.heading.table_id for t in located.tables] == ["grants"]
    spec = specs.by_id("grants")
    table = normalize_table(located.tables[0], 1, spec, specs, None)
    return table, validate_table(table, spec)


def test_a_concept_from_toml_alone_is_located_read_and_checked():
    specs = specs_with_dummy()
    table, checks = read(dummy_document(), specs)
    assert (table.label, table.title, table.unit) == ("表10", "对个人和家庭补助支出表", "万元")
    assert {c.column_id for c in table.cells} == {"total", "basic", "project"}
    assert {c.rule for c in checks} == {"grants.row_total", "grants.hierarchy"}
    assert sum(c.rule == "grants.row_total" for c in checks) == 3  # one per row: 合计 = 基本 + 项目
    assert all(c.holds for c in checks)


def test_its_identities_fail_on_a_misprinted_total():
    table, checks = read(dummy_document(total_row="31.00"), specs_with_dummy())
    failed = {(c.rule, c.detail.split(":")[0]) for c in checks if not c.holds}
    assert ("grants.row_total", "合计") in failed
    assert any(rule == "grants.hierarchy" for rule, _ in failed)


def test_it_appears_in_the_data_dictionary():
    text = render(specs_with_dummy())
    assert "### grants\n" in text and "对个人和家庭补助支出表" in text
    assert "| `grants.row_total` | grants | 对个人和家庭补助支出表, every row: the total column = Σ the part columns " \
           "printed (basic + project" in text
    assert "| `grants.hierarchy` | grants |" in text
