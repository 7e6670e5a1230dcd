"""The `fiscalpdf` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import Status
from .options import Limits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fiscalpdf",
                                     description="Chinese budget disclosures (部门决算 / 部门预算) → Parquet")
    parser.add_argument("--version", action="version", version=f"fiscalpdf {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="extract every PDF given (files or folders) into Parquet datasets")
    run.add_argument("inputs", nargs="+", type=Path, help="PDF files, or folders scanned for *.pdf")
    run.add_argument("--out", type=Path, required=True,
                     help="output folder (datasets cells, tables, documents, checks)")
    run.add_argument("--password", help="password for encrypted PDFs")
    run.add_argument("--workers", type=int, default=None,
                     help="documents processed in parallel (default: all cores; 0 = in this process, no isolation)")
    run.add_argument("--timeout", type=float, default=Limits.timeout,
                     help="seconds one document may take before it is stopped as failed/timeout "
                          f"(default {Limits.timeout:g})")
    run.add_argument("--max-memory", type=_size, default=Limits.max_memory, metavar="SIZE",
                     help="resident memory one worker may use before its document is stopped as failed/out_of_memory "
                          f"(e.g. 2G, 800M; default {Limits.max_memory // 2**30}G)")
    run.add_argument("--force", action="store_true", help="redo documents the manifest says are done")
    run.add_argument("--executor", choices=("local", "dask"), default="local",
                     help="local worker processes, or a dask.distributed cluster (see --scheduler)")
    run.add_argument("--scheduler",
                     help="dask scheduler address (tcp://host:8786); without it a LocalCluster is started")
    run.add_argument("--strict", action="store_true", help="exit non-zero when any document failed")
    run.add_argument("--quiet", action="store_true", help="no line per document and no progress bar")
    report = sub.add_parser("report", help="what a run found: tables per document, identities, OCR pages, errors")
    report.add_argument("out", type=Path, help="the output folder of `fiscalpdf run`")
    report.add_argument("--failures", type=int, default=5, help="failed identities shown per document")
    report.add_argument("--totals", action="store_true", help="only the totals over all documents")
    compact = sub.add_parser("compact", help="merge each partition's per-document files into one (data unchanged)")
    compact.add_argument("out", type=Path, help="the output folder of `fiscalpdf run`")
    query = sub.add_parser("query", help="SQL on the output (DuckDB, in memory): views cells, tables, documents, "
                                         "checks")
    query.add_argument("sql", help='e.g. "SELECT rule, detail FROM checks WHERE NOT holds"')
    query.add_argument("--data", type=Path, action="append",
                       help="output folder of `fiscalpdf run` (default out; repeat to query several together)")
    query.add_argument("--out", type=Path, help="write the result to FILE.csv or FILE.parquet instead of printing it")
    query.add_argument("--max-rows", type=int, default=50, help="rows printed (default 50; --out writes all)")
    export = sub.add_parser("export", help="each document's tables laid out as printed: xlsx (a sheet per table) "
                                           "or csv")
    export.add_argument("data", type=Path, help="the output folder of `fiscalpdf run`")
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    export.add_argument("--out", type=Path, help="folder to write into (default DATA/export)")
    inspect = sub.add_parser("inspect", help="an HTML page showing what was read: each table over its page, "
                                             "the normalized table beside it, failed identities marked")
    inspect.add_argument("pdf", type=Path, help="one PDF")
    inspect.add_argument("--out", type=Path, help="the HTML file to write (default: the PDF's name with .html, here)")
    inspect.add_argument("--password", help="password for an encrypted PDF")
    args = parser.parse_args(argv)
    commands = {"run": _run, "report": _report, "compact": _compact, "query": _query, "export": _export,
                "inspect": _inspect}
    return commands[args.command](args)  # argparse admits only these


def _run(args) -> int:
    from .pipelines.batch import discover, run_batch

    found = discover(args.inputs)
    for m in found.missing:
        print(f"fiscalpdf: no such file or folder: {m}", file=sys.stderr)
    if found.missing:
        return 2
    if found.skipped:
        names = ", ".join(str(s) for s in found.skipped[:5]) + (" …" if len(found.skipped) > 5 else "")
        print(f"skipped {len(found.skipped)} file(s) that are not .pdf: {names}")
    from .pipelines.batch import progress_bar

    limits = Limits(timeout=args.timeout, max_memory=args.max_memory)
    summary = run_batch(found.pdfs, args.out, _options(args), workers=args.workers, limits=limits, force=args.force,
                        executor=args.executor, scheduler=args.scheduler,
                        on_result=None if args.quiet else _print_result,
                        progress=None if args.quiet else progress_bar())
    n, failed = len(summary.done), len(summary.failed)
    other = sum(e.status == Status.NOT_APPLICABLE for e in summary.done)
    rate = f", {summary.pages / summary.seconds:.1f} pages/s" if summary.seconds and summary.pages else ""
    print(f"{n} document(s) processed: {n - failed - other} extracted, {other} not disclosures, {failed} failed; "
          f"{len(summary.skipped)} already done (skipped), {summary.duplicates} duplicate file(s); "
          f"{summary.seconds:.1f} s{rate}; output in {args.out}")
    # --strict: the output holds a failed document, whether this run or an earlier one processed it
    return 1 if args.strict and (failed or any(e.status == Status.FAILED for e in summary.skipped)) else 0


def _size(text: str) -> int:
    """'2G', '800M', '1.5g', '1048576' → bytes."""
    units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    t = text.strip().upper().removesuffix("B")
    try:
        if t and t[-1] in units:
            return int(float(t[:-1]) * units[t[-1]])
        return int(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 2G or 800M)") from None


def _compact(args) -> int:
    from .pipelines.compact import compact

    if not _has_output(args.out):
        return 2
    s = compact(args.out)
    print(f"compacted {s.partitions} partition(s): {s.files_before} files → {s.files_after}, {s.rows} rows unchanged")
    return 0


def _report(args) -> int:
    from .pipelines.report import format_report, load_report

    if not _has_output(args.out):
        return 2
    print(format_report(load_report(args.out), args.failures, totals_only=args.totals))
    return 0


def _has_output(folder: Path) -> bool:
    if (folder / "documents").is_dir():
        return True
    print(f"fiscalpdf: {folder} holds no fiscalpdf output (no documents dataset)", file=sys.stderr)
    return False


def _query(args) -> int:
    from .pipelines.query import run_query

    folders = args.data or [Path("out")]
    if not all(_has_output(f) for f in folders):
        return 2
    try:
        run_query(args.sql, folders, to=args.out, max_rows=args.max_rows)
    except ImportError as exc:
        print(f"fiscalpdf: {exc}; install it with: pip install 'fiscalpdf[query]'", file=sys.stderr)
        return 2
    except Exception as exc:  # duckdb.Error and a bad --out suffix: the user's query or file name, told plainly
        print(f"fiscalpdf: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if args.out:
        print(f"wrote {args.out}")
    return 0


def _export(args) -> int:
    from .pipelines.export import export

    if not _has_output(args.data):
        return 2
    to = args.out or args.data / "export"
    written = export(args.data, to, args.format)
    print(f"wrote {len(written)} file(s) into {to}")
    return 0


def _inspect(args) -> int:
    from .pipelines.inspect import inspect_document

    if not args.pdf.is_file():
        print(f"fiscalpdf: no such file: {args.pdf}", file=sys.stderr)
        return 2
    out = args.out or Path(args.pdf.stem + ".html")
    seen = inspect_document(args.pdf, _options(args))
    out.write_text(seen.html, encoding="utf-8")
    failed = seen.result.checks_failed
    print(f"{seen.result.status}: {len(seen.tables)} table(s) on {len(seen.pages)} page(s), "
          f"{failed} failed identit{'y' if failed == 1 else 'ies'}; wrote {out}")
    return 1 if seen.result.status == Status.FAILED else 0


def _options(args):
    from .options import ExtractOptions

    return ExtractOptions(password=args.password)


def _print_result(r) -> None:
    if r.status == Status.NOT_APPLICABLE:
        print(f"n/a     {r.path}: {r.error}")
        return
    if r.status == Status.FAILED:
        print(f"FAILED  {r.path}: [{r.error_code}] {(r.error or '').splitlines()[0] if r.error else ''}")
        return
    print(f"{r.status:<7} {r.year or '????'} {r.kind or '?':<6} {r.department or '(department unknown)'}  "
          f"tables {len(r.tables)}  identities {r.checks_passed} passed / {r.checks_failed} failed  ({r.path})")


if __name__ == "__main__":
    sys.exit(main())
