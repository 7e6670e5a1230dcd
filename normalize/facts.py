"""The figures a disclosure's prose states (情况说明), read into `Fact`s: the `facts` dataset.

The vocabulary (which fact_ids exist, the words that name them, in which sections, the table figure each
restates) is data: fiscalpdf/specs/facts.toml. This module holds the reading rules.

Fields of a `Fact` (fiscalpdf.model; the `facts` dataset's columns, fiscalpdf.schema)
-----------------------------------------------------------------------------------
- fact_no: 1-based order in the document (order of the figures as printed; two facts of one figure in the
  order of their names in the vocabulary phrase, income before expenditure).
- fact_id: a closed vocabulary (specs/facts.toml); measure: money | count.
- value: money in 元 whatever the printed unit (0.5万元 → 5000), exact Decimal; counts as printed numbers.
  None when the sentence states only a change of the thing ("收入支出总计持平", "基本支出增加 49.12 万元").
- unit: as printed for the value (万元, 元, 个, 人次, 辆, 台（套）…), or for the change when there is no value;
  None when the sentence prints no number for the fact (持平).
- subject_code / subject_label: the 功能分类 类 (code from specs/classes.toml, label = the class as printed,
  ending at its （类） when printed: 一般公共服务（类）, 一般公共服务支出（类）, 科学技术支出), the 款/项 path
  as printed (一般公共服务（类）信访事务（款）行政运行（项）, code None) or a printed coded item
  (2080501-行政单位离退休 or 其他卫生健康支出（2109901）: code and name), the pool of an SME procurement figure,
  the kind of a vehicle; None for other facts.
- period: prior for a figure of an earlier year: the base of a comparison naming an earlier year
  ("比 2025 年年初预算数 9819.98 万元减少…") or a figure after which the last year the sentence names (outside
  comparisons) is before the document's ("2025年预算数为9.23万元", "截至2020年底，…车辆0台，…设备0台（套）" in a
  2021 budget: both); current otherwise.
- basis: budget | adjusted_budget | final: the last basis word between the figure's name (or the previous
  figure) and the figure, comparisons and fund names (一般公共预算, 政府性基金预算 …) left out: 年初预算/预算 →
  budget; 全年预算/调整(后)预算 → adjusted_budget; 决算/执行/实际 → final; no word → the document's kind
  (部门预算 → budget, 部门决算 → final). Counts take it the same way.
- change_value: 元, signed: 增加/增长/上升/提高 X → +X, 减少/下降/降低/减低 X → −X, 持平 → 0 (基本持平 is an
  approximation, not a figure). change_pct: the printed percentage after 增长/下降/降低/…, signed the same way,
  in percent (降低20.0% → -20.0). change_basis: prior_year when the comparison words name an earlier year,
  上年/去年/同比; budget when they name a 预算 of the same year (比年初预算数减少); None when the sentence
  states no comparison.
- section: the innermost heading the sentence sits under, as printed (whitespace collapsed): 第X部分 (level 0),
  一、 (1), （一） (2), or an arabic-numbered title line (3: '1.政府采购情况' — a short line, no punctuation, no
  figure). section kind (not a column): the outermost of these headings that names a kind in facts.toml
  ('五、其他情况说明' names none, its '（一）政府采购预算说明' does; see "Section kinds" below for a part's title).
  Parts named 附件/名词解释 hold no facts.
- page: the page the figure is printed on (for a fact without a value, the page of its change).
- text: the sentence verbatim (lines joined, whitespace collapsed); two sentences when the second continues the
  first (rule 6).
- flags (the column `cell_flags`, as cells name theirs; declared in fiscalpdf/flags.py): how it was read:
  subject_from_lead (rule 7), joined_sentence (rule 6), change_only (no value), change_conflict (a second,
  different change for the same fact: the first is kept), comparison_base (the figure a sentence compares
  another with: '比 2025 年年初预算数 9819.98 万元').

Reading rules (each one a row of tests/normalize/test_facts.py)
--------------------------------------------------------------
1. Sentences: lines are joined across line and page breaks (a number wrapped over two lines stays one); a
   sentence ends at 。！？ outside brackets, before a heading, before a line starting an enumerated item (1. 1、
   （1） （一）…), before a paragraph (an indented line) that follows '：' ('…3,745.07 万元，其中：' then
   '人员支出 2,906.80 万元…'), and after an enumerated line with no punctuation standing alone — the next line
   begins something new ('（一）本年财政拨款收入 9616.34 万元'). Headings: 第X部分; 一、 and （一） lines without
   figure or punctuation inside (a full one joins its next line when its brackets are open or the next line is
   a short tail without punctuation — '…财政拨款收' + '支预算情况的总体说明'; a full one going on into a full
   line is an enumerated paragraph, not a heading); arabic-numbered short lines standing alone (not ending in
   a number: '(7)对企业补助（基本建设）（311） 0' is a table row). Lines holding only a page number ('- 4 -',
   '— 5 —', '15') at the top or bottom of a page are dropped; so are pages that
   are tables (`is_table_page`, or the caller's predicate) and lines inside the grid or title of a table the
   caller found on the page (a 绩效目标表's cells): a table's lines are not prose.
2. Numbers are read exactly (Decimal) in a normalized key of the sentence: full-width digits, ',' thousands
   separators, '0.5万元', '1,234.56元'. A number counts only with a unit right after it (万元, 元, 亿元, %,
   个, 人次, 辆, 台（套）…; a bare 万 before punctuation is 万元: '其中当年预算1682.76万。'): a number printed
   without unit is not a figure ('比 2025 年初预算数 56,831.85 增加').
3. One fact per thing named and figure stated: '收、支总计259.15万元' → income_total and expenditure_total;
   '预算为0.5万元，支出决算为0万元' → two facts (budget, final); a list after 其中： gives one fact per item.
4. A figure belongs to the nearest name before it in its clause (clauses end at ，；：。); a clause naming
   nothing inherits the name of the clause before when it holds only connector words (年度, 预算, 决算, 为,
   其中 …: '支出决算为0万元'); any other word ('其中主要支出为办公费34.82万元') leaves the figure unnamed: no fact.
5. A change goes to the thing named just before its verb in its clause (the latest fact with that id, else a
   fact without value); otherwise to the facts of the last figure stated at the same bracket depth ('各增加' —
   both facts of '收、支总计'; GZ's '6.7万元（…。）比上年减少2.3万元' goes to the 6.7). A figure inside
   '比…' is the base of the comparison: a fact of its own (period prior when the base names an earlier year),
   never the one the change goes to. A clause that names only a side of the account ('收入较去年减少…',
   '支出较去年减少…' after '…收入预算 68632.12 万元，其中…') gives its change to the sentence's first figure of
   that side.
6. A sentence that states changes but no figure, and names nothing or only things the sentence before stated,
   continues that sentence ('…总决算 20727.53 万元。与 2023 年度相比，财政拨款收、支总计各增加 5551.7 万元'):
   the changes go to its facts and the text holds both sentences — to the whole when that sentence stated a
   whole and its parts after 其中 ('支出预算 10344.71 万元，其中：基本支出…、项目支出…。比上年减少 32.61 万元').
7. A sentence whose figure names nothing (its clause is connector words) takes the subject of its list item:
   the enumerated sentence that named one thing without a figure ('（一）因公出国（境）费用。' then
   '2026 年预算数 166.98 万元'; '1、…行政运行（项）。' then '年初预算为102.55万元'), or a heading that is that
   name ('（一）因公出国（境）经费').
8. Counts: a number with a count unit (个, 人次, 批次, 辆, 台（套）…) is the count its clause names (保有量 →
   three_public_vehicles, 购置/更新 → three_public_vehicles_purchased, 项目 → performance_projects), else the count
   whose context is the last money thing named and whose units hold it (团组0个, 累计0人次 after 因公出国（境）费;
   10 批次、152 人次 after 公务接待).
9. Not facts: shares (占 72.0%), completion rates (完成预算的 100%), averages (平均每辆 2.71 万元), thresholds
   (单位价值100万元以上), rates (342 元/㎡), 基本持平, figures naming nothing of the vocabulary, figures in
   sections whose kind does not admit the name (a bare 基本支出 in a 政府性基金 section; an item — a 类/款/项
   path, a coded name, 其他…支出 — where items are no facts names the item, not its 类), a part of a
   carry-over ('上年结转结余的一般公共预算收入 0 万元' is neither the carry-over nor that income).
10. A 基本支出 or 项目支出 figure followed by 其中 opens its breakdown: the 类 and items listed after it, in its
   sentence and the sentences after it up to the next enumerated item or heading, are parts of that figure
   ('（二）项目支出：…项目支出预算 40233.95 万元，…其中：…公共安全支出 40230.95 万元'), not the 类's totals: no facts.
   So is whatever is listed after 其中 under an economic class's figure ('对个人和家庭的补助（303）100151.38 万元,
   其中：人员经费 138.06 万元'): the 人员经费 of that class, not the department's.

Section kinds: a sentence's kind is that of the outermost heading naming one; a part's title (第X部分 收支情况)
counts only when no heading under it names a kind (under '第二部分 收支情况', '（二）财政拨款收支情况' is a 财政拨款
section), except an appendix (第五部分 附件), which holds no facts whatever its headings say.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Callable, Iterable

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from ..flags import CHANGE_CONFLICT, CHANGE_ONLY, COMPARISON_BASE, JOINED_SENTENCE, SUBJECT_FROM_LEAD
from ..model import BBox, Fact, PageText
from ..normalize.text import CHARACTER_FORMS
from ..normalize.units import UNIT_FACTORS
from ..specs import compile_patterns, load_specs

MEASURES = ("money", "count")
COUNTERPART_KEYS = {"concept", "block", "row", "column", "compare"}


# ---------------------------------------------------------------------------------------------- vocabulary
@dataclass(frozen=True)
class FactSpec:
    id: str
    measure: str
    zh: str
    en: str
    sections: tuple[str, ...]
    phrases: tuple[tuple[re.Pattern, tuple[str, ...] | None], ...] = ()  # (pattern, only in these kinds)
    table: dict[str, tuple[dict[str, str], ...]] = field(default_factory=dict)  # section kind or '*' → counterparts
    subject: str | None = None  # class | item | label
    units: tuple[str, ...] = ()
    context: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"fact {self.id}: measure {self.measure!r} is not one of {MEASURES}")
        if self.measure == "count" and not self.units:
            raise ValueError(f"fact {self.id}: a count needs its printed units")
        if self.subject not in (None, "class", "item", "label"):
            raise ValueError(f"fact {self.id}: unknown subject {self.subject!r}")

    def counterparts(self, section_kind: str | None) -> tuple[dict[str, str], ...]:
        """The table figures this fact restates in a section of this kind, the first a document prints being
        the one: {concept, block, row, column, compare} as facts.toml declares them (none: no table has it)."""
        return self.table.get(section_kind or "", self.table.get("*", ()))


@dataclass(frozen=True)
class Vocabulary:
    sections: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    facts: dict[str, FactSpec]
    truth_scope: tuple[str, ...]
    class_codes: dict[str, str]  # 类 name → code

    def section_kind(self, heading: str) -> str | None:
        key = prose_key(heading)[0]
        for kind, patterns in self.sections:
            if any(p.search(key) for p in patterns):
                return kind
        return None

    def in_section(self, kind: str | None) -> list[FactSpec]:
        return [f for f in self.facts.values() if kind is not None and kind in f.sections]


def _phrases(entries, where: str, kinds: set[str]) -> tuple[tuple[re.Pattern, tuple[str, ...] | None], ...]:
    out = []
    for e in entries:
        pattern, only = (e["p"], tuple(e["sections"])) if isinstance(e, dict) else (e, None)
        if only is not None and set(only) - kinds:
            raise ValueError(f"facts.toml {where}: unknown section kinds {sorted(set(only) - kinds)}")
        out.append((compile_patterns([pattern], f"facts.toml {where}")[0], only))
    return tuple(out)


@cache
def load_vocabulary() -> Vocabulary:
    root = files("fiscalpdf.specs")
    raw = tomllib.loads((root / "facts.toml").read_text(encoding="utf-8"))
    sections = tuple((s["kind"], compile_patterns(s["headings"], f"facts.toml {s['kind']}"))
                     for s in raw["section"])
    kinds = {k for k, _ in sections}
    facts: dict[str, FactSpec] = {}
    for f in raw["fact"]:
        if f["id"] in facts:
            raise ValueError(f"facts.toml: fact {f['id']} declared twice")
        unknown = set(f.get("sections", ())) - kinds
        if unknown:
            raise ValueError(f"facts.toml {f['id']}: unknown section kinds {sorted(unknown)}")
        facts[f["id"]] = FactSpec(
            id=f["id"], measure=f["measure"], zh=f["zh"], en=f["en"], sections=tuple(f.get("sections", ())),
            phrases=_phrases(f.get("phrases", ()), f["id"], kinds),
            table={k: tuple(v) if isinstance(v, list) else (v,) for k, v in f.get("table", {}).items()},
            subject=f.get("subject"), units=tuple(f.get("units", ())), context=tuple(f.get("context", ())))
    for spec in facts.values():
        for where, targets in spec.table.items():
            for target in targets:
                unknown = set(target) - COUNTERPART_KEYS
                if "concept" not in target or unknown or (where != "*" and where not in kinds):
                    raise ValueError(f"facts.toml {spec.id}: bad table counterpart {where} = {target}")
        missing = set(spec.context) - set(facts)
        if missing:
            raise ValueError(f"facts.toml {spec.id}: context names unknown facts {sorted(missing)}")
    return Vocabulary(sections, facts, tuple(raw["scope"]["truth"]), load_specs().class_codes)


# ---------------------------------------------------------------------------------------------- the key
_KEEP_FULL = set("（）：；，、！？。")
_TO_FULL = {"(": "（", ")": "）", ":": "：", ";": "；", "!": "！", "?": "？"}
_QUOTES = set("\"'“”‘’「」『』")


def prose_key(text: str) -> tuple[str, list[int]]:
    """The text as patterns see it, and for each key character the index of the text character it comes from.

    Full-width digits, letters, ％ and ． become ASCII; Kangxi radicals and radicals-supplement characters become
    ideographs, traditional forms simplified ones (as `normalize_text` maps them); brackets, colons, semicolons
    and CJK commas are full-width; quotes and whitespace go, except one space between two digits (so that
    '图 1 2024 年' never reads as 12024)."""
    out: list[str] = []
    where: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch.isspace():
            prev = out[-1] if out else ""
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            nxt = _key_char(text[j]) if j < n else ""
            if prev.isdigit() and nxt[:1].isdigit() and prev != " ":
                out.append(" ")
                where.append(i)
            continue
        if ch in _QUOTES:
            continue
        k = _KEY_CHARS.get(ch)  # inline: this loop runs once per character of the prose (~390,000 over the corpus)
        if k is None:
            k = _key_char(ch)
        if k == "," and not (out and out[-1].isdigit() and i + 1 < n and _key_char(text[i + 1])[:1].isdigit()):
            k = "，"
        if len(k) == 1:  # every character's key is one character today; the loop below keeps `where` right if not
            out.append(k)
            where.append(i)
        else:
            for c in k:
                out.append(c)
                where.append(i)
    return "".join(out), where


# Each character's key, made once per process: a pure function of the character, and NFKC or a translate for each
# of the prose's characters cost more than the rest of prose_key (0.45 -> 0.15 s over the corpus); a process
# meets a few thousand distinct characters.
_KEY_CHARS: dict[str, str] = {}


def _key_char(ch: str) -> str:
    k = _KEY_CHARS.get(ch)
    if k is None:
        k = _KEY_CHARS[ch] = _key_char_uncached(ch)
    return k


def _key_char_uncached(ch: str) -> str:
    if ch in _KEEP_FULL:
        return ch
    if ch in _TO_FULL:
        return _TO_FULL[ch]
    if "\uff01" <= ch <= "\uff5e" or "\u2f00" <= ch <= "\u2fdf":
        ch = unicodedata.normalize("NFKC", ch)
        return _TO_FULL.get(ch, ch)
    return ch.translate(CHARACTER_FORMS)


# ---------------------------------------------------------------------------------------------- numbers
_NUMBER = r"(?<![\d.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])"
_MONEY_UNITS = ("亿元", "万元", "千元", "元", "万")
# money units as printed → 元; a bare 万 ('当年预算1682.76万。') is 万元 when punctuation follows it
MONEY_FACTORS = {**UNIT_FACTORS, "万": UNIT_FACTORS["万元"]}
_COUNT_UNITS = ("台（套）", "人次", "批次", "个", "辆", "台", "套", "批", "人", "项", "次", "家")
_AMOUNT = re.compile(_NUMBER + r"(?P<unit>亿元|万元|千元|元|万(?=[，。；：、）！？]|$)|%|"
                     + "|".join(map(re.escape, _COUNT_UNITS)) + ")")
_NOT_A_FIGURE_AFTER = re.compile(r"^(?:（含）)?(?:以上|以下|以内)|^/")
_AVERAGE = re.compile(r"平均|每辆|每人|人均")
_VERB = re.compile(r"(?P<each>各)?(?P<verb>增加|增长|上升|提高|减少|下降|降低|减低)(?:了)?(?=\d)")
_FLAT = re.compile(r"(?<!基本)持平")
_CMP_VERB = r"(?:各)?(?:增加|增长|上升|提高|减少|下降|降低|减低|持平)"
_COMPARE_BI = re.compile(r"(?<![占对相])(?:比|较)(?![重例率])(?P<body>(?:(?!" + _CMP_VERB + r")[^，；。：])*)")
_COMPARE_WITH = re.compile(r"(?:与|和(?=\d{4}年|上年))(?P<body>[^，；。：]{0,24}?)(?:相比|持平|比)")
_SAME_PERIOD = re.compile(r"同比")
_PRIOR_WORDS = re.compile(r"上年|去年|上一年|上年度|同期")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_FUND_WORDS = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|部门预算|单位预算|预算单位|预算管理|预算绩效")
_BASIS_WORDS = re.compile(r"调整后预算|调整预算|全年预算|年初预算|预算|决算|执行|实际")
_BASIS_OF = {"调整后预算": "adjusted_budget", "调整预算": "adjusted_budget", "全年预算": "adjusted_budget",
             "年初预算": "budget", "预算": "budget", "决算": "final", "执行": "final", "实际": "final"}
_POSITIVE = {"增加", "增长", "上升", "提高"}
# words that may stand between a figure and the name of an earlier clause (rule 4)
_CONNECTOR = re.compile(r"\d{4}年度?|年度|其中|包括|全年|本年|当年|年初|年末|支出|安排|预算|决算|执行|实际|调整后|调整|"
                        r"合计|共计|累计|总计|数|为|是|共|达|金额|资金|合同|采购")
_CLAUSE_END = "，；：。！？"


def parse_money(number: str, unit: str) -> Decimal:
    """'1,234.56', '万元' → 12345600 (元): exact."""
    return Decimal(number.replace(",", "")) * MONEY_FACTORS[unit]


def money_factor(unit: str | None) -> Decimal | None:
    """元 per printed money unit (万元 and a bare 万: 10000); None for a count's unit or none."""
    return MONEY_FACTORS.get(unit or "")


# ---------------------------------------------------------------------------------------------- pages → lines
_PAGE_NO = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,4}(?:\s*页)?[-—–－\s]*$|^[-—–－\s]+$")
_HEADING0 = re.compile(r"^第[一二三四五六七八九十]+部分")
_HEADING1 = re.compile(r"^[一二三四五六七八九十]{1,3}[、．.](?!\d)")
_HEADING2 = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_TITLE3 = re.compile(r"^(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[）)])")
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、．.](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)]"
                         r"|\d{1,2}[.、．](?!\d))")
_PUNCT = re.compile(r"[，。；：！？,;:]")
_BARE_DECIMAL = re.compile(r"(?<![\d.,])\d[\d,]*\.\d+(?![\d.,])")
_AMOUNT_UNIT_START = re.compile(r"^(?:亿元|万元|千元|元|%|万|" + "|".join(map(re.escape, _COUNT_UNITS)) + ")")


@dataclass(frozen=True)
class _Line:
    page: int
    text: str
    bbox: BBox
    full: bool  # reaches the right margin (the document's, for its page width)
    indented: bool  # starts right of the left margin: a paragraph's first line


def is_table_page(page: PageText) -> bool:
    """A page of table body: three or more lines, and a third or more of its lines with digits, hold a number
    with decimals that no unit follows (186.67 in a grid, never '186.67 万元' in a sentence)."""
    with_digits = 0
    tabular = 0
    texts = [unicodedata.normalize("NFKC", ln.text) for ln in page.lines]
    for i, text in enumerate(texts):
        if not any(c.isdigit() for c in text):
            continue
        with_digits += 1
        bare = 0
        for m in _BARE_DECIMAL.finditer(text):
            rest = text[m.end():].lstrip() or (texts[i + 1].lstrip() if i + 1 < len(texts) else "")
            if not _AMOUNT_UNIT_START.match(rest):
                bare += 1
        if bare:
            tabular += 1
    return tabular >= 3 and tabular * 3 >= with_digits


def prose_lines(pages: Iterable[PageText], skip: Callable[[PageText], bool] | None = None,
                tables: Iterable[tuple[int, BBox]] = ()) -> list[_Line]:
    """The prose lines of the document, page after page: table pages, lines printed inside a table found on the
    page (`tables`: page and box of each grid and title) and page numbers left out (rule 1).

    A line is full when it reaches the right margin, indented when it starts right of the left margin (a
    paragraph's first line). Margins are the document's, per page width (a page of one-line paragraphs has
    no margin of its own): the right one where three lines in four end or fall short, the left one the
    smallest start a tenth of the full lines share."""
    skip = skip or is_table_page
    boxes: dict[int, list[BBox]] = {}
    for page_no, box in tables:
        boxes.setdefault(page_no, []).append(box)
    kept: list[tuple[PageText, list]] = []
    for page in pages:
        if page.needs_ocr or not page.lines or skip(page):
            continue
        lines = [ln for ln in page.lines if not _is_page_number(ln, page)
                 and not any(_inside(ln.bbox, box) for box in boxes.get(page.page_no, ()))]
        if lines:
            kept.append((page, lines))
    ends: dict[int, list[float]] = {}
    for page, lines in kept:
        ends.setdefault(round(page.width / 10), []).extend(ln.bbox.x1 for ln in lines)
    right = {width: sorted(xs)[int(0.75 * (len(xs) - 1))] for width, xs in ends.items()}
    starts: dict[int, Counter] = {}
    for page, lines in kept:
        width = round(page.width / 10)
        for ln in lines:
            if ln.bbox.x1 >= right[width] - 1.5 * max(ln.bbox.height, 1.0):
                starts.setdefault(width, Counter())[round(ln.bbox.x0)] += 1
    out: list[_Line] = []
    for page, lines in kept:
        width = round(page.width / 10)
        left = _left_margin(starts[width]) if width in starts else min(ln.bbox.x0 for ln in lines)
        for ln in lines:
            size = max(ln.bbox.height, 1.0)
            out.append(_Line(page.page_no, ln.text, ln.bbox, ln.bbox.x1 >= right[width] - 1.5 * size,
                             ln.bbox.x0 >= left + 1.2 * size))
    return out


def _inside(line: BBox, box: BBox) -> bool:
    """The line's middle lies in the box."""
    return box.contains(*line.middle)


def _left_margin(starts: Counter) -> float:
    """The smallest start shared by a tenth of the full lines (at least two): continuation lines start there,
    first lines of paragraphs further right."""
    enough = max(2, sum(starts.values()) // 10)
    shared = [x for x, n in starts.items() if n >= enough]
    return min(shared) if shared else min(starts)


def _is_page_number(line, page: PageText) -> bool:
    if not _PAGE_NO.match(line.text):
        return False
    if not page.height:
        return True
    return line.bbox.top < 0.15 * page.height or line.bbox.bottom > 0.85 * page.height


# ---------------------------------------------------------------------------------------------- lines → units
@dataclass
class _Heading:
    level: int  # 0 第X部分, 1 一、, 2 （一）, 3 an arabic-numbered title line
    text: str
    page: int


@dataclass
class _Sentence:
    chars: list[str] = field(default_factory=list)  # whitespace collapsed as it is added
    pages: list[int] = field(default_factory=list)  # the page of each character
    boxes: list[BBox | None] = field(default_factory=list)  # the line of each character
    enumerated: bool = False  # starts an enumerated item (1. 1、 （1） （一） …)

    def add(self, text: str, page: int, bbox: BBox | None = None) -> None:
        for ch in text:
            if ch.isspace():
                if not self.chars or self.chars[-1] == " ":
                    continue
                ch = " "
            self.chars.append(ch)
            self.pages.append(page)
            self.boxes.append(bbox)

    @property
    def text(self) -> str:
        return "".join(self.chars).rstrip()


def _heading_level(text: str) -> int | None:
    """0, 1 or 2 for a line shaped like a heading: its numbering, no figure, no punctuation inside (a final 。
    allowed), at most 60 characters."""
    flat = re.sub(r"\s+", "", text)
    if _HEADING0.match(flat):
        return 0
    for level, pattern in ((1, _HEADING1), (2, _HEADING2)):
        if pattern.match(flat):
            body = pattern.sub("", flat, count=1)
            if len(flat) > 60 or _has_figure(flat) or _PUNCT.search(body.rstrip("。")) or "、" in body:
                return None
            return level
    return None


def _is_title(line: _Line) -> bool:
    """An arabic-numbered line standing alone as a title ('1.政府采购情况'): short, no punctuation, no figure."""
    flat = re.sub(r"\s+", "", line.text)
    m = _TITLE3.match(flat)
    return bool(m) and len(flat) <= 30 and not line.full and not _PUNCT.search(flat[m.end():]) \
        and "、" not in flat[m.end():] and not _has_figure(flat) and not flat[-1:].isdigit()  # '…（311） 0': a row


def _has_figure(text: str) -> bool:
    return any(True for _ in _AMOUNT.finditer(prose_key(text)[0]))


def _balanced(text: str) -> bool:
    return text.count("（") + text.count("(") <= text.count("）") + text.count(")")


def _heading_tail(line: _Line) -> bool:
    """The rest of a wrapped heading: a line short of the margin, without punctuation or figure ('况说明')."""
    flat = re.sub(r"\s+", "", line.text)
    return not line.full and not line.indented and not _PUNCT.search(flat) and not _has_figure(flat)


def _begins_anew(lines: list[_Line], i: int) -> bool:
    """Line i begins something new (or there is none): a heading, an enumerated item or an indented paragraph."""
    if i >= len(lines):
        return True
    nxt = lines[i]
    return nxt.indented or _starts_item(nxt.text) or _heading_level(nxt.text) is not None


def _starts_item(text: str) -> bool:
    return bool(_ENUMERATOR.match(re.sub(r"\s+", "", text)))


def segment(lines: list[_Line]) -> list[_Heading | _Sentence]:
    """Headings and sentences in reading order (rule 1)."""
    units: list[_Heading | _Sentence] = []
    current = _Sentence()
    depth = 0

    def close() -> None:
        nonlocal current, depth
        if current.text:
            units.append(current)
        current, depth = _Sentence(), 0

    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text.strip()
        nxt = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].page == line.page else None
        level = _heading_level(text)
        if level == 0 and _HEADING0.fullmatch(re.sub(r"\s+", "", text)) and i + 1 < len(lines) \
                and _heading_level(lines[i + 1].text) is None and not _starts_item(lines[i + 1].text):
            i += 1  # '第五部分' on a line (or page) of its own: its title is the next line
            text += lines[i].text.strip()
            line = lines[i]
            nxt = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].page == line.page else None
        if level in (1, 2) and line.full and nxt is not None and _heading_level(nxt.text) is None \
                and not _starts_item(nxt.text) and not nxt.indented:
            # a full line going on into the next: a heading wrapped (brackets open, or its tail on a short
            # line of its own), or an enumerated paragraph
            if _balanced(text) and not _heading_tail(nxt):
                level = None
        if level is not None:
            while nxt is not None and _heading_level(nxt.text) is None and not _starts_item(nxt.text) \
                    and (not _balanced(text) or (line.full and _heading_tail(nxt))):
                i += 1
                text += nxt.text.strip()
                line = nxt
                nxt = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].page == line.page else None
            close()
            units.append(_Heading(level, re.sub(r"\s+", " ", text), line.page))
            i += 1
            continue
        if _is_title(line) and _begins_anew(lines, i + 1):
            close()
            units.append(_Heading(3, re.sub(r"\s+", " ", text), line.page))
            i += 1
            continue
        if _starts_item(text):
            close()
            current.enumerated = True
        elif line.indented and current.text.endswith("："):
            close()  # '…，其中：' then a paragraph: its items are sentences of their own
        elif current.chars:
            last = current.chars[-1]
            digits = last.isdigit() and text[:1].isdigit()  # a number wrapped over two lines stays one
            if last.isascii() and last.isalnum() and text[:1].isascii() and text[:1].isalnum() and not digits:
                current.add(" ", line.page, line.bbox)
        for ch in text:
            current.add(ch, line.page, line.bbox)
            if ch in "（(":
                depth += 1
            elif ch in "）)":
                depth = max(0, depth - 1)
            elif ch in "。！？" and depth == 0:
                close()
        flat = re.sub(r"\s+", "", text)
        if current.enumerated and current.text and re.sub(r"\s+", "", current.text) == flat and \
                not _PUNCT.search(flat) and _balanced(flat) and not line.full and _begins_anew(lines, i + 1):
            close()  # an enumerated line standing alone: '（一）本年财政拨款收入 9616.34 万元'
        i += 1
    close()
    return units


# ---------------------------------------------------------------------------------------------- one sentence
@dataclass
class _Name:
    ids: tuple[str, ...]
    start: int
    end: int
    code: str | None = None
    label: str | None = None


@dataclass
class _Draft:
    fact_id: str
    measure: str
    value: Decimal | None
    unit: str | None
    code: str | None
    label: str | None
    period: str
    basis: str | None
    pos: tuple[int, int]  # (sentence no, position of the figure in the sentence's key)
    page: int | None
    texts: list[str]
    section: str | None
    kind: str | None
    change_value: Decimal | None = None
    change_pct: Decimal | None = None
    change_basis: str | None = None
    flags: list[str] = field(default_factory=list)
    comparison: bool = False  # the base of a comparison: never takes a change
    bbox: BBox | None = None  # the line the figure is printed on


@dataclass
class _Context:
    vocab: Vocabulary
    year: int | None
    default_basis: str | None
    kind: str | None = None
    section: str | None = None
    lead: _Name | None = None
    previous: list[_Draft] = field(default_factory=list)  # the facts of the sentence just before
    part_list: bool = False  # inside the 其中 list of a 基本支出 / 项目支出 figure (rule 10)


@cache
def _class_pattern() -> re.Pattern:
    vocab = load_vocabulary()
    stems = sorted({_class_stem(n) for n in vocab.class_codes if n.endswith("支出")}, key=len, reverse=True)
    alt = "|".join(map(re.escape, stems))
    # '其他社会保障和就业支出' is an item of 社会保障和就业, not the 类
    return re.compile(rf"(?<!其他)(?:(?P<label>(?P<stem>{alt})等?(?:支出)?（类）)(?:支出)?"
                      rf"|(?P<label2>(?P<stem2>{alt})等?支出))")


def _class_stem(name: str) -> str:
    return re.sub(r"等$", "", re.sub(r"支出$", "", name))


@cache
def _class_codes_by_stem() -> dict[str, str]:
    return {_class_stem(n): code for n, code in load_vocabulary().class_codes.items()}


_CARRY_PART = re.compile(r"(?:上年|年初)结转(?:和)?(?:结余)?(?:资金)?的[^，。；：、\d]{2,20}?(?:收入|资金|拨款)")
_ITEM_PATH = re.compile(r"(?P<label>[\u4e00-\u9fff][^，。；：、\d]{1,30}?（类）[^，。；：、\d]{1,30}?（款）"
                        r"[^，。；：、\d]{1,40}?（项）)")
_ITEM_CODE = re.compile(r"(?<!\d)(?P<code>\d{7}|\d{5})[-－—–]?"
                        r"(?P<label>[\u4e00-\u9fff][^，。；：、\d（）]{0,30}?)(?=\d)")
_ITEM_NAME_CODE = re.compile(r"(?P<label>[\u4e00-\u9fff][^，。；：、\d（）]{1,30}?)（(?P<code>\d{7}|\d{5})）")


def find_names(key: str, kind: str | None, vocab: Vocabulary | None = None) -> list[_Name]:
    """The things of the vocabulary named in a key, leftmost-longest; one name for the facts sharing a phrase
    (收、支总计 → income_total, expenditure_total), in the vocabulary's order."""
    vocab = vocab or load_vocabulary()
    found: list[_Name] = []
    for spec in vocab.in_section(kind):
        if spec.subject == "class":
            for m in _class_pattern().finditer(key):
                stem = m.group("stem") or m.group("stem2")
                found.append(_Name((spec.id,), m.start(), m.end(), _class_codes_by_stem().get(stem),
                                   m.group("label") or m.group("label2")))
        elif spec.subject == "item":
            for m in _ITEM_PATH.finditer(key):
                found.append(_Name((spec.id,), m.start(), m.end(), None, m.group("label")))
            for pattern in (_ITEM_CODE, _ITEM_NAME_CODE):
                for m in pattern.finditer(key):
                    found.append(_Name((spec.id,), m.start(), m.end(), m.group("code"), m.group("label")))
        for p, only in spec.phrases:
            if only is not None and kind not in only:
                continue
            for m in p.finditer(key):
                if m.end() == m.start():
                    continue
                label = m.group("label") if spec.subject == "label" and "label" in p.groupindex else None
                found.append(_Name((spec.id,), m.start(), m.end(), None, label))
    # '上年结转结余的一般公共预算收入 0 万元': a part of the carry-over, neither the carry-over nor that income
    found += [_Name((), m.start(), m.end()) for m in _CARRY_PART.finditer(key)]
    if not any(spec.subject == "item" for spec in vocab.in_section(kind)):
        # a 类/款/项 path names an item even where items are no facts: its 类 is not the figure's subject
        found += [_Name((), m.start(), m.end()) for p in (_ITEM_PATH, _ITEM_CODE, _ITEM_NAME_CODE)
                  for m in p.finditer(key)]
    found.sort(key=lambda n: (n.start, -(n.end - n.start)))
    out: list[_Name] = []
    subject_of = {fid: spec.subject for fid, spec in vocab.facts.items()}
    for n in found:
        if out and n.start == out[-1].start and n.end == out[-1].end:
            old_class = not out[-1].ids or subject_of[out[-1].ids[0]] in ("class", "item")
            new_class = not n.ids or subject_of[n.ids[0]] in ("class", "item")
            if old_class and not new_class:  # 国有资本经营预算支出: the phrase, not the 类 of that name
                out[-1] = _Name(n.ids, n.start, n.end, n.code, n.label)
            elif new_class and not old_class:
                pass
            elif n.ids and n.ids[0] not in out[-1].ids:
                out[-1].ids += n.ids
            continue
        if out and n.start < out[-1].end:
            continue
        out.append(_Name(n.ids, n.start, n.end, n.code, n.label))
    order = {fid: i for i, fid in enumerate(vocab.facts)}
    for n in out:
        n.ids = tuple(sorted(n.ids, key=order.__getitem__))
    return out


def _comparisons(key: str) -> list[tuple[int, int, int, int]]:
    """(start, end, body start, body end) of each comparison: 比/较 … up to its verb; 与 … 相比/持平; 同比."""
    spans = [(m.start(), m.end(), m.start("body"), m.end("body")) for m in _COMPARE_BI.finditer(key)]
    spans += [(m.start(), m.end(), m.start("body"), m.end("body")) for m in _COMPARE_WITH.finditer(key)]
    spans += [(m.start(), m.end(), m.start(), m.end()) for m in _SAME_PERIOD.finditer(key)]
    return sorted(spans)


def _change_basis(words: str, year: int | None) -> str | None:
    if _PRIOR_WORDS.search(words) or "同比" in words or (year and any(int(y) < year for y in _YEAR.findall(words))):
        return "prior_year"
    if "预算" in words:
        return "budget"
    return None


def _clause_start(key: str, pos: int) -> int:
    i = pos
    while i > 0 and key[i - 1] not in _CLAUSE_END:
        i -= 1
    return i


def _connector_only(text: str) -> bool:
    rest = re.sub(r"\d", "", _CONNECTOR.sub("", text))
    return rest.strip("，；：。、（） ") == ""


def _depths(key: str) -> list[int]:
    out, d = [], 0
    for ch in key:
        out.append(d)
        if ch == "（":
            d += 1
        elif ch == "）":
            d = max(0, d - 1)
    out.append(d)
    return out


def read_sentence(sentence: _Sentence, ctx: _Context, sentence_no: int) -> list[_Draft]:
    """The facts one sentence states (rules 2-9). A sentence that only states changes of what the sentence
    before stated adds them to `ctx.previous` instead and returns nothing (rule 6)."""
    vocab, kind = ctx.vocab, ctx.kind
    if kind is None or not vocab.in_section(kind):
        return []
    text = sentence.text
    key, where = prose_key(text)
    kpages = [sentence.pages[w] for w in where]
    kboxes = [sentence.boxes[w] if w < len(sentence.boxes) else None for w in where]
    names = find_names(key, kind, vocab)
    comparisons = _comparisons(key)
    depth = _depths(key)
    verb_at = {m.end(): m for m in _VERB.finditer(key)}
    events: list[tuple[int, str, re.Match]] = []
    for m in _AMOUNT.finditer(key):
        if _NOT_A_FIGURE_AFTER.match(key[m.end():]):
            continue
        if m.start() in verb_at:
            events.append((m.start(), "change", m))
        elif m.group("unit") != "%":
            events.append((m.start(), "level", m))
    events += [(m.start(), "flat", m) for m in _FLAT.finditer(key)]
    events.sort(key=lambda e: e[0])
    has_level = any(e[1] == "level" for e in events)

    drafts: list[_Draft] = []
    groups: dict[int, list[_Draft]] = {}  # the facts of the last figure at each bracket depth
    joined: list[_Draft] = []
    prev_end = 0

    def names_in(lo: int, hi: int, measure: str | None = None) -> list[_Name]:
        return [n for n in names if lo <= n.start and n.end <= hi
                and (measure is None or any(vocab.facts[f].measure == measure for f in n.ids))]

    def comparison_at(pos: int):
        return next((c for c in comparisons if c[2] <= pos < c[3]), None)

    def governing_basis(pos: int) -> str | None:
        before = [c for c in comparisons if c[0] <= pos]
        if not before:
            return None
        c = before[-1]
        return _change_basis(key[c[0]:c[1]], ctx.year)

    def basis_in(lo: int, hi: int) -> str | None:
        window = key[lo:hi]
        for c in comparisons:
            if lo <= c[0] < hi:
                window = window.replace(key[c[0]:min(c[1], hi)], "")
        found = list(_BASIS_WORDS.finditer(_FUND_WORDS.sub("", window)))
        return _BASIS_OF[found[-1].group(0)] if found else ctx.default_basis

    def period_at(pos: int) -> str:
        """prior when the last year the sentence names before pos (comparisons left out) is an earlier one."""
        window = key[:pos]
        for c in reversed(comparisons):
            if c[0] < pos:
                window = window[:c[0]] + "·" * (min(c[1], pos) - c[0]) + window[min(c[1], pos):]
        years = [int(y) for y in _YEAR.findall(window)]
        return "prior" if ctx.year and years and years[-1] < ctx.year else "current"

    def draft(fid: str, value, unit, subject: _Name | None, period: str, basis, pos: int, flags=()) -> _Draft:
        return _Draft(fid, vocab.facts[fid].measure, value, unit, subject.code if subject else None,
                      subject.label if subject else None, period, basis, (sentence_no, pos),
                      kpages[pos] if pos < len(kpages) else None, [text], ctx.section, kind, flags=list(flags),
                      bbox=kboxes[pos] if pos < len(kboxes) else None)

    def anchor(pos: int) -> list[_Draft]:
        for d in range(depth[pos], -1, -1):
            if groups.get(d):
                return groups[d]
        return []

    for pos, what, m in events:
        end = m.end()
        clause = _clause_start(key, pos)
        if what == "level":
            unit = m.group("unit")
            money = unit in _MONEY_UNITS
            value = parse_money(m.group("num"), unit) if money else Decimal(m.group("num").replace(",", ""))
            if _AVERAGE.search(key[clause:pos]):
                prev_end = end
                continue
            measure = "money" if money else "count"
            cmp_span = comparison_at(pos)
            if cmp_span is not None:  # the base of a comparison (rule 5)
                own = names_in(cmp_span[2], pos, measure)
                group = anchor(pos)
                subject = own[-1] if own else (_Name(tuple(d.fact_id for d in group), 0, 0, group[0].code,
                                                     group[0].label) if group else None)
                if subject is not None:
                    body = key[cmp_span[2]:pos]
                    period = "prior" if _change_basis(body, ctx.year) == "prior_year" else "current"
                    found = list(_BASIS_WORDS.finditer(_FUND_WORDS.sub("", body)))
                    basis = _BASIS_OF[found[-1].group(0)] if found else ctx.default_basis
                    for fid in subject.ids:
                        if vocab.facts[fid].measure == measure:
                            d = draft(fid, value, unit, subject, period, basis, pos, [COMPARISON_BASE])
                            d.comparison = True
                            drafts.append(d)
                prev_end = end
                continue
            if money:
                flags = []
                own = names_in(clause, pos, "money")
                subject = own[-1] if own else None
                if subject is None and _connector_only(key[clause:pos]):
                    earlier = names_in(0, clause, "money")
                    subject = earlier[-1] if earlier else None
                    if subject is None and ctx.lead is not None:
                        subject = ctx.lead
                        flags.append(SUBJECT_FROM_LEAD)
                if subject is not None and any(vocab.facts[f].subject in ("class", "item") for f in subject.ids) \
                        and (ctx.part_list or _in_part_list(key, drafts, pos)):
                    subject = None  # a class of the 项目支出 only: its breakdown, not the class (rule 10)
                if subject is not None and _in_econ_class(key, pos):
                    subject = None  # the 人员经费 of one economic class: a part of it, not the department's (rule 10)
                if subject is not None:
                    lo = max(prev_end, subject.start) if subject is not ctx.lead else prev_end
                    group = [draft(fid, value, unit, subject, period_at(pos), basis_in(lo, pos), pos, flags)
                             for fid in subject.ids if vocab.facts[fid].measure == "money"]
                    drafts.extend(group)
                    groups[depth[pos]] = group
                    for d in [d for d in groups if d > depth[pos]]:
                        del groups[d]
            else:
                fid = _count_fact(pos, unit, clause, names, drafts, ctx)
                if fid is not None:
                    label = None
                    if vocab.facts[fid].subject == "label":
                        own = [n for n in names_in(clause, pos) if fid in n.ids]
                        label = own[-1].label if own else None
                    drafts.append(draft(fid, value, unit, _Name((fid,), 0, 0, None, label), period_at(pos),
                                        basis_in(prev_end, pos), pos))
            prev_end = end
            continue
        # a change (rule 5): of the thing named just before its verb, else of the last figure's facts
        verb_pos = verb_at[pos].start() if what == "change" else pos
        own = names_in(clause, verb_pos, "money")
        subject = own[-1] if own else None
        pool = drafts if has_level else ctx.previous
        targets: list[_Draft] = []
        if subject is not None:
            for fid in subject.ids:
                same = [d for d in pool if d.fact_id == fid and not d.comparison and d.period == "current"
                        and d.code == subject.code and d.label == subject.label]
                if same:
                    targets.append(same[-1])
            if not targets:
                at = pos
                for fid in subject.ids:
                    if vocab.facts[fid].measure == "money":
                        d = draft(fid, None, None, subject, "current", basis_in(subject.start, verb_pos), at,
                                  [CHANGE_ONLY])
                        drafts.append(d)
                        targets.append(d)
            elif pool is ctx.previous:
                joined.extend(t for t in targets if t not in joined)
        elif has_level:
            targets = _head_of_side(key[clause:verb_pos], drafts) or [d for d in anchor(verb_pos)
                                                                      if d.measure == "money"]
        else:
            previous = [d for d in ctx.previous if not d.comparison and d.measure == "money"]
            targets = _head_of_list(previous) or [d for d in previous if previous and d.pos == previous[-1].pos]
            joined.extend(t for t in targets if t not in joined)
        cbasis = governing_basis(verb_pos)
        if what == "flat":
            for d in targets:
                _set_change(d, "change_value", Decimal(0), cbasis)
        else:
            sign = Decimal(1) if verb_at[pos].group("verb") in _POSITIVE else Decimal(-1)
            unit = m.group("unit")
            if unit == "%":
                for d in targets:
                    _set_change(d, "change_pct", sign * Decimal(m.group("num").replace(",", "")), cbasis)
            elif unit in _MONEY_UNITS:
                delta = sign * parse_money(m.group("num"), unit)
                for d in targets:
                    _set_change(d, "change_value", delta, cbasis)
                    if d.unit is None:
                        d.unit = unit
        prev_end = end
    if joined and not drafts:
        for d in ctx.previous:
            d.texts.append(text)
            if JOINED_SENTENCE not in d.flags:
                d.flags.append(JOINED_SENTENCE)
    return drafts


_PART_IDS = ("basic_expenditure", "project_expenditure")
_SIDE = re.compile(r"^(?:本年|今年|全年|\d{4}年度?)?(?P<side>收支|收入|支出)(?:预算|决算)?(?:总额|总体|合计|总计)?"
                   r"(?:较|比|与|同比)")


def _in_part_list(key: str, drafts: list[_Draft], pos: int) -> bool:
    """The figure at pos follows a 其中 that follows a 基本支出 / 项目支出 figure of its sentence (rule 10)."""
    return any(d.fact_id in _PART_IDS and d.value is not None and not d.comparison and "其中" in key[d.pos[1]:pos]
               for d in drafts)


# an economic class printed with its code and figure: '对个人和家庭的补助（303）100151.38 万元' (部门 30x/31x,
# 政府 50x/51x; 类 3 digits, 款 5)
_ECON_CLASS_FIGURE = re.compile(r"（[35][01]\d(?:\d{2})?）\d")


def _in_econ_class(key: str, pos: int) -> bool:
    """The figure at pos follows a 其中 that follows an economic class's figure of its sentence (rule 10):
    '对个人和家庭的补助（303）100151.38 万元，其中：人员经费 138.06 万元' — a part of that class."""
    return any("其中" in key[m.end():pos] for m in _ECON_CLASS_FIGURE.finditer(key, 0, pos))


def _head_of_side(words: str, drafts: list[_Draft]) -> list[_Draft]:
    """A change whose clause names only a side of the account ('收入较去年减少…', '支出较去年减少…', rule 5): of
    the sentence's head figure on that side (its first figure's facts of income or expenditure)."""
    m = _SIDE.match(words)
    if m is None or not drafts:
        return []
    head = [d for d in drafts if d.pos == drafts[0].pos and not d.comparison and d.measure == "money"]
    side = {"收入": ("income",), "支出": ("expenditure",), "收支": ("income", "expenditure")}[m.group("side")]
    return [d for d in head if any(s in d.fact_id for s in side)]


def _head_of_list(previous: list[_Draft]) -> list[_Draft]:
    """The sentence before stated a whole and its parts after 其中 ('支出预算 10344.71 万元，其中：基本支出…、项目
    支出…。'): a change the next sentence states without naming anything is of the whole (rule 6)."""
    if not previous:
        return []
    first, last = previous[0], previous[-1]
    key = prose_key(first.texts[0])[0]
    if first.pos == last.pos or "其中" not in key[first.pos[1]:last.pos[1]]:
        return []
    return [d for d in previous if d.pos == first.pos]


def _set_change(d: _Draft, attr: str, value: Decimal, basis: str | None) -> None:
    old = getattr(d, attr)
    if old is not None:
        if old != value and CHANGE_CONFLICT not in d.flags:
            d.flags.append(CHANGE_CONFLICT)
        return
    setattr(d, attr, value)
    if d.change_basis is None:
        d.change_basis = basis


def _count_fact(pos: int, unit: str, clause: int, names: list[_Name], drafts: list[_Draft],
                ctx: _Context) -> str | None:
    """Which count a number with this unit is: a count named in its clause (保有量, 购置), else the count whose
    context is the last money thing named (团组 0个 after 因公出国（境）费 is a number of delegations)."""
    vocab = ctx.vocab
    counts = {f.id: f for f in vocab.in_section(ctx.kind) if f.measure == "count" and unit in f.units}
    if not counts:
        return None
    for n in reversed([n for n in names if clause <= n.start and n.end <= pos]):
        hit = [fid for fid in n.ids if fid in counts]
        if hit:
            return hit[0]
    named = [fid for n in names if n.end <= pos for fid in n.ids if vocab.facts[fid].measure == "money"]
    if not named and ctx.lead is not None:
        named = list(ctx.lead.ids)
    for fid in reversed(named):  # a count known by its context alone (团组, 人次) before one with own words
        for c in counts.values():
            if fid in c.context and not c.phrases:
                return c.id
    return None


# ---------------------------------------------------------------------------------------------- the document
_DOC_KIND = re.compile(r"(?P<year>(?:19|20)\d{2})年?度?(?:部门|单位)(?:综合)?(?P<kind>预算|决算)")
_DOC_KIND_LOOSE = re.compile(r"(?P<year>(?:19|20)\d{2})年?度?(?P<kind>预算|决算)")


def document_year_kind(pages: list[PageText]) -> tuple[int | None, str | None]:
    """The year and kind (budget | final) named most often as '2026年度部门预算' in the document's text (as
    '2026年预算' when no heading names the 部门 or 单位)."""
    for pattern in (_DOC_KIND, _DOC_KIND_LOOSE):
        counts: dict[tuple[int, str], int] = {}
        for page in pages:
            for line in page.lines:
                for m in pattern.finditer(re.sub(r"\s+", "", line.text)):
                    k = (int(m.group("year")), "budget" if m.group("kind") == "预算" else "final")
                    counts[k] = counts.get(k, 0) + 1
        if counts:
            break
    else:
        return None, None
    (year, kind), _ = max(counts.items(), key=lambda kv: (kv[1], kv[0][0]))
    return year, kind


def read_facts(pages: list[PageText], *, year: int | None = None, kind: str | None = None,
               skip: Callable[[PageText], bool] | None = None,
               tables: Iterable[tuple[int, BBox]] = ()) -> list[Fact]:
    """The facts of a document's prose, in document order (rules in the module docstring).

    `pages` as `PdfSource.page_text` gives them; `year`/`kind` ('budget' | 'final') default to what the text
    names most; `skip(page)` tells pages that are not prose (default: `is_table_page`); `tables` the (page,
    box) of the grids and titles of the tables found, whose lines are not prose either."""
    pages = list(pages)
    if year is None or kind is None:
        y, k = document_year_kind(pages)
        year, kind = year or y, kind or k
    vocab = load_vocabulary()
    ctx = _Context(vocab, year, {"budget": "budget", "final": "final"}.get(kind or ""))
    headings: dict[int, str] = {}
    drafts: list[_Draft] = []
    for no, unit in enumerate(segment(prose_lines(pages, skip, tables))):
        if isinstance(unit, _Heading):
            headings = {lv: t for lv, t in headings.items() if lv < unit.level}
            headings[unit.level] = unit.text
            ctx.section = unit.text
            ctx.kind = _kind_of(headings, vocab)
            ctx.lead = _heading_subject(unit.text, ctx.kind, vocab) if unit.level >= 2 else None
            ctx.previous = []
            ctx.part_list = False
            continue
        if unit.enumerated:
            ctx.lead = None
            ctx.part_list = False
        found = read_sentence(unit, ctx, no)
        key = prose_key(unit.text)[0]
        if _in_part_list(key, found, len(key)):  # it opens the 其中 list of a 基本 / 项目 figure: the next continue it
            ctx.part_list = True
        if unit.enumerated and not any(d.value is not None for d in found):
            lead = _sentence_subject(unit.text, ctx.kind, vocab)
            if lead is not None:
                ctx.lead = lead
        drafts.extend(found)
        ctx.previous = found
    drafts.sort(key=lambda d: d.pos)
    return [Fact(i + 1, d.fact_id, d.measure, d.value, d.unit, d.code, d.label, d.period, d.basis, d.change_value,
                 d.change_pct, d.change_basis, d.section, d.kind, d.page, "".join(d.texts), tuple(d.flags), d.bbox)
            for i, d in enumerate(drafts)]


def _kind_of(headings: dict[int, str], vocab: Vocabulary) -> str | None:
    """The outermost heading naming a kind; a part's title (第X部分 收支情况) only when no heading under it does,
    unless it is an appendix (第五部分 附件: nothing in it is the 说明's)."""
    kinds = {level: vocab.section_kind(_strip_heading(text)) for level, text in headings.items()}
    if kinds.get(0) == "appendix":
        return "appendix"
    for level in sorted(kinds, key=lambda lv: (lv == 0, lv)):
        if kinds[level] is not None:
            return kinds[level]
    return None


def _strip_heading(text: str) -> str:
    flat = re.sub(r"\s+", "", text)
    for p in (_HEADING0, _HEADING1, _HEADING2, _TITLE3):
        flat = p.sub("", flat, count=1)
    return flat


def _heading_subject(text: str, kind: str | None, vocab: Vocabulary) -> _Name | None:
    """A heading that is the name of one thing ('（一）因公出国（境）经费') is the subject of what follows."""
    body = prose_key(_strip_heading(text))[0]
    names = find_names(body, kind, vocab)
    if len(names) == 1 and (names[0].end - names[0].start) * 10 >= 6 * len(body):
        return names[0]
    return None


def _sentence_subject(text: str, kind: str | None, vocab: Vocabulary) -> _Name | None:
    """The one thing an enumerated sentence without figure names ('1、…行政运行（项）。')."""
    key = prose_key(text)[0]
    first = re.split(r"[。：]", key, maxsplit=1)[0]
    names = find_names(first, kind, vocab)
    money = [n for n in names if any(vocab.facts[f].measure == "money" for f in n.ids)]
    return money[0] if len(money) == 1 else None


