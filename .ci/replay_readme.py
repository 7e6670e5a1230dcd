"""Replay the README as a new user would, and check that it shows what really happens.

Every fenced block of README.md marked `console` is a transcript: a line starting with `$ ` is a command, the
lines up to the next command are what it prints on stdout. This script clones the repository into a temporary
folder (a fresh clone, as a user gets it), links the environment already built (`.venv`, or `VENV=`) into it so
nothing is installed twice, and runs every command there, in order, verbatim, with `sh`. HOME is a temporary
folder holding `~/预算/2026/`: two 2026 budgets of the corpus (../shared/corpus) under the names a user's
download would have, standing for "your folder of PDFs".

Outputs are compared line by line after normalizing what changes from run to run: timings (`2.8 s`,
`15.8 pages/s`), the temporary HOME (shown as `~`), hex hashes; the lines of documents a batch finishes in
parallel (ok / partial / FAILED …) are compared as a set within each run of them, since their order depends on
which worker finishes first; and the set-up line of `make` is left out when the environment is reused.
stderr is not compared (progress lines), but must hold no traceback. Exit 0 when every command exits 0 and
prints what the README shows; else the differences, and 1.

    python .ci/replay_readme.py            # from the repository root (.ci/run does, after `make test`)
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
# ~/预算/2026: the user's folder of PDFs in the README's step 2 (corpus file → the name a download would have)
USER_PDFS = {"yusuan_2026_hangzhou-qixiangju_1.pdf": "杭州市气象局2026年部门预算.pdf",
             "yusuan_2026_suzhou-shenjiju_1.pdf": "苏州市审计局2026年部门预算.pdf"}
SETUP_LINE = "setting up "  # make's set-up announcement: printed only when the environment is built
DOCUMENT_LINE = re.compile(r"^(ok|partial|FAILED) ")


def transcripts(readme: str) -> list[tuple[str, list[str]]]:
    """(command, expected stdout lines) of every ```console block, in order."""
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"^```console\n(.*?)^```", readme, re.S | re.M):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
    return steps


def normalize(lines: list[str], home: str | None = None) -> list[str]:
    out = []
    for line in lines:
        if home:
            line = line.replace(home, "~")
        line = re.sub(r"\b\d+(\.\d+)? s\b", "N s", line)
        line = re.sub(r"\b\d+(\.\d+)? pages/s\b", "N pages/s", line)
        line = re.sub(r"\b[0-9a-f]{12,64}\b", "HASH", line)
        out.append(line.rstrip())
    while out and not out[-1]:
        out.pop()
    return _sorted_document_runs([ln for ln in out if not ln.startswith(SETUP_LINE)])


def _sorted_document_runs(lines: list[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for line in lines + [""]:
        if DOCUMENT_LINE.match(line):
            run.append(line)
            continue
        out += sorted(run)
        run = []
        out.append(line)
    return out[:-1]


def main() -> int:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    steps = transcripts(readme)
    if not steps:
        print("replay_readme: no ```console block in README.md")
        return 1
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            print(f"replay_readme: {CORPUS} is missing: CI must have ../shared beside the checkout")
            return 1
        print(f"replay_readme: skipped, {CORPUS} (the PDFs standing for a user's folder) is not here")
        return 0
    changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    if changed.strip():
        print("replay_readme: the replay clones the last commit, and these files differ from it: commit first\n"
              + changed)
        return 1
    venv = Path(os.environ.get("VENV", ROOT / ".venv")).resolve()
    if not (venv / "bin" / "fiscalpdf").exists():
        print(f"replay_readme: no built environment at {venv}: run `make setup` (or give VENV=)")
        return 1
    failures = 0
    with tempfile.TemporaryDirectory(prefix="fiscalpdf-readme-") as tmp:
        clone, home = Path(tmp) / "fiscalpdf", Path(tmp) / "home"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        (clone / ".venv").symlink_to(venv, target_is_directory=True)
        user = home / "预算" / "2026"
        user.mkdir(parents=True)
        for name, as_downloaded in USER_PDFS.items():
            shutil.copy(CORPUS / name, user / as_downloaded)
        env = {k: v for k, v in os.environ.items() if k not in ("VENV", "MAKEFLAGS", "MAKELEVEL", "COLUMNS")}
        env.update(HOME=str(home), LC_ALL="C.UTF-8")
        for command, shown in steps:
            done = subprocess.run(["sh", "-c", command], cwd=clone, env=env, capture_output=True, text=True,
                                  timeout=900)
            got = normalize(done.stdout.splitlines(), str(home))
            want = normalize(shown)
            problems = []
            if done.returncode != 0:
                problems.append(f"exit code {done.returncode}")
            if "Traceback" in done.stderr:
                problems.append("a traceback on stderr")
            if got != want:
                problems.append("output differs from the README:\n" + "\n".join(
                    difflib.unified_diff(want, got, "README.md", "replayed", lineterm="")))
            print(f"{'ok  ' if not problems else 'FAIL'} $ {command}")
            for p in problems:
                print("     " + p.replace("\n", "\n     "))
            if problems and done.stderr.strip():
                print("     stderr:\n     " + done.stderr.strip().replace("\n", "\n     "))
            failures += bool(problems)
    print(f"replay_readme: {len(steps) - failures} of {len(steps)} README command(s) print what the README shows")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
