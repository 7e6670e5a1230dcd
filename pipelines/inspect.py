"""`fiscalpdf inspect FILE.pdf --out report.html`: one HTML page showing what was read from a document, so that a
user can trust a number or see where it went wrong.

For each page that holds a table: the page rendered as an image, with the table box, the row and column
boundaries of the grid that was kept and every amount cell drawn over it; beside it, the normalized table laid
out as printed (pipelines/layout.py). Cells of a failed identity are marked in both, and the list of failed
checks at the top links to them; a cell on the page links to the same cell in the table and back.

For each page of the prose that states a fact (the `facts` dataset): a box over the line holding each figure,
its fact_id, value and check results in its tooltip; beside the page, the list of its facts with the same, a
fact of a failed check marked in both (and linked from the list at the top, as `f<fact_no>`).

The page is self-contained: images are data: URIs, overlays inline SVG, styles inline; no script, no external
style, font or image, so it opens offline and can be mailed as one file. A page is rendered with at most
`MAX_PIXELS` pixels, whatever its size (some disclosures print A3 or larger pages), and all pages together with
at most `PIXEL_BUDGET`: many table pages share it, each down to `MIN_PIXELS` (digits still legible); pages past
that are not rendered, and the page and the command say which (choose them with `pages` / `tables`).

By default the pages rendered are those holding a table with cells (performance forms, text only, are not) and
those stating facts; `tables` (table_id or table_no, or `facts` for the facts' pages) and `pages` narrow that
down, and a page asked for without a table or fact is rendered bare.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from pathlib import Path

from ..extract.pdf import render_scale
from ..model import Cell, Check, DocumentResult, Fact, GridGeometry, Orphan, Table
from ..normalize.facts import money_factor
from ..normalize.units import unit_factor
from ..options import ExtractOptions
from ..schema import UNKNOWN_YEAR
from ..specs import load_specs
from .document import process_document
from .layout import Layout, printed_layout
from .rows import cell_rows

MAX_PIXELS = 4_000_000
MIN_PIXELS = 1_500_000  # an A4 page at ~100 dpi: a 9 pt digit is still legible
PIXEL_BUDGET = 40_000_000  # all pages of one report: a few MB of PNG, rendered in a second or two
MAX_SCALE = 2.0  # 144 dpi: the digits of a 9 pt table are sharp; more only makes the file heavier
GRAYS = 16  # levels of gray a page is drawn with: a 4-bit PNG, about half the bytes of an 8-bit one
# 8-bit gray → one of GRAYS levels by a fixed table (PIL's quantize searches a palette: five times slower)
_TO_GRAYS = [v * GRAYS // 256 for v in range(256)]
_GRAY_PALETTE = [round(i * 255 / (GRAYS - 1)) for i in range(GRAYS) for _ in range(3)]


@dataclass(frozen=True)
class PageImage:
    page_no: int
    width: float  # pt, as displayed
    height: float
    png: bytes


@dataclass(frozen=True)
class Inspection:
    html: str
    result: DocumentResult  # what was read, as `fiscalpdf run` would write it
    tables: list[Table]  # the tables shown (performance forms are text: nothing was read from them)
    pages: list[int]  # the pages rendered
    tables_found: int = 0  # tables with cells in the document, shown or not
    not_rendered: list[int] = field(default_factory=list)  # pages asked for (or holding a table) past the budget
    facts: list[Fact] = field(default_factory=list)  # the facts shown (those on the pages shown)


def inspect_document(path: Path, options: ExtractOptions = ExtractOptions(), pages: list[int] | None = None,
                     tables: list[str] | None = None, budget: int = PIXEL_BUDGET) -> Inspection:
    """`pages` (1-based) and `tables` (table_id or table_no, as text) narrow what is shown; a `tables` entry
    naming no table of the document raises ValueError listing those there are."""
    result = process_document(path, options)
    specs = load_specs()
    found = [t for t in result.tables if specs.by_id(t.table_id).has_cells]
    with_facts = not tables or FACTS_NAME in tables
    named = [t for t in tables or [] if t != FACTS_NAME]
    shown = select_tables(found, named) if named else [] if tables else found
    facts = [f for f in result.facts if f.page is not None] if with_facts else []
    if pages:
        shown = [t for t in shown if set(t.pages) & set(pages)]
        facts = [f for f in facts if f.page in pages]
    table_pages = {p for t in shown for p in t.pages}
    wanted = table_pages | {f.page for f in facts}
    if pages:
        wanted = wanted & set(pages) if tables else set(pages)
    # the tables' pages first, then the prose's: a long 说明 never pushes a table out of the budget
    wanted_pages = sorted((p for p in wanted if p <= (result.page_count or 0)), key=lambda p: (p not in table_pages, p))
    per_page, rendered = page_budget(len(wanted_pages), budget)
    chosen, left_out = sorted(wanted_pages[:rendered]), sorted(wanted_pages[rendered:])
    images = render_pages(Path(path), chosen, options.password, per_page) if chosen else {}
    return Inspection(render_html(result, shown, images, left_out, facts), result, shown, sorted(images), len(found),
                      left_out, facts)


FACTS_NAME = "facts"  # `--table facts`: the pages of the prose's facts


def select_tables(tables: list[Table], wanted: list[str]) -> list[Table]:
    """The tables named by table_id or table_no."""
    chosen = []
    for name in wanted:
        hit = [t for t in tables if t.table_id == name or str(t.table_no) == name.strip()]
        if not hit:
            known = ", ".join(f"{t.table_no} {t.table_id}" for t in tables) or "none"
            raise ValueError(f"no table {name!r} in this document; its tables: {known} (and {FACTS_NAME}: the "
                             f"pages of its prose's facts)")
        chosen += [t for t in hit if t not in chosen]
    return sorted(chosen, key=lambda t: t.table_no)


def page_budget(n_pages: int, budget: int = PIXEL_BUDGET) -> tuple[int, int]:
    """(pixels per page, how many pages are rendered) for n pages within `budget` pixels in all."""
    if n_pages == 0:
        return MAX_PIXELS, 0
    per_page = max(MIN_PIXELS, min(MAX_PIXELS, budget // n_pages))
    return per_page, min(n_pages, max(1, budget // per_page))


def render_pages(path: Path, page_nos: list[int], password: str | None = None,
                 max_pixels: int = MAX_PIXELS) -> dict[int, PageImage]:
    """Pages as PNG of 16 grays (the overlays are in colour; text stays sharp, a dense page of prose stays small),
    each within `max_pixels`."""
    import pypdfium2 as pdfium

    out: dict[int, PageImage] = {}
    pdf = pdfium.PdfDocument(str(path), password=password)
    try:
        for n in page_nos:
            page = pdf[n - 1]
            try:
                width, height = page.get_size()
                scale = render_scale(width, height, max_pixels, MAX_SCALE)
                image = page.render(scale=scale, grayscale=True).to_pil().point(_TO_GRAYS).convert("P")
                image.putpalette(_GRAY_PALETTE)
                buf = io.BytesIO()
                image.save(buf, format="PNG", bits=4)
                out[n] = PageImage(n, width, height, buf.getvalue())
            finally:
                page.close()
    finally:
        pdf.close()
    return out


# ------------------------------------------------------------------------------------------------ HTML
_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:1rem 2rem;color:#222}
h1{font-size:1.3rem}h2{font-size:1.1rem;border-top:1px solid #ccc;padding-top:.8rem}h3{font-size:1rem;margin:.2rem 0}
.meta{color:#555;font-size:.85rem;margin:.2rem 0 .5rem}.warn{color:#8a5a00;font-size:.85rem}
.group{display:flex;gap:1.5rem;align-items:flex-start}.pages{flex:1 1 55%;min-width:0}
.tables{flex:1 1 45%;min-width:0;overflow-x:auto}figure{margin:0 0 1rem}figcaption{font-size:.8rem;color:#555}
svg.page{width:100%;height:auto;border:1px solid #bbb;background:#fff}
.tbox{fill:none;stroke:#1f77b4;stroke-width:1.5}.rule{stroke:#1f77b4;stroke-width:.5;stroke-opacity:.6}
.tlabel{fill:#1f77b4;font-size:9px;font-weight:bold}
rect.cell{fill:#2ca02c;fill-opacity:.12;stroke:#2ca02c;stroke-width:.4}
rect.cell.failed{fill:#d62728;fill-opacity:.35;stroke:#d62728;stroke-width:1.2}
rect.cell:target{stroke:#ff7f0e;stroke-width:3;fill-opacity:.5}
rect.orphan{fill:#ff7f0e;fill-opacity:.35;stroke:#ff7f0e;stroke-width:1.5;stroke-dasharray:2 1}
table.norm{border-collapse:collapse;font-size:.78rem;margin-bottom:1.2rem}
table.norm th,table.norm td{border:1px solid #ccc;padding:.1rem .3rem;white-space:nowrap}
table.norm th{background:#f2f2f2;font-weight:600}td.amt{text-align:right;font-variant-numeric:tabular-nums}
td.amt a{color:inherit;text-decoration:none}td.failed{background:#f8c9c9;font-weight:bold}
td:target{outline:3px solid #ff7f0e}.checks li{margin:.2rem 0}.checks code{font-size:.85rem}
.legend span{display:inline-block;width:.9rem;height:.9rem;vertical-align:middle;margin:0 .3rem 0 1rem}
rect.fact{fill:#9467bd;fill-opacity:.12;stroke:#9467bd;stroke-width:.8}
rect.fact.failed{fill:#d62728;fill-opacity:.3;stroke:#d62728;stroke-width:1.2}rect.fact:target{stroke:#ff7f0e;stroke-width:3}
table.facts td{white-space:normal;vertical-align:top}table.facts td.text{min-width:18rem;color:#444}
tr.failed td{background:#f8c9c9}tr:target td{outline:2px solid #ff7f0e}
"""


def _id(prefix: str, ref: str) -> str:
    return f"{prefix}-{ref.replace('/', '-')}"


def _yuan(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def render_html(result: DocumentResult, tables: list[Table], images: dict[int, PageImage],
                not_rendered: list[int] | None = None, facts: list[Fact] | None = None) -> str:
    facts = facts or []
    failed = [c for c in result.checks if not c.holds]
    marks: dict[str, list[str]] = {}  # cell ref or fact ref → the failed rules it takes part in
    for check in failed:
        for ref in check.terms:
            marks.setdefault(ref, []).append(check.rule)
    checked: dict[str, list[Check]] = {}  # fact ref → every check it takes part in
    for check in result.fact_checks:
        for ref in check.terms:
            if ref.startswith("f"):
                checked.setdefault(ref, []).append(check)
    rows = cell_rows(result, result.year if result.year is not None else UNKNOWN_YEAR)
    name = Path(result.path).name
    parts = [f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{escape(name)} · fiscalpdf inspect'
             f"</title><style>{_STYLE}</style></head><body>", _summary(result, tables, failed)]
    if not_rendered:
        parts.append(f'<p class="warn">Page(s) {escape(_runs(not_rendered))} not rendered (the report keeps within '
                     f'{PIXEL_BUDGET // 1_000_000} megapixels): choose pages with <code>--pages</code> or '
                     f'<code>--table</code>.</p>')
    grouped = _page_groups(tables)
    with_tables = {p for pages, _ in grouped for p in pages}
    facts_on: dict[int, list[Fact]] = {}
    for f in facts:
        facts_on.setdefault(f.page, []).append(f)
    for p in sorted(set(images) - with_tables):  # pages that hold no table shown: bare, or the prose's facts
        listed = facts_on.get(p, [])
        parts.append(f'<section class="group"><div class="pages">{_page_svg(images[p], [], marks, listed, checked)}'
                     f'</div><div class="tables">{_facts_html(p, listed, checked, marks)}</div></section>')
    for p in sorted(set(facts_on) - set(images) - with_tables):  # facts of pages past the budget: listed only
        parts.append(f'<section class="group"><div class="tables">{_facts_html(p, facts_on[p], checked, marks)}'
                     f"</div></section>")
    for pages, group in grouped:
        parts.append('<section class="group"><div class="pages">')
        for p in pages:
            if p in images:
                parts.append(_page_svg(images[p], group, marks, facts_on.get(p, []), checked))
        parts.append('</div><div class="tables">')
        for t in group:
            layout = printed_layout([r for r in rows if r["table_no"] == t.table_no])
            parts.append(_table_html(t, layout, marks))
        for p in pages:
            parts.append(_facts_html(p, facts_on.get(p, []), checked, marks))
        parts.append("</div></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _runs(pages: list[int]) -> str:
    """[3, 5, 6, 7] → '3, 5-7'."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def _summary(result: DocumentResult, tables: list[Table], failed: list[Check]) -> str:
    identities, fact_checks = result.identities, result.fact_checks
    identities_failed, facts_failed = sum(not c.holds for c in identities), sum(not c.holds for c in fact_checks)
    head = (f"<h1>{escape(Path(result.path).name)}</h1><p class=\"meta\">"
            + " · ".join(escape(str(x)) for x in (result.department or "(department unknown)", result.year or "????",
                                                  result.kind or "?", result.status))
            + f" · {len(tables)} table(s) · identities {len(identities) - identities_failed} passed, "
            f"{identities_failed} failed · facts {len(result.facts)}, checks {len(fact_checks) - facts_failed} "
            f"passed, {facts_failed} failed</p>")
    orphans = sum(len(t.orphans) for t in tables)
    if orphans:
        head += (f'<p class="warn">{orphans} amount(s) printed in a table\'s area are in none of its cells '
                 f"(marked on the pages)</p>")
    if result.error:
        head += f'<p class="warn">[{escape(result.error_code or "")}] {escape(result.error.splitlines()[0])}</p>'
    legend = ('<p class="legend meta"><span style="border:2px solid #1f77b4"></span>table box, rows and columns read'
              '<span style="background:#c9e8c9"></span>amount cell<span style="background:#dcd0ea"></span>'
              'line of a fact<span style="background:#f08a8a"></span>cell or fact of a failed check'
              '<span style="background:#ffc38a"></span>amount in a table\'s area that no cell holds</p>')
    if not failed:
        return head + legend
    items = []
    for c in failed:
        links = " ".join(f'<a href="#{_id("c", ref)}">{escape(ref)}</a>' for ref in c.terms)
        unit = "%" if c.rule.endswith(".change_pct") else "元"
        items.append(f"<li><code>{escape(c.rule)}</code> {escape(c.detail)}: printed {_yuan(c.actual)}, "
                     f"expected {_yuan(c.expected)}, difference {_yuan(c.difference)} {unit} · terms {links}</li>")
    return head + legend + f'<h2>Failed checks ({len(failed)})</h2><ul class="checks">{"".join(items)}</ul>'


def _page_groups(tables: list[Table]) -> list[tuple[list[int], list[Table]]]:
    """Tables that share a page are shown together, so each page is rendered once."""
    groups: list[tuple[set[int], list[Table]]] = []
    for t in sorted(tables, key=lambda t: t.table_no):
        if groups and groups[-1][0] & set(t.pages):
            groups[-1][0].update(t.pages)
            groups[-1][1].append(t)
        else:
            groups.append((set(t.pages), [t]))
    return [(sorted(pages), group) for pages, group in groups]


def _page_svg(image: PageImage, tables: list[Table], marks: dict[str, list[str]], facts: list[Fact] = (),
              checked: dict[str, list[Check]] | None = None) -> str:
    w, h = image.width, image.height
    data = base64.b64encode(image.png).decode("ascii")
    parts = [f'<figure id="page-{image.page_no}"><figcaption>page {image.page_no}</figcaption>'
             f'<svg class="page" viewBox="0 0 {w:.2f} {h:.2f}" role="img" aria-label="page {image.page_no}">'
             f'<image href="data:image/png;base64,{data}" x="0" y="0" width="{w:.2f}" height="{h:.2f}"/>']
    for t in tables:
        for g in t.geometry:
            if g.page_no == image.page_no:
                parts.append(_grid_svg(t, g))
        for c in t.cells:
            if c.page == image.page_no and c.bbox is not None:
                parts.append(_cell_svg(c, marks.get(c.ref, [])))
        parts += [_orphan_svg(t, o) for o in t.orphans if o.page == image.page_no]
    for line in _fact_lines(facts).values():
        parts.append(_fact_svg(line, marks, checked or {}))
    parts.append("</svg></figure>")
    return "".join(parts)


def _grid_svg(t: Table, g: GridGeometry) -> str:
    b = g.bbox
    lines = [f'<line class="rule" x1="{x:.2f}" y1="{b.top:.2f}" x2="{x:.2f}" y2="{b.bottom:.2f}"/>'
             for x in g.column_edges]
    lines += [f'<line class="rule" x1="{b.x0:.2f}" y1="{y:.2f}" x2="{b.x1:.2f}" y2="{y:.2f}"/>' for y in g.row_edges]
    return (f'<g><rect class="tbox" x="{b.x0:.2f}" y="{b.top:.2f}" width="{b.width:.2f}" height="{b.height:.2f}"/>'
            + "".join(lines)
            + f'<text class="tlabel" x="{b.x0:.2f}" y="{max(b.top - 3, 8):.2f}">{t.table_no} {escape(t.table_id)}'
            f"</text></g>")


def _orphan_svg(t: Table, o: Orphan) -> str:
    b = o.bbox
    tip = f"{o.text}: printed in the area of table {t.table_no} {t.table_id}, in none of its cells (orphan amount)"
    return (f'<rect class="orphan" x="{b.x0:.2f}" y="{b.top:.2f}" width="{b.width:.2f}" height="{b.height:.2f}">'
            f"<title>{escape(tip)}</title></rect>")


def _cell_svg(c: Cell, rules: list[str]) -> str:
    b = c.bbox
    tip = f"{c.ref} {c.row_label} · {c.column_label}: printed {c.text!r} = {_yuan(c.amount)} 元"
    if rules:
        tip += " · fails " + ", ".join(rules)
    cls = "cell failed" if rules else "cell"
    return (f'<a href="#{_id("c", c.ref)}"><rect class="{cls}" id="{_id("p", c.ref)}" data-ref="{c.ref}" '
            f'data-rules="{escape(" ".join(rules))}" x="{b.x0:.2f}" y="{b.top:.2f}" width="{b.width:.2f}" '
            f'height="{b.height:.2f}"><title>{escape(tip)}</title></rect></a>')


def _fact_value(f: Fact) -> str:
    """The figure as printed, and in 元 for money: '14.09 万元 = 140,900.00 元'."""
    if f.value is None:
        change = f.change_value if f.change_value is not None else f.change_pct
        return "change only: " + ("—" if change is None else f"{change:+,}{'' if f.change_value is None else ' 元'}")
    if f.measure == "count":
        return f"{f.value} {f.unit or ''}".strip()
    factor = money_factor(f.unit) or Decimal(1)
    return f"{(f.value / factor).normalize():f} {f.unit} = {_yuan(f.value)} 元"


def _check_words(checks: list[Check]) -> str:
    if not checks:
        return "no check (no table figure it restates, or not the document's basis)"
    return "; ".join(f"{c.rule} {'holds' if c.holds else 'fails'} ({', '.join(c.terms)})" for c in checks)


def _fact_lines(facts: list[Fact]) -> dict[tuple, list[Fact]]:
    """The facts of each printed line (one box per line: several figures often share one)."""
    lines: dict[tuple, list[Fact]] = {}
    for f in facts:
        if f.bbox is not None:
            lines.setdefault((f.page, f.bbox), []).append(f)
    return lines


def _fact_svg(facts: list[Fact], marks: dict[str, list[str]], checked: dict[str, list[Check]]) -> str:
    """One box over a line of the prose: its facts, their figures and checks in the tooltip."""
    b = facts[0].bbox
    rules = [r for f in facts for r in marks.get(f.ref, [])]
    tip = "\n".join(f"{f.ref} {f.fact_id} ({f.period}, {f.basis or '?'}): {_fact_value(f)} · "
                     f"{_check_words(checked.get(f.ref, []))}" for f in facts)
    cls = "fact failed" if rules else "fact"
    refs = " ".join(f.ref for f in facts)
    return (f'<a href="#{_id("c", facts[0].ref)}"><rect class="{cls}" id="{_id("p", facts[0].ref)}" '
            f'data-ref="{refs}" data-rules="{escape(" ".join(rules))}" x="{b.x0:.2f}" y="{b.top:.2f}" '
            f'width="{b.width:.2f}" height="{b.height:.2f}"><title>{escape(tip)}</title></rect></a>')


def _facts_html(page: int, facts: list[Fact], checked: dict[str, list[Check]], marks: dict[str, list[str]]) -> str:
    if not facts:
        return ""
    parts = [f'<div id="facts-{page}"><h3>Facts of page {page}</h3><table class="norm facts"><thead><tr><th>fact'
             "</th><th>fact_id</th><th>figure</th><th>subject</th><th>period · basis</th><th>checks</th><th>sentence"
             "</th></tr></thead><tbody>"]
    box = {f.ref: line[0].ref for line in _fact_lines(facts).values() for f in line}  # the box of its line
    for f in facts:
        rules = marks.get(f.ref, [])
        subject = " ".join(x for x in (f.subject_code, f.subject_label) if x)
        link = f'<a href="#{_id("p", box[f.ref])}">{f.ref}</a>' if f.ref in box else f.ref
        cls = ' class="failed"' if rules else ""
        parts.append(f'<tr id="{_id("c", f.ref)}" data-ref="{f.ref}" data-rules="{escape(" ".join(rules))}"'
                     f'{cls}><td>{link}</td><td>{escape(f.fact_id)}</td>'
                     f"<td>{escape(_fact_value(f))}</td><td>{escape(subject)}</td>"
                     f"<td>{escape(f.period)} · {escape(f.basis or '?')}</td>"
                     f"<td>{escape(_check_words(checked.get(f.ref, [])))}</td>"
                     f'<td class="text">{escape(f.text)}</td></tr>')
    parts.append("</tbody></table></div>")
    return "".join(parts)


def _table_html(t: Table, layout: Layout, marks: dict[str, list[str]]) -> str:
    title = " ".join(escape(p) for p in (t.label, t.title) if p)
    meta = (f"{escape(t.table_id)} · page {', '.join(map(str, t.pages))} · {escape(t.extractor or 'no grid')} · "
            f"identities {t.checks_passed} passed, {t.checks_failed} failed · amounts in {escape(t.unit or '元')} "
            "as printed (the dataset holds 元)")
    parts = [f'<div id="table-{t.table_no}"><h3>{t.table_no} · {title}</h3><p class="meta">{meta}</p>']
    parts += [f'<p class="warn">{escape(w)}</p>' for w in t.warnings]
    if t.empty or not layout.rows:
        parts.append(f'<p class="meta">printed empty{": " + escape(t.note) if t.note else ""}</p></div>')
        return "".join(parts)
    factor = float(unit_factor(t.unit))
    parts.append('<table class="norm"><thead><tr>' + "".join(f"<th>{escape(h)}</th>" for h in layout.header)
                 + "</tr></thead><tbody>")
    for values, refs in zip(layout.rows, layout.refs):
        tds = []
        for i, (value, ref) in enumerate(zip(values, refs)):
            if ref is not None:
                rules = marks.get(ref, [])
                cls = "amt failed" if rules else "amt"
                tip = f"{ref}: {_yuan(value)} 元" + (" · fails " + ", ".join(rules) if rules else "")
                tds.append(f'<td class="{cls}" id="{_id("c", ref)}" data-ref="{ref}"'
                           f' data-rules="{escape(" ".join(rules))}"'
                           f' title="{escape(tip)}"><a href="#{_id("p", ref)}">{value / factor:,.2f}</a></td>')
            elif i in layout.amount_columns:
                tds.append('<td class="amt"></td>')
            else:
                tds.append(f"<td>{'' if value is None else escape(str(value))}</td>")
        parts.append("<tr>" + "".join(tds) + "</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)
