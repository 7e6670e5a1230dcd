"""examples/explore.ipynb runs top to bottom on freshly generated output, and its plots show the data."""

import json
from collections import defaultdict

import nbformat
import pytest
from nbclient import NotebookClient

from fiscalpdf.cli import main
from fiscalpdf.pipelines.datasets import read_rows
from fiscalpdf.schema import CELLS
from tests.paths import ROOT, SAMPLES

NOTEBOOK = ROOT / "examples" / "explore.ipynb"
# Run after the notebook in the same kernel: what its two figures hold, read from the figure objects.
FIGURE_DATA = """
import json
print(json.dumps({
    "bars": {c.get_label(): [p.get_height() for p in c.patches] for c in fig_by_class.axes[0].containers},
    "ticks": [t.get_text() for t in fig_by_class.axes[0].get_xticklabels()],
    "lines": {l.get_label(): [[float(x) for x in l.get_xdata()], [float(y) for y in l.get_ydata()]]
              for l in fig_over_years.axes[0].get_lines()},
}))
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory, monkeypatch_module):
    """`make run` into a fresh folder, then the notebook on it (its corpus folder absent)."""
    out = tmp_path_factory.mktemp("make-run") / "out"
    assert main(["run", str(SAMPLES), "--out", str(out), "--workers", "0", "--quiet"]) == 0
    monkeypatch_module.setenv("FISCALPDF_OUT", str(out))
    monkeypatch_module.setenv("FISCALPDF_CORPUS_OUT", str(out.parent / "no-corpus"))
    monkeypatch_module.setenv("MPLBACKEND", "agg")  # no display: figures are objects, not windows
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(FIGURE_DATA))
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
                   ).execute()
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return out, nb, json.loads(printed)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_every_cell_runs_without_error(executed):
    _, nb, _ = executed
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]


def test_committed_notebook_has_no_outputs():
    """Outputs belong to a run on someone's data, not to the repository."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def test_spending_by_class_plots_the_expenditure_table(executed):
    out, _, figures = executed
    expected: dict[str, dict[str, float]] = defaultdict(dict)  # '2021 预算数' → 类 code → 万元
    for c in read_rows(out, CELLS):
        if c["table_id"] == "expenditure" and c["column_id"] == "total" and c["code_level"] == 1:
            label = f"{c['year']} {'预算数' if c['kind'] == 'budget' else '决算数'}"
            expected[label][c["subject_code"]] = expected[label].get(c["subject_code"], 0) + c["value"] / 1e4
    codes = [t.split()[0] for t in figures["ticks"]]
    assert codes == sorted({code for by_code in expected.values() for code in by_code})
    assert set(figures["bars"]) == set(expected) == {"2020 决算数", "2021 决算数", "2021 预算数"}
    for label, heights in figures["bars"].items():
        assert heights == pytest.approx([expected[label].get(code, 0) for code in codes]), label


def test_amounts_over_the_years_plot_one_department(executed):
    out, _, figures = executed
    sums: dict[tuple, float] = defaultdict(float)
    for c in read_rows(out, CELLS):
        if c["table_id"] == "expenditure" and c["code_level"] == 1 and c["column_id"] in ("total", "basic", "project"):
            sums[(c["column_id"], c["kind"], c["year"])] += c["value"] / 1e4
    names = {"total": "本年支出合计", "basic": "基本支出", "project": "项目支出"}
    kinds = {"final": "决算", "budget": "预算"}
    for (column_id, kind, year), value in sums.items():
        xs, ys = figures["lines"][f"{names[column_id]} {kinds[kind]}"]
        assert ys[xs.index(year)] == pytest.approx(value)
    assert figures["lines"]["本年支出合计 决算"][0] == [2020, 2021]  # the final accounts of both sample years
