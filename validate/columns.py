"""Which columns of a row add up to which: read from the header paths, not from a fixed list.

Rules:
1. The total column (`column_id` total: 合计, 总计, 本年支出/小计 …) sets the root: the columns it totals are
   those whose header path lies under the total's own parent ('本年支出/基本支出' under '本年支出').
2. A header group below the root that prints its own 小计 (or 合计) counts once, by that subtotal:
   '本年收入/小计' stands for '本年收入/一般公共预算', '本年收入/事业收入' …; '当年预算/小计' for its
   '基本支出/小计' and '项目支出'.
3. A column or group counts only if the table spec names it as a part of the total (its `column_id`, or a
   column_id of something inside the group): memo columns (政府采购项目, 备注) never do.
4. A '其中' column — '其中：人员经费', or any column under a '其中' header cell (Beijing prints 事业单位经营支出,
   上缴上级支出 and 对附属单位补助支出 under one) — is a part of the columns before it, not an addend, when the total
   has parts printed outside any '其中'. When every part is under the '其中' ('小计 | 其中: 基本支出 | 项目支出',
   Fuzhou), the '其中' only introduces the breakdown and its columns are the addends. Read from the header alone.
5. Each such group subtotal is itself a total: 小计 = Σ its direct columns that are parts (sub-groups by
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
        return is_of_which(self.path)


def is_of_which(column_label: str) -> bool:
    """A '其中' column: its header, at any level, says it is part of what comes before ('其中：人员经费', a column
    under a '其中' header cell)."""
    return any(level.startswith(("其中", "含")) for level in column_label.split("/"))


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _parts_outside_of_which(scope: list[AmountColumn], parts: tuple[str, ...], root: str) -> bool:
    """Rule 4: does the total have a part printed outside every '其中'? A sub-group's 小计 stands for its parts; the
    小计 of the whole scope is another total over it, no part ('三公/小计' beside '三公/公务用车购置及运行费 |
    其中：购置')."""
    return any(not c.of_which and (c.column_id in parts or (c.leaf in SUBTOTAL_LEAVES and c.parent != root))
               for c in scope)


def _under(path: str, root: str) -> bool:
    return root == "" or path.startswith(root + "/")


class ColumnTree:
    def __init__(self, columns: list[AmountColumn]):
        self.columns = columns
        self.subtotal: dict[str, AmountColumn] = {}
        self._addends: dict[tuple[int, tuple[str, ...]], list[AmountColumn]] = {}  # the header is one for all rows
        for col in columns:
            if col.leaf in SUBTOTAL_LEAVES and col.parent and col.parent not in self.subtotal:
                self.subtotal[col.parent] = col

    def addends(self, total: AmountColumn, parts: tuple[str, ...]) -> list[AmountColumn]:
        """The columns that add up to `total` (rules 1–4): read from the header once per total column, not per row."""
        key = (total.col_no, parts)
        if key not in self._addends:
            self._addends[key] = self._find_addends(total, parts)
        return self._addends[key]

    def _find_addends(self, total: AmountColumn, parts: tuple[str, ...]) -> list[AmountColumn]:
        root = total.parent
        scope = [c for c in self.columns if c is not total and _under(c.path, root) and c.path != total.path]
        skip_of_which = _parts_outside_of_which(scope, parts, root)
        out: list[AmountColumn] = []
        for col in scope:
            if col.of_which and skip_of_which:
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
        """(subtotal, its direct columns) for every relevant group with a 小计 (rule 5); the table's own total
        column is checked by the row total, not here."""
        out = []
        for group, sub in self.subtotal.items():
            if sub is total or not self._relevant(group, parts):
                continue
            members: list[AmountColumn] = []
            scope = [c for c in self.columns if c is not sub and c.path.startswith(group + "/")]
            skip_of_which = _parts_outside_of_which(scope, parts, group)
            for col in scope:
                if col.of_which and skip_of_which:
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
