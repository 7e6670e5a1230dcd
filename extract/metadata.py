"""Document metadata: department, fiscal year, kind (final accounts 决算 / budget 预算) and scope.

Nothing is invented: a value the document does not print as such is None (year 0 when written). A file that
is no disclosure (document type `other`) has none of them.

Rules:
1. department: the name most tables print on their department line (部门：, 编制部门：, 单位名称： …, a
   numeric prefix '507-' and a bracketed qualifier '（汇总）' '（本级）' removed); otherwise a line anywhere
   that starts with 部门名称 / 单位名称 / 部门（单位）名称 (a table cell, colon or not); otherwise the cover's
   line that names an organisation (the text before its year: '西安市科学技术局2022年部门综合预算', or a line
   of its own above the year's line); otherwise an attachment line naming the tables ('附件：北京市审计局2026年度
   部门预算报表'). A form label ('填报单位：') or numbering left before the name is removed; a name must end
   like an organisation (局, 委员会, 中心 …).
2. year: the year most table titles carry; otherwise the year of the cover's title line or a short cover
   line ('2020年度', '2024', '2026 部门预算情况的说明'); otherwise a year printed alone under a table's title
   ('（2026年度）'); otherwise none — never the year a text merely mentions.
3. kind: 决算 when the table titles or the cover say 决算, else 预算; a performance sheet says which by its
   name: 绩效目标 (targets set with the budget) → budget, 绩效自评 / 绩效评价 (of money spent) → final.
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
from ..normalize.labels import ORGANISATION
from ..normalize.text import clean_label

_YEAR = re.compile(r"(20\d{2})\s*年")
_ORG_SUFFIX = ORGANISATION
COVER_PAGES = 3
SAMPLE_CREATOR = "fiscalpdf samples/generate.py"  # the Creator samples/generate.py writes into every PDF it makes


@dataclass(frozen=True)
class DocumentMeta:
    department: str | None
    year: int | None
    kind: str | None  # final | budget
    scope: str | None  # department | unit | consolidated


UNREAD = DocumentMeta(None, None, None, None)


def read_metadata(texts: list[PageText], headings: list[Heading], document_type: str | None) -> DocumentMeta:
    if document_type in (None, "other"):
        return UNREAD  # no disclosure, or no text to read one from (a scan, until OCR)
    cover = [clean_label(ln.text) for t in texts[:COVER_PAGES] for ln in t.lines]
    lines = [clean_label(ln.text) for t in texts for ln in t.lines]
    return DocumentMeta(_department(headings, cover, lines), _year(headings, cover),
                        _kind(headings, cover, document_type), _scope(cover, headings))


def origin_of(info: dict[str, str]) -> str:
    """Rule 5: 'sample' or 'file', from the document information dictionary (PdfSource.info)."""
    return "sample" if info.get("Creator", "").strip() == SAMPLE_CREATOR else "file"


_QUALIFIER = re.compile(r"[(（](汇总|本级|单位预算|单位决算|部门预算|部门决算|部门|单位|合并)[)）]$")


def clean_department(name: str) -> str:
    """The organisation's name without a bracketed qualifier ('（汇总）', '（本级）'): scope records that."""
    return _QUALIFIER.sub("", name).strip()


_NAME_LINE = re.compile(r"^(?:部门|单位|部门\(单位\))名称[:：]?(.{2,40}?)(?:部门预算编码.*|单位编码.*|预算编码.*)?$")
_ATTACHED = re.compile(r"^附件\d*[:：](.{2,40}?)20\d{2}年度?(部门|单位)(综合)?(预算|决算)")
_FORM_LABEL = re.compile(r"^(?:填报单位|评价项目单位|项目主管部门|主管部门|预算单位|编制单位|编制部门|"
                         r"部门名称|单位名称)[:：]")
_NUMBERING = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．])(?:关于)?")
_COVER_TAIL = re.compile(r"(20\d{2}年度?)?(部门|单位)?(综合|财务)?(收支)?(决算|预算).*$|20\d{2}年度?.*(决算|预算).*$")


def _department(headings: list[Heading], cover: list[str], lines: list[str]) -> str | None:
    names = Counter(_organisation(h.department) for h in headings if h.department)
    names.pop(None, None)
    if names:
        return names.most_common(1)[0][0]
    named = Counter(_organisation(m.group(1)) for line in lines for m in [_NAME_LINE.match(line)] if m)
    named.pop(None, None)
    if named:
        return named.most_common(1)[0][0]
    name = _cover_title_name(cover)
    if name:
        return clean_department(name)
    for line in cover[:12]:
        name = _COVER_TAIL.sub("", line)
        name = re.sub(r"^第[一二三四五六七八九十]+部分", "", name)
        name = re.sub(r"20\d{2}年度?$", "", name)  # '北京市人力资源和社会保障局 2026 年度' over '部门预算信息公开'
        name = re.sub(r"(部门|单位)$", "", name)  # '北京市统计局部门 2026 年度'
        if 4 <= len(name) <= 40 and not _YEAR.search(name) and _organisation(name):
            return _organisation(name)
    attached = [m.group(1) for line in lines for m in [_ATTACHED.match(line)] if m and _ORG_SUFFIX.search(m.group(1))]
    return clean_department(attached[0]) if attached else None


def _organisation(text: str) -> str | None:
    """A department line's value as an organisation's name: form label and numbering removed; None when what is
    left does not end like an organisation."""
    name = _NUMBERING.sub("", _FORM_LABEL.sub("", clean_department(text)))
    name = clean_department(name)
    return name if len(name) >= 2 and _ORG_SUFFIX.search(name) else None


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


_COVER_YEAR = re.compile(r"(20\d{2})(?:年|(?=(?:年度)?(?:部门|单位)?(?:综合)?(?:预算|决算)))")
_YEAR_ALONE = re.compile(r"^[(（]?(20\d{2})[(（]?年度?[)）]?$")


def _year(headings: list[Heading], cover: list[str]) -> int | None:
    years = Counter(int(m.group(1)) for h in headings for m in [_YEAR.search(h.title)] if m)
    if years:
        return years.most_common(1)[0][0]
    for line, after in zip(cover, cover[1:] + [""]):
        m = _COVER_YEAR.search(line) or re.fullmatch(r"(20\d{2})", line)
        # a title wrapped after its year ('2026 年深圳市财政局（本级）部门预' / '算') names what follows it
        if m and (len(line) <= 8 or re.search(r"决算|预算|绩效(评价|自评|目标)", line + after)):
            return int(m.group(1))
    alone = Counter(int(m.group(1)) for h in headings for line in h.context
                    for m in [_YEAR_ALONE.match(clean_label(line))] if m)
    return alone.most_common(1)[0][0] if alone else None


def _kind(headings: list[Heading], cover: list[str], document_type: str | None) -> str | None:
    titles = " ".join(h.title for h in headings)
    text = titles + " " + " ".join(cover[:20])
    if document_type == "performance":
        if re.search(r"绩效(自评|评价)", text):
            return "final"
        if "绩效目标" in text:
            return "budget"
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
