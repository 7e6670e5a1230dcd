"""examples/explore.ipynb runs top to bottom on freshly generated output, and its plots show the data.

The notebook keeps to documents of the user's own files (origin = 'file') unless its `SHOW_SAMPLES` is set: the
test runs it on the samples, so it sets that variable explicitly, as a user exploring the samples would."""

import json
import re
from collections import defaultdict

import nbformat
import pytest
from nbclient import NotebookClient

from fiscalpdf.cli import main
from fiscalpdf.pipelines.datasets import read_rows
from fiscalpdf.schema import CELLS, FACTS
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
    "facts": {l.get_label(): [[float(x) for x in l.get_xdata()], [float(y) for y in l.get_ydata()]]
              for l in fig_facts.axes[0].get_lines()},
}))
"""


SHOW_SAMPLES_LINE = "SHOW_SAMPLES = False"


def showing_samples(nb):
    """The notebook with its first code cell's `SHOW_SAMPLES = False` set to True."""
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.source.startswith(SHOW_SAMPLES_LINE), "the notebook's first line must be its SHOW_SAMPLES switch"
    first.source = first.source.replace(SHOW_SAMPLES_LINE, "SHOW_SAMPLES = True", 1)
    return nb


def _execute(nb):
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
                   ).execute()


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    """`make run` into a fresh folder: only generated samples."""
    out = tmp_path_factory.mktemp("make-run") / "out"
    assert main(["run", str(SAMPLES), "--out", str(out), "--workers", "0", "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def executed(sample_out, monkeypatch_module):
    """The notebook on the samples, SHOW_SAMPLES set (the user's own folder absent)."""
    monkeypatch_module.setenv("FISCALPDF_OUT", str(sample_out.parent / "no-mydata"))
    monkeypatch_module.setenv("FISCALPDF_SAMPLES_OUT", str(sample_out))
    monkeypatch_module.setenv("MPLBACKEND", "agg")  # no display: figures are objects, not windows
    nb = showing_samples(nbformat.read(NOTEBOOK, as_version=4))
    nb.cells.append(nbformat.v4.new_code_cell(FIGURE_DATA))
    _execute(nb)
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return sample_out, nb, json.loads(printed)


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


def test_three_public_and_admin_running_costs_over_the_years_come_from_facts(executed):
    """The prose's “三公”经费 and 机关运行经费, each year's first statement on the document's own basis (a budget's
    预算数, final accounts' 决算数), as the facts dataset holds them."""
    out, _, figures = executed
    first: dict[tuple, tuple[int, float]] = {}  # (fact_id, kind, year) → (fact_no, 万元)
    for f in read_rows(out, FACTS):
        if f["fact_id"] in ("three_public_total", "admin_running_costs") and f["value"] is not None \
                and f["period"] == "current" and f["basis"] == f["kind"] and "comparison_base" not in f["cell_flags"]:
            key = (f["fact_id"], f["kind"], f["year"])
            if key not in first or f["fact_no"] < first[key][0]:
                first[key] = (f["fact_no"], f["value"] / 1e4)
    names = {"three_public_total": "“三公”经费", "admin_running_costs": "机关运行经费"}
    kinds = {"final": "决算", "budget": "预算"}
    plotted = {label: dict(zip(xs, ys)) for label, (xs, ys) in figures["facts"].items()}
    expected: dict[str, dict] = {f"{names[fid]} {kinds[kind]}": {} for fid in names for kind in kinds}
    for (fid, kind, year), (_, value) in first.items():
        expected[f"{names[fid]} {kinds[kind]}"][year] = value
    assert plotted.keys() == expected.keys()
    for label, by_year in expected.items():
        assert plotted[label] == pytest.approx(by_year), label
    assert plotted["机关运行经费 决算"] == pytest.approx({2020: 14.09, 2021: 13.70})  # the samples' sentences
    assert plotted["“三公”经费 预算"] == pytest.approx({2021: 1.20})


def test_without_show_samples_the_samples_stay_out(sample_out, monkeypatch):
    """An output of samples only, read as a user's own folder: the notebook stops and says why, before any plot."""
    from nbclient.exceptions import CellExecutionError

    monkeypatch.setenv("FISCALPDF_OUT", str(sample_out))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    upto = next(i for i, c in enumerate(nb.cells) if c.source.startswith("documents = pd.concat"))
    nb.cells = nb.cells[:upto + 1]
    with pytest.raises(CellExecutionError) as stopped:
        _execute(nb)
    assert "holds only generated samples" in str(stopped.value) and "SHOW_SAMPLES = True" in str(stopped.value)


def test_kernelspec_is_the_one_the_readme_installs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    installed = re.search(r"ipykernel install --user --name (\S+)", readme).group(1)
    assert nbformat.read(NOTEBOOK, as_version=4).metadata.kernelspec.name == installed
