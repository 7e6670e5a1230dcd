"""Amount parsing: the text of one table cell → an exact `Decimal` in the printed unit, or "not an amount".

Rules of `parse_amount` (each one is a row of tests/normalize/test_amounts.py):
1. Full-width forms are read as ASCII (NFKC): '１２３．４５' → 123.45, '（１）' → -1.
2. The declared placeholders mean zero and are flagged `placeholder`: blank (also None / whitespace),
   '-', '—', '–', '−', and their doubled forms '--', '——'. Nothing else means zero.
3. Thousands separators: '1,234.50' → 1234.50 (a separator that is not between digit groups of three
   is still read, flagged `irregular_grouping`).
4. Spaces next to the decimal point or a thousands comma are extraction artefacts: '186. 67' → 186.67,
   '68, 632. 12' → 68632.12 (letter-spaced fonts), flagged `spaced`.
5. Digits wrapped onto a second line of the cell are one number: '1682.7\\n6' → 1682.76, flagged
   `wrapped` (narrow cells do this; the line break, not a space, is what marks it).
6. Negative amounts: '-12.30', '−12.30', '(12.30)' and '（12.30）' → -12.30 (brackets flagged `bracketed`).
7. Any number of decimals is kept exactly ('44,156.640120'); integers are amounts ('7', '215,020,000').
8. Everything else is not an amount and returns None: percentages ('100 %'), words, codes with letters,
   a lone point or separator, two numbers in one cell separated by a space ('6000 0').
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..flags import BRACKETED, IRREGULAR_GROUPING, PLACEHOLDER, SPACED, WRAPPED

PLACEHOLDERS = frozenset({"", "-", "—", "–", "−", "--", "——", "−−", "––"})
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_LOOSE = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
_SPACED = re.compile(r"^[\d,.]+(?: +[\d,.]+)+$")
_SPACED_POINT = re.compile(r"^\d{1,3}(?: *, *\d{3})* *(?:\. *\d+)?$|^\d+ *\. *\d+$")


@dataclass(frozen=True)
class Amount:
    value: Decimal  # in the printed unit
    flags: tuple[str, ...] = ()

    @property
    def placeholder(self) -> bool:
        return PLACEHOLDER in self.flags


ZERO_PLACEHOLDER = Amount(Decimal(0), (PLACEHOLDER,))


def is_figure(text: str | None) -> bool:
    """The text prints an amount, not a placeholder ('-', '—', blank): a figure someone wrote down."""
    amount = parse_amount(text)
    return amount is not None and not amount.placeholder


# A pure function of its text, whose Amount is immutable: the same cell text is parsed again by several stages
# (column roles, cells, outside rows, checks): 94,922 calls over the corpus for 6,144 distinct texts, 0.17 -> 0.02 s.
# Bounded, since a batch meets many more texts than a document.
@lru_cache(maxsize=4096)
def parse_amount(text: str | None) -> Amount | None:
    """Parse one cell; None when the text is not an amount (see the module docstring for the rules)."""
    if text is None:
        return ZERO_PLACEHOLDER
    flags: list[str] = []
    s = unicodedata.normalize("NFKC", text)
    lines = [ln.strip() for ln in s.splitlines() if ln.strip()]
    if len(lines) > 1:
        s = "".join(lines)
        flags.append(WRAPPED)
    else:
        s = lines[0] if lines else ""
    if s in PLACEHOLDERS:
        return Amount(Decimal(0), (PLACEHOLDER,)) if not flags else None
    negative = False
    if len(s) > 2 and s[0] == "(" and s[-1] == ")":
        negative, s = True, s[1:-1].strip()
        flags.append(BRACKETED)
    elif s[0] in "-−":
        negative, s = True, s[1:].lstrip()
    if " " in s:
        if not _SPACED.match(s) or not _spaces_are_artefacts(s):
            return None
        s = s.replace(" ", "")
        flags.append(SPACED)
    if _PLAIN.match(s) or _GROUPED.match(s):
        pass
    elif _LOOSE.match(s) and "," in s and ",," not in s and not s.endswith(","):
        flags.append(IRREGULAR_GROUPING)
    else:
        return None
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the patterns above admit only valid literals
        return None
    return Amount(-value if negative else value, tuple(flags))


def _spaces_are_artefacts(s: str) -> bool:
    """Spaces are artefacts only next to a separator: the decimal point ('186. 67', a wider gap after the point
    than pdfplumber's 3 pt tolerance) or a thousands comma ('68, 632. 12', letter-spaced fonts). Spaces
    anywhere else separate numbers ('6000 0')."""
    return _SPACED_POINT.match(s) is not None
