"""What an amount column's header says beyond its column id: the period, the fund and the basis of its amounts.

Rules of `column_qualifiers(path, ...)` (the header path, levels joined by '/'):
1. period: `change` when a level names a change (增减, 增长, 比上年 …); `prior` when a level names a year before the
   document's (`2025年预算数` in a 2026 budget) or 上年 / 上年度 as a period (`上年预算数`, `上年执行数` — but
   上年结转 / 上年结余 is money carried into this year: `current`); `current` otherwise. A table whose rows carry the
   periods (a 三公 table printing a 2025年, a 2026年 and an 增减 row per unit) leaves it to the rows: None.
2. fund: the fund a level names — 一般公共预算 / 公共财政 → `gpb`, 政府性基金 → `gov_fund`, 国有资本经营 → `soe`,
   财政专户 → `special_account`, money that is no 财政拨款 (单位资金, 事业收入, 上级补助, 经营收入, 附属单位上缴,
   其他收入, 用事业基金 …) → `other`; the nearest level to the leaf wins. None where the header names none: then
   the table concept's own fund (spec `fund`: the 一般公共预算 tables are gpb money), if any.
3. basis: a level naming 预算 (预算数, 编制预算, 部门预算, 年初预算) → `budget`, 调整预算 / 调整后预算 →
   `adjusted_budget`, 决算 / 执行 / 实际 → `final`; the fund names (一般公共预算 …) are not a basis. None when the
   header names none (the document's kind says the rest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CHANGE = re.compile(r"增减|增长|减少|比上年|变动|变化")
_PRIOR = re.compile(r"上年(?!结转|结余|实户)|上一年|去年")
_YEAR = re.compile(r"(20\d{2})年")
_FUNDS = (
    ("special_account", re.compile(r"财政专户|专户资金")),
    ("gpb", re.compile(r"一般公共预算|公共财政|一般预算|公共预算")),
    ("gov_fund", re.compile(r"政府性基金")),
    ("soe", re.compile(r"国有资本经营")),
    ("other", re.compile(r"单位资金|事业收入|上级补助|经营(服务)?收入|附属单位上缴|其[他它]收入|用事业基金|其他资金|"
                         r"自有资金|非财政拨款")),
)
_FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|一般预算|公共预算")
_BASIS = (
    ("adjusted_budget", re.compile(r"调整(后)?预算|全年预算")),
    ("final", re.compile(r"决算|执行|实际|完成")),
    ("budget", re.compile(r"预算")),
)


@dataclass(frozen=True)
class Qualifiers:
    period: str | None
    fund: str | None
    basis: str | None


def column_qualifiers(path: str, year: int | None, default_fund: str | None = None,
                      rows_carry_periods: bool = False) -> Qualifiers:
    levels = path.split("/") if path else []
    return Qualifiers(None if rows_carry_periods else _period(levels, year), _fund(levels) or default_fund,
                      _basis(levels))


def _period(levels: list[str], year: int | None) -> str:
    if any(_CHANGE.search(level) for level in levels):
        return "change"
    for level in levels:
        m = _YEAR.search(level)
        if m and year and int(m.group(1)) < year:
            return "prior"
        if _PRIOR.search(level):
            return "prior"
    return "current"


def _fund(levels: list[str]) -> str | None:
    for level in reversed(levels):
        for fund, pattern in _FUNDS:
            if pattern.search(level):
                return fund
    return None


def _basis(levels: list[str]) -> str | None:
    for level in reversed(levels):
        bare = _FUND_NAMES.sub("", level)
        for basis, pattern in _BASIS:
            if pattern.search(bare):
                return basis
    return None

# A header level that says only the basis, year or fund of the column above it ('…/合计/预算数',
# '公务接待费/一般公共预算'): the column is the thing above it, seen in that basis, year or fund.
QUALIFIER_LEVEL = re.compile(r"^(\d{4}年度?|本年|当年|上年)?(年初|全年|调整后?)?(预算|决算|执行)数?$"
                             r"|^(一般公共预算|政府性基金预算?|国有资本经营预算?)(资金)?$")
