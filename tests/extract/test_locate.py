"""`locate_tables`, the state machine across pages, on synthetic pages: headings own the grids under them, a grid
without a heading continues the open table, a page with neither closes it, a contents page names no table, a
heading over no grid is a table printed empty with its note, and listed tables are followed without reading."""

from __future__ import annotations

from fiscalpdf.extract.locate import locate_tables
from fiscalpdf.normalize.labels import is_empty_note
from fiscalpdf.specs import load_specs
from tests.synthetic import Grid, Page, SyntheticSource

XS = [60.0, 260.0, 380.0, 500.0]


def grid(rows, top=100.0):
    return Grid(XS, top, rows)


HEADER = ["项目", "合计", "基本支出"]


def located(pages):
    return locate_tables(SyntheticSource(pages), load_specs())


def test_a_grid_without_heading_continues_the_table_until_a_page_with_neither():
    pages = [
        Page([("公开03表", 380, 30), ("支出决算表", 360, 50), ("单位：万元", 700, 75)],
             [grid([HEADER, ["合计", "10.00", "4.00"], ["201一般公共服务支出", "6.00", "2.00"]])]),
        Page([], [grid([["205教育支出", "4.00", "2.00"]], top=60)]),
        Page([("说明", 60, 60)]),  # neither heading nor grid: the table ends here
        Page([], [grid([["208社会保障和就业支出", "1.00", "1.00"]], top=60)]),
    ]
    found = located(pages)
    assert [t.heading.table_id for t in found.tables] == ["expenditure"]
    table = found.tables[0]
    assert (table.heading.label, table.heading.title, table.heading.unit) == ("公开03表", "支出决算表", "万元")
    assert [f.page_no for f in table.fragments] == [1, 2]
    assert table.pages == [1, 2]
    assert len(found.texts) == 4


def test_each_grid_belongs_to_the_nearest_heading_above_it():
    pages = [Page([("收入决算表", 360, 30), ("支出决算表", 360, 230)],
                  [grid([HEADER, ["合计", "1.00", "1.00"]], top=60),
                   grid([HEADER, ["合计", "2.00", "2.00"]], top=260)])]
    found = located(pages)
    assert [(t.heading.table_id, [f.bbox.top for f in t.fragments]) for t in found.tables] == [
        ("income", [60.0]), ("expenditure", [260.0])]


def test_a_contents_page_names_no_table():
    pages = [Page([("目录", 400, 30), ("一、收入支出决算总表", 100, 80), ("二、收入决算表", 100, 110),
                   ("三、支出决算表", 100, 140)])]
    assert located(pages).tables == []


def test_a_heading_over_no_grid_is_a_table_printed_empty_with_its_note():
    pages = [Page([("政府性基金预算财政拨款收入支出决算表", 250, 30),
                   ("注：本单位无政府性基金收支，故本表无数据。", 60, 90)])]
    found = located(pages)
    assert [t.heading.table_id for t in found.tables] == ["gov_fund"]
    table = found.tables[0]
    assert table.fragments == [] and is_empty_note(table.note)
    assert table.note.startswith("注：本单位无政府性基金收支")


def test_listed_tables_are_followed_over_their_pages_without_reading_grids():
    pages = [
        Page([("项目支出绩效目标表", 330, 30)], [grid([["项目名称", "某项目", ""], ["年度目标", "完成", ""]])]),
        Page([], [grid([["指标", "数量", "10"]], top=60)]),  # a performance form's next page: followed
        Page([("一般公共预算财政拨款支出决算表", 280, 30)], [grid([HEADER, ["合计", "3.00", "3.00"]], top=60)]),
    ]
    found = located(pages)
    assert [t.heading.table_id for t in found.tables] == ["performance", "gpb_expenditure"]
    performance, gpb = found.tables
    # its title page's grid is read with the page; the pages after it are only followed
    assert [f.page_no for f in performance.fragments] == [1]
    assert [p for p, _ in performance.search_area] == [1, 2]
    assert [f.page_no for f in gpb.fragments] == [3]


def test_a_title_inside_a_grid_below_its_first_row_is_a_cell_not_a_heading():
    # a list of the tables (报表名称 | 是否空表) printed as a grid
    pages = [Page([("报表目录", 380, 30)], [grid([["序号", "报表名称", "是否空表"], ["1", "收入决算表", "否"],
                                                  ["2", "支出决算表", "否"]], top=60)])]
    assert located(pages).tables == []


def test_the_fallbacks_named_in_the_options_are_registered_extractors():
    from fiscalpdf.extract.registry import EXTRACTORS, FIRST_STAGE
    from fiscalpdf.options import FALLBACKS

    assert FIRST_STAGE in EXTRACTORS and set(FALLBACKS) <= set(EXTRACTORS)
    assert {name: e.reads for name, e in EXTRACTORS.items() if e.reads == "whitespace"} == {
        "camelot-stream": "whitespace", "camelot-network": "whitespace"}
