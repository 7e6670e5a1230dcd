"""Known discrepancies: identities that fail because the publisher printed numbers that do not add up, each
re-read from its pages (tests/corpus/known_discrepancies.csv, tests/wild/known_discrepancies.csv). A row names the
check (file, rule, detail), the pages it reads, the identity as printed ('total = a + b', a blank printed as 0)
and why it fails. The lists are exact in both directions: every failing identity is listed (or, on the crawl, an
open misreading of ours), and every listed one still fails."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium

from tests.corpus.confirm_goldens import stands_on_page


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def keys(rows: list[dict]) -> set[tuple[str, str, str]]:
    return {(k["file"], k["rule"], k["detail"]) for k in rows}


def failing(results: dict) -> set[tuple[str, str, str]]:
    """(file, rule, detail) of every failing identity of {file name: DocumentResult}."""
    return {(name, c.rule, c.detail) for name, r in results.items() for c in r.identities if not c.holds}


def assert_printed_so(pdf: Path, row: dict) -> None:
    """The numbers of a known discrepancy are on its pages as pdfium reads them, and they do not add up."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = "\n".join(doc[int(p) - 1].get_textpage().get_text_range() for p in row["pages"].split(";"))
    finally:
        doc.close()
    lhs, rhs = row["identity"].split(" = ")
    numbers = [lhs.strip()] + [t.strip() for t in rhs.split(" + ")]
    for n in numbers:
        assert n == "0" or stands_on_page(n, text), f"{n} is not printed on p{row['pages']}"
    total, parts = Decimal(lhs.replace(",", "")), sum(Decimal(t.replace(",", "")) for t in numbers[1:])
    assert abs(total - parts) > Decimal("0.01"), f"{row['identity']} holds: not a discrepancy"
    assert row["why"].strip()
