"""The `fiscalpdf` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fiscalpdf", description="Chinese budget disclosures (部门决算 / 部门预算) → Parquet")
    parser.add_argument("--version", action="version", version=f"fiscalpdf {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="extract every PDF given (files or folders) into Parquet datasets")
    run.add_argument("inputs", nargs="+", type=Path, help="PDF files, or folders scanned for *.pdf")
    run.add_argument("--out", type=Path, required=True, help="output folder (datasets cells, tables, documents, checks)")
    run.add_argument("--password", help="password for encrypted PDFs")
    run.add_argument("--strict", action="store_true", help="exit non-zero when any document failed")
    run.add_argument("--quiet", action="store_true", help="no line per document")
    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(args)
    return 2  # pragma: no cover - argparse enforces the commands


def _run(args) -> int:
    from .pipelines.batch import discover, run_batch
    from .pipelines.document import ExtractOptions

    found = discover(args.inputs)
    for m in found.missing:
        print(f"fiscalpdf: no such file or folder: {m}", file=sys.stderr)
    if found.missing:
        return 2
    if found.skipped:
        names = ", ".join(str(s) for s in found.skipped[:5]) + (" …" if len(found.skipped) > 5 else "")
        print(f"skipped {len(found.skipped)} file(s) that are not .pdf: {names}")
    summary = run_batch(found.pdfs, args.out, _options(args), on_result=None if args.quiet else _print_result)
    n, failed = len(summary.results), len(summary.failed)
    print(f"{n} document(s): {n - failed} extracted, {failed} failed; output in {args.out}")
    return 1 if args.strict and failed else 0


def _options(args):
    from .pipelines.document import ExtractOptions

    return ExtractOptions(password=args.password)


def _print_result(r) -> None:
    if r.status == "failed":
        print(f"FAILED  {r.path}: [{r.error_code}] {(r.error or '').splitlines()[0] if r.error else ''}")
        return
    print(f"{r.status:<7} {r.year or '????'} {r.kind or '?':<6} {r.department or '(department unknown)'}  "
          f"tables {len(r.tables)}  identities {r.checks_passed} passed / {r.checks_failed} failed  ({r.path})")


if __name__ == "__main__":
    sys.exit(main())
