"""Speed benchmark (issue 6): the fiscalpdf pipeline beside the tools a user would otherwise run, in one run.

Tools, each measured on every page of every PDF of the corpus and of samples/:
  (a) pdfplumber  `page.extract_tables()`, then `page.close()`
  (b) camelot     `camelot.read_pdf(path, pages=str(n), flavor="lattice")`, one call per page; 0.2-0.6 s a page,
                  so by default on a deterministic sample (every k-th page of the run; `--camelot-pages all`)
  (c) pypdfium2   `page.get_textpage().get_text_range()`: reading the text, the floor
  (d) fiscalpdf   `process_document` + `write_document` into a temporary folder, one process

Every (tool, document) runs in a fresh child process, one after the other, the four tools in turn on each
document, so load from other work on the machine falls on all of them alike. A child's peak RSS is its own
(`os.wait4`); its times are taken inside it, after its imports.

Page kinds come from fiscalpdf's own output: a money-table page holds a table whose table_id is one of the
nine concepts or `other`; every other page (performance tables, narrative, covers) is an other page.
(a) and (c) time each page; a document's remaining time (opening, closing) is spread evenly over its pages.
(d) times each page's own stages (page text and grids, fallbacks included) by wrapping
`PdfSource.page_text` and the grid extractors in the child; the rest (open, normalize, validate, write)
is spread over the document's money-table pages (over all its pages when it has none).

Figures are the median over `--repeat` repetitions; ratios are speed ratios (pipeline pages/s ÷ tool
pages/s), taken within each repetition, then the median.

    python benchmarks/speed.py [--corpus DIR] [--samples DIR] [--repeat N] [--camelot-pages N|all] [--json FILE]
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
TOOLS = ("pdfplumber", "camelot", "pdfium", "fiscalpdf")
LETTERS = {"pdfplumber": "a", "camelot": "b", "pdfium": "c", "fiscalpdf": "d"}
LABELS = {"pdfplumber": "(a) pdfplumber extract_tables", "camelot": "(b) camelot lattice",
          "pdfium": "(c) pypdfium2 text", "fiscalpdf": "(d) fiscalpdf pipeline"}
KINDS = ("all", "money", "other")
# Done-when of issue 6, on the corpus: pipeline pages/s ≥ 5× (a), ≥ 20× (b), ≥ 1/10 of (c); RSS on the largest.
TARGETS = {"d/a": 5.0, "d/b": 20.0, "d/c": 0.1}
RSS_LIMIT_MB = 400


# ---- child side: one tool over one document, in its own process ---------------------------------------------

def run_pdfplumber(path: Path, pages: list[int]) -> dict:
    import pdfplumber

    times = {}
    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            t = time.perf_counter()
            page.extract_tables()
            page.close()
            times[page.page_number] = time.perf_counter() - t
    return {"seconds": time.perf_counter() - start, "page_seconds": times}


def run_camelot(path: Path, pages: list[int]) -> dict:
    import warnings

    import camelot

    times = {}
    for n in pages:
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 'no tables found' on narrative pages
            camelot.read_pdf(str(path), pages=str(n), flavor="lattice")
        times[n] = time.perf_counter() - t
    return {"seconds": sum(times.values()), "page_seconds": times}


def run_pdfium(path: Path, pages: list[int]) -> dict:
    import pypdfium2 as pdfium

    times = {}
    start = time.perf_counter()
    pdf = pdfium.PdfDocument(path)
    for i in range(len(pdf)):
        t = time.perf_counter()
        page = pdf[i]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
        times[i + 1] = time.perf_counter() - t
    pdf.close()
    return {"seconds": time.perf_counter() - start, "page_seconds": times}


def run_fiscalpdf(path: Path, pages: list[int]) -> dict:
    from fiscalpdf.extract import registry
    from fiscalpdf.extract.pdf import PdfSource
    from fiscalpdf.options import ExtractOptions
    from fiscalpdf.pipelines.document import process_document
    from fiscalpdf.pipelines.writers import write_document

    times: dict[int, float] = defaultdict(float)

    def per_page(fn):
        def timed(source, page_no, *args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(source, page_no, *args, **kwargs)
            finally:
                times[page_no] += time.perf_counter() - t
        return timed

    PdfSource.page_text = per_page(PdfSource.page_text)
    registry.EXTRACTORS.update({name: per_page(fn) for name, fn in registry.EXTRACTORS.items()})
    with tempfile.TemporaryDirectory(prefix="fiscalpdf-speed-") as out:
        start = time.perf_counter()
        result = process_document(path, ExtractOptions(ocr="off"))  # text-layer figures: OCR is measured apart
        write_document(Path(out), result)
        seconds = time.perf_counter() - start
    money = {p for t in result.tables if t.table_id != "performance" for p in t.pages}
    performance = {p for t in result.tables if t.table_id == "performance" for p in t.pages} - money
    return {"seconds": seconds, "page_seconds": dict(times), "money_pages": sorted(money),
            "performance_pages": sorted(performance), "status": result.status}


RUNNERS = {"pdfplumber": run_pdfplumber, "camelot": run_camelot, "pdfium": run_pdfium, "fiscalpdf": run_fiscalpdf}


def child(tool: str, path: str, pages: str, out: str) -> None:
    figures = RUNNERS[tool](Path(path), [int(p) for p in pages.split(",") if p])
    Path(out).write_text(json.dumps(figures))


# ---- parent side ---------------------------------------------------------------------------------------------

def measure(tool: str, path: Path, pages: list[int]) -> dict:
    """Run one tool on one document in a fresh process; its figures, with its peak RSS in MB."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = [sys.executable, __file__, "_child", tool, str(path), ",".join(map(str, pages)), out.name]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        log = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: its peak RSS, not the max of all
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise RuntimeError(f"{tool} on {path.name} failed ({code}):\n{log.decode(errors='replace')}")
        figures = json.loads(Path(out.name).read_text())
    figures["page_seconds"] = {int(p): s for p, s in figures["page_seconds"].items()}
    figures["peak_rss_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    return figures


def by_page(figures: dict, pages: list[int], spread_over: list[int]) -> dict[int, float]:
    """Seconds per page: each page's own time, plus the document's remaining time spread over `spread_over`."""
    own = {p: figures["page_seconds"].get(p, 0.0) for p in pages}
    rest = max(figures["seconds"] - sum(figures["page_seconds"].values()), 0.0)
    for p in spread_over:
        own[p] += rest / len(spread_over)
    return own


def camelot_sample(docs: list[dict], target: int | None) -> int:
    """Mark every k-th page of the run for camelot (k so that about `target` pages are measured); returns k."""
    total = sum(d["pages"] for d in docs)
    k = 1 if target is None else max(1, round(total / target))
    i = 0
    for d in docs:
        d["camelot_pages"] = [p for p in range(1, d["pages"] + 1) if (i + p - 1) % k == 0]
        i += d["pages"]
    return k


def one_repetition(docs: list[dict]) -> dict:
    """Every tool on every document; per tool and page set: seconds and pages by kind, peak RSS."""
    rep: dict = {}
    for d in docs:
        pages = list(range(1, d["pages"] + 1))
        for tool in ("fiscalpdf", "pdfplumber", "pdfium", "camelot"):
            todo = d["camelot_pages"] if tool == "camelot" else pages
            if not todo:
                continue
            f = measure(tool, d["path"], todo)
            if tool == "fiscalpdf":  # runs first: its output says which pages are money-table pages
                d["money"], d["performance"] = set(f["money_pages"]), f["performance_pages"]
                secs = by_page(f, pages, f["money_pages"] or pages)
            else:
                secs = by_page(f, todo, todo)
            row = rep.setdefault(d["set"], {}).setdefault(tool, {"seconds": defaultdict(float),
                                                                 "pages": defaultdict(int), "rss": []})
            for p, s in secs.items():
                for k in ("all", "money" if p in d["money"] else "other"):
                    row["seconds"][k] += s
                    row["pages"][k] += 1
            row["rss"].append(f["peak_rss_mb"])
            d["rss"][tool].append(f["peak_rss_mb"])
            d["seconds"][tool].append(f["seconds"])
            log(f"  {tool:10s} {d['name'][:58]:58s} {len(todo):4d} p {f['seconds']:7.2f} s "
                f"{f['peak_rss_mb']:6.0f} MB")
    return rep


def summarize(reps: list[dict]) -> dict:
    """Median over repetitions of pages/s by kind, peak RSS and the speed ratios d/x."""
    out: dict = {}
    for set_name in reps[0]:
        tools: dict = {}
        for tool in reps[0][set_name]:
            rows = [r[set_name][tool] for r in reps]
            pps = {k: statistics.median(_pps(r, k) for r in rows) for k in KINDS}
            tools[tool] = {"pages_per_s": pps, "ms_per_page": {k: _ms(v) for k, v in pps.items()},
                           "pages": dict(rows[0]["pages"]),
                           "peak_rss_mb": statistics.median(max(r["rss"]) for r in rows)}
        ratios = {f"d/{LETTERS[tool]}": {k: statistics.median(
            _div(_pps(r[set_name]["fiscalpdf"], k), _pps(r[set_name][tool], k)) for r in reps) for k in KINDS}
            for tool in TOOLS[:3] if tool in tools}
        out[set_name] = {"tools": tools, "ratios": ratios}
    return out


def _pps(row: dict, kind: str) -> float:
    return row["pages"][kind] / row["seconds"][kind] if row["seconds"][kind] else math.nan


def _ms(pps: float) -> float:
    return 1000 / pps if pps else math.nan


def _div(a: float, b: float) -> float:
    return a / b if b else math.nan


def _medians(values: dict[str, list[float]]) -> dict[str, float]:
    return {k: statistics.median(v) for k, v in values.items()}


def _strict(obj):
    """NaN (a kind with no pages) as null, so that the JSON is strict."""
    if isinstance(obj, dict):
        return {k: _strict(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_strict(v) for v in obj]
    return None if isinstance(obj, float) and math.isnan(obj) else obj


def render(figures: dict) -> str:
    lines = []
    for set_name, s in figures["sets"].items():
        k = figures["page_kinds"][set_name]
        lines.append(f"\n{set_name}: {k['all']} pages ({k['money']} money-table pages, {k['other']} other pages, "
                     f"of which {k['performance']} performance-table pages)")
        lines.append(f"  {'tool':32s} {'pages/s':>8s} {'money':>8s} {'other':>8s} {'ms/page':>8s} {'peak RSS':>9s}")
        sampled = figures["camelot_every_kth_page"] > 1
        for tool in (t for t in TOOLS if t in s["tools"]):
            t = s["tools"][tool]
            pps = t["pages_per_s"]
            note = f"  (sample of {t['pages']['all']} pages)" if tool == "camelot" and sampled else ""
            lines.append(f"  {LABELS[tool]:32s} {pps['all']:8.1f} {pps['money']:8.1f} {pps['other']:8.1f} "
                         f"{t['ms_per_page']['all']:8.1f} {t['peak_rss_mb']:6.0f} MB{note}")
        for name, r in s["ratios"].items():
            lines.append(f"  {'speed ratio ' + name:32s} {r['all']:8.2f} {r['money']:8.2f} {r['other']:8.2f}")
    big = figures["largest_corpus_document"]
    lines.append(f"\n(d) on the largest corpus document alone ({big['name']}, {big['pages']} pages): "
                 f"peak RSS {big['peak_rss_mb']:.0f} MB")
    if figures["camelot_every_kth_page"] > 1:
        lines.append(f"(b) camelot: pages/s from a sample, every {figures['camelot_every_kth_page']}th page of the run")
    lines.append("(d) money/other: each page's own page-text and grid time (fallbacks included), plus the document's "
                 "open/normalize/validate/write spread over its money-table pages")
    lines.append(f"medians of {figures['repeat']} repetitions; ratios: pipeline pages/s ÷ tool pages/s")
    for name, c in figures["criteria"].items():
        lines.append(f"  {'met    ' if c['met'] else 'NOT met'}  {name}: {c['value']:.2f}")
    return "\n".join(lines)


def criteria(summary: dict, largest: dict) -> dict:
    corpus = summary.get("corpus")
    if corpus is None:
        return {}
    out = {f"{name} >= {target:g}": {"value": corpus["ratios"][name]["all"],
                                      "met": corpus["ratios"][name]["all"] >= target}
           for name, target in TARGETS.items() if name in corpus["ratios"]}
    out[f"peak RSS on largest <= {RSS_LIMIT_MB} MB"] = {"value": largest["peak_rss_mb"],
                                                         "met": largest["peak_rss_mb"] <= RSS_LIMIT_MB}
    return out


def git_commit() -> str | None:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return (out.stdout.strip() + ("+dirty" if dirty else "")) if out.returncode == 0 else None


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def documents(corpus: Path, samples: Path) -> list[dict]:
    import pypdfium2  # the parent only counts pages: a child's RSS is its own, whatever the parent holds

    return [{"set": name, "path": p, "name": p.name, "pages": len(pypdfium2.PdfDocument(p)),
             "rss": defaultdict(list), "seconds": defaultdict(list)}
            for name, folder in (("corpus", corpus), ("samples", samples)) for p in sorted(folder.glob("*.pdf"))]


def figures_of(docs: list[dict], reps: list[dict], camelot_k: int) -> dict:
    summary = summarize(reps)
    kinds = {}
    for s in summary:
        mine = [d for d in docs if d["set"] == s]
        n, money = sum(d["pages"] for d in mine), sum(len(d["money"]) for d in mine)
        kinds[s] = {"all": n, "money": money, "other": n - money,
                    "performance": sum(len(d["performance"]) for d in mine)}
    big = max((d for d in docs if d["set"] == "corpus"), key=lambda d: d["pages"], default=docs[-1])
    largest = {"name": big["name"], "pages": big["pages"], "peak_rss_mb": statistics.median(big["rss"]["fiscalpdf"]),
               "peak_rss_mb_by_tool": _medians(big["rss"])}
    return {"date": datetime.date.today().isoformat(), "commit": git_commit(), "cores": os.cpu_count(),
            "python": platform.python_version(), "repeat": len(reps), "camelot_every_kth_page": camelot_k,
            "page_kinds": kinds, "sets": summary, "largest_corpus_document": largest,
            "criteria": criteria(summary, largest),
            "documents": [{"set": d["set"], "name": d["name"], "pages": d["pages"], "money_pages": sorted(d["money"]),
                           "performance_pages": d["performance"], "camelot_pages": d["camelot_pages"],
                           "seconds": _medians(d["seconds"]), "peak_rss_mb": _medians(d["rss"])} for d in docs]}


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        child(*argv[1:])
        return {}
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--camelot-pages", default="150", help="pages measured with camelot, or 'all'")
    parser.add_argument("--json", type=Path, help="also write the figures here (and speed-<date>.json beside it)")
    args = parser.parse_args(argv)
    docs = documents(args.corpus, args.samples)
    k = camelot_sample(docs, None if args.camelot_pages == "all" else int(args.camelot_pages))
    reps = []
    for i in range(args.repeat):
        log(f"repetition {i + 1}/{args.repeat}")
        reps.append(one_repetition(docs))
    figures = figures_of(docs, reps, k)
    print(render(figures))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(_strict(figures), indent=1, ensure_ascii=False, allow_nan=False)
        args.json.write_text(text)
        (args.json.parent / f"speed-{figures['date']}.json").write_text(text)
    return figures


if __name__ == "__main__":
    main()
