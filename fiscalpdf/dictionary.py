"""The data dictionary, docs/DATA_DICTIONARY.md, written from the code that defines what it describes.

Sources, each the one place its subject is defined: the datasets and columns (fiscalpdf/schema.py), the cell
and fact flags (fiscalpdf/flags.py), the table concepts with their titles, printed titles, column ids and row roles
(fiscalpdf/specs/), the identities (validate/rules.py, validate/cross.py), the facts vocabulary
(fiscalpdf/specs/facts.toml) and its checks (validate/facts.py), and the statuses and error codes
(fiscalpdf/errors.py). The file is committed so that
it can be read on the web; tests/research/test_dictionary.py fails when it differs from what this module writes.

    python -m fiscalpdf.dictionary [PATH]     # (make docs) writes docs/DATA_DICTIONARY.md
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa

from .errors import ERROR_KINDS, STATUS_MEANINGS
from .flags import CELL_FLAGS, FACT_FLAGS
from .normalize.facts import FactSpec, load_vocabulary
from .normalize.regions import division_list_version
from .schema import DATASETS, DOCUMENT_TYPES, GOV_LEVELS, SCHEMA_VERSION, Dataset
from .specs import Specs, TableSpec, load_specs
from .validate import CROSS_RULES, RULES
from .validate.facts import FACT_RULES
from .validate.rules import resolve

DEFAULT_PATH = Path("docs/DATA_DICTIONARY.md")


def render(specs: Specs | None = None) -> str:
    specs = specs or load_specs()
    standard = list(specs.standard)
    extra = [s for s in specs.tables if not s.is_standard]
    lines = [
        "# Data dictionary",
        "",
        "Generated from the code by `make docs` (`python -m fiscalpdf.dictionary`): do not edit by hand — a test fails",
        "when this file and the code differ. Sources: `fiscalpdf/schema.py` (datasets), `fiscalpdf/specs/` (table",
        "concepts, `tables.toml`; printed titles, `printed.toml`; the facts vocabulary, `facts.toml`),",
        "`fiscalpdf/flags.py` (cell and fact flags), `validate/rules.py` and `validate/cross.py` (identities),",
        "`validate/facts.py` (the facts' checks), `fiscalpdf/errors.py` (statuses, error codes).",
        "",
        "1. [Datasets](#datasets): " + ", ".join(f"[`{d.name}`](#{d.name})" for d in DATASETS),
        "2. [Cell flags](#cell-flags): `cells.cell_flags`, what was done to read an amount",
        "3. [Table concepts](#table-concepts): the standard tables, their titles region by region, column ids, "
        "row roles",
        "4. [Column ids](#column-ids): every `column_id` and the tables it occurs in",
        "5. [Identities](#identities): the sums checked, inside tables and across them",
        "6. [Facts vocabulary](#facts-vocabulary): every `facts.fact_id`, the sections of the 说明 that name it, "
        "the table figure it restates; [fact flags](#fact-flags) and [the facts' checks](#the-facts-checks)",
        "7. [Statuses and error codes](#statuses-and-error-codes): `documents.status`, `documents.error_code`",
        "",
        "## Datasets",
        "",
        f"Schema version {SCHEMA_VERSION} (stored in each file's metadata). Layout: "
        "`<out>/<dataset>/<partition>=<value>/…/<doc_id>.parquet`, hive-style; the partition keys are columns when "
        "read with `hive_partitioning` (DuckDB, `fiscalpdf query`) or `pd.read_parquet(folder)`. Amounts are in 元. "
        "Each file's pandas metadata makes `pd.read_parquet` read a nullable integer column (`line_no`, `code_level`) "
        "as a nullable pandas integer (`Int32`, `Int8`), not float64; Arrow and DuckDB read the types below. No "
        "column is named after a `pandas.DataFrame` attribute, so `df.name` is always the column.",
        "",
    ]
    for d in DATASETS:
        lines += _dataset(d)
    lines += ["### Document types and places", "", "`documents.document_type`, decided from the document's own text "
              "(its title, its standard tables), never from its file name:", "", "| document_type | meaning |",
              "|---|---|"]
    lines += [f"| `{k}` | {_cell(v)} |" for k, v in DOCUMENT_TYPES.items()]
    lines += ["", f"`province`, `city`, `county` and `region_code` come from the national division list of "
              f"{division_list_version()}: codes of that vintage, never back-dated (a district renamed or merged "
              "since a document was published gets today's code). `gov_level`:", "", "| gov_level | meaning |",
              "|---|---|"]
    lines += [f"| `{k}` | {_cell(v)} |" for k, v in GOV_LEVELS.items()]
    lines += ["", "## Cell flags", "", "| flag | meaning |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(meaning)} |" for name, meaning in CELL_FLAGS.items()]
    lines += ["", "## Table concepts", "",
              "`table_id` names what a table is, whatever its printed title. A title is matched after its label "
              "(公开01表, 表1 …), year, department, whitespace and quotes are removed: it names the first concept "
              "whose title patterns match and whose exclusions do not (concepts are tried in the order of "
              "`tables.toml`).",
              "", "| table_id | concept | identities |", "|---|---|---|"]
    lines += [f"| [`{s.id}`](#{s.id}) | {_cell(s.name)} | {len(s.identities)} |" for s in standard]
    lines += [f"| `{s.id}` | {_cell(s.name)} ({_ROLES[s.role]}) | — |" for s in extra]
    lines.append("")
    for s in standard:
        lines += _concept(s)
    for s in extra:
        lines += [f"### {s.id}", "", f"{s.name}: {_ROLES[s.role]}. Title patterns: {_patterns(s.titles)}."
                  + (f" Not: {_patterns(s.not_titles)}." if s.not_titles else ""), ""]
    lines += _column_ids(standard)
    lines += _identities(standard)
    lines += _facts()
    lines += ["## Statuses and error codes", "", "`documents.status`, from the mildest to the most severe:", "",
              "| status | meaning |", "|---|---|"]
    lines += [f"| `{s.value}` | {_cell(m)} |" for s, m in STATUS_MEANINGS.items()]
    lines += ["", "`documents.error_code`; `status` is what the document's status is when this is its error.", "",
              "| error_code | status | meaning | what to do |", "|---|---|---|---|"]
    lines += [f"| `{k.code}` | {k.status.value} | {_cell(k.meaning)} | {_cell(k.action)} |"
              for k in ERROR_KINDS.values()]
    return "\n".join(lines) + "\n"


_ROLES = {"standard": "a standard table: extracted and checked", "other": "a money table outside the standard ones: "
          "extracted, not checked", "listed": "listed (title and pages), not extracted"}


def _cell(text: str) -> str:
    """Text inside a Markdown table cell: a | would end the cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _patterns(patterns) -> str:
    return ", ".join(f"`{_cell(p.pattern)}`" for p in patterns)


def _type(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return f"list<{_type(t.value_type)}>"
    return str(t)


def _dataset(d: Dataset) -> list[str]:
    out = [f"### {d.name}", "", f"{d.meaning[0].upper()}{d.meaning[1:]}. Partitioned by "
           + ", ".join(f"`{p}`" for p in d.partitions) + ".", "",
           "| column | type | null | meaning | example |", "|---|---|---|---|---|"]
    for c in d.columns:
        out.append(f"| `{c.name}` | `{_type(c.type)}` | {'yes' if c.nullable else 'no'} | {_cell(c.meaning)} | "
                   f"`{_cell(c.example)}` |")
    return out + [""]


def _concept(s: TableSpec) -> list[str]:
    out = [f"### {s.id}", "", f"**{s.name}**. Title patterns: {_patterns(s.titles)}."
           + (f" Not: {_patterns(s.not_titles)}." if s.not_titles else ""), ""]
    if s.printed:
        out += ["Printed as:", "", "| title (year dropped) | seen in |", "|---|---|"]
        out += [f"| {_cell(title)} | {_cell('; '.join(where))} |" for title, where in s.printed.items()]
        out.append("")
    if s.blocks:
        out += ["Side-by-side blocks (`block`): " + "; ".join(f"`{b}` {_patterns(p)}" for b, p in s.blocks.items())
                + (". Rows may name the block (预算数 and 决算数 printed as rows)." if s.row_blocks else "."), ""]
    if s.columns:
        out += ["| column_id | header (leaf, or the whole path where the pattern has a /) |", "|---|---|"]
        out += [f"| `{c}` | {_patterns(p)} |" for c, p in s.columns.items()]
        out.append("")
    if s.rows:
        out += ["| block | row_role | row label |", "|---|---|---|"]
        out += [f"| `{block}` | `{role}` | {_patterns(p)} |"
                for block, roles in s.rows.items() for role, p in roles.items()]
        out.append("")
    if s.identities:
        out += ["Identities: " + ", ".join(f"`{i}`" for i in s.identities) + ".", ""]
    return out


def _tables_using(standard: list[TableSpec], attribute: str) -> dict[str, list[str]]:
    """Each column id (or identity) of the specs → the tables whose spec names it."""
    used: dict[str, list[str]] = {}
    for s in standard:
        for key in getattr(s, attribute):
            used.setdefault(key, []).append(s.id)
    return used


def _column_ids(standard: list[TableSpec]) -> list[str]:
    tables = _tables_using(standard, "columns")
    out = ["## Column ids", "",
           "`cells.column_id`: the canonical id of a printed column, read from its header by the table's spec "
           "(null when no pattern matched: the column is kept with its `column_label`).", "",
           "| column_id | tables |", "|---|---|"]
    out += [f"| `{c}` | {', '.join(ids)} |" for c, ids in sorted(tables.items())]
    return out + [""]


def _identities(standard: list[TableSpec]) -> list[str]:
    homes = _tables_using(standard, "identities")
    out = ["## Identities", "",
           "Each evaluated identity is a row of `checks`: `rule`, the cells involved (`terms`, table_no/row_no/col_no; "
           "the first is the printed value checked), `actual` (printed), `expected` (what the other terms make it) "
           "and `holds`. Tolerance: 0.01 in the printed unit per summed term (the documents warn of 尾数误差). "
           "An identity a table should satisfy but whose rows or columns were not recognised is a failed check, "
           "never skipped.", "", "### Inside a table", "", "| rule | checked in | what it states |", "|---|---|---|"]
    named = {rule_id: spec for spec in standard for rule_id in spec.identities}
    for rule_id, spec in named.items():
        out.append(f"| `{rule_id}` | {', '.join(homes[rule_id])} | {_cell(resolve(rule_id).doc_for(spec))} |")
    unused = [r for r in RULES.values() if not r.generic and r.id not in named]
    out += [f"| `{r.id}` | — | {_cell(r.doc)} |" for r in unused]
    generic = [r for r in RULES.values() if r.generic]
    out += ["", "Generic identities: a concept's spec may name any of these under its own id (`<table_id>.…`).", "",
            "| rule | what it states |", "|---|---|"]
    out += [f"| `{r.id}` | {_cell(r.doc.format(name='the table', parts='its `row_parts`'))} |" for r in generic]
    out += ["", "### Across tables (`table_id` = cross)", "", "| rule | what it states |", "|---|---|"]
    out += [f"| `{r.id}` | {_cell(r.doc)} |" for r in CROSS_RULES.values()]
    return out + [""]


def _counterpart(target: dict[str, str]) -> str:
    """'gpb_basic[public] public_total' · 'three_public[by basis] column total' · '… (comparison)'."""
    block = target.get("block")
    block = "" if block is None else "[by the figure's basis]" if block == "basis" else f"[{block}]"
    where = " ".join(x for x in (target.get("row") and f"row {target['row']}",
                                 target.get("column") and f"column {target['column']}") if x)
    return f"`{target['concept']}{block}` {where}".strip() + (" (comparison)" if target.get("compare") else "")


def _restates(spec: FactSpec) -> str:
    if not spec.table:
        return "—"
    parts = []
    for where, targets in spec.table.items():
        said = " or ".join(_counterpart(t) for t in targets)
        parts.append(said if where == "*" and len(spec.table) == 1 else
                     f"{'elsewhere' if where == '*' else f'in {where}'}: {said}")
    return "; ".join(parts)


def _facts() -> list[str]:
    vocab = load_vocabulary()
    out = ["## Facts vocabulary", "",
           "`facts.fact_id`: what a figure of the prose (情况说明) is — a closed vocabulary, read from "
           "`fiscalpdf/specs/facts.toml` (its phrases, the words that name each fact, are there too). A figure "
           "belongs to the nearest name before it in its clause, and only in the sections whose kind admits that "
           "name; the reading rules are in `normalize/facts.py`. Section kinds, by the 说明 heading a sentence sits "
           "under (the first kind whose pattern the heading matches):", "",
           "| section kind | heading patterns |", "|---|---|"]
    out += [f"| `{kind}` | {_patterns(patterns)} |" for kind, patterns in vocab.sections]
    out += ["", "| fact_id | measure | meaning | 中文 | read in sections | restates (checked against) |",
            "|---|---|---|---|---|---|"]
    for spec in vocab.facts.values():
        subject = {"class": " (subject: a 功能分类 类)", "item": " (subject: a 款/项)", "label": " (subject_label)"}
        out.append(f"| `{spec.id}` | {spec.measure} | {_cell(spec.en)}{subject.get(spec.subject, '')} | "
                   f"{_cell(spec.zh)} | {', '.join(spec.sections)} | {_cell(_restates(spec))} |")
    out += ["", "### Fact flags", "", "`facts.cell_flags` (named as `cells.cell_flags`, so one name reads the flags of "
            "either dataset): how a figure was read.", "", "| flag | meaning |",
            "|---|---|"]
    out += [f"| `{name}` | {_cell(meaning)} |" for name, meaning in FACT_FLAGS.items()]
    out += ["", "### The facts' checks", "",
            "Rows of `checks` with `table_id` = facts: `terms` name facts as `f<fact_no>` (`facts.fact_no`) beside "
            "cells (table_no/row_no/col_no). Checks run within one document.", "", "| rule | what it states |",
            "|---|---|"]
    out += [f"| `{rule}` | {_cell(doc)} |" for rule, doc in FACT_RULES.items()]
    return out + [""]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
