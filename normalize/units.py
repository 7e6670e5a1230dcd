"""The unit of a table's amounts, read from its unit line ('金额单位：万元', '单位：元', '单位:万/元' wrapped).

Rules of `find_unit`: look for 单位 followed by a colon (full- or half-width) and the unit, whitespace and
line breaks ignored (the unit line may wrap as '金额单位：万' over '元'); 万元, 元 and 千元 are known.
A unit written without 单位 ('（万元）' in a title) is accepted when nothing better is found.
`unit_factor` gives the number of 元 in one printed unit.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .text import clean_label

UNIT_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
_UNIT_LINE = re.compile(r"单位[:：]?(?:[:：]|\s*)(亿元|万元|千元|元)")
_UNIT_BRACKET = re.compile(r"[(（](?:单位[:：])?(亿元|万元|千元|元)[)）]")
_UNIT_SPLIT = re.compile(r"单位[:：](万|千|亿)/?元")


def find_unit(text: str) -> str | None:
    """The unit named in `text` (one or several heading lines joined), or None."""
    flat = clean_label(text)
    m = _UNIT_LINE.search(flat) or _UNIT_SPLIT.search(flat)
    if m:
        return m.group(1) if m.group(1).endswith("元") else m.group(1) + "元"
    m = _UNIT_BRACKET.search(flat)
    return m.group(1) if m else None


def unit_factor(unit: str | None) -> Decimal:
    return UNIT_FACTORS.get(unit or "", Decimal(1))
