"""OCR accuracy and cost by resolution: the samples rasterised into image-only PDFs, read back through the
pipeline with OCR, every amount compared with the truth files; then the corpus's golden tables, their pages
rasterised at 200 dpi, compared with the goldens (tests/corpus/goldens) the same way.

For each resolution (150, 200, 300 dpi by default) and each sample, the sample is rasterised
(samples/rasterise.py: every page an image; the `scan` variant also turns it 0.4°, adds mild noise and stores
it as JPEG; `rough` turns it 0.8°, blurs it and stores it noisier at a lower JPEG quality; `small` is `scan` printed
at 70 % ('fit to page', 6.3 pt text); `clean` stores the render losslessly) and
`process_document(..., ExtractOptions(ocr="auto",
ocr_dpi=dpi))` runs in a child process of its own, one after the other, so that its peak RSS is its own
(`os.wait4`) and its CPU seconds are not other processes' (the machine may be shared: wall seconds are
printed too).

Printed: per resolution, the share of truth amount cells read exactly, CPU and wall seconds per page, the
largest peak RSS; then every amount not read exactly, and whether an identity that involves its cell failed
(the pipeline's own alarm; for an amount not read at all, an identity of its table, or the completeness check
naming amounts its table lost): a wrong amount that nothing flags is the failure that matters.
Targets: ≥ 99.5 % exact at 200 and 300 dpi, ≥ 95 % at 150, no wrong amount without a failing identity.

The corpus part (`--corpus`, on by default when ../shared/corpus is present): every corpus document holding a
golden table has the pages of its goldens replaced by 200-dpi images (`scan` variant: turned 0.4°, noise, JPEG);
the other pages keep their text layer. A golden amount is exact when the cell of the same row, codes and column
holds its value (tests/corpus/golden.py keys them); a missing cell counts as not exact.

    python benchmarks/ocr_matrix.py [--dpi 150,200,300] [--variants scan] [--samples DIR] [--corpus DPI|none]
                                    [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # samples.rasterise and tests.corpus.golden, run as a script
CORPUS = ROOT.parent / "shared" / "corpus"
TARGETS = {150: 95.0, 200: 99.5, 300: 99.5}
VARIANTS = {
    "clean": {},
    "scan": {"angle": 0.4, "jpeg_quality": 80, "noise": 6.0},
    "rough": {"angle": 0.8, "jpeg_quality": 50, "noise": 12.0, "blur": 0.9},  # a soft, noisy photocopy
    "small": {"angle": 0.4, "jpeg_quality": 80, "noise": 6.0, "shrink": 0.7},  # 'fit to page': 9 pt → 6.3 pt
}


def child(pdf: Path, truth: str, dpi: int, out: Path) -> None:
    """Run in its own process: the pipeline with OCR on one image-only PDF; results to `out` as JSON. `truth` is
    a samples truth file, or 'golden:' and the corpus file whose goldens to compare with."""
    import resource

    from fiscalpdf.options import ExtractOptions
    from fiscalpdf.pipelines.document import process_document

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = process_document(pdf, ExtractOptions(ocr="auto", ocr_dpi=dpi))
    wall = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    failing = [c for c in result.identities if not c.holds]  # a fact.* check is no identity of the tables
    flagged_cells = {ref for c in failing for ref in c.terms}
    # a table the pipeline says is wrong or incomplete: an identity of it fails, or amounts printed in its area
    # are in none of its cells (the completeness check)
    flagged_tables = {ref.split("/")[0] for ref in flagged_cells} | {str(t.table_no) for t in result.tables
                                                                     if t.orphans}
    if truth.startswith("golden:"):
        cells = _golden_cells(result, truth.removeprefix("golden:"), flagged_cells, flagged_tables)
    else:
        cells = _truth_cells(result, Path(truth), flagged_cells, flagged_tables)
    out.write_text(json.dumps({
        "status": result.status, "error_code": result.error_code, "pages": len(result.ocr_pages),
        "wall": wall, "cpu": (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime),
        "checks_failed": len(failing), "cells": cells,
        "failing": [f"{c.rule} {c.detail[:80]} (expected {c.expected}, printed {c.actual})" for c in failing],
    }), encoding="utf-8")


def _truth_cells(result, truth: Path, flagged_cells: set[str], flagged_tables: set[str]) -> list[dict]:
    from fiscalpdf.pipelines.rows import cell_rows

    rows = cell_rows(result, result.year) if result.tables else []
    got = {(r["table_no"], r["row_no"], r["col_no"]): r for r in rows}
    cells = []
    for t in csv.DictReader(truth.open(encoding="utf-8")):
        key = (int(t["table_no"]), int(t["row_no"]), int(t["col_no"]))
        g = got.get(key)
        value = None if g is None or g["value"] is None else Decimal(str(g["value"])).quantize(Decimal("0.01"))
        exact = value == Decimal(t["value"])
        ref = "/".join(map(str, key))
        cells.append({"ref": ref, "table_id": t["table_id"], "row_label": t["row_label"],
                      "column_label": t["column_label"], "truth": t["value"],
                      "got": None if g is None else str(value), "text": None if g is None else g.get("text"),
                      "exact": exact, "identity_failed": ref in flagged_cells,
                      "table_identity_failed": str(key[0]) in flagged_tables})
    return cells


def _golden_cells(result, file: str, flagged_cells: set[str], flagged_tables: set[str]) -> list[dict]:
    """Every amount of the file's goldens: the cell of the same block, row, codes and column (as
    tests.corpus.golden.compare keys them), exact or not, and whether an identity on it failed."""
    from tests.corpus.golden import UNITS, _keyed, load_goldens, pick_table

    cells = []
    for g in (g for g in load_goldens() if g.file == file):
        table = pick_table(result, g)
        expected = _keyed([((c["block"], c["row_label"], c["subject_code"], c["column_label"]), c) for c in g.cells])
        got = {} if table is None else _keyed([
            ((c.block or "", c.row_label, "" if "code_from_name" in c.flags else c.subject_code or "",
              c.column_label), c) for c in table.cells if "placeholder" not in c.flags])
        for key, want in expected.items():
            c = got.get(key)
            value = Decimal(want["value"]) * UNITS[g.unit]
            cells.append({"ref": c.ref if c else None, "table_id": g.table_id, "row_label": want["row_label"],
                          "column_label": want["column_label"], "truth": want["value"],
                          "got": None if c is None else str(c.amount / UNITS[g.unit]),
                          "text": None if c is None else c.text, "exact": c is not None and c.amount == value,
                          "identity_failed": c is not None and c.ref in flagged_cells,
                          "table_identity_failed": table is not None and str(table.table_no) in flagged_tables})
    return cells


def run_child(pdf: Path, truth: str, dpi: int) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    try:
        proc = subprocess.Popen([sys.executable, __file__, "--child", str(pdf), str(truth), str(dpi), str(out)],
                                cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"child failed on {pdf.name} at {dpi} dpi (exit {proc.returncode})")
        data = json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)
    data["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return data


def _flagged(cell: dict) -> bool:
    """A misread amount is caught by an identity it is a term of; an amount not read at all has no cell to be a term
    of, and is caught when its table is flagged (an identity of it fails, or it holds orphan amounts)."""
    return cell["identity_failed"] or (cell["got"] is None and cell["table_identity_failed"])


def _measure(variant: str, dpi: int, jobs: list, misses: list) -> dict:
    """Each job (name, writes its image PDF and returns its path, truth) read in a child process; the figures of
    them all, and every amount not read exactly appended to `misses`."""
    total = exact = pages = flagged_misses = 0
    cpu = wall = peak = 0.0
    for name, make, truth in jobs:
        data = run_child(make(), truth, dpi)
        pages += data["pages"] or 0
        cpu, wall, peak = cpu + data["cpu"], wall + data["wall"], max(peak, data["peak_mb"])
        for c in data["cells"]:
            total += 1
            exact += c["exact"]
            if not c["exact"]:
                flagged_misses += _flagged(c)
                misses.append({"variant": variant, "dpi": dpi, "sample": name, **c})
        print(f"  {variant} {dpi} dpi {name}: {sum(c['exact'] for c in data['cells'])}/{len(data['cells'])} exact, "
              f"{data['pages']} OCR page(s), {data['cpu'] / max(1, data['pages']):.1f} s/page CPU, "
              f"{data['peak_mb']:.0f} MB, status {data['status']}, {data['checks_failed']} identities failing",
              flush=True)
        for line in data["failing"][:10]:
            print(f"      failing: {line}")
    share = 100.0 * exact / max(1, total)
    return {"variant": variant, "dpi": dpi, "cells": total, "exact": exact, "share": round(share, 2),
            "cpu_per_page": round(cpu / max(1, pages), 2), "wall_per_page": round(wall / max(1, pages), 2),
            "peak_mb": round(peak), "pages": pages, "misses": total - exact, "misses_flagged": flagged_misses,
            "target": TARGETS.get(dpi)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", default="150,200,300")
    parser.add_argument("--variants", default="scan", help=f"comma-separated: {', '.join(VARIANTS)}")
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--corpus", default="200", help="dpi of the corpus goldens' rasters, or 'none'")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--child", nargs=4, metavar=("PDF", "TRUTH", "DPI", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        pdf, truth, dpi, out = args.child
        child(Path(pdf), truth, int(dpi), Path(out))
        return 0

    from samples.rasterise import rasterise

    dpis = [int(d) for d in args.dpi.split(",")]
    variants = args.variants.split(",")
    samples = sorted(p for p in args.samples.glob("*.pdf") if p.with_suffix(".truth.csv").exists())
    rows, misses = [], []
    with tempfile.TemporaryDirectory(prefix="fiscalpdf-ocr-matrix-") as tmp:
        for variant in variants:
            for dpi in dpis:
                jobs = []
                for sample in samples:
                    image_pdf = Path(tmp) / f"{sample.stem}.{variant}.{dpi}.pdf"
                    jobs.append((sample.stem, lambda s=sample, o=image_pdf, d=dpi, v=variant: rasterise(
                        s, o, dpi=d, **VARIANTS[v]), str(sample.with_suffix(".truth.csv"))))
                rows.append(_measure(variant, dpi, jobs, misses))
        if args.corpus != "none" and CORPUS.is_dir():
            from tests.corpus.golden import load_goldens

            dpi = int(args.corpus)
            pages: dict[str, set[int]] = {}
            for g in load_goldens():
                pages.setdefault(g.file, set()).update(g.pages)
            jobs = [(file, lambda f=file, p=ps: rasterise(CORPUS / f, Path(tmp) / f"corpus.{dpi}.{f}", dpi=dpi,
                                                          pages=p, **VARIANTS["scan"]),
                     f"golden:{file}") for file, ps in sorted(pages.items())]
            rows.append(_measure("corpus", dpi, jobs, misses))
    print()
    print(f"{'variant':8} {'dpi':>4} {'exact':>14} {'share %':>8} {'target':>7} {'CPU s/p':>8} {'wall s/p':>9} "
          f"{'peak MB':>8} {'misses':>7} {'flagged':>8}")
    for r in rows:
        target = f"{r['target']:.1f}" if r["target"] else "-"
        print(f"{r['variant']:8} {r['dpi']:>4} {r['exact']:>6}/{r['cells']:<7} {r['share']:>8.2f} {target:>7} "
              f"{r['cpu_per_page']:>8.2f} {r['wall_per_page']:>9.2f} {r['peak_mb']:>8} {r['misses']:>7} "
              f"{r['misses_flagged']:>8}")
    if misses:
        print("\nAmounts not read exactly (identity: an identity involving the cell failed; table: one in its table "
              "failed, or the table holds orphan amounts):")
        for m in misses:
            print(f"  {m['variant']} {m['dpi']} {m['sample']} {m['table_id']} {m['ref']} {m['row_label']} / "
                  f"{m['column_label']}: truth {m['truth']}, read {m['got']} ({m['text']!r}); "
                  f"identity {'FAILED' if m['identity_failed'] else 'held'}, "
                  f"table {'FLAGGED' if m['table_identity_failed'] else 'held'}")
    unflagged = [m for m in misses if not _flagged(m)]
    print(f"\nwrong amounts with no failing identity on their cell, or missing ones in a table nothing flags: "
          f"{len(unflagged)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": rows, "misses": misses}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    met = all(r["target"] is None or r["share"] >= r["target"] for r in rows) and not unflagged
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
