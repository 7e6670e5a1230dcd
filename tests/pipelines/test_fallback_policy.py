"""Later stages run only where the first stage's reading shows a problem they could fix
(fiscalpdf.pipelines.candidates.reading_problems): not for a clean grid whose printed numbers do not add up."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

from fiscalpdf.model import BBox, Heading, LocatedTable
from fiscalpdf.normalize.table import normalize_table
from fiscalpdf.pipelines.candidates import reading_problems
from fiscalpdf.specs import load_specs
from fiscalpdf.validate import validate_table
from tests.paths import DATA
from tests.synthetic import Grid, Page, SyntheticSource, raw_grid

SPECS = load_specs()
HEADER = ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]
BODY = [["201", "一般公共服务支出", "30.00", "20.00", "10.00"], ["20101", "人大事务", "30.00", "20.00", "10.00"]]
XS = [50.0, 130.0, 330.0, 430.0, 530.0, 630.0]


def located(page: Page, rows: list[list[str]]) -> tuple[SyntheticSource, LocatedTable]:
    """A table whose grid is `page`'s first grid, read as the first stage reads it, under a heading at the top."""
    source = SyntheticSource([page])
    heading = Heading("expenditure", "支出决算表", None, 1, BBox(300, 40, 500, 52), unit="万元")
    grid = raw_grid(rows, xs=XS[:len(rows[0]) + 1], top=page.grids[0].top)
    return source, LocatedTable(heading, [grid], None, [(1, BBox(0, 52, page.width, page.height))])


def problems(page: Page, rows: list[list[str]]) -> list[str]:
    source, lt = located(page, rows)
    table = normalize_table(lt, 1, SPECS.by_id("expenditure"), SPECS, None)
    return reading_problems(source, lt, table, validate_table(table, SPECS.by_id("expenditure")))


def test_a_grid_read_whole_shows_no_problem():
    rows = [HEADER] + BODY
    page = Page(lines=[("支出决算表", 300, 40), ("- 3 -", 400, 570)], grids=[Grid(XS, 100, rows)])
    assert problems(page, rows) == []  # the page number under the grid is no table's amount


def test_a_body_printed_under_the_grid_without_ruling_is_a_problem():
    rows = [HEADER]
    page = Page(lines=[("201", 52, 190), ("一般公共服务支出", 132, 190), ("30.00", 332, 190), ("20.00", 432, 190)],
                grids=[Grid(XS, 100, rows)])
    assert "amounts printed outside the grid (1 line(s) of amounts outside the grid on page 1)" in problems(
        page, rows + [["201", "一般公共服务支出", "30.00", "20.00", ""]])


def test_amounts_beside_the_grid_are_a_problem():
    rows = [r[:4] for r in [HEADER] + BODY]  # the frame ends before the last column
    page = Page(grids=[Grid(XS[:5], 100, rows)], lines=[("10.00", 540, 125), ("10.00", 540, 145)])
    assert "amounts printed outside the grid (2 beside the grid on page 1)" in problems(page, rows)


def test_amount_cells_that_do_not_parse_are_a_problem():
    rows = [HEADER] + BODY + [["2010101", "行政运行", "30.00", "20.00 10.00", "10.00"],
                              ["2010102", "一般行政管理事务", "30.00", "20.00", "10.00"],
                              ["2010103", "机关服务", "30.00", "20.00", "10.00"]]  # one column in five unread
    page = Page(grids=[Grid(XS, 100, rows)])
    assert "1 amount cell(s) that are not amounts" in problems(page, rows)


def test_a_misread_structure_is_a_problem_a_misprint_is_not():
    rows = [HEADER, ["201", "一般公共服务支出", "30.00", "20.00", "10.00"]] + [
        [f"2010{i}", f"事务{i}", "3.00", "2.00", "1.00"] for i in range(1, 10)]  # 201 = Σ its 款: 27 ≠ 30
    page = Page(grids=[Grid(XS, 100, rows)])
    assert problems(page, rows) == []  # the few identities the misprint is a term of fail, the others hold
    source, lt = located(page, rows)
    table = normalize_table(lt, 1, SPECS.by_id("expenditure"), SPECS, None)
    checks = validate_table(table, SPECS.by_id("expenditure"))
    assert 0 < sum(not c.holds for c in checks) < len(checks) / 3
    broken = [replace(c, actual=(c.actual or 0) + 10**9) for c in checks]  # every identity off by a billion
    assert f"{len(checks)} of {len(checks)} identities fail" in reading_problems(source, lt, table, broken)


def test_no_grid_under_the_heading_is_a_problem():
    source = SyntheticSource([Page()])
    heading = Heading("expenditure", "支出决算表", None, 1, BBox(300, 40, 500, 52), unit="万元")
    lt = LocatedTable(heading, [], None, [(1, BBox(0, 52, 842, 595))])
    table = normalize_table(lt, 1, SPECS.by_id("expenditure"), SPECS, None)
    assert reading_problems(source, lt, table, []) == ["no grid found under the heading"]


_RUN = """
import json, sys
from pathlib import Path
from fiscalpdf.pipelines.document import process_document
r = process_document(Path(sys.argv[1]))
print(json.dumps({"status": r.status, "camelot": "camelot" in sys.modules,
                  "tables": [[t.table_id, t.extractor, t.checks_failed, t.warnings] for t in r.tables]}))
"""


def _process(path) -> dict:
    """The document processed in a fresh interpreter: what it imported is its own."""
    done = subprocess.run([sys.executable, "-c", _RUN, str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_clean_grid_whose_numbers_do_not_add_up_runs_no_later_stage():
    out = _process(DATA / "seed_altered_amount.pdf")  # one amount altered in print: two identities fail
    assert out["status"] == "ok" and not out["camelot"]
    failing = [t for t in out["tables"] if t[2]]
    assert [(t[0], t[1]) for t in failing] == [("expenditure", "pdfium")]
    assert any("later stages not tried" in w for w in failing[0][3])


def test_an_unruled_table_is_read_by_a_later_stage():
    out = _process(DATA / "seed_unruled_income.pdf")
    assert out["status"] == "ok" and out["camelot"]
    income = [t for t in out["tables"] if t[0] == "income"]
    assert [(t[1], t[2]) for t in income] == [("camelot-stream", 0)]
