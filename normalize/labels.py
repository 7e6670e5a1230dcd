"""Table labels, ordinal prefixes and the notes of tables printed empty: text rules that locating tables
(extract/) and reading their grids (normalize/) share.

Rules:
1. A table's label is printed before, after or inside its title (whitespace already removed): 公开01表, 公开表一,
   预算01表, 预算表5, 表1, 表01, 表一, (表1). `split_label` takes it out and returns what remains of the title.
2. Fujian prints an ordinal before the title ('一、收支预算总表'): without another label it serves as the label.
3. A note saying the table has nothing in it ('本单位无政府性基金收支', '故本表无数据') marks a table printed empty.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import clean_label

_CN_NUM = "一二三四五六七八九十"
LABEL = re.compile(
    rf"(?:部门)?公开\d{{1,2}}表|公开表(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}}(?![\u4e00-\u9fff]))|(?:部门)?预算\d{{1,2}}表|预算表\d{{1,2}}"
    rf"|(?<![{_CN_NUM}\u4e00-\u9fff])表\d{{1,2}}(?!\d)|^表\d{{1,2}}(?=20\d\d(?!\d))|^表[{_CN_NUM}]{{1,3}}(?![\u4e00-\u9fff])"
    rf"|(?<=[(（])表\d{{1,2}}(?=[)）])"
)
ORDINAL_PREFIX = re.compile(rf"^([{_CN_NUM}]{{1,3}})[、.．]")
SEPARATORS = ":：、,，.． "
EMPTY_NOTE = re.compile(
    r"(本|我)(单位|部门|局|委|办)?.{0,24}(无|没有|未)(发生|安排|使用)?.{0,20}(收支|收入|支出|数据|经费|预算|决算)"
    r"|(无|没有).{0,20}(收入支出|收支|支出|收入|安排的支出)|故(本表|此表|该表).{0,10}(无数据|为空|空表)|本表无数据|为空表"
)

# a page's number printed as its footer ('3', '- 3 -', '第3页'): no table's figure
PAGE_FOOTER = re.compile(r"^[-—\s]*\d+[-—\s]*$|^第\s*\d+\s*页")


@lru_cache(maxsize=1 << 16)  # a pure function of a string (every line of every page is asked)
def split_label(text: str) -> tuple[str | None, str]:
    """('公开01表', '收入支出决算总表') from '公开 01 表 收入支出决算总表' — the label and what remains."""
    t = clean_label(text)
    labels = [m.group(0) for m in LABEL.finditer(t)]
    for lab in labels:
        t = t.replace(lab, " ", 1)
    t = t.strip(SEPARATORS)
    t = re.sub(r"[(（]\s*[)）]", "", t).strip(SEPARATORS)  # brackets left empty by a removed label
    if not labels:
        m = ORDINAL_PREFIX.match(t)
        if m:
            labels.append(m.group(0))
            t = t[m.end():]
    return (labels[0] if labels else None), "".join(t.split())


def is_empty_note(note: str | None) -> bool:
    return bool(note) and EMPTY_NOTE.search(clean_label(note)) is not None


# How an organisation's name ends (局, 委员会, 中心 …, a bracketed alias after it): department and 预算单位 names.
ORGANISATION = re.compile(r"(局|委员会|委|办公室|办公厅|办|中心|院|厅|部|会|所|站|队|馆|处|街道办事处|政府|"
                          r"集团|学校|医院|公司|场|室|园|台|社|库|团|宫|厂|校)(（[^）]*）|\([^)]*\))?$")


def is_organisation(name: str) -> bool:
    return len(name) >= 2 and ORGANISATION.search(name) is not None
