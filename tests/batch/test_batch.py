"""The batch: fault isolation, resumability after SIGKILL, duplicates, compaction, Dask, `make year`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from fiscalpdf.pipelines.batch import discover, run_batch
from fiscalpdf.pipelines.compact import JOURNAL, compact, recover
from fiscalpdf.pipelines.manifest import MANIFEST
from tests.batch.batch_helpers import FAULTS, GARBAGE, GOOD, ROOT, SAMPLES, canonical, hooked_env, marked_copy

DATASETS = ("cells", "tables", "documents", "checks", "facts")


def _documents(out: Path) -> pd.DataFrame:
    return canonical(out, "documents")


def test_faults_become_rows_and_the_batch_goes_on(local_run):
    out, results = local_run
    docs = _documents(out)
    by_name = {Path(p).name: row for p, row in zip(docs["path"], docs.to_dict("records"))}
    assert set(by_name) == set(GOOD) | set(FAULTS) | set(GARBAGE)  # one row each; the duplicate is no row
    for name in GOOD:
        assert by_name[name]["status"] == "ok" and by_name[name]["tables_found"] == 9
        assert results[name].checks_failed == 0 and results[name].checks_passed > 250
    for name, code in {**FAULTS, **GARBAGE}.items():
        assert (by_name[name]["status"], by_name[name]["error_code"]) == ("failed", code), name
    assert "SIGSEGV" in by_name["crash.pdf"]["error"]
    assert "25 s" in by_name["hang.pdf"]["error"]
    assert "700 MB limit" in by_name["memory.pdf"]["error"]


def test_memory_limit_is_watched_not_left_to_the_kernel(local_run):
    out, results = local_run
    entries = [json.loads(line) for line in (out / MANIFEST).read_text().splitlines()]
    memory = next(e for e in entries if e["path"].endswith("memory.pdf"))
    # killed soon after crossing 700 MB: far below the 6 GB the document would have taken
    assert 700 <= memory["peak_memory_mb"] < 2000


def test_same_bytes_under_two_paths_are_one_document(local_run, fault_folder):
    out, results = local_run
    docs = _documents(out)
    row = docs[docs["path"].str.endswith(GOOD[0])].iloc[0]
    assert row["duplicate_paths"] == (str(fault_folder / "zz_copies" / "same-bytes.pdf"),)
    assert docs["doc_id"].is_unique


def test_rerun_skips_what_is_done_and_force_redoes_it(local_run, fault_folder, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(local_run[0], out)
    before = {d: canonical(out, d, ("seconds",) if d == "documents" else ()) for d in DATASETS}
    pdfs = discover([fault_folder / GOOD[0], fault_folder / GOOD[1]]).pdfs
    again = run_batch(pdfs, out, workers=1)
    assert (len(again.done), len(again.skipped)) == (0, 2)
    forced = run_batch(pdfs[:1], out, workers=1, force=True)
    assert [e.status for e in forced.done] == ["ok"]
    for d in DATASETS:
        pd.testing.assert_frame_equal(canonical(out, d, ("seconds",) if d == "documents" else ()), before[d])


def test_dask_executor_gives_the_local_output(local_run, dask_run):
    """Same rows for every document; the same error_code for every fault (messages may differ: measured MB)."""
    (local_out, _), (dask_out, _) = local_run, dask_run
    for d in ("cells", "tables", "checks"):
        pd.testing.assert_frame_equal(canonical(dask_out, d), canonical(local_out, d))
    volatile = ("seconds", "error")
    pd.testing.assert_frame_equal(canonical(dask_out, "documents", volatile),
                                  canonical(local_out, "documents", volatile))


def _run_cli(args: list[str], env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "fiscalpdf.cli", *args], env=env, **kwargs)


def test_sigkill_mid_batch_then_rerun_equals_an_uninterrupted_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "zhuzhou-shifeng-yingshang_2020_final.pdf", folder / "a.pdf")
    shutil.copy(SAMPLES / "zhuzhou-shifeng-yingshang_2021_budget.pdf", folder / "b.pdf")
    marked_copy(SAMPLES / "zhuzhou-shifeng-yingshang_2021_final.pdf", folder / "hold_c.pdf", "c")
    shutil.copy(ROOT / "tests" / "data" / "seed_unruled_income.pdf", folder / "d.pdf")
    shutil.copy(ROOT / "tests" / "data" / "truncated.pdf", folder / "e.pdf")
    reference = tmp_path / "reference"
    assert _run_cli(["run", str(folder), "--out", str(reference), "--workers", "1", "--quiet"]).wait(300) == 0

    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as mp:
        hooked_env(mp)
        batch = _run_cli(["run", str(folder), "--out", str(out), "--workers", "1", "--quiet"],
                         env=dict(os.environ), start_new_session=True)
    deadline = time.monotonic() + 240
    manifest = out / MANIFEST
    while not (manifest.exists() and len(manifest.read_text().splitlines()) >= 2):  # a.pdf and b.pdf done
        assert batch.poll() is None and time.monotonic() < deadline, "the batch ended or stalled before the hold"
        time.sleep(0.1)
    os.killpg(batch.pid, signal.SIGKILL)  # the whole process group: the batch and its worker, mid-document
    batch.wait(30)
    assert _run_cli(["run", str(folder), "--out", str(out), "--workers", "1", "--quiet"]).wait(300) == 0

    for d in DATASETS:
        drop = ("seconds",) if d == "documents" else ()
        pd.testing.assert_frame_equal(canonical(out, d, drop), canonical(reference, d, drop))
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name == JOURNAL]
    assert leftovers == []


def test_compact_keeps_the_data_and_a_forced_rerun_replaces_one_document(tmp_path):
    out = tmp_path / "out"
    pdfs = discover([SAMPLES]).pdfs
    run_batch(pdfs, out, workers=2)
    before = {d: canonical(out, d, ("seconds",) if d == "documents" else ()) for d in DATASETS}
    files_before = len(list(out.rglob("*.parquet")))
    partitions = {p.parent for p in out.rglob("*.parquet")}
    summary = compact(out)
    assert summary.files_after < summary.files_before <= files_before
    assert len(list(out.rglob("*.parquet"))) == len(partitions)  # one file per partition now
    for d in DATASETS:
        pd.testing.assert_frame_equal(canonical(out, d, ("seconds",) if d == "documents" else ()), before[d])
    run_batch(pdfs[:1], out, workers=1, force=True)
    for d in DATASETS:
        pd.testing.assert_frame_equal(canonical(out, d, ("seconds",) if d == "documents" else ()), before[d])


@pytest.mark.parametrize("stop_at", ["before_rename", "after_rename"])
def test_an_interrupted_compaction_is_recovered(tmp_path, monkeypatch, stop_at):
    import fiscalpdf.pipelines.compact as compact_module

    out = tmp_path / "out"
    run_batch(discover([SAMPLES]).pdfs[1:], out, workers=2)  # the two 2021 documents share partitions
    before = {d: canonical(out, d) for d in DATASETS}

    class Killed(Exception):
        pass

    real_replace, real_unlink = os.replace, Path.unlink
    if stop_at == "before_rename":
        def replace(src, dst):
            if str(dst).endswith(".parquet") and "compact-" in str(dst):
                raise Killed
            return real_replace(src, dst)
        monkeypatch.setattr(compact_module.os, "replace", replace)
    else:
        def unlink(self, missing_ok=False):
            if self.suffix == ".parquet":
                raise Killed
            return real_unlink(self, missing_ok=missing_ok)
        monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.raises(Killed):
        compact(out)
    monkeypatch.undo()
    assert recover(out) == 1
    for d in DATASETS:
        pd.testing.assert_frame_equal(canonical(out, d), before[d])
    assert [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name == JOURNAL] == []


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("target", [["year", "YEAR=2020"], ["2020"]])
def test_make_year_runs_the_batch_over_that_years_folder(tmp_path, target):
    root = tmp_path / "pdfs"
    (root / "2020").mkdir(parents=True)
    (root / "2021").mkdir()
    shutil.copy(SAMPLES / "zhuzhou-shifeng-yingshang_2020_final.pdf", root / "2020")
    shutil.copy(SAMPLES / "zhuzhou-shifeng-yingshang_2021_final.pdf", root / "2021")
    out = tmp_path / "out"
    proc = subprocess.run(["make", "-s", "-C", str(ROOT), *target, f"PDF_ROOT={root}", f"OUT={out}"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    docs = _documents(out)
    assert [str(y) for y in docs["year"]] == ["2020"] and list(docs["status"]) == ["ok"]
    assert "identities:" in proc.stdout


def test_a_worker_does_not_inherit_the_callers_opencv_threads(tmp_path):
    """A caller that ran OpenCV in-process (OCR, camelot: a notebook, this test session) has its thread pool
    running; a worker forked from it inherited the pool without its threads, and its first cv2.setNumThreads (the
    OCR engine's first step) waited for them forever: the document ended as `timeout`. Workers fork from a clean
    fork server instead."""
    cv2 = pytest.importorskip("cv2", reason="the ocr extra (OpenCV) is not installed")
    import numpy as np

    from tests.batch.batch_helpers import run_folder

    cv2.setNumThreads(2)
    cv2.GaussianBlur(np.zeros((3000, 3000), np.uint8), (31, 31), 0)  # the pool's threads start here
    time.sleep(1)  # and, idle, stop spinning and wait on their condition variable: what the fork copied
    folder = tmp_path / "in"
    folder.mkdir()
    marked_copy(SAMPLES / GOOD[0], folder / "opencv.pdf", "opencv")  # the hook calls cv2.setNumThreads(1)
    results = run_folder(folder, tmp_path / "out", workers=1)
    assert results["opencv.pdf"].status == "ok", results["opencv.pdf"].error_message
