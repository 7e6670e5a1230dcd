"""Which columns of a row add up to which: read from the header paths, not from a fixed list.

Rules:
1. The total column (`column_id` total: 合计, 总计, 本年支出/小计 …) sets the root: the columns it totals are
   those whose header path lies under the total's own parent ('本年支出/基本支出' under '本年支出').
2. A header group below the root that prints its own 小计 (or 合计) counts once, by that subtotal:
   '本年收入/小计' stands for '本年收入/一般公共预算', '本年收入/事业收入' …; '当年预算/小计' for its
   '基本支出/小计' and '项目支出'.
3. A column or group counts only if the table spec names it as a part of the total (its `column_id`, or a
   column_id of something inside the group): memo columns (政府采购项目, 备注) and '其中：' columns never do.
4. Each such group subtotal is itself a total: 小计 = Σ its direct columns that are parts (sub-groups by
   their own 小计).
"""

from __future__ import annotations

from dataclasses import dataclass

SUBTOTAL_LEAVES = ("小计", "合计")


@dataclass(frozen=True)
class AmountColumn:
    col_no: int
    path: str
    column_id: str | None

    @property
    def parent(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @property
    def leaf(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def of_which(self) -> bool:
        return self.leaf.startswith(("其中", "含"))


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _under(path: str, root: str) -> bool:
    return root == "" or path.startswith(root + "/")


class ColumnTree:
    def __init__(self, columns: list[AmountColumn]):
        self.columns = columns
        self.subtotal: dict[str, AmountColumn] = {}
        for col in columns:
            if col.leaf in SUBTOTAL_LEAVES and col.parent and col.parent not in self.subtotal:
                self.subtotal[col.parent] = col

    def addends(self, total: AmountColumn, parts: tuple[str, ...]) -> list[AmountColumn]:
        """The columns that add up to `total` (rules 1–3)."""
        root = total.parent
        out: list[AmountColumn] = []
        for col in self.columns:
            if col is total or col.of_which or not _under(col.path, root) or col.path == total.path:
                continue
            groups = [p for p in _ancestors(col.path) if len(p) > len(root) and p in self.subtotal]
            if groups:
                group = groups[0]
                sub = self.subtotal[group]
                if sub not in out and self._relevant(group, parts):
                    out.append(sub)
            elif col.column_id in parts and col.leaf not in SUBTOTAL_LEAVES:
                out.append(col)
        return out

    def _relevant(self, group: str, parts: tuple[str, ...]) -> bool:
        return any(c.column_id in parts for c in self.columns if c.path.startswith(group + "/") or c.path == group)

    def subtotal_parts(self, parts: tuple[str, ...],
                       total: AmountColumn | None = None) -> list[tuple[AmountColumn, list[AmountColumn]]]:
        """(subtotal, its direct columns) for every relevant group with a 小计 (rule 4); the table's own total
        column is checked by the row total, not here."""
        out = []
        for group, sub in self.subtotal.items():
            if sub is total or not self._relevant(group, parts):
                continue
            members: list[AmountColumn] = []
            for col in self.columns:
                if col is sub or col.of_which or not col.path.startswith(group + "/"):
                    continue
                deeper = [p for p in _ancestors(col.path) if len(p) > len(group) and p in self.subtotal]
                if deeper:
                    item = self.subtotal[deeper[0]]
                    if not self._relevant(deeper[0], parts):
                        continue
                elif col.column_id in parts:
                    item = col
                else:
                    continue  # a memo column (扣除基建项目后预算数 …) is not a part
                if item not in members and item is not sub:
                    members.append(item)
            if members:
                out.append((sub, members))
        return out
