"""Document metadata: department, fiscal year, kind (final accounts 决算 / budget 预算) and scope.

Rules:
1. department: the name most tables print on their department line (部门：, 编制部门：, 单位名称： …, a
   numeric prefix '507-' and a bracketed qualifier '（汇总）' '（本级）' removed); otherwise a line anywhere
   that starts with 部门名称 / 单位名称 (a table cell, colon or not); otherwise the cover's line that names an
   organisation (the text before its year: '西安市科学技术局2022年部门综合预算').
2. year: the year most table titles carry; otherwise the year of the cover's title line or a short cover
   line ('2020年度', '2024'); otherwise the year the document mentions most.
3. kind: 决算 when the table titles or the cover say 决算, else 预算; a set of performance tables only says
   which by its name: 绩效目标 (targets set with the budget) → budget, 绩效自评 (self-assessment) → final.
4. scope (from titles and short cover lines): 汇总 → consolidated; 单位预算 / 单位决算, or 预算单位 in a title,
   without 部门预算 / 部门决算 → unit; else department.
5. origin: sample when the PDF's Creator is the one samples/generate.py writes (the bundled samples and the
   test variants made from them; some of their figures are invented), else file. Never from the path.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import Heading, PageText
from ..normalize.text import clean_label

_YEAR = re.compile(r"(20\d{2})\s*年")
_ORG_SUFFIX = re.compile(r"(局|委员会|委|办公室|办公厅|办|中心|院|厅|部|会|所|站|队|馆|处|街道办事处|政府|"
                         r"集团|学校|医院|公司)(（[^）]*）|\([^)]*\))?$")
COVER_PAGES = 3
SAMPLE_CREATOR = "fiscalpdf samples/generate.py"  # the Creator samples/generate.py writes into every PDF it makes


@dataclass(frozen=True)
class DocumentMeta:
    department: str | None
    year: int | None
    kind: str | None  # final | budget
    scope: str  # department | unit | consolidated


def read_metadata(texts: list[PageText], headings: list[Heading]) -> DocumentMeta:
    cover = [clean_label(ln.text) for t in texts[:COVER_PAGES] for ln in t.lines]
    lines = [clean_label(ln.text) for t in texts for ln in t.lines]
    return DocumentMeta(_department(headings, cover, lines), _year(headings, cover, lines), _kind(headings, cover),
                        _scope(cover, headings))


def origin_of(info: dict[str, str]) -> str:
    """Rule 5: 'sample' or 'file', from the document information dictionary (PdfSource.info)."""
    return "sample" if info.get("Creator", "").strip() == SAMPLE_CREATOR else "file"


_QUALIFIER = re.compile(r"[(（](汇总|本级|单位预算|单位决算|部门预算|部门决算|部门|单位|合并)[)）]$")


def clean_department(name: str) -> str:
    """The organisation's name without a bracketed qualifier ('（汇总）', '（本级）'): scope records that."""
    return _QUALIFIER.sub("", name).strip()


_NAME_LINE = re.compile(r"^(?:部门|单位)名称[:：]?(.{2,40})$")
_COVER_TAIL = re.compile(r"(20\d{2}年度?)?(部门|单位)?(综合|财务)?(收支)?(决算|预算).*$|20\d{2}年度?.*(决算|预算).*$")


def _department(headings: list[Heading], cover: list[str], lines: list[str]) -> str | None:
    names = Counter(clean_department(h.department) for h in headings if h.department)
    if names:
        return names.most_common(1)[0][0]
    named = Counter(m.group(1) for line in lines for m in [_NAME_LINE.match(line)]
                    if m and _ORG_SUFFIX.search(m.group(1)))
    if named:
        return clean_department(named.most_common(1)[0][0])
    name = _cover_title_name(cover)
    if name:
        return clean_department(name)
    for line in cover[:12]:
        name = _COVER_TAIL.sub("", line)
        name = re.sub(r"^第[一二三四五六七八九十]+部分", "", name)
        if 4 <= len(name) <= 40 and _ORG_SUFFIX.search(name) and not _YEAR.search(name):
            return clean_department(name)
    return None


def _cover_title_name(cover: list[str]) -> str | None:
    """A cover printing the year, the name (perhaps wrapped over lines) and the kind, in that order:
    '2026年度' / '福州市公安局治安管理' / '支队' / '单位预算' → the lines between year and kind, joined."""
    for i, line in enumerate(cover[:8]):
        if re.fullmatch(r"20\d{2}年度?", line):
            for j in range(i + 1, min(i + 5, len(cover))):
                if re.fullmatch(r"(部门|单位)?(预算|决算)(公开)?", cover[j]):
                    name = "".join(cover[i + 1:j])
                    return name if 2 <= len(name) <= 40 else None
    return None


def _year(headings: list[Heading], cover: list[str], lines: list[str]) -> int | None:
    years = Counter(int(m.group(1)) for h in headings for m in [_YEAR.search(h.title)] if m)
    if years:
        return years.most_common(1)[0][0]
    for line in cover:
        m = _YEAR.search(line) or re.fullmatch(r"(20\d{2})", line)
        if m and ("决算" in line or "预算" in line or len(line) <= 8):
            return int(m.group(1))
    mentioned = Counter(int(m.group(1)) for line in lines for m in _YEAR.finditer(line))
    return mentioned.most_common(1)[0][0] if mentioned else None


def _kind(headings: list[Heading], cover: list[str]) -> str | None:
    titles = " ".join(h.title for h in headings)
    text = titles + " " + " ".join(cover[:20])
    if "决算" in titles or ("决算" in text and "预算" not in titles):
        return "final"
    if "预算" in text:
        return "budget"
    if "绩效自评" in text:
        return "final"
    if "绩效目标" in text:
        return "budget"
    return None


def _scope(cover: list[str], headings: list[Heading]) -> str:
    # titles and short cover lines only: the narrative's '汇总公开单位构成' describes any department
    text = " ".join(line for line in cover[:20] if len(line) <= 30) + " ".join(h.title for h in headings)
    if "汇总" in text:
        return "consolidated"
    titles = " ".join(h.title for h in headings)
    if ((re.search(r"单位(预算|决算)", text) or "预算单位" in titles)
            and not re.search(r"部门(预算|决算)(?!(支出)?经济分类)", text)):
        # '部门预算经济分类' names a classification (部门预算支出经济分类科目), not the document's scope
        return "unit"
    return "department"
