"""`fiscalpdf report --out DIR`: what a run found, per document and overall, read back from its Parquet output.

Per document: status and error (with the taxonomy's advice), metadata, the standard tables found (concept, pages),
the other money tables and the performance tables, identities passed / failed (and which failed), the columns
holding amounts that no identity names (each with why: a 其中 column, a memo column, a table no identity runs on …),
the facts its prose states and their checks (and which failed), pages that need OCR, tables holding amounts in their
area that no cell holds (orphan amounts, with their positions). Overall: tables found per concept,
identities passed / failed, the identities' coverage (the share of amount cells of non-empty standard tables that
are a term of an evaluated identity, per concept: a hold rate says nothing of a table nothing checks), facts and
their checks, documents per status and error code,
how many are generated samples (origin = sample), and the documents whose file is gone from disk (their rows are
kept: a deleted file is not a reason to lose what was read from it).
The report reads only the datasets (and whether each document's file still exists), so it describes exactly
what a researcher will load.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ERROR_KINDS, Status
from ..model import FACTS_TABLE_ID
from ..schema import CELLS, CHECKS, DOCUMENTS, FACTS, TABLES
from ..specs import load_specs
from ..validate.columns import is_of_which
from .datasets import read_dataset, read_rows


@dataclass
class DocumentReport:
    doc_id: str
    path: str
    status: str
    error_code: str | None
    error: str | None
    department: str | None
    year: int
    kind: str | None
    scope: str | None
    ocr_pages: list[int]  # read by OCR
    origin: str = "file"
    paths: list[str] = field(default_factory=list)  # abs_path, then the duplicate paths
    document_type: str | None = None
    region_code: str | None = None
    concepts: list[tuple[str, str, list[int]]] = field(default_factory=list)  # (table_id, title, pages)
    other: list[tuple[str, list[int]]] = field(default_factory=list)
    performance: list[tuple[str, list[int]]] = field(default_factory=list)  # listed, not extracted
    passed: int = 0
    failed: list[str] = field(default_factory=list)  # 'rule: detail'
    facts: int = 0
    facts_passed: int = 0  # fact.* checks (checks.table_id = facts)
    facts_failed: list[str] = field(default_factory=list)  # 'rule: detail'
    unread_pages: list[int] = field(default_factory=list)  # no usable text layer, and not read by OCR
    unchecked: list["Unchecked"] = field(default_factory=list)  # columns with amounts no identity names
    orphans: list[tuple[str, int, list[str]]] = field(default_factory=list)  # (table_id, table_no, positions)


def load_report(out: Path) -> list[DocumentReport]:
    """One DocumentReport per document of the output folder, in path order."""
    docs = {d["doc_id"]: DocumentReport(d["doc_id"], d["path"], d["status"], d["error_code"], d["error"],
                                        d["department"], int(d["year"]), d["kind"], d["scope"],
                                        list(d["ocr_pages"] or []), d["origin"],
                                        [d["abs_path"], *(d["duplicate_paths"] or [])], d["document_type"],
                                        d["region_code"], unread_pages=list(d["unread_pages"] or []))
            for d in read_rows(out, DOCUMENTS)}
    specs = load_specs()
    for t in sorted(read_rows(out, TABLES), key=lambda t: (t["doc_id"], t["table_no"])):
        doc = docs.get(t["doc_id"])
        if doc is None:
            continue
        entry = (t["title"], list(t["pages"]))
        if t["orphan_amounts"]:
            doc.orphans.append((t["table_id"], t["table_no"], list(t["orphan_positions"])))
        role = specs.by_id(t["table_id"]).role
        if role == "standard":
            doc.concepts.append((t["table_id"], *entry))
        elif role == "other":
            doc.other.append(entry)
        else:
            doc.performance.append(entry)
    for c in read_rows(out, CHECKS):
        doc = docs.get(c["doc_id"])
        if doc is None:
            continue
        prose = c["table_id"] == FACTS.name
        if c["holds"]:
            if prose:
                doc.facts_passed += 1
            else:
                doc.passed += 1
        else:
            (doc.facts_failed if prose else doc.failed).append(f"{c['rule']}: {c['detail']}")
    for f in read_dataset(out, FACTS).select(["doc_id"]).column("doc_id").to_pylist():
        if f in docs:
            docs[f].facts += 1
    for u in unchecked_columns(out):
        if u.doc_id in docs:
            docs[u.doc_id].unchecked.append(u)
    return sorted(docs.values(), key=lambda d: d.path)


def _standard_cells(out: Path, columns: list[str]) -> pa.Table:
    """The amount cells of the standard tables, with a `ref` column '<doc_id>/<table_no>/<row_no>/<col_no>'."""
    standard = pa.array([t.id for t in load_specs().standard])
    cells = read_dataset(out, CELLS).select(list(dict.fromkeys(["doc_id", "table_id", "table_no", "row_no", "col_no",
                                                                 "value", *columns])))
    cells = cells.filter(pc.and_(pc.is_valid(cells["value"]), pc.is_in(cells["table_id"], standard)))
    refs = pc.binary_join_element_wise(*(pc.cast(cells[k], pa.string()) for k in ("doc_id", "table_no", "row_no",
                                                                                  "col_no")), "/")
    return cells.append_column("ref", refs)


def _terms(out: Path) -> set[str]:
    """Every cell named by an identity ('<doc_id>/<table_no>/<row_no>/<col_no>'): a fact.* check restates a cell, it
    is no identity of the tables; a check that could not be evaluated names no cell."""
    checks = read_dataset(out, CHECKS).select(["doc_id", "table_id", "terms"]).to_pylist()
    return {f"{c['doc_id']}/{t}" for c in checks if c["table_id"] != FACTS_TABLE_ID for t in c["terms"] or ()}


def coverage(out: Path) -> dict[str, tuple[int, int]]:
    """table_id → (amount cells that are a term of an evaluated identity, amount cells), over the non-empty
    standard tables of the output."""
    terms = _terms(out)
    cells = _standard_cells(out, [])
    counts: dict[str, list[int]] = {}
    for table_id, ref in zip(cells["table_id"].to_pylist(), cells["ref"].to_pylist()):
        seen = counts.setdefault(table_id, [0, 0])
        seen[0] += ref in terms
        seen[1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(counts.items())}


@dataclass(frozen=True)
class Unchecked:
    """A printed column of a standard table with amounts that no identity names, and why."""

    doc_id: str
    table_no: int
    table_id: str
    column_label: str
    cells: int  # amount cells of the column no identity names
    of: int  # amount cells of the column
    why: str

    def __str__(self) -> str:
        return f"{self.table_id} [{self.column_label or '?'}] {self.cells} of {self.of} cells: {self.why}"


def unchecked_columns(out: Path) -> list[Unchecked]:
    """Every column of a standard table holding amounts that are a term of no identity, with why — read from its
    header and the table's record of the rules not applied, never guessed from the amounts."""
    terms = _terms(out)
    cells = _standard_cells(out, ["column_label", "column_id"]).to_pylist()
    not_applied = {(t["doc_id"], t["table_no"]): list(t["rules_not_applied"] or [])
                   for t in read_dataset(out, TABLES).select(["doc_id", "table_no", "rules_not_applied"]).to_pylist()}
    columns: dict[tuple, list[dict]] = {}
    checked_tables = set()
    for c in cells:
        columns.setdefault((c["doc_id"], c["table_no"], c["col_no"]), []).append(c)
        if c["ref"] in terms:
            checked_tables.add((c["doc_id"], c["table_no"]))
    found: list[Unchecked] = []
    for (doc_id, table_no, _), column in sorted(columns.items()):
        missed = [c for c in column if c["ref"] not in terms]
        if missed:
            first = column[0]
            table = (doc_id, table_no)
            why = why_unchecked(first["column_label"], first["column_id"], len(missed) < len(column),
                                table in checked_tables, not_applied.get(table, []))
            found.append(Unchecked(doc_id, table_no, first["table_id"], first["column_label"], len(missed),
                                   len(column), why))
    return found


def why_unchecked(column_label: str, column_id: str | None, partly: bool, table_checked: bool,
                  not_applied: list[str]) -> str:
    """Why no identity names (some of) a column's amounts: from its header, whether identities name its other rows
    or other columns of its table, and the table's rules not applied."""
    if is_of_which(column_label):
        return "a 其中 column: a part of the column before it, which no identity breaks down"
    if partly:
        return "these rows are lines no identity adds up (a 其中 line, a memo line, a heading of no total)"
    if column_id is None:
        return "its header names no column the concept's identities speak of"
    if not table_checked and not_applied:
        return "no identity runs on the table: " + "; ".join(not_applied)
    return f"no identity of the table adds up or into its {column_id} column (a memo column, or a part of no " \
           f"total printed)"


def format_coverage(shares: dict[str, tuple[int, int]]) -> str:
    covered, total = sum(c for c, _ in shares.values()), sum(n for _, n in shares.values())
    if not total:
        return "identity coverage: no amount cells in standard tables"
    short = [f"{t} {c / n:.1%}" for t, (c, n) in shares.items() if c < n]
    return (f"identity coverage: {covered / total:.1%} of {total} amount cells are terms of an evaluated identity"
            + (f" (below 100 %: {', '.join(short)})" if short else ""))


def _pages(pages: list[int]) -> str:
    if not pages:
        return "-"
    runs, start = [], pages[0]
    for a, b in zip(pages, pages[1:] + [None]):
        if b != a + 1:
            runs.append(str(start) if start == a else f"{start}-{a}")
            start = b
    return "p" + ",".join(runs)


def format_report(reports: list[DocumentReport], failures_shown: int = 5, totals_only: bool = False,
                  covered: dict[str, tuple[int, int]] | None = None) -> str:
    specs = load_specs()
    lines: list[str] = []
    for d in [] if totals_only else reports:
        lines.append(f"== {Path(d.path).name}  [{d.status}{' ' + d.error_code if d.error_code else ''}]"
                     f"  {d.document_type or 'type unknown'}")
        lines.append(f"   {d.department or '(department unknown)'} · {d.year or '????'}"
                     f" · {d.kind or '?'} · {d.scope or '?'}")
        if d.error_code:
            kind = ERROR_KINDS.get(d.error_code)
            lines.append(f"   error: {(d.error or '').splitlines()[0] if d.error else ''}")
            if kind:
                lines.append(f"   what to do: {kind.action}")
        for table_id, title, pages in d.concepts:
            lines.append(f"   {table_id:<16} {specs.by_id(table_id).name}  {title}  {_pages(pages)}")
        if d.other:
            lines.append(f"   other money tables ({len(d.other)}): "
                         + "; ".join(f"{title} {_pages(p)}" for title, p in d.other))
        if d.performance:
            pages = sorted({p for _, ps in d.performance for p in ps})
            lines.append(f"   performance tables: {len(d.performance)} ({_pages(pages)})")
        lines.append(f"   identities: {d.passed} passed, {len(d.failed)} failed")
        for f in d.failed[:failures_shown]:
            lines.append(f"     ✗ {f}")
        if len(d.failed) > failures_shown:
            lines.append(f"     … {len(d.failed) - failures_shown} more (checks dataset, holds = false)")
        for u in d.unchecked[:failures_shown]:
            lines.append(f"     unchecked {u}")
        if len(d.unchecked) > failures_shown:
            lines.append(f"     … {len(d.unchecked) - failures_shown} more columns that no identity names")
        if d.facts or d.facts_passed or d.facts_failed:
            lines.append(f"   facts: {d.facts}; checked against the tables and their own figures: "
                         f"{d.facts_passed} passed, {len(d.facts_failed)} failed")
            for f in d.facts_failed[:failures_shown]:
                lines.append(f"     ✗ {f}")
            if len(d.facts_failed) > failures_shown:
                lines.append(f"     … {len(d.facts_failed) - failures_shown} more (checks dataset, table_id = "
                             f"'facts', holds = false)")
        for table_id, table_no, positions in d.orphans:
            lines.append(f"   ! {table_id} (table {table_no}): {len(positions)} amount(s) printed in its area, in none "
                         f"of its cells: " + "; ".join(positions[:failures_shown])
                         + (" …" if len(positions) > failures_shown else ""))
        if d.ocr_pages:
            lines.append(f"   pages read by OCR: {_pages(sorted(d.ocr_pages))}")
        if d.unread_pages:
            lines.append(f"   pages not read (no usable text layer): {_pages(sorted(d.unread_pages))}")
    if lines:
        lines.append("")
    lines += _totals(reports, covered)
    return "\n".join(lines)


def _totals(reports: list[DocumentReport], covered: dict[str, tuple[int, int]] | None = None) -> list[str]:
    concepts = Counter(t for d in reports for t, _, _ in d.concepts)
    passed = sum(d.passed for d in reports)
    failed = sum(len(d.failed) for d in reports)
    statuses = Counter(d.status for d in reports)
    errors = Counter(d.error_code for d in reports if d.error_code)
    samples = sum(d.origin == "sample" for d in reports)
    out = [f"{len(reports)} document(s): " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
           + (f"; {samples} of them generated samples (origin = sample)" if samples else "")]
    types = Counter(d.document_type or "unknown (unread)" for d in reports)
    out.append("documents per type: " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())))
    out.append("tables found per concept: " + ", ".join(f"{t} {n}" for t, n in sorted(concepts.items())))
    out.append(f"other money tables {sum(len(d.other) for d in reports)}, "
               f"performance tables {sum(len(d.performance) for d in reports)}")
    rate = f" ({passed / (passed + failed):.2%} hold)" if passed + failed else ""
    out.append(f"identities: {passed} passed, {failed} failed{rate}")
    if covered is not None:
        out.append(format_coverage(covered))
    unchecked = [u for d in reports for u in d.unchecked]
    if unchecked:
        out.append(f"unchecked: {sum(u.cells for u in unchecked)} amount cells in {len(unchecked)} columns no identity "
                   f"names (each listed under its document, with why)")
    facts = sum(d.facts for d in reports)
    fact_passed = sum(d.facts_passed for d in reports)
    fact_failed = sum(len(d.facts_failed) for d in reports)
    fact_rate = f" ({fact_passed / (fact_passed + fact_failed):.2%} hold)" if fact_passed + fact_failed else ""
    out.append(f"facts: {facts} in {sum(d.facts > 0 for d in reports)} document(s); checks: {fact_passed} passed, "
               f"{fact_failed} failed{fact_rate}")
    out.append(f"pages read by OCR: {sum(len(d.ocr_pages) for d in reports)}, not read (no usable text layer): "
               f"{sum(len(d.unread_pages) for d in reports)}")
    orphaned = [(d, t) for d in reports for t in d.orphans]
    if orphaned:
        out.append(f"tables with amounts in their area that no cell holds (orphan amounts): {len(orphaned)}, "
                   f"{sum(len(t[2]) for _, t in orphaned)} amount(s): "
                   + ", ".join(f"{Path(d.path).name} {t[0]}" for d, t in orphaned[:10])
                   + (" …" if len(orphaned) > 10 else ""))
    for code, n in sorted(errors.items()):
        kind = ERROR_KINDS.get(code)
        out.append(f"error {code} ({kind.status.value if kind else '?'}): {n} — {kind.meaning if kind else ''}")
    other = [d for d in reports if d.status == Status.NOT_APPLICABLE]
    if other:
        out.append(f"not disclosures ({len(other)}), nothing extracted:")
        out += [f"  {Path(d.path).name}: {(d.error or '').removeprefix('not a budget disclosure: ')}" for d in other]
    gone = [d.path for d in reports if d.paths and not any(Path(p).exists() for p in d.paths if p)]
    if gone:
        names = ", ".join(gone[:5]) + (" …" if len(gone) > 5 else "")
        out.append(f"{len(gone)} document(s) whose file is no longer on disk (their rows are kept): {names}")
    return out
