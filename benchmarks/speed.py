"""Speed benchmark (issues 6 and 18): the fiscalpdf pipeline beside the tools a user would otherwise run, in one
run, timed from interpreter start for every tool alike, with the pipeline's time split by stage.

Tools, each over every page of every PDF of a set (the corpus, samples/):
  (a) pdfplumber  `page.extract_tables()`, then `page.close()`
  (b) camelot     `camelot.read_pdf(path, pages=str(n), flavor="lattice")`, one call per page; 0.2-0.6 s a page,
                  so by default on a deterministic sample (every k-th page of the set; `--camelot-pages all`)
  (c) pypdfium2   `page.get_textpage().get_text_range()`: reading the text, the floor
  (d) fiscalpdf   `process_document` + `write_document` into a temporary folder: what one batch worker does

Each tool runs as one fresh process over the whole set, as one worker would: its time is the process's wall
time, from before the interpreter starts to its exit, so every tool pays its own start-up and imports
(pdfplumber's third of a second, camelot's and OpenCV's second, fiscalpdf's). The tools run one after the
other, their order rotated at each repetition, so load from other work on the machine falls on all of them
alike; the load average is recorded beside each run.

Per page: (a) and (c) time each page; (b) each call; (d) each page's own page-text and grid time (fallbacks
included, by wrapping `PdfSource.page_text` and the grid extractors in the child). A document's remaining
time (opening, closing; for (d) also normalize, validate, write) is spread over its pages (for (d) over its
money-table pages, or all its pages when it has none), and the process's start-up (wall time − documents)
over all pages of the set. Page kinds come from fiscalpdf's own output: a money-table page holds a table
whose table_id is one of the nine concepts or `other`; pages listed as needing OCR are kept apart (kind
`ocr`, excluded from `all`, `money` and `other`); every other page is an other page.

Per stage (d): every function behind a stage is wrapped in the child, each call's time counted once, in the
innermost stage it runs in (nested stages are subtracted from their callers); `interpreter start + imports`
is the wall time outside the documents; `the rest` what no stage claims. Stage functions missing from the
code under test (an older version) are skipped, so the same script measures before and after a change.

Figures are medians over `--repeat` repetitions; ratios are speed ratios (pipeline pages/s ÷ tool pages/s),
taken within each repetition, then the median. Peak RSS: (d) alone on the corpus's largest document, in its
own process (`os.wait4`), at each repetition, and (a), (c) once.

    python benchmarks/speed.py [--corpus DIR] [--samples DIR] [--documents STEM,...] [--sets corpus,samples]
                               [--repeat N] [--camelot-pages N|all] [--json FILE]
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALL_TOOLS = ("fiscalpdf", "pdfplumber", "pdfium", "camelot")
LETTERS = {"pdfplumber": "a", "camelot": "b", "pdfium": "c", "fiscalpdf": "d"}
LABELS = {"pdfplumber": "(a) pdfplumber extract_tables", "camelot": "(b) camelot lattice",
          "pdfium": "(c) pypdfium2 text", "fiscalpdf": "(d) fiscalpdf pipeline"}
KINDS = ("all", "money", "other", "ocr")
# Done-when of issue 18, on the corpus: pipeline pages/s ≥ 5× (a), ≥ 20× (b), ≥ 1/10 of (c) on every page,
# ≥ 3× (a) on money-table pages; peak RSS on the largest document.
TARGETS = {("d/a", "all"): 5.0, ("d/b", "all"): 20.0, ("d/c", "all"): 0.1, ("d/a", "money"): 3.0}
RSS_LIMIT_MB = 400

# (stage, module, attribute): the functions behind each stage of the pipeline. Several versions of the code are
# listed side by side (missing ones are skipped): the current reader and finder, and the ones before issue 18.
STAGES = [
    ("open / hash", "fiscalpdf.pipelines.document", "sha256_hex"),
    ("open / hash", "fiscalpdf.extract.pdf", "PdfSource.open"),
    ("open / hash", "fiscalpdf.extract.pdf", "PdfSource._open_deferred"),
    ("page load + text page", "fiscalpdf.extract.pdf", "read_page"),
    ("pdfium characters", "fiscalpdf.extract.page_objects", "read_chars"),
    ("pdfium characters", "fiscalpdf.extract.page_objects", "_chars"),
    ("edges + shape count", "fiscalpdf.extract.page_objects", "_objects"),
    ("pdfplumber reads a page", "fiscalpdf.extract.pdf", "from_plumber"),
    ("grid finder + edge dedup", "fiscalpdf.extract.objects_grid", "find_tables"),
    ("grid finder + edge dedup", "fiscalpdf.extract.objects_grid", "deduplicated"),
    ("grid finder + edge dedup", "fiscalpdf.extract.objects_grid", "TableFinder"),
    ("grid finder + edge dedup", "fiscalpdf.extract.objects_grid", "_Deduplicated"),
    ("cell text", "fiscalpdf.extract.objects_grid", "grids_from_tables"),
    ("page lines", "fiscalpdf.extract.pdf", "page_lines"),
    ("headings", "fiscalpdf.extract.locate", "find_headings"),
    ("normalize", "fiscalpdf.pipelines.candidates", "normalize_table"),
    ("validate", "fiscalpdf.pipelines.candidates", "validate_table"),
    ("validate", "fiscalpdf.pipelines.document", "validate_table"),
    ("validate", "fiscalpdf.pipelines.document", "validate_across"),
]
FALLBACKS = "fallbacks (camelot, pdfplumber)"  # every extractor of the registry but the first stage
WRITE = "write"
STARTUP = "interpreter start + imports"
REST = "the rest (locate, doctype, metadata, …)"
STAGE_ORDER = [STARTUP, "open / hash", "page load + text page", "pdfium characters", "edges + shape count",
               "pdfplumber reads a page", "grid finder + edge dedup", "cell text", "page lines", "headings",
               FALLBACKS, "normalize", "validate", WRITE, REST]


# ---- child side: one tool over a set of documents, in its own process -------------------------------------------

def run_pdfplumber(docs: list[dict]) -> list[dict]:
    import pdfplumber

    out = []
    for d in docs:
        times = {}
        start = time.perf_counter()
        with pdfplumber.open(d["path"]) as pdf:
            for page in pdf.pages:
                t = time.perf_counter()
                page.extract_tables()
                page.close()
                times[page.page_number] = time.perf_counter() - t
        out.append({"seconds": time.perf_counter() - start, "page_seconds": times})
    return out


def run_camelot(docs: list[dict]) -> list[dict]:
    import warnings

    import camelot

    out = []
    for d in docs:
        times = {}
        for n in d["pages"]:
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # 'no tables found' on narrative pages
                camelot.read_pdf(d["path"], pages=str(n), flavor="lattice")
            times[n] = time.perf_counter() - t
        out.append({"seconds": sum(times.values()), "page_seconds": times})
    return out


def run_pdfium(docs: list[dict]) -> list[dict]:
    import pypdfium2 as pdfium

    out = []
    for d in docs:
        times = {}
        start = time.perf_counter()
        pdf = pdfium.PdfDocument(d["path"])
        for i in range(len(pdf)):
            t = time.perf_counter()
            page = pdf[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            times[i + 1] = time.perf_counter() - t
        pdf.close()
        out.append({"seconds": time.perf_counter() - start, "page_seconds": times})
    return out


class Stages:
    """Exclusive time per stage: a call's time counts in its own stage and is taken off its caller's."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.stack: list[list] = []

    def wrap(self, fn, stage: str):
        def timed(*args, **kwargs):
            frame = [stage, 0.0]  # stage, time spent in nested stages
            self.stack.append(frame)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                self.stack.pop()
                self.seconds[stage] += elapsed - frame[1]
                if self.stack:
                    self.stack[-1][1] += elapsed
        return timed


def _install_stages(stages: Stages) -> None:
    import importlib

    for stage, module_name, attr in STAGES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        owner, _, name = attr.rpartition(".")
        target = getattr(module, owner) if owner else module
        fn = target.__dict__.get(name) if owner else getattr(module, name, None)
        if fn is None:
            continue
        if isinstance(fn, classmethod):
            setattr(target, name, classmethod(stages.wrap(fn.__func__, stage)))
        else:
            setattr(target, name, stages.wrap(fn, stage))


def run_fiscalpdf(docs: list[dict]) -> list[dict]:
    from dataclasses import replace

    from fiscalpdf.extract import registry
    from fiscalpdf.extract.pdf import PdfSource
    from fiscalpdf.options import ExtractOptions
    from fiscalpdf.pipelines.document import process_document
    from fiscalpdf.pipelines.writers import write_document

    stages = Stages()
    _install_stages(stages)
    page_times: dict[int, float] = defaultdict(float)

    def per_page(fn):
        def timed(source, page_no, *args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(source, page_no, *args, **kwargs)
            finally:
                page_times[page_no] += time.perf_counter() - t
        return timed

    PdfSource.page_text = per_page(PdfSource.page_text)
    for name, e in list(registry.EXTRACTORS.items()):
        read = e.read if name == registry.FIRST_STAGE else stages.wrap(e.read, FALLBACKS)
        registry.EXTRACTORS[name] = replace(e, read=per_page(read))
    write = stages.wrap(write_document, WRITE)
    out = []
    with tempfile.TemporaryDirectory(prefix="fiscalpdf-speed-") as folder:
        for d in docs:
            page_times.clear()
            before = dict(stages.seconds)
            start = time.perf_counter()
            result = process_document(Path(d["path"]), ExtractOptions(ocr="off"))  # OCR is measured apart
            write(Path(folder), result)
            seconds = time.perf_counter() - start
            money = {p for t in result.tables if t.table_id != "performance" for p in t.pages}
            performance = {p for t in result.tables if t.table_id == "performance" for p in t.pages} - money
            out.append({"seconds": seconds, "page_seconds": dict(page_times), "money_pages": sorted(money),
                        "performance_pages": sorted(performance), "ocr_pages": sorted(result.ocr_pages),
                        "status": result.status,
                        "stages": {k: v - before.get(k, 0.0) for k, v in stages.seconds.items()}})
    return out


RUNNERS = {"pdfplumber": run_pdfplumber, "camelot": run_camelot, "pdfium": run_pdfium, "fiscalpdf": run_fiscalpdf}


def child(tool: str, plan: str, out: str) -> None:
    docs = json.loads(Path(plan).read_text())
    figures = RUNNERS[tool](docs)
    Path(out).write_text(json.dumps(figures))


# ---- parent side ---------------------------------------------------------------------------------------------

def measure(tool: str, docs: list[dict]) -> dict:
    """Run one tool over `docs` ([{path, pages}]) in a fresh process: per document its figures; the process's
    wall time from before the interpreter starts, its peak RSS in MB and the load average around it."""
    with tempfile.TemporaryDirectory(prefix="fiscalpdf-bench-") as tmp:
        plan, out = Path(tmp) / "plan.json", Path(tmp) / "out.json"
        plan.write_text(json.dumps(docs))
        cmd = [sys.executable, __file__, "_child", tool, str(plan), str(out)]
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        log_bytes = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: its peak RSS, not the max of all
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise RuntimeError(f"{tool} failed ({code}):\n{log_bytes.decode(errors='replace')}")
        per_doc = json.loads(out.read_text())
    for f in per_doc:
        f["page_seconds"] = {int(p): s for p, s in f["page_seconds"].items()}
    return {"wall": wall, "documents": per_doc, "peak_rss_mb": usage.ru_maxrss / 1024,
            "load": (load_before, os.getloadavg()[0])}


def by_page(figures: dict, pages: list[int], spread_over: list[int]) -> dict[int, float]:
    """Seconds per page: each page's own time, plus the document's remaining time spread over `spread_over`."""
    own = {p: figures["page_seconds"].get(p, 0.0) for p in pages}
    rest = max(figures["seconds"] - sum(figures["page_seconds"].values()), 0.0)
    for p in spread_over:
        own[p] += rest / len(spread_over)
    return own


def camelot_sample(docs: list[dict], target: int | None) -> int:
    """Mark every k-th page of each set for camelot (k so that about `target` pages are measured); returns k."""
    k = 1
    for set_name in {d["set"] for d in docs}:
        mine = [d for d in docs if d["set"] == set_name]
        total = sum(d["pages"] for d in mine)
        k = max(k, 1 if target is None else max(1, round(total / target)))
    for set_name in {d["set"] for d in docs}:
        i = 0
        for d in (d for d in docs if d["set"] == set_name):
            d["camelot_pages"] = [p for p in range(1, d["pages"] + 1) if (i + p - 1) % k == 0]
            i += d["pages"]
    return k


def kind_of(d: dict, page: int) -> str:
    if page in d["ocr"]:
        return "ocr"
    return "money" if page in d["money"] else "other"


def one_repetition(docs: list[dict], rep: int, tools: tuple[str, ...]) -> dict:
    """Every tool over every set, one process per (tool, set); per set and tool: seconds and pages by kind, the
    process's wall time, peak RSS, load; for the pipeline, seconds by stage."""
    out: dict = {}
    others = tuple(t for t in tools if t != "fiscalpdf")
    others = others[rep % len(others):] + others[:rep % len(others)] if others else ()
    order = ("fiscalpdf",) + others  # the pipeline's output says which pages are money-table pages: it runs first
    for set_name in sorted({d["set"] for d in docs}):
        mine = [d for d in docs if d["set"] == set_name]
        for tool in order:
            plan = [{"path": str(d["path"]), "pages": d["camelot_pages"] if tool == "camelot" else
                     list(range(1, d["pages"] + 1))} for d in mine]
            plan = [p for p in plan if p["pages"]]
            f = measure(tool, plan)
            ran = [d for d in mine if (d["camelot_pages"] if tool == "camelot" else d["pages"])]
            row = {"seconds": defaultdict(float), "pages": defaultdict(int), "wall": f["wall"],
                   "rss": f["peak_rss_mb"], "load": f["load"]}
            startup = max(f["wall"] - sum(x["seconds"] for x in f["documents"]), 0.0)
            all_pages = [(d, p) for d, x in zip(ran, plan) for p in x["pages"]]
            for d, x, figures in zip(ran, plan, f["documents"]):
                pages = x["pages"]
                if tool == "fiscalpdf":
                    d["money"], d["performance"] = set(figures["money_pages"]), figures["performance_pages"]
                    d["ocr"] = set(figures["ocr_pages"])
                    secs = by_page(figures, pages, sorted(d["money"] - d["ocr"]) or pages)
                    for stage, s in figures["stages"].items():
                        row.setdefault("stages", defaultdict(float))[stage] += s
                    row.setdefault("stages", defaultdict(float))[REST] += figures["seconds"] - sum(
                        figures["stages"].values())
                else:
                    secs = by_page(figures, pages, pages)
                d["seconds"][tool].append(figures["seconds"])
                for p, s in secs.items():
                    s += startup / len(all_pages)
                    kind = kind_of(d, p)
                    for k in (kind,) if kind == "ocr" else ("all", kind):
                        row["seconds"][k] += s
                        row["pages"][k] += 1
            if tool == "fiscalpdf":
                row["stages"][STARTUP] += startup
            out.setdefault(set_name, {})[tool] = row
            log(f"  {tool:10s} {set_name:8s} {len(all_pages):5d} p {f['wall']:8.2f} s (start-up {startup:5.2f} s) "
                f"{f['peak_rss_mb']:6.0f} MB  load {f['load'][0]:.1f}→{f['load'][1]:.1f}")
    return out


def largest_rss(docs: list[dict], tools: tuple[str, ...]) -> dict[str, float]:
    """Peak RSS (MB) of each tool alone on the corpus's largest document, each in its own process."""
    corpus = [d for d in docs if d["set"] == "corpus"] or docs
    big = max(corpus, key=lambda d: d["pages"])
    plan = [{"path": str(big["path"]), "pages": list(range(1, big["pages"] + 1))}]
    return {tool: measure(tool, plan)["peak_rss_mb"] for tool in tools}


def environment() -> dict:
    """What the figures depend on beyond the code: the interpreter measured, whether the page reader's compiled
    loops were built, whether matplotlib is installed (camelot imports it when it is: `make bench` measures in
    .venv-bench, as a user installs fiscalpdf, without it)."""
    import importlib.util

    return {"executable": sys.executable,
            "compiled_page_reader": importlib.util.find_spec("fiscalpdf.extract._page_reader") is not None,
            "matplotlib": importlib.util.find_spec("matplotlib") is not None}


def summarize(reps: list[dict]) -> dict:
    """Median over repetitions of pages/s by kind, ms/page by stage, and the speed ratios d/x."""
    out: dict = {}
    for set_name in reps[0]:
        tools: dict = {}
        for tool in reps[0][set_name]:
            rows = [r[set_name][tool] for r in reps]
            pps = {k: _median(_pps(r, k) for r in rows) for k in KINDS}
            tools[tool] = {"pages_per_s": pps, "ms_per_page": {k: _ms(v) for k, v in pps.items()},
                           "pages": dict(rows[0]["pages"]), "wall_s": _median(r["wall"] for r in rows),
                           "peak_rss_mb": _median(r["rss"] for r in rows),
                           "load": [r["load"] for r in rows]}
            if tool == "fiscalpdf":
                n = sum(rows[0]["pages"][k] for k in ("all", "ocr"))
                tools[tool]["stage_ms_per_page"] = {
                    stage: _median(1000 * r["stages"].get(stage, 0.0) / n for r in rows)
                    for stage in STAGE_ORDER if any(stage in r["stages"] for r in rows)}
        ratios = {f"d/{LETTERS[tool]}": {k: _median(
            _div(_pps(r[set_name]["fiscalpdf"], k), _pps(r[set_name][tool], k)) for r in reps) for k in KINDS}
            for tool in ALL_TOOLS if tool != "fiscalpdf" and tool in tools and "fiscalpdf" in tools}
        out[set_name] = {"tools": tools, "ratios": ratios}
    return out


def _median(values) -> float:
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else math.nan


def _pps(row: dict, kind: str) -> float:
    return row["pages"][kind] / row["seconds"][kind] if row["seconds"][kind] else math.nan


def _ms(pps: float) -> float:
    return 1000 / pps if pps and not math.isnan(pps) else math.nan


def _div(a: float, b: float) -> float:
    return a / b if b and not math.isnan(b) else math.nan


def _strict(obj):
    """NaN (a kind with no pages) as null, so that the JSON is strict."""
    if isinstance(obj, dict):
        return {k: _strict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_strict(v) for v in obj]
    return None if isinstance(obj, float) and math.isnan(obj) else obj


def render(figures: dict) -> str:
    lines = []
    for set_name, s in figures["sets"].items():
        k = figures["page_kinds"][set_name]
        lines.append(f"\n{set_name}: {k['all'] + k['ocr']} pages ({k['money']} money-table pages, {k['other']} other "
                     f"pages of which {k['performance']} performance-table pages; {k['ocr']} pages needing OCR, "
                     f"apart)")
        lines.append(f"  {'tool':32s} {'ms/page':>8s} {'money':>8s} {'other':>8s} {'ocr':>8s} {'pages/s':>8s} "
                     f"{'wall s':>8s} {'peak RSS':>9s}")
        sampled = figures["camelot_every_kth_page"] > 1
        for tool in (t for t in ("pdfplumber", "camelot", "pdfium", "fiscalpdf") if t in s["tools"]):
            t = s["tools"][tool]
            ms = t["ms_per_page"]
            note = f"  (sample of {t['pages']['all']} pages)" if tool == "camelot" and sampled else ""
            lines.append(f"  {LABELS[tool]:32s} {ms['all']:8.1f} {ms['money']:8.1f} {ms['other']:8.1f} "
                         f"{ms['ocr']:8.1f} {t['pages_per_s']['all']:8.1f} {t['wall_s']:8.1f} "
                         f"{t['peak_rss_mb']:6.0f} MB{note}")
        for name, r in s["ratios"].items():
            lines.append(f"  {'speed ratio ' + name:32s} {r['all']:8.2f} {r['money']:8.2f} {r['other']:8.2f} "
                         f"{r['ocr']:8.2f}")
        stages = s["tools"].get("fiscalpdf", {}).get("stage_ms_per_page")
        if stages:
            total = sum(stages.values())
            lines.append(f"  (d) by stage, ms/page over all {k['all'] + k['ocr']} pages (median of each stage):")
            for stage, ms in stages.items():
                lines.append(f"    {stage:40s} {ms:7.2f}  {100 * ms / total:5.1f} %")
            lines.append(f"    {'total':40s} {total:7.2f}")
        loads = [x for t in s["tools"].values() for rep in t["load"] for x in rep]
        lines.append(f"  load average (1 min) around the runs: {min(loads):.1f} to {max(loads):.1f} "
                     f"on {figures['cores']} cores")
    big = figures["largest_corpus_document"]
    rss = ", ".join(f"{t} {v:.0f} MB" for t, v in big["peak_rss_mb_by_tool"].items())
    lines.append(f"\npeak RSS on the largest corpus document alone ({big['name']}, {big['pages']} pages): {rss}")
    if figures["camelot_every_kth_page"] > 1:
        lines.append(f"(b) camelot: pages/s from a sample, every {figures['camelot_every_kth_page']}th page of a set")
    lines.append("every tool: one process per set, wall time from interpreter start; start-up spread over all pages; "
                 "(d) a document's open/normalize/validate/write spread over its money-table pages")
    lines.append(f"medians of {figures['repeat']} repetitions; ratios: pipeline pages/s ÷ tool pages/s")
    for name, c in figures["criteria"].items():
        lines.append(f"  {'met    ' if c['met'] else 'NOT met'}  {name}: {c['value']:.2f}")
    return "\n".join(lines)


def criteria(summary: dict, largest: dict) -> dict:
    corpus = summary.get("corpus")
    out = {}
    if corpus is not None:
        for (name, kind), target in TARGETS.items():
            if name in corpus["ratios"]:
                value = corpus["ratios"][name][kind]
                out[f"{name} ({kind}) >= {target:g}"] = {"value": value, "met": value >= target}
    value = largest["peak_rss_mb"]
    out[f"peak RSS on largest <= {RSS_LIMIT_MB} MB"] = {"value": value, "met": value <= RSS_LIMIT_MB}
    return out


def git_commit() -> str | None:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return (out.stdout.strip() + ("+dirty" if dirty else "")) if out.returncode == 0 else None


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def documents(sets: dict[str, Path], only: set[str] | None) -> list[dict]:
    import pypdfium2  # the parent only counts pages: a child's RSS is its own, whatever the parent holds

    docs = []
    for name, folder in sets.items():
        for p in sorted(folder.glob("*.pdf")):
            if only and p.stem not in only and p.name not in only:
                continue
            pdf = pypdfium2.PdfDocument(p)
            docs.append({"set": name, "path": p, "name": p.name, "pages": len(pdf), "money": set(),
                         "performance": [], "ocr": set(), "seconds": defaultdict(list)})
            pdf.close()
    return docs


def figures_of(docs: list[dict], reps: list[dict], camelot_k: int, rss: dict) -> dict:
    summary = summarize(reps)
    kinds = {}
    for s in summary:
        mine = [d for d in docs if d["set"] == s]
        n, money, ocr = (sum(d["pages"] for d in mine), sum(len(d["money"] - d["ocr"]) for d in mine),
                         sum(len(d["ocr"]) for d in mine))
        kinds[s] = {"all": n - ocr, "money": money, "other": n - ocr - money, "ocr": ocr,
                    "performance": sum(len(set(d["performance"]) - d["ocr"]) for d in mine)}
    corpus = [d for d in docs if d["set"] == "corpus"] or docs
    big = max(corpus, key=lambda d: d["pages"])
    largest = {"name": big["name"], "pages": big["pages"], "peak_rss_mb": _median(rss["fiscalpdf"]),
               "peak_rss_mb_by_tool": {t: _median(v) for t, v in rss.items()}}
    return {"date": datetime.date.today().isoformat(), "commit": git_commit(), "cores": os.cpu_count(),
            "python": platform.python_version(), "environment": environment(), "repeat": len(reps),
            "camelot_every_kth_page": camelot_k,
            "page_kinds": kinds, "sets": summary, "largest_corpus_document": largest,
            "criteria": criteria(summary, largest),
            "documents": [{"set": d["set"], "name": d["name"], "pages": d["pages"], "money_pages": sorted(d["money"]),
                           "performance_pages": d["performance"], "ocr_pages": sorted(d["ocr"]),
                           "camelot_pages": d["camelot_pages"],
                           "seconds": {t: _median(v) for t, v in d["seconds"].items()}} for d in docs]}


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        child(*argv[1:])
        return {}
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--sets", default="corpus,samples", help="which sets to run: corpus, samples")
    parser.add_argument("--documents", help="only these documents (file stems or names, comma-separated)")
    parser.add_argument("--tools", default=",".join(ALL_TOOLS), help="which tools to run (fiscalpdf always runs)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--camelot-pages", default="150", help="pages measured with camelot per set, or 'all'")
    parser.add_argument("--json", type=Path, help="also write the figures here (and speed-<date>.json beside it)")
    args = parser.parse_args(argv)
    tools = tuple(t for t in ALL_TOOLS if t in args.tools.split(",") or t == "fiscalpdf")
    folders = {"corpus": args.corpus, "samples": args.samples}
    sets = {name: folders[name] for name in args.sets.split(",") if folders[name].is_dir()}
    only = set(args.documents.split(",")) if args.documents else None
    docs = documents(sets, only)
    if not docs:
        raise SystemExit(f"no PDFs in {', '.join(map(str, sets.values()))}")
    k = camelot_sample(docs, None if args.camelot_pages == "all" else int(args.camelot_pages))
    reps = []
    rss: dict[str, list[float]] = defaultdict(list)
    for i in range(args.repeat):
        log(f"repetition {i + 1}/{args.repeat}")
        reps.append(one_repetition(docs, i, tools))
        for tool, mb in largest_rss(docs, ("fiscalpdf",) if i else tuple(t for t in tools if t != "camelot")).items():
            rss[tool].append(mb)
    figures = figures_of(docs, reps, k, rss)
    print(render(figures))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(_strict(figures), indent=1, ensure_ascii=False, allow_nan=False)
        args.json.write_text(text)
        (args.json.parent / f"{args.json.stem.split('-')[0]}-{figures['date']}.json").write_text(text)
    return figures


if __name__ == "__main__":
    main()
