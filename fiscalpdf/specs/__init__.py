"""Table specs: the table concepts as data (tables.toml) and the 功能分类 类 names (classes.toml).

Code reads the specs; a region's variant is a pattern added to the TOML, never an `if` in the code, and a new
concept is one TOML block (plus its own rules, if the generic ones do not say all it must satisfy).

A concept's `role` says what the pipeline does with it:
- `standard`: one of the disclosure's standard tables: its cells are extracted, its identities checked, and
  the identities across tables compare it with the others;
- `other`: a money table outside the standard set: its cells are extracted, nothing is checked;
- `listed`: recorded (title, pages) but not extracted — performance forms, whose cells are text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from ..normalize.qualifiers import QUALIFIER_LEVEL
from ..normalize.text import clean_label, strip_numbering

ROLES = ("standard", "other", "listed")
_YEAR_PREFIX = re.compile(r"^\d{4}年度?")
_OF_WHICH = re.compile(r"^(其中|含)[:：]?")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


def compile_patterns(patterns: list[str], where: str) -> tuple[re.Pattern, ...]:
    """The patterns of a spec file compiled; a bad one is named with `where` (its file and entry)."""
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p))
        except re.error as exc:
            raise ValueError(f"{where}: bad pattern {p!r}: {exc}") from exc
    return tuple(out)


@dataclass(frozen=True)
class TableSpec:
    id: str
    name: str
    titles: tuple[re.Pattern, ...]
    role: str = "standard"
    number: int | None = None  # its place in the standard set (公开01表 …), the order the documents print them
    not_titles: tuple[re.Pattern, ...] = ()
    blocks: dict[str, tuple[re.Pattern, ...]] = field(default_factory=dict)
    columns: dict[str, tuple[re.Pattern, ...]] = field(default_factory=dict)
    rows: dict[str, dict[str, tuple[re.Pattern, ...]]] = field(default_factory=dict)
    identities: tuple[str, ...] = ()
    row_blocks: bool = False  # rows may name the block (a 三公 table printing 预算数 and 决算数 as rows)
    # the column ids that add up to a row's total column (the generic `<id>.row_total` identity); 基本支出 may
    # be printed split into 人员经费 and 公用经费: where it is not printed, those parts stand for it
    row_parts: tuple[str, ...] = ()
    # 类 lines printed by name only (收支总表 …) get their 功能分类 code from classes.toml
    codes_from_class_names: bool = False
    fund: str | None = None  # the fund all its amounts are money of (gpb for the 一般公共预算 tables), if one
    outer_total: str | None = None  # the id of a total column spanning another total of its group
    printed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a title as printed → where (printed.toml)
    # a table printing as rows what others print as columns (a 三公 table of item rows): column id → row patterns
    row_items: dict[str, tuple[re.Pattern, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"spec {self.id}: unknown role {self.role!r}; known: {', '.join(ROLES)}")
        if not self.titles:
            raise ValueError(f"spec {self.id}: no title patterns")

    @property
    def has_cells(self) -> bool:
        """Its cells are extracted (standard and other money tables; not listed forms)."""
        return self.role != "listed"

    @property
    def is_standard(self) -> bool:
        return self.role == "standard"

    def matches_title(self, title_key: str) -> bool:
        return any(p.search(title_key) for p in self.titles) and not any(p.search(title_key) for p in self.not_titles)

    def column_key(self, path: str) -> str:
        """The path columns are grouped by (validate/columns.py): where the column's id is named above levels that
        only say its basis or fund ('总计/一般公共预算', '合计/预算数'), those levels come first, so that the columns
        of one fund or basis group together the way the columns of one block do."""
        levels = path.split("/")
        core = self._core(levels)
        if core != levels and self._match(path) is None and self._match("/".join(core)) is not None:
            return "/".join(levels[len(core):] + core)
        return path

    def _core(self, levels: list[str]) -> list[str]:
        core = list(levels)
        while len(core) > 1 and QUALIFIER_LEVEL.match(core[-1]) and self.block_of_levels([core[-2]]) is None:
            core.pop()  # (a level naming a block — '人员经费/决算数' — is the block, the leaf its amount)
        return core

    def column_id(self, path: str) -> str | None:
        """The canonical id of a column from its header path ('本年支出/基本支出' → 'basic'). Levels below the one
        that names the thing and only say its basis, year or fund ('…/合计/预算数', '公务接待费/一般公共预算') are
        set aside when the path as printed names nothing ('支出/预算数' is an amount column as printed). A pattern
        holding a '/' is matched against the whole path: '^(?!.*/)预算数$' names a one-level header only."""
        levels = path.split("/")
        core = self._core(levels)
        for candidate in ([levels, core] if core != levels else [levels]):
            found = self._match("/".join(candidate))
            if found is not None:
                return found
        return None

    def _match(self, path: str) -> str | None:
        leaf = _YEAR_PREFIX.sub("", path.rsplit("/", 1)[-1])  # '2026年预算数' is a 预算数 column
        for column_id, patterns in self.columns.items():
            for p in patterns:
                if p.search(path if "/" in p.pattern else leaf):
                    return column_id
        return None

    def block(self, path: str) -> str | None:
        """The side-by-side block a column belongs to, from a header level above its leaf."""
        return self.block_of_levels(path.split("/")[:-1])

    def block_of_levels(self, levels: list[str]) -> str | None:
        """The first block (in spec order: specific before general) named by any of these header texts."""
        for block, patterns in self.blocks.items():
            if any(p.search(level) for level in levels for p in patterns):
                return block
        return None

    def row_item(self, label: str) -> str | None:
        """The column id a row stands for where the table prints its items as rows ('其中：(1)公务用车购置费' →
        vehicle_purchase), from its label without '其中' and numbering."""
        key = strip_numbering(_OF_WHICH.sub("", label))
        return next((item for item, patterns in self.row_items.items() if any(p.search(key) for p in patterns)), None)

    def row_role(self, block: str | None, label: str) -> str | None:
        """The role of a row ('total', 'carry_in' …) in its block, from its label without numbering."""
        key = strip_numbering(label)
        roles = self.rows.get(block or "") or self.rows.get((block or "").split("_")[0], {})
        for role, patterns in roles.items():
            if any(p.search(key) for p in patterns):
                return role
        return None


@dataclass(frozen=True)
class Specs:
    tables: tuple[TableSpec, ...]
    class_codes: dict[str, str]  # 功能分类 类 name → 3-digit code
    # 3-digit 类 codes of each classification: function (2xx), econ (部门经济, 3xx), gov_econ (政府经济, 5xx)
    class_lists: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ids = [s.id for s in self.tables]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"table ids declared twice: {', '.join(repeated)}")

    @property
    def standard(self) -> tuple[TableSpec, ...]:
        """The standard concepts, in the order the documents print them."""
        found = [s for s in self.tables if s.is_standard]
        return tuple(sorted(found, key=lambda s: (s.number is None, s.number or 0)))

    def with_role(self, role: str) -> tuple[TableSpec, ...]:
        return tuple(s for s in self.tables if s.role == role)

    def by_id(self, table_id: str) -> TableSpec:
        for spec in self.tables:
            if spec.id == table_id:
                return spec
        raise KeyError(f"no spec {table_id!r}; known: {', '.join(s.id for s in self.tables)}")

    def identify(self, title: str) -> TableSpec | None:
        """The spec whose title patterns name this title (label, year, department already removed)."""
        key = title_key(title)
        for spec in self.tables:
            if spec.matches_title(key):
                return spec
        return None

    def class_code(self, label: str) -> str | None:
        """The 功能分类 类 code of a summary-table line named by its 类 ('一、一般公共服务支出' → '201'): the whole of a
        name classes.toml lists for it, or that name without its closing 支出 ('1、一般公共服务'). Never a prefix: a
        款 named like the start of its 类 ('文化和旅游', 款 20701 under 207) is no 类 line."""
        key = strip_numbering(clean_label(label))
        return self.class_codes.get(key) or self.class_codes.get(key + "支出")


def title_key(title: str) -> str:
    """A title reduced for matching: normalized, no whitespace, no quotes, no leading year."""
    key = clean_label(title).translate(_QUOTES)
    return re.sub(r"^\d{4}年度?", "", key)


@cache
def load_specs() -> Specs:
    root = files(__package__)
    return specs_from_toml((root / "tables.toml").read_text(encoding="utf-8"),
                           (root / "printed.toml").read_text(encoding="utf-8"),
                           (root / "classes.toml").read_text(encoding="utf-8"))


def specs_from_toml(tables_toml: str, printed_toml: str = "", classes_toml: str = "[classes]") -> Specs:
    """Specs from the text of tables.toml, printed.toml and classes.toml (tests add a concept this way)."""
    raw = tomllib.loads(tables_toml)
    printed = tomllib.loads(printed_toml)
    tables = []
    for t in raw["table"]:
        where = f"spec {t.get('id', '?')}"
        tables.append(TableSpec(
            id=t["id"], name=t["name"], role=t.get("role", "standard"), number=t.get("number"),
            titles=compile_patterns(t["titles"], where), not_titles=compile_patterns(t.get("not_titles", []), where),
            blocks={b: compile_patterns(p, where) for b, p in t.get("blocks", {}).items()},
            columns={c: compile_patterns(p, where) for c, p in t.get("columns", {}).items()},
            rows={b: {r: compile_patterns(p, where) for r, p in roles.items()}
                  for b, roles in t.get("rows", {}).items()},
            identities=tuple(t.get("identities", ())), row_blocks=t.get("row_blocks", False),
            row_parts=tuple(t.get("row_parts", ())),
            codes_from_class_names=t.get("codes_from_class_names", False),
            fund=t.get("fund"), outer_total=t.get("outer_total"),
            printed={title: tuple(where) for title, where in printed.get(t["id"], {}).items()},
            row_items={i: compile_patterns(p, where) for i, p in t.get("row_items", {}).items()},
        ))
    lists = tomllib.loads(classes_toml)
    classes = lists["classes"]
    class_codes = {name: code for code, names in classes.items() for name in names}
    class_lists = {"function": frozenset(classes), "econ": frozenset(lists.get("econ_classes", {})),
                   "gov_econ": frozenset(lists.get("gov_econ_classes", {}))}
    return Specs(tuple(tables), class_codes, class_lists)
