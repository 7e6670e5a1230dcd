"""What a file is, from its own text (never its file name): a disclosure with its standard tables, a disclosure's
narrative without them, a performance sheet, or something else.

Rules:
1. The title: the first lines of the first page that has text (up to TITLE_LINES), skipping page numbers and
   attachment labels ('附件2'), up to the first sentence or the contents heading.
2. The first look, before any table is read, over the first FIRST_PAGES pages: a document whose title names no
   disclosure (部门预算, 单位决算, 预算信息公开, 预算情况说明 …) or performance sheet (绩效目标, 绩效自评, 绩效评价 …),
   and whose first pages print no standard or performance table heading, is `other`: nothing more is read
   (a 328-page price list is not searched for tables).
3. After the tables are located:
   - `disclosure`: MIN_CONCEPTS standard concepts or more are printed as tables (printed empty counts);
   - `performance`: the title names a performance sheet and no disclosure; or, with no disclosure or
     official-document title, only performance tables were found;
   - `narrative`: the title names a disclosure and is no official document (a 通知 about 部门预算 is a notice);
   - `other`: anything else. Its tables are dropped: an `other` document writes its documents row only.
4. What an `other` document looks like (a notice, a web-site report, a form, a list …) is named from its title,
   so that a user can check the call.
A document whose first pages carry no text at all (a scan) gets no type until it is read by OCR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import LocatedTable, PageText
from ..normalize.text import clean_label, normalize_text
from ..specs import Specs
from .headings import find_headings

FIRST_PAGES = 3
TITLE_LINES = 5
MIN_CONCEPTS = 3

DISCLOSURE = re.compile(
    r"(部门|单位)(综合|财务)?(收支)?(预算|决算)(?!编码|单位|科目|经济分类)|(预算|决算)(信息)?公开|预算(编制|执行)?情况(的)?说明"
    r"|决算情况说明|(预算|决算)(公开)?(报|公开)表|收支(预算|决算)?总表|市级单位预算")
PERFORMANCE = re.compile(r"绩效(目标|自评|评价|指标|报告|情况表)")
# what a document that is no disclosure looks like, from its title: (words for the user, pattern)
OFFICIAL = (
    ("a web-site annual report (政府网站工作年度报表)", re.compile(r"政府网站(工作)?年度报表")),
    ("an annual report on information disclosure (信息公开年度报告)", re.compile(r"信息公开(工作)?年度报告")),
    ("a gazette (公报)", re.compile(r"公报")),
    ("an official document with an issuing number (发文字号)",
     re.compile(r"[〔\[［【]\s*(19|20)\d\d\s*[〕\]］】]\s*\d+\s*号")),
    ("a notice (通知)", re.compile(r"通知$")),
    ("a circular (通报)", re.compile(r"通报$")),
    ("an announcement (公告 / 通告)", re.compile(r"(公告|通告)$")),
    ("opinions (意见)", re.compile(r"意见$")),
    ("a reply (批复 / 复函)", re.compile(r"(批复|复函)$")),
    ("measures or rules (办法 / 规定 / 细则)", re.compile(r"(办法|规定|细则|规则)$")),
    ("a plan (方案 / 规划)", re.compile(r"(方案|规划|计划)$")),
    ("a brochure (简章)", re.compile(r"简章$")),
    ("a form (申请表 / 登记表)", re.compile(r"(申请|登记|报名|审批)表")),
    ("a flow chart (流程图)", re.compile(r"流程图")),
    ("a list (清单 / 目录)", re.compile(r"(清单|目录)(\(附件\d*\))?$")),
    ("a contract (协议 / 合同)", re.compile(r"(协议|合同)(书|范本)?$")),
)
OTHER_KINDS = OFFICIAL + (("a report (报告)", re.compile(r"报告$")),)
_PAGE_NUMBER = re.compile(r"^[-—－\s]*\d+[-—－\s]*$|^第\d+页")
_ATTACHMENT = re.compile(r"^附件\d*[:：]?$")
_SENTENCE = re.compile(r"[，。；;]")
_CONTENTS = re.compile(r"^目录$|^目次$")


@dataclass(frozen=True)
class Title:
    page: int | None  # the page it is printed on
    lines: tuple[str, ...]  # normalized, whitespace removed (for matching)
    shown: str = ""  # as printed, whitespace collapsed (for messages)

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True)
class Verdict:
    document_type: str | None  # disclosure | narrative | performance | other; None: nothing to read it from
    reason: str  # for an `other` document: what it looks like


def readable_text(page: PageText) -> bool:
    """The page has a text layer that can be trusted (not a scan, not garbled)."""
    return bool(page.lines) and page.problem is None and not page.needs_ocr


def title_of(texts: list[PageText]) -> Title:
    """The document's title lines (rule 1)."""
    for page in texts[:FIRST_PAGES]:
        lines = [(clean_label(ln.text), normalize_text(ln.text)) for ln in page.lines]
        lines = [(t, shown) for t, shown in lines if t and not _PAGE_NUMBER.match(t) and not _ATTACHMENT.match(t)]
        if not lines:
            continue
        picked: list[tuple[str, str]] = []
        for t, shown in lines[:TITLE_LINES]:
            if _CONTENTS.match(t) or (picked and _SENTENCE.search(t) and len(t) > 25):
                break
            picked.append((t, shown))
        if not picked:  # a contents page first: its first entry stands for the title
            picked = [lines[1]] if len(lines) > 1 else []
        return Title(page.page_no, tuple(t for t, _ in picked), " ".join(shown for _, shown in picked))
    return Title(None, ())


def first_look(texts: list[PageText], specs: Specs) -> Verdict | None:
    """`other` when the first pages show no sign of a disclosure or performance sheet (rule 2); None: read on."""
    readable = [t for t in texts[:FIRST_PAGES] if readable_text(t)]
    if not readable:
        return None  # a scan, or text that cannot be trusted: nothing to decide from
    title = title_of(readable)
    if DISCLOSURE.search(title.text) or PERFORMANCE.search(title.text):
        return None
    headings = [h for page in readable for h in find_headings(page, specs)]
    if any(specs.by_id(h.table_id).role in ("standard", "listed") for h in headings):
        return None
    return Verdict("other", looks_like(title))


def final_verdict(texts: list[PageText], tables: list[LocatedTable], specs: Specs) -> Verdict:
    """The document type once its tables are located (rule 3)."""
    readable = [t for t in texts if readable_text(t)]
    if not readable:
        return Verdict(None, "no page carries readable text")
    title = title_of(readable)
    concepts = {t.heading.table_id for t in tables if specs.by_id(t.heading.table_id).is_standard}
    if len(concepts) >= MIN_CONCEPTS:
        return Verdict("disclosure", f"{len(concepts)} standard tables")
    disclosure, performance = DISCLOSURE.search(title.text), PERFORMANCE.search(title.text)
    official = _official(title)
    if performance and not disclosure:
        return Verdict("performance", "its title names a performance sheet")
    if disclosure and official is None:
        return Verdict("narrative", "its title names a disclosure; no standard tables are printed")
    listed = [t for t in tables if specs.by_id(t.heading.table_id).role == "listed"]
    if listed and official is None and not disclosure:
        return Verdict("performance", "it prints performance tables only")
    return Verdict("other", looks_like(title))


def _official(title: Title) -> str | None:
    for words, pattern in OFFICIAL:
        if pattern.search(title.text) or any(pattern.search(line) for line in title.lines):
            return words
    return None


def looks_like(title: Title) -> str:
    """A sentence naming what the document looks like, quoting its title (rule 4)."""
    shown = title.shown[:80] + ("…" if len(title.shown) > 80 else "")
    quoted = f"'{shown}' (page {title.page})" if title.lines else "no title"
    for words, pattern in OTHER_KINDS:
        if pattern.search(title.text) or any(pattern.search(line) for line in title.lines):
            return f"not a budget disclosure: it looks like {words} — {quoted}"
    return (f"not a budget disclosure: its first pages name no 部门预算 / 决算 and print no standard table — "
            f"{quoted}")
