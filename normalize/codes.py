"""Classification codes: 功能分类 (functional: 类 3 digits, 款 5, 项 7) and 经济分类 (economic: 类 3, 款 5).

Rules of `parse_code`:
1. A code is printed whole ('2010301') or split over 类 | 款 | 项 columns ('201', '03', '01'); the parts
   are joined in column order. A part may be missing on rows of a higher level ('201', '', '').
2. Level follows the length: 3 → 1 (类), 5 → 2 (款), 7 → 3 (项); the parent is the code cut to the
   length of the level above. Any other length is not a code.
3. A 款 printed alone ('03' under the 款 column, or '10 人力资源事务' with a 2-digit 款 code) takes its 类
   from the closest 类 row above it (rule 4).
4. `read_codes` reads a whole column group top to bottom. Split 类 | 款 | 项 columns may print every part
   on every row (201 | 03 | 01) or only the new part (| 06 | then | | 01): a missing part is taken from the
   rows above; a one-digit 款 or 项 part lost its leading zero ('2' is '02'); a second code system printed
   beside the first (部门经济 | 政府经济) is not read. In a single code column, a 2-digit code stands for the
   level that is never printed in full (款 where 类 and 项 are printed whole, 项 where 类 and 款 are).
5. A code printed inside the label cell ('[301]工资福利支出', '2010101-行政运行') is split off it
   (`split_label_code`).
6. The first digit says the classification — 2xx 功能分类, 3xx 部门预算支出经济分类, 5xx 政府预算支出经济分类 — and a
   code counts only when its 类 is one of that classification's (`code_system`); a 3-digit 预算单位 code (106) or
   a 收入 code (1xx) is none of them. A row may print codes of two systems (2010301 beside 50101 and 30101).
"""

from __future__ import annotations

import re

from ..model import LENGTH_BY_LEVEL, SubjectCode

_DIGITS = re.compile(r"^\d+$")
LEVEL_BY_LENGTH = {3: 1, 5: 2, 7: 3}
_SYSTEM_OF_DIGIT = {"2": "function", "3": "econ", "5": "gov_econ"}
# a 预算单位's code printed before its name ('[242001]西安市劳动人事争议仲裁院'): 6 digits, the department's 3 and
# the unit's 3 (a department's own 3-digit code — '106 长沙市公安局' — names no unit)
UNIT_CODE = re.compile(r"^[\[【(（]?(\d{6})[\]】)）]?\s*[-－—_:：]?\s*(?=[\u4e00-\u9fff])")


def code_system(code: str, class_lists: dict[str, frozenset[str]]) -> str | None:
    """The classification a code belongs to — function (2xx), econ (部门经济 3xx) or gov_econ (政府经济 5xx) — when
    its 类 is one of that classification's (specs/classes.toml); None for anything else (a 预算单位's code 106,
    a 收入 code 103: not an expenditure classification)."""
    system = _SYSTEM_OF_DIGIT.get(code[:1])
    if system is None or len(code) not in LEVEL_BY_LENGTH:
        return None
    known = class_lists.get(system)
    return system if not known or code[:3] in known else None


def parse_code(*parts: str | None) -> SubjectCode | None:
    """A code from one or more printed parts (whole code, or 类 | 款 | 项 columns)."""
    texts = ["".join((p or "").split()) for p in parts]
    texts = [t for t in texts if t]
    if not texts or not all(_DIGITS.match(t) for t in texts):
        return None
    code = "".join(texts)
    level = LEVEL_BY_LENGTH.get(len(code))
    return SubjectCode(code, level) if level else None


def read_codes(rows: list[list[str | None]], headers: list[str]) -> list[SubjectCode | None]:
    """The code of every row of a column group (rule 4); `rows` holds each row's code cells, `headers` the
    code columns' header leaves (类 / 款 / 项 when split)."""
    clean = [["".join((p or "").split()) for p in row] for row in rows]
    if len(headers) > 1 and all(h[-1:] in "类款项" for h in headers):
        return _read_split(clean, headers)
    clean = [row[:1] for row in clean]  # several code systems side by side (部门经济 | 政府经济): the first
    printed = {len(r[0]) for r in clean if r and _DIGITS.match(r[0])}
    short_level = 3 if (5 in printed and 7 not in printed) else 2
    out: list[SubjectCode | None] = []
    lei = kuan = None
    for row in clean:
        text = row[0] if row else ""
        code = parse_code(text)
        if code is None and _DIGITS.match(text) and len(text) == 2:
            if short_level == 2 and lei:
                code = SubjectCode(lei + text, 2)
            elif short_level == 3 and kuan:
                code = SubjectCode(kuan + text, 3)
        if code is not None:
            if code.level == 1:
                lei, kuan = code.code, None
            elif code.level == 2:
                lei, kuan = code.code[:3], code.code
        out.append(code)
    return out


def _read_split(rows: list[list[str]], headers: list[str]) -> list[SubjectCode | None]:
    order = {"类": 0, "款": 1, "项": 2}
    slots: list[int] = []
    for h in headers:  # a second code system after the first (部门经济 | 政府经济) is not read
        slot = order[h[-1:]]
        if slot in slots:
            break
        slots.append(slot)
    out: list[SubjectCode | None] = []
    lei = kuan = None
    for row in rows:
        parts = {slot: (text if slot == 0 else text.zfill(2))  # Excel drops the 0 of '02'
                 for slot, text in zip(slots, row) if _DIGITS.match(text or "")}
        if not parts:
            out.append(None)
            continue
        code = None
        if 0 in parts:
            lei = parts[0] if len(parts[0]) == 3 else lei
            code, kuan = (SubjectCode(lei, 1) if lei else None), None
        if 1 in parts and lei:
            kuan = parts[1] if len(parts[1]) == 5 else lei + parts[1]
            code = SubjectCode(kuan, 2)
        if 2 in parts and kuan:
            item = parts[2] if len(parts[2]) == 7 else kuan + parts[2]
            code = SubjectCode(item, 3)
        out.append(code if code is not None and len(code.code) == LENGTH_BY_LEVEL[code.level] else None)
    return out


_LABEL_CODE = re.compile(r"^[\[【(（]?(\d{3}|\d{5}|\d{7})[\]】)）]?\s*[-－—_:：]?\s*(?=[\u4e00-\u9fff])")


def split_label_code(label: str) -> tuple[SubjectCode | None, str]:
    """('301', '工资福利支出') from '[301]工资福利支出' (rule 5); (None, label) when no code leads it."""
    m = _LABEL_CODE.match(label)
    if not m:
        return None, label
    return SubjectCode(m.group(1), LEVEL_BY_LENGTH[len(m.group(1))]), label[m.end():]
