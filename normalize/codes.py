"""Classification codes: 功能分类 (functional: 类 3 digits, 款 5, 项 7) and 经济分类 (economic: 类 3, 款 5).

Rules of `parse_code`:
1. A code is printed whole ('2010301') or split over 类 | 款 | 项 columns ('201', '03', '01'); the parts
   are joined in column order. A part may be missing on rows of a higher level ('201', '', '').
2. Level follows the length: 3 → 1 (类), 5 → 2 (款), 7 → 3 (项); the parent is the code cut to the
   length of the level above. Any other length is not a code.
3. A 款 printed alone ('03' under the 款 column, or '10 人力资源事务' with a 2-digit 款 code) takes its 类
   from the closest 类 row above it (`complete_code`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = re.compile(r"^\d+$")
LEVEL_BY_LENGTH = {3: 1, 5: 2, 7: 3}
LENGTH_BY_LEVEL = {1: 3, 2: 5, 3: 7}


@dataclass(frozen=True)
class SubjectCode:
    code: str
    level: int  # 1 类, 2 款, 3 项

    @property
    def parent(self) -> str | None:
        return None if self.level == 1 else self.code[: LENGTH_BY_LEVEL[self.level - 1]]


def parse_code(*parts: str | None) -> SubjectCode | None:
    """A code from one or more printed parts (whole code, or 类 | 款 | 项 columns)."""
    texts = ["".join((p or "").split()) for p in parts]
    texts = [t for t in texts if t]
    if not texts or not all(_DIGITS.match(t) for t in texts):
        return None
    code = "".join(texts)
    level = LEVEL_BY_LENGTH.get(len(code))
    return SubjectCode(code, level) if level else None


def complete_code(partial: str, context: SubjectCode | None) -> SubjectCode | None:
    """A 2-digit 款 or 项 code printed alone, completed from the row above it (`context`)."""
    if not _DIGITS.match(partial) or len(partial) != 2 or context is None:
        return None
    if context.level == 1:
        return SubjectCode(context.code + partial, 2)
    if context.level == 2:
        return SubjectCode(context.code + partial, 3)
    return SubjectCode(context.code[:5] + partial, 3)
