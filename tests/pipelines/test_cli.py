"""The command line as a user meets it: run as a subprocess, read for its exit code and what it prints. A mistake
is one line on stderr and exit 2, never a traceback; Ctrl-C keeps what is done; the progress bar never runs
into the document lines; every option's help gives its default; the old option forms still work and say what
replaces them; generated samples mixed into a user's output are named."""

from __future__ import annotations

import argparse
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from fiscalpdf.cli import build_parser
from fiscalpdf.pipelines.manifest import MANIFEST
from fiscalpdf.schema import METADATA_KEY, SCHEMA_VERSION
from tests.batch.batch_helpers import hooked_env, marked_copy
from tests.paths import DATA, ROOT, SAMPLES

BUDGET = SAMPLES / "zhuzhou-shifeng-yingshang_2021_budget.pdf"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def fiscalpdf(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fiscalpdf.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)


def one_clear_line(proc: subprocess.CompletedProcess, code: int, *phrases: str) -> None:
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    for phrase in phrases:
        assert phrase in proc.stderr, (phrase, proc.stderr)


# ------------------------------------------------------------------------------------------------ mistakes
def test_run_mistakes_are_one_line_and_exit_2(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    empty = tmp_path / "empty"
    empty.mkdir()
    no_pdf = tmp_path / "downloads"
    no_pdf.mkdir()
    (no_pdf / "report.doc").write_bytes(b"x")
    out = tmp_path / "out"
    one_clear_line(fiscalpdf("run", BUDGET, "--out", a_file), 2, f"--out {a_file} is a file")
    one_clear_line(fiscalpdf("run", empty, "--out", out), 2, f"no PDF found in {empty}", "empty")
    one_clear_line(fiscalpdf("run", no_pdf, "--out", out), 2, f"no PDF found in {no_pdf}", "report.doc")
    one_clear_line(fiscalpdf("run", tmp_path / "missing", "--out", out), 2, "no such file or folder")
    assert not out.exists()


def test_reader_mistakes_are_one_line_and_exit_2(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    empty = tmp_path / "empty"
    empty.mkdir()
    for command in (["report"], ["compact"], ["export"], ["query", "SELECT 1"]):
        one_clear_line(fiscalpdf(*command, "--out", a_file), 2, f"--out {a_file} is a file")
        one_clear_line(fiscalpdf(*command, "--out", empty), 2, f"{empty} holds no fiscalpdf output")


def test_a_folder_of_another_schema_version_is_named_with_both_versions(batch_out, tmp_path):
    out = tmp_path / "old"
    shutil.copytree(batch_out, out)
    old = next((out / "documents").rglob("*.parquet"))
    table = pq.read_table(old)
    pq.write_table(table.replace_schema_metadata({**table.schema.metadata, METADATA_KEY: b"1"}), old)
    held = f"{out} holds output of schema version 1 and {SCHEMA_VERSION}"
    for command in (["report"], ["export"], ["query", "SELECT 1"]):
        one_clear_line(fiscalpdf(*command, "--out", out), 2, held, "fresh folder")
    one_clear_line(fiscalpdf("run", DATA / "empty.pdf", "--out", out), 2, held, "fresh folder")


# ------------------------------------------------------------------------------------------------ Ctrl-C
def test_ctrl_c_says_what_is_kept_and_a_rerun_resumes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "truncated.pdf", folder / "a.pdf")
    marked_copy(BUDGET, folder / "hold_b.pdf", "b")  # the test hook holds it until released
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as mp:
        hooked_env(mp)
        mp.setenv("FISCALPDF_TEST_RELEASE", str(tmp_path / "release"))
        env = dict(os.environ)
    batch = subprocess.Popen([sys.executable, "-m", "fiscalpdf.cli", "run", str(folder), "--out", str(out),
                              "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             start_new_session=True)
    deadline = time.monotonic() + 120
    while not ((out / MANIFEST).exists() and (out / MANIFEST).read_text().count("\n") >= 1):
        assert batch.poll() is None and time.monotonic() < deadline, "the batch ended or stalled before the hold"
        time.sleep(0.1)
    time.sleep(0.5)  # the worker holds b.pdf
    os.killpg(batch.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group: the batch and its worker
    stdout, stderr = batch.communicate(timeout=60)
    assert batch.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "interrupted: 1 done, rerun the same command to resume" in stderr
    assert "FAILED" in stdout and "a.pdf" in stdout  # its line was printed before the interruption
    assert re.search(r"^\[1/2\] [\d.]+ pages/s · 1 failed · ETA \d:\d\d:\d\d$", stderr, re.M)  # plain progress

    (tmp_path / "release").touch()
    rerun = fiscalpdf("run", folder, "--out", out, "--workers", "1", env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert "1 document(s) processed: 1 extracted, 0 not disclosures, 0 failed; 1 already done (skipped)" in rerun.stdout


# ------------------------------------------------------------------------------------------------ progress
def test_on_a_terminal_the_bar_never_runs_into_a_document_line(tmp_path):
    import pty

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(BUDGET, folder / "a.pdf")
    shutil.copy(DATA / "not_a_pdf.pdf", folder / "b.pdf")
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "fiscalpdf.cli", "run", str(folder), "--out", str(tmp_path / "out"),
                             "--workers", "1"], stdin=slave, stdout=slave, stderr=slave, cwd=ROOT,
                            env=dict(os.environ, COLUMNS="200", TERM="xterm-256color"))
    os.close(slave)
    raw = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        raw += chunk
    os.close(master)
    assert proc.wait(60) == 0
    screen = [ANSI.sub("", s) for s in re.split(r"[\r\n]+", raw.decode("utf-8", "replace"))]
    assert any("documents" in s and "━" in s for s in screen), "no progress bar drawn"
    doc_lines = [s for s in screen if "株洲市" in s or "not_a_pdf" in s or "b.pdf" in s]
    assert len(doc_lines) >= 2
    for s in doc_lines:  # each starts at the line's beginning, never after the bar's text
        assert s.startswith(("ok ", "FAILED ")), s
    assert not any("━" in s and ("ok " in s or "FAILED" in s) for s in screen)


def test_skipped_files_are_mentioned_only_when_they_look_like_documents(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "empty.pdf", folder / "a.pdf")
    for name in ("notes.txt", "data.csv", "script.py"):
        (folder / name).write_text("x")
    quiet = fiscalpdf("run", folder, "--out", tmp_path / "out")
    assert quiet.returncode == 0 and "not PDF" not in quiet.stdout + quiet.stderr
    (folder / "表1.xls").write_text("x")
    noted = fiscalpdf("run", folder, "--out", tmp_path / "out")
    assert "skipped 1 file(s) that are not PDF (only *.pdf is read)" in noted.stderr and "表1.xls" in noted.stderr
    verbose = fiscalpdf("run", folder, "--out", tmp_path / "out", "--verbose")
    assert "skipped 4 file(s)" in verbose.stderr
    assert "nothing new: 1 document(s) already done" in verbose.stdout


# ------------------------------------------------------------------------------------------------ help, forms
def test_every_option_has_a_description_and_its_default():
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for name, sub in commands.items():
        help_text = {a.dest: sub._get_formatter()._get_help_string(a) for a in sub._actions if a.option_strings}
        for dest, text in help_text.items():
            if dest != "help":
                assert len(text) > 15 and "default" in text, (name, dest, text)
    shown = fiscalpdf("export", "--help").stdout
    assert re.search(r"--format \{xlsx,csv\}\s+xlsx: a workbook per document.*\(default: xlsx\)", shown, re.S)
    assert "(default: 5)" in fiscalpdf("report", "--help").stdout


def test_one_output_folder_option_and_the_old_forms_still_work(batch_out, tmp_path):
    new = fiscalpdf("report", "--out", batch_out, "--totals")
    old = fiscalpdf("report", batch_out, "--totals")
    assert new.returncode == old.returncode == 0 and new.stdout == old.stdout and new.stderr == ""
    assert old.stderr.strip() == (f"fiscalpdf: `fiscalpdf report {batch_out}` is deprecated, use "
                                  f"`fiscalpdf report --out {batch_out}` (it still works)")
    sql = "SELECT count(*) AS n FROM documents"
    target = tmp_path / "n.csv"
    old_query = fiscalpdf("query", sql, "--data", batch_out, "--out", target)
    assert old_query.returncode == 0 and target.read_text().splitlines() == ["n", "9"]
    assert "deprecated, use `query … --out DIR --to" in old_query.stderr
    old_export = fiscalpdf("export", batch_out, "--out", tmp_path / "x", "--format", "csv")
    assert old_export.returncode == 0 and list((tmp_path / "x").iterdir())
    assert f"use `fiscalpdf export --out {batch_out} --to {tmp_path / 'x'}`" in old_export.stderr


def test_query_and_export_name_the_samples_mixed_into_real_files(batch_out, tmp_path):
    """batch_out holds the samples and three broken files of a user's: the samples are named, on stderr."""
    query = fiscalpdf("query", "SELECT count(*) FROM cells", "--out", batch_out)
    assert query.returncode == 0
    assert "warning: 6 generated sample document(s) (figures partly invented) are mixed with your files" in query.stderr
    assert "zhuzhou-shifeng-yingshang_2020_final.pdf" in query.stderr and "origin = 'file'" in query.stderr
    export = fiscalpdf("export", "--out", batch_out, "--to", tmp_path / "x")
    assert "warning: 6 generated sample document(s)" in export.stderr
    assert "no file for 3 document(s) without tables or facts: " in export.stdout
    assert "not_a_pdf.pdf (failed not_pdf)" in export.stdout
    only_files = tmp_path / "only-files"
    assert fiscalpdf("run", DATA / "truncated.pdf", "--out", only_files).returncode == 0
    assert "warning" not in fiscalpdf("query", "SELECT 1", "--out", only_files).stderr


# ------------------------------------------------------------------------------------------------ make run
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_is_quiet_and_a_second_run_still_shows_what_out_holds(tmp_path):
    out = tmp_path / "out"
    first = subprocess.run(["make", "-s", "-C", str(ROOT), "run", f"OUT={out}"], capture_output=True, text=True,
                           timeout=600)
    assert first.returncode == 0, first.stderr
    # the documents come first, no noise (after the set-up line, when the environment had to be built)
    lines = [ln for ln in first.stdout.splitlines() if not ln.startswith("setting up ")]
    assert [ln.split()[0] for ln in lines[:3]] == ["ok", "ok", "ok"]
    assert "skipped" not in first.stdout + first.stderr and "Traceback" not in first.stderr
    second = subprocess.run(["make", "-s", "-C", str(ROOT), "run", f"OUT={out}"], capture_output=True, text=True,
                            timeout=600)
    assert second.returncode == 0
    assert second.stdout.startswith("nothing new: 3 document(s) already done")
    assert "3 document(s): 3 ok; 3 of them generated samples" in second.stdout
    assert re.search(r"identities: \d+ passed, 0 failed", second.stdout)
