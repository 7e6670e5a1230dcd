"""Confirm every golden amount from the page text alone, read with pypdfium2 (not pdfplumber, not fiscalpdf).

An amount is confirmed when its printed text stands as a number on its page: the page text contains it, not
as part of a longer number. A narrow cell may wrap an amount's last digits onto a
second line (Changchun: '1682.7' over '6'); such an amount is confirmed when its head and its tail both stand
as numbers on the page, and it is counted apart.

    python -m tests.corpus.confirm_goldens        # prints a line per golden, exits 1 if any amount is unconfirmed
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium

from tests.corpus.golden import Golden, load_goldens
from tests.paths import SHARED

CORPUS = SHARED / "corpus"


@lru_cache(maxsize=64)
def page_text(file: str, page: int, folder: Path = CORPUS) -> str:
    """The page's text as pdfium reads it."""
    pdf = pdfium.PdfDocument(str(folder / file))
    try:
        text = pdf[page - 1].get_textpage().get_text_range()
    finally:
        pdf.close()
    return text


def stands_on_page(number: str, text: str) -> bool:
    """`number` occurs in `text` with no digit, separator or point continuing it on either side."""
    return re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d])(?!\.\d)(?!,\d)", text) is not None


def stands_wrapped(number: str, text: str) -> bool:
    return any(stands_on_page(number[:-k], text) and stands_on_page(number[-k:], text)
               for k in (1, 2, 3) if len(number) > k and number[-k - 1] != ",")


@dataclass
class Confirmation:
    golden: str
    amounts: int = 0
    wrapped: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)


CODE_FIELDS = ("function_code", "econ_code", "gov_econ_code", "budget_unit_code")


def confirm(golden: Golden, folder: Path = CORPUS) -> Confirmation:
    """Every amount — and every code — of the golden stands on its page as pdfium reads it (codes printed split
    over 类 | 款 | 项 columns stand there as their parts)."""
    out = Confirmation(golden.name)
    for cell in golden.cells:
        out.amounts += 1
        text = page_text(golden.file, int(cell["page"]), folder)
        printed = cell["text"].strip()
        for field_name in CODE_FIELDS:
            code = (cell.get(field_name) or "").strip()
            if code and not (code in text or _split_code_stands(code, text)):
                out.unconfirmed.append(f"{field_name} {code} (p{cell['page']}, {cell['row_label']})")
        if stands_on_page(printed, text):
            continue
        if stands_wrapped(printed, text):
            out.wrapped.append(printed)
            continue
        out.unconfirmed.append(f"{printed} (p{cell['page']}, {cell['row_label']} / {cell['column_label']})")
    return out


def _split_code_stands(code: str, text: str) -> bool:
    """A 7- or 5-digit code printed as its 类 and its last two digits (201 | 03 | 01, or '| 03 |' under a 类
    printed on a row above, perhaps a page above): its 类 and tail stand on the page or the one before."""
    return code[:3] in text or code[-2:] in text


def main() -> int:
    results = [confirm(g) for g in load_goldens()]
    for r in results:
        state = "OK " if not r.unconfirmed else "BAD"
        print(f"{state} {r.golden}: {r.amounts} amounts, {len(r.wrapped)} wrapped, {len(r.unconfirmed)} unconfirmed")
        for u in r.unconfirmed[:10]:
            print("     ", u)
    total = sum(r.amounts for r in results)
    bad = sum(len(r.unconfirmed) for r in results)
    print(f"{len(results)} goldens, {total} amounts, {bad} unconfirmed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
