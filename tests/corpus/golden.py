"""Golden tables (tests/corpus/goldens) and the comparison of fiscalpdf's cells with them.

Run as a script to print the differences for one corpus file (or all):
    python -m tests.corpus.golden [file-stem …]
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDENS = HERE / "goldens"
UNITS = {"元": Decimal(1), "万元": Decimal(10000)}


@dataclass
class Golden:
    name: str
    file: str
    table_id: str
    title: str
    label: str
    pages: list[int]
    unit: str
    notes: str
    cells: list[dict] = field(default_factory=list)


def load_goldens(folder: Path = GOLDENS) -> list[Golden]:
    out = []
    with open(folder / "INDEX.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            g = Golden(row["golden"], row["file"], row["table_id"], row["title"], row["label"],
                       [int(p) for p in row["pages"].split(";")], row["unit"], row["notes"])
            with open(folder / g.name, encoding="utf-8") as cells:
                g.cells = list(csv.DictReader(cells))
            out.append(g)
    return out


def _keyed(rows: list[tuple[tuple, object]]) -> dict[tuple, object]:
    """Key → item, a repeated key numbered by its occurrence in printed order."""
    seen: Counter = Counter()
    out = {}
    for key, item in rows:
        out[key + (seen[key],)] = item
        seen[key] += 1
    return out


def pick_table(result, golden: Golden):
    """The table of the result that the golden transcribes: same concept, sharing a page."""
    candidates = [t for t in result.tables if t.table_id == golden.table_id]
    on_page = [t for t in candidates if set(t.pages) & set(golden.pages)]
    return (on_page or candidates or [None])[0]


STANDARD = ("summary", "income", "expenditure", "fiscal_summary", "gpb_expenditure", "gpb_basic", "three_public",
            "gov_fund", "soe_capital")
# what the golden says of an amount beyond its key and value, and the same read from fiscalpdf's cell
ATTRIBUTES = ("row_group", "row_period", "budget_unit_code", "budget_unit_name", "function_code", "econ_code",
              "gov_econ_code", "column_id", "column_period", "fund", "basis")


def _flat(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _attributes(c) -> dict[str, str]:
    """A cell's attributes as a golden writes them; a 类 line whose code comes from its name prints none."""
    inferred = "code_from_name" in c.flags
    codes = {f"{s}_code": "" if inferred else (c.codes[s].code if s in c.codes else "") for s in
             ("function", "econ", "gov_econ")}
    return {"row_group": c.row_group or "", "row_period": c.row_period or "", "budget_unit_code":
            c.budget_unit_code or "", "budget_unit_name": _flat(c.budget_unit_name), **codes,
            "column_id": c.column_id or "", "column_period": c.column_period or "", "fund": c.fund or "",
            "basis": c.basis or ""}


def compare(result, golden: Golden) -> list[str]:
    """Differences between fiscalpdf's cells and the golden; empty when they agree cell for cell: the same amounts
    (no missing, no extra one), each with the golden's row, codes and column attributes."""
    table = pick_table(result, golden)
    if table is None:
        return [f"{golden.name}: no {golden.table_id} table found"]
    factor = UNITS[golden.unit]
    expected = _keyed([((g["block"], g["row_label"], g["subject_code"], g["column_label"]), g) for g in golden.cells])
    cells = [c for c in table.cells if "placeholder" not in c.flags]
    # a 类 line of a summary table has no printed code: the one fiscalpdf infers from its name is flagged
    got = _keyed([((c.block or "", c.row_label, "" if "code_from_name" in c.flags else c.subject_code or "",
                    c.column_label), c) for c in cells])
    problems = []
    if table.unit != golden.unit:
        problems.append(f"unit {table.unit!r}, golden {golden.unit!r}")
    for key in expected.keys() - got.keys():
        problems.append(f"missing {key} = {expected[key]['text']} (p{expected[key]['page']})")
    for key in got.keys() - expected.keys():
        problems.append(f"extra   {key} = {got[key].text!r} (p{got[key].page})")
    for key in expected.keys() & got.keys():
        want = Decimal(expected[key]["value"]) * factor
        if got[key].amount != want:
            problems.append(f"value   {key}: {got[key].amount / factor} (text {got[key].text!r}), "
                            f"golden {expected[key]['value']}")
        mine = _attributes(got[key])
        for name in ATTRIBUTES:
            if name not in expected[key] or (name == "column_id" and golden.table_id not in STANDARD):
                continue  # column ids are a standard table's vocabulary: an `other` table's columns have none
            printed = expected[key][name] or ""
            printed = _flat(printed) if name == "budget_unit_name" else printed
            if mine[name] != printed:
                problems.append(f"{name} {key}: {mine[name]!r}, golden {printed!r}")
    return [f"{golden.name}: {p}" for p in sorted(problems)]


def main(argv: list[str]) -> int:
    from fiscalpdf.pipelines.document import process_document
    from tests.paths import SHARED

    corpus = SHARED / "corpus"
    goldens = load_goldens()
    by_file: dict[str, list[Golden]] = defaultdict(list)
    for g in goldens:
        by_file[g.file].append(g)
    bad = 0
    for file, gs in sorted(by_file.items()):
        if argv and not any(a in file for a in argv):
            continue
        result = process_document(corpus / file)
        for g in gs:
            diffs = compare(result, g)
            bad += bool(diffs)
            print(f"{'OK ' if not diffs else 'BAD'} {g.name} ({len(g.cells)} amounts, {len(diffs)} differences)")
            for d in diffs[:int(os_env('SHOW', '12'))]:
                print("    ", d)
    print(f"{bad} golden(s) differ")
    return 1 if bad else 0


def os_env(name: str, default: str) -> str:
    import os

    return os.environ.get(name, default)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
