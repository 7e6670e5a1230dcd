"""A path's new content replaces the rows of its old content (a broken download replaced by the real file), in
every dataset and in merged files too, unless the old bytes are still under another path; rows of files deleted
from disk are kept and `report` names them; a kill at any moment of it still ends, after a rerun, with the
output of an uninterrupted run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from fiscalpdf.pipelines.batch import discover, run_batch
from tests.batch.batch_helpers import canonical
from tests.paths import DATA, SAMPLES

DATASETS = ("cells", "tables", "documents", "checks", "facts")
BUDGET = SAMPLES / "zhuzhou-shifeng-yingshang_2021_budget.pdf"
FINAL = SAMPLES / "zhuzhou-shifeng-yingshang_2020_final.pdf"


def fiscalpdf(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fiscalpdf.cli", *args], capture_output=True, text=True,
                          timeout=300)


def same_output(out: Path, reference: Path) -> None:
    for d in DATASETS:
        volatile = ("seconds",) if d == "documents" else ()
        pd.testing.assert_frame_equal(canonical(out, d, volatile), canonical(reference, d, volatile))


def broken_downloads(folder: Path) -> Path:
    """a.pdf and its copy c.pdf: a web page saved as .pdf; b.pdf: a download cut short."""
    folder.mkdir(parents=True)
    shutil.copy(DATA / "not_a_pdf.pdf", folder / "a.pdf")
    shutil.copy(DATA / "truncated.pdf", folder / "b.pdf")
    shutil.copy(DATA / "not_a_pdf.pdf", folder / "c.pdf")
    return folder


def test_the_real_file_replaces_the_broken_download(tmp_path):
    folder = broken_downloads(tmp_path / "in")
    out = tmp_path / "out"
    assert fiscalpdf("run", str(folder), "--out", str(out), "--workers", "1").returncode == 0
    assert fiscalpdf("compact", "--out", str(out)).returncode == 0  # the old rows sit in merged files too
    shutil.copy(BUDGET, folder / "a.pdf")  # its old bytes are still c.pdf
    shutil.copy(FINAL, folder / "b.pdf")  # its old bytes are nowhere any more
    rerun = fiscalpdf("run", str(folder), "--out", str(out), "--workers", "1")
    assert rerun.returncode == 0, rerun.stderr
    assert "1 replaced by new content" in rerun.stdout

    reference = tmp_path / "reference"
    assert fiscalpdf("run", str(folder), "--out", str(reference), "--workers", "1").returncode == 0
    same_output(out, reference)
    docs = canonical(out, "documents")
    assert sorted(zip(docs["path"].map(lambda p: Path(p).name), docs["status"])) == [
        ("a.pdf", "ok"), ("b.pdf", "ok"), ("c.pdf", "failed")]
    report = fiscalpdf("report", "--out", str(out), "--totals")
    assert "3 document(s): 1 failed, 2 ok" in report.stdout

    (folder / "c.pdf").unlink()  # deleted from disk: its rows stay, and the report says so
    assert fiscalpdf("run", str(folder), "--out", str(out), "--workers", "1").returncode == 0
    report = fiscalpdf("report", "--out", str(out), "--totals").stdout
    assert "3 document(s): 1 failed, 2 ok" in report
    assert f"1 document(s) whose file is no longer on disk (their rows are kept): {folder / 'c.pdf'}" in report


@pytest.mark.parametrize("killed_in", ["remove_from_compacted", "mark_replaced"])
def test_a_kill_while_replacing_then_a_rerun_equals_an_uninterrupted_run(tmp_path, monkeypatch, killed_in):
    """Killed after the old rows left the merged files but before its own files went, or after all its rows went
    but before the manifest said so: the rerun finishes the replacement."""
    import fiscalpdf.pipelines.manifest as manifest_module
    import fiscalpdf.pipelines.writers as writers_module

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FINAL, folder / "x.pdf")
    shutil.copy(DATA / "seed_altered_amount.pdf", folder / "y.pdf")  # 2020 too: the two share merged files
    out = tmp_path / "out"
    run_batch(discover([folder]).pdfs, out, workers=0)
    from fiscalpdf.pipelines.compact import compact

    assert compact(out).partitions > 0
    shutil.copy(DATA / "seed_unruled_income.pdf", folder / "x.pdf")

    class Killed(BaseException):
        pass

    if killed_in == "remove_from_compacted":
        real = writers_module.remove_from_compacted

        def remove_then_die(*args):
            real(*args)
            raise Killed
        monkeypatch.setattr(writers_module, "remove_from_compacted", remove_then_die)
    else:
        def die(self, entries):
            raise Killed
        monkeypatch.setattr(manifest_module.Manifest, "mark_replaced", die)
    with pytest.raises(Killed):
        run_batch(discover([folder]).pdfs, out, workers=0)
    monkeypatch.undo()
    summary = run_batch(discover([folder]).pdfs, out, workers=0)
    assert [Path(e.path).name for e in summary.replaced] == ["x.pdf"]

    reference = tmp_path / "reference"
    run_batch(discover([folder]).pdfs, reference, workers=0)
    same_output(out, reference)
