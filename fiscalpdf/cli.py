"""The `fiscalpdf` command.

One name for the output folder in every command: `--out DIR` (the folder `run` writes, and `report`, `compact`,
`export`, `query` read). The forms of earlier versions still work and say once, on stderr, what replaces them:
`report DIR`, `compact DIR`, `export DIR [--out TARGET]` (now `--to TARGET`), `query --data DIR` and
`query --out FILE.csv` (now `--to FILE.csv`). A user's mistake ends with one line on stderr and exit 2, never a
traceback; Ctrl-C ends `run` with exit 130, its finished documents kept.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import Status
from .options import OCR_DPI, OCR_MODES, Limits, check_ocr_dpi

DEFAULT_OUT = Path("out")
INTERRUPTED = 130  # the shell's code for a command ended by Ctrl-C (128 + SIGINT)
# Files beside the PDFs worth a word when skipped: documents in other formats (OFD is China's fixed-layout
# format), never the code, data and notes a folder also holds.
DOCUMENT_SUFFIXES = (".doc", ".docx", ".xls", ".xlsx", ".et", ".wps", ".html", ".htm", ".mht", ".ofd", ".rtf",
                     ".zip", ".rar", ".7z", ".jpg", ".jpeg", ".png", ".tif", ".tiff")


class _Formatter(argparse.HelpFormatter):
    """Every option's help ends with its default, unless the help already states it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if not action.option_strings or "default" in text or action.default is argparse.SUPPRESS:
            return text
        if isinstance(action, argparse._StoreTrueAction):
            return text + " (default: off)"
        return text + " (default: %(default)s)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fiscalpdf", formatter_class=_Formatter,
                                     description="Chinese budget disclosures (部门决算 / 部门预算) → Parquet")
    parser.add_argument("--version", action="version", version=f"fiscalpdf {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=text, description=text, formatter_class=_Formatter)

    def output_folder(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help=f"the output folder of `fiscalpdf run` (default: {DEFAULT_OUT})")
        p.add_argument("folder", nargs="?", type=Path, help=argparse.SUPPRESS)  # deprecated: use --out

    run = command("run", "extract every PDF given (files or folders) into Parquet datasets")
    run.add_argument("inputs", nargs="+", type=Path, help="PDF files, or folders scanned for *.pdf")
    run.add_argument("--out", type=Path, required=True, metavar="DIR",
                     help="output folder (datasets cells, tables, documents, checks, facts; default: none, required)")
    run.add_argument("--password", help="password for encrypted PDFs (default: none, the empty password is tried)")
    run.add_argument("--workers", type=int, default=None,
                     help="documents processed in parallel (default: all cores; 0 = in this process, no isolation)")
    ocr_options(run)
    run.add_argument("--timeout", type=float, default=Limits.timeout, metavar="SECONDS",
                     help="seconds one document may take before it is stopped as failed/timeout")
    run.add_argument("--max-memory", type=_size, default=Limits.max_memory, metavar="SIZE",
                     help="resident memory one worker may use before its document is stopped as failed/out_of_memory "
                          f"(e.g. 2G, 800M; default: {Limits.max_memory // 2**30}G)")
    run.add_argument("--force", action="store_true", help="redo documents the manifest says are done")
    run.add_argument("--executor", choices=("local", "dask"), default="local",
                     help="local worker processes, or a dask.distributed cluster (see --scheduler)")
    run.add_argument("--scheduler",
                     help="dask scheduler address (tcp://host:8786) (default: none, a LocalCluster is started)")
    run.add_argument("--strict", action="store_true", help="exit 1 when any document of the output failed")
    run.add_argument("--quiet", action="store_true", help="no line per document and no progress bar")
    run.add_argument("--verbose", action="store_true",
                     help="also list every file skipped because it is not a PDF (code, notes, data)")

    report = command("report", "what a run found: tables per document, identities, facts, OCR pages, errors")
    output_folder(report)
    report.add_argument("--failures", type=int, default=5, metavar="N", help="failed identities shown per document")
    report.add_argument("--totals", action="store_true", help="only the totals over all documents")

    compact = command("compact", "merge each partition's per-document files into one (data unchanged)")
    output_folder(compact)

    query = command("query", "SQL on the output (DuckDB, in memory): views cells, tables, documents, checks, facts")
    query.add_argument("sql", help='e.g. "SELECT rule, detail FROM checks WHERE NOT holds"')
    query.add_argument("--out", type=Path, action="append", default=None, metavar="DIR",
                       help=f"the output folder of `fiscalpdf run`; repeat it to query several together "
                            f"(default: {DEFAULT_OUT})")
    query.add_argument("--to", type=Path, default=None, metavar="FILE",
                       help="write the result to FILE.csv or FILE.parquet (default: none, print it)")
    query.add_argument("--max-rows", type=int, default=50, metavar="N", help="rows printed (--to writes all)")
    query.add_argument("--data", type=Path, action="append", help=argparse.SUPPRESS)  # deprecated: use --out

    export = command("export", "each document's tables laid out as printed, and its prose's facts: xlsx (a sheet "
                               "per table, a sheet facts) or csv")
    output_folder(export)
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx",
                        help="xlsx: a workbook per document; csv: a folder per document, a file per table, facts.csv")
    export.add_argument("--to", type=Path, default=None, metavar="DIR",
                        help="folder to write into (default: the output folder's export/)")

    inspect = command("inspect", "an HTML page showing what was read: each table over its page, the normalized "
                                 "table beside it, the prose's facts on their lines, failed checks marked")
    inspect.add_argument("pdf", type=Path, help="one PDF")
    inspect.add_argument("--out", type=Path, metavar="FILE.html",
                         help="the HTML file to write (default: the PDF's name with .html, here)")
    inspect.add_argument("--pages", type=_page_list, default=None, metavar="LIST",
                         help="only these pages, e.g. 3,5-7 (default: every page holding a table or a fact)")
    inspect.add_argument("--table", action="append", default=None, metavar="ID_OR_NO",
                         help="only this table: its table_id (gpb_expenditure) or its number (5), or facts (the "
                              "pages of the prose's facts); repeatable (default: every table, and the facts)")
    inspect.add_argument("--password", help="password for an encrypted PDF (default: none)")
    ocr_options(inspect)
    return parser


def ocr_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ocr", choices=OCR_MODES, default="auto",
                   help="auto: pages without a usable text layer are read by OCR when the ocr extra is installed "
                        "(pip install 'fiscalpdf[ocr]'; ~0.8 GB and 3–17 s a page, within the default --timeout and "
                        "--max-memory); off: they are listed in unread_pages")
    p.add_argument("--ocr-dpi", type=_ocr_dpi, default=OCR_DPI, metavar="DPI",
                   help="resolution pages are read at by OCR (150 is faster and misses more small print)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    commands = {"run": _run, "report": _report, "compact": _compact, "query": _query, "export": _export,
                "inspect": _inspect}
    return commands[args.command](args)  # argparse admits only these


def _say(message: str) -> None:
    print(f"fiscalpdf: {message}", file=sys.stderr)


def _deprecated(old: str, new: str) -> None:
    _say(f"`{old}` is deprecated, use `{new}` (it still works)")


# ------------------------------------------------------------------------------------------------ run
def _run(args) -> int:
    from .pipelines.batch import discover

    found = discover(args.inputs)
    for m in found.missing:
        _say(f"no such file or folder: {m}")
    if found.missing:
        return 2
    if args.out.exists() and not args.out.is_dir():
        _say(f"--out {args.out} is a file, not a folder: give a folder to write the datasets into")
        return 2
    for folder in found.without_pdf:
        others = [p for p in found.skipped if folder in p.parents]
        what = f"{len(others)} other file(s), e.g. {others[0].name}" if others else "the folder is empty"
        _say(f"no PDF found in {folder} ({what})")
    if not found.pdfs:
        return 2
    _note_skipped(found.skipped, args.verbose)
    return _run_batch(args, found.pdfs)


def _note_skipped(skipped: list[Path], verbose: bool) -> None:
    """Non-PDF files beside the PDFs: a word about the ones that look like documents; all of them on --verbose."""
    shown = skipped if verbose else [p for p in skipped if p.suffix.lower() in DOCUMENT_SUFFIXES]
    if shown:
        names = ", ".join(str(s) for s in shown[:5]) + (" …" if len(shown) > 5 else "")
        _say(f"skipped {len(shown)} file(s) that are not PDF (only *.pdf is read): {names}")


def _run_batch(args, pdfs: list[Path]) -> int:
    from .pipelines.batch import run_batch
    from .pipelines.datasets import OutputError
    from .pipelines.progress import BatchDisplay

    limits = Limits(timeout=args.timeout, max_memory=args.max_memory)
    finished: list = []
    display = BatchDisplay(quiet=args.quiet)

    def on_result(r) -> None:
        finished.append(r.status)
        display.line(None if args.quiet else _result_line(r))

    try:
        with display:
            summary = run_batch(pdfs, args.out, _options(args), workers=args.workers, limits=limits,
                                force=args.force, executor=args.executor, scheduler=args.scheduler,
                                on_result=on_result, progress=display.progress)
    except KeyboardInterrupt:
        _say(f"interrupted: {len(finished)} done, rerun the same command to resume")
        return INTERRUPTED
    except OutputError as exc:
        _say(str(exc))
        return 2
    n, failed = len(summary.done), len(summary.failed)
    other = sum(e.status == Status.NOT_APPLICABLE for e in summary.done)
    rate = f", {summary.pages / summary.seconds:.1f} pages/s" if summary.seconds and summary.pages else ""
    duplicates = f"{summary.duplicates} duplicate file(s)" if summary.duplicates else ""
    if not n and not summary.replaced:
        print(f"nothing new: {len(summary.skipped)} document(s) already done"
              f"{' (' + duplicates + ')' if duplicates else ''}, --force redoes them; output in {args.out}")
        return 1 if args.strict and any(e.status == Status.FAILED for e in summary.skipped) else 0
    extra = [f"{len(summary.skipped)} already done (skipped)" if summary.skipped else "", duplicates,
             f"{len(summary.replaced)} replaced by new content" if summary.replaced else ""]
    print(f"{n} document(s) processed: {n - failed - other} extracted, {other} not disclosures, {failed} failed; "
          + "".join(f"{x}; " for x in extra if x) + f"{summary.seconds:.1f} s{rate}; output in {args.out}")
    # --strict: the output holds a failed document, whether this run or an earlier one processed it
    return 1 if args.strict and (failed or any(e.status == Status.FAILED for e in summary.skipped)) else 0


def _ocr_dpi(text: str) -> int:
    try:
        return check_ocr_dpi(int(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}" if text.strip().isdigit() else f"not a resolution: {text!r}") \
            from None


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


def _page_list(text: str) -> list[int]:
    """'3,5-7' → [3, 5, 6, 7]."""
    pages: set[int] = set()
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            a, b = int(first), int(last or first)
            if a < 1 or b < a:
                raise ValueError
            pages.update(range(a, b + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a page list: {text!r} (use e.g. 3,5-7)") from None
    return sorted(pages)


# ------------------------------------------------------------------------------------------------ readers
def _output_folder(args, command: str) -> Path:
    """--out, or the deprecated positional folder (said once on stderr)."""
    if args.folder is not None:
        if args.out is not None and args.out != args.folder:
            _say(f"give the output folder once: --out {args.out} or {args.folder}")
            raise SystemExit(2)
        _deprecated(f"fiscalpdf {command} {args.folder}", f"fiscalpdf {command} --out {args.folder}")
        return args.folder
    return args.out or DEFAULT_OUT


def _readable(folder: Path) -> bool:
    """An output folder of this fiscalpdf's schema version; else one line on stderr saying what to do."""
    from .pipelines.datasets import OutputError, check_schema

    if folder.is_file():
        _say(f"--out {folder} is a file: give the folder `fiscalpdf run` wrote into")
        return False
    if not (folder / "documents").is_dir():
        _say(f"{folder} holds no fiscalpdf output (no documents dataset): run `fiscalpdf run PDFS --out {folder}` "
             f"first")
        return False
    try:
        check_schema(folder)
    except OutputError as exc:
        _say(str(exc))
        return False
    return True


def _warn_mixed_origins(folders: list[Path]) -> None:
    """Generated samples (some figures invented) in the same output as the user's files: name them."""
    from .pipelines.datasets import sample_paths_if_mixed

    samples = sample_paths_if_mixed(folders)
    if samples:
        names = ", ".join(Path(p).name for p in samples[:4]) + (" …" if len(samples) > 4 else "")
        _say(f"warning: {len(samples)} generated sample document(s) (figures partly invented) are mixed with your "
             f"files: {names}; keep them out with `origin = 'file'` (documents), or run your PDFs into their own "
             f"--out folder")


def _compact(args) -> int:
    from .pipelines.compact import compact

    out = _output_folder(args, "compact")
    if not _readable(out):
        return 2
    s = compact(out)
    print(f"compacted {s.partitions} partition(s): {s.files_before} files → {s.files_after}, {s.rows} rows unchanged")
    return 0


def _report(args) -> int:
    from .pipelines.report import coverage, format_report, load_report

    out = _output_folder(args, "report")
    if not _readable(out):
        return 2
    print(format_report(load_report(out), args.failures, totals_only=args.totals, covered=coverage(out)))
    return 0


def _query(args) -> int:
    folders, to = list(args.out or []), args.to
    if args.data:  # the earlier form: --data DIR (repeatable), and --out FILE for the result
        if folders and to is None and len(folders) == 1:
            to, folders = folders[0], []
            _deprecated(f"query … --data DIR --out {to}", f"query … --out DIR --to {to}")
        else:
            _deprecated("query … --data DIR", "query … --out DIR")
        folders += args.data
    else:
        results = [f for f in folders if f.suffix.lower() in (".csv", ".parquet") and not f.is_dir()]
        if results and to is None and len(results) == 1:
            to = results[0]
            folders.remove(to)
            _deprecated(f"query … --out {to}", f"query … --to {to}")
    folders = folders or [DEFAULT_OUT]
    if not all(_readable(f) for f in folders):
        return 2
    from .pipelines.query import run_query

    _warn_mixed_origins(folders)
    try:
        run_query(args.sql, folders, to=to, max_rows=args.max_rows)
    except ImportError as exc:
        _say(f"{exc}; install it with: pip install 'fiscalpdf[query]'")
        return 2
    except Exception as exc:  # duckdb.Error and a bad --to suffix: the user's query or file name, told plainly
        _say(f"{type(exc).__name__}: {exc}")
        return 1
    if to:
        print(f"wrote {to}")
    return 0


def _export(args) -> int:
    from .pipelines.export import export

    to = args.to
    if args.folder is not None:  # the earlier form: export DIR [--out TARGET]
        if args.out is not None and to is None:
            to = args.out
            _deprecated(f"fiscalpdf export {args.folder} --out {to}", f"fiscalpdf export --out {args.folder} --to {to}")
        else:
            _deprecated(f"fiscalpdf export {args.folder}", f"fiscalpdf export --out {args.folder}")
        out = args.folder
    else:
        out = args.out or DEFAULT_OUT
    if not _readable(out):
        return 2
    _warn_mixed_origins([out])
    to = to or out / "export"
    done = export(out, to, args.format)
    print(f"wrote {len(done.written)} file(s) into {to}")
    if done.without_tables:
        names = ", ".join(done.without_tables[:5]) + (" …" if len(done.without_tables) > 5 else "")
        print(f"no file for {len(done.without_tables)} document(s) without tables or facts: {names}")
    return 0


# ------------------------------------------------------------------------------------------------ inspect
def _inspect(args) -> int:
    from .pipelines.inspect import inspect_document

    if not args.pdf.is_file():
        _say(f"no such file: {args.pdf}")
        return 2
    out = args.out or Path(args.pdf.stem + ".html")
    try:
        seen = inspect_document(args.pdf, _options(args), pages=args.pages, tables=args.table)
    except ValueError as exc:  # a --table that names no table of the document
        _say(str(exc))
        return 2
    out.write_text(seen.html, encoding="utf-8")
    r = seen.result
    size = out.stat().st_size
    where = f"wrote {out} ({size / 2**20:.1f} MB)" if size >= 2**20 else f"wrote {out} ({size / 2**10:.0f} KB)"
    if r.status == Status.FAILED:
        first = (r.error or "").splitlines()[0] if r.error else ""
        print(f"failed: [{r.error_code}] {first}; {where}")
        return 1
    failed = sum(not c.holds for c in r.identities)
    facts_failed = sum(not c.holds for c in r.fact_checks)
    shown = f"{len(seen.tables)} of {seen.tables_found} table(s)" if seen.tables_found != len(seen.tables) else \
        f"{len(seen.tables)} table(s)"
    if r.facts:
        shown += f" and {len(seen.facts)} of {len(r.facts)} fact(s)" if len(seen.facts) != len(r.facts) else \
            f" and {len(r.facts)} fact(s)"
    facts = f", {facts_failed} failed fact check(s)" if r.facts else ""
    print(f"{r.status}: {shown} on {len(seen.pages)} page(s), {failed} failed identit{'y' if failed == 1 else 'ies'}"
          f"{facts}; {where}")
    if seen.not_rendered:
        print(f"page(s) {', '.join(map(str, seen.not_rendered))} not rendered (the report keeps within its pixel "
              f"budget): choose pages with --pages 3,5-7 or a table with --table ID_OR_NO")
    return 0


def _options(args):
    from .options import ExtractOptions

    return ExtractOptions(password=args.password, ocr=args.ocr, ocr_dpi=args.ocr_dpi)


def _result_line(r) -> str:
    if r.status == Status.NOT_APPLICABLE:
        return f"n/a     {r.path}: {r.error}"
    if r.status == Status.FAILED:
        return f"FAILED  {r.path}: [{r.error_code}] {(r.error or '').splitlines()[0] if r.error else ''}"
    identities, fact_checks = r.identities, r.fact_checks
    failed, facts_failed = sum(not c.holds for c in identities), sum(not c.holds for c in fact_checks)
    facts = f"  facts {len(r.facts)} (checks {len(fact_checks) - facts_failed} passed / {facts_failed} failed)" \
        if r.facts else ""
    return (f"{r.status:<7} {r.year or '????'} {r.kind or '?':<6} {r.department or '(department unknown)'}  "
            f"tables {len(r.tables)}  identities {len(identities) - failed} passed / {failed} failed{facts}  "
            f"({r.path})")


if __name__ == "__main__":
    sys.exit(main())
