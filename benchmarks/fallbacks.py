"""How often each later-stage extractor (camelot …) runs, and how often its table is the one kept (issue 18).

Every PDF of each set (the corpus and the wild crawl from ../shared, the samples and test variants) goes
through `process_document`, the later-stage extractors wrapped: per table, which of them ran and whether the
table kept came from one of them (its warning says 'first stage replaced'). Printed per set and extractor:
tables it ran on, tables it changed; with `--json`, every table's record too, so two runs (before and after a
change of the policy) can be compared table by table (`--compare OLD.json`).

    python benchmarks/fallbacks.py [--sets corpus,wild,samples] [--workers N] [--json FILE] [--compare FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = {"corpus": ROOT.parent / "shared" / "corpus", "wild": ROOT.parent / "shared" / "wild",
        "samples": ROOT / "samples", "variants": ROOT / "tests" / "data"}


def one_document(path: str) -> list[dict]:
    """Per table of the document: its id, pages, the later stages that ran on it, the one kept (or None)."""
    from dataclasses import replace

    from fiscalpdf.extract import registry
    from fiscalpdf.pipelines import document

    ran: list[str] = []
    if not getattr(document, "_counted", False):
        for name, e in list(registry.EXTRACTORS.items()):
            if name != registry.FIRST_STAGE:
                registry.EXTRACTORS[name] = replace(e, read=_counting(e.read, name, ran))
        best_table = document.best_table

        def counted(*args, **kwargs):
            ran.clear()
            table = best_table(*args, **kwargs)
            document._calls.append((table, list(ran)))
            return table
        document.best_table = counted
        document._counted, document._calls, document._ran = True, [], ran
    document._calls.clear()
    try:
        result = document.process_document(Path(path))
    except Exception as exc:  # noqa: BLE001 - a document failing is a record, not the end of the count
        return [{"error": f"{type(exc).__name__}: {exc}"}]
    out = []
    for table, names in document._calls:
        replaced = any(w.startswith("first stage replaced") for w in table.warnings)
        out.append({"table_id": table.table_id, "pages": table.pages, "ran": sorted(set(names)),
                    "kept": table.extractor if replaced else None, "status": result.status})
    return out


def _counting(read, name, ran):
    def counted(*args, **kwargs):
        ran.append(name)
        return read(*args, **kwargs)
    return counted


def summarize(records: dict[str, dict[str, list[dict]]]) -> dict:
    out = {}
    for set_name, docs in records.items():
        ran, changed = defaultdict(int), defaultdict(int)
        tables = 0
        for tables_of in docs.values():
            for t in tables_of:
                if "error" in t:
                    continue
                tables += 1
                for name in t["ran"]:
                    ran[name] += 1
                if t["kept"]:
                    changed[t["kept"]] += 1
        out[set_name] = {"documents": len(docs), "tables": tables,
                         "tables_with_a_fallback": sum(bool(t.get("ran")) for ts in docs.values() for t in ts),
                         "ran": dict(ran), "changed": dict(changed)}
    return out


def render(summary: dict) -> str:
    lines = [f"{'set':10s} {'docs':>5s} {'tables':>7s} {'with a fallback':>16s}   per extractor: ran / changed"]
    for set_name, s in summary.items():
        per = ", ".join(f"{n} {s['ran'].get(n, 0)}/{s['changed'].get(n, 0)}"
                        for n in sorted(set(s["ran"]) | set(s["changed"])))
        lines.append(f"{set_name:10s} {s['documents']:5d} {s['tables']:7d} {s['tables_with_a_fallback']:16d}   "
                     f"{per or '-'}")
    return "\n".join(lines)


def compare(old: dict, new: dict) -> list[str]:
    """Tables whose kept reading changed between two runs' records."""
    out = []
    for set_name, docs in new["records"].items():
        for doc, tables in docs.items():
            before = {(t.get("table_id"), tuple(t.get("pages", ()))): t for t in old["records"].get(set_name, {})
                      .get(doc, [])}
            for t in tables:
                b = before.get((t.get("table_id"), tuple(t.get("pages", ()))))
                if b is not None and b.get("kept") != t.get("kept"):
                    out.append(f"{set_name} {doc} {t['table_id']} p{t['pages']}: kept {b.get('kept') or 'first stage'}"
                               f" before, {t.get('kept') or 'first stage'} now")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="corpus,wild,samples,variants")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--compare", type=Path, help="an earlier --json: list the tables whose kept reading changed")
    args = parser.parse_args(argv)
    records: dict[str, dict[str, list[dict]]] = {}
    # a worker is replaced after 10 documents: what a parser leaked is freed (a spawned process: no state shared)
    with get_context("spawn").Pool(args.workers, maxtasksperchild=10) as pool:
        for set_name in args.sets.split(","):
            paths = sorted(str(p) for p in SETS[set_name].glob("*.pdf"))
            records[set_name] = dict(zip((Path(p).name for p in paths), pool.map(one_document, paths, chunksize=1)))
            print(f"{set_name}: {len(paths)} documents", file=sys.stderr, flush=True)
    summary = summarize(records)
    print(render(summary))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "records": records}, indent=1, ensure_ascii=False))
    if args.compare:
        changes = compare(json.loads(args.compare.read_text()), {"records": records})
        print(f"\n{len(changes)} table(s) kept from another reading than in {args.compare.name}:")
        print("\n".join(changes))


if __name__ == "__main__":
    main()
