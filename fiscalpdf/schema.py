"""The output contract: the five datasets, their columns, types, meaning and an example of each.

One place: the writers build their Arrow schemas from it, `docs/DATA_DICTIONARY.md` is generated from it.
No column is named after an SQL keyword (table, column, row …), so plain DuckDB SQL works on them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyarrow as pa

from .errors import Status
from .flags import CELL_FLAGS, FACT_FLAGS

# 2: cells.flags → cell_flags, tables.empty → is_empty; documents.origin, abs_path.
# 3: documents.document_type and its place (province, city, county, gov_level); region_code in every dataset.
# 4: cells: row_group, row_period, budget_unit_code / _name, function / econ / gov_econ codes, is_leaf,
#    column_period, fund, basis.
# 5: the facts dataset (the prose's figures); checks also hold the fact.* checks (table_id facts);
#    cells.confidence (OCR); documents.unread_pages, and ocr_pages now lists the pages read by OCR.
# 6: tables.rules_not_applied (the identities a table's layout does not print what they speak of, with why);
#    tables.orphan_amounts / orphan_positions (amounts printed in a table's area that no cell holds).
SCHEMA_VERSION = "6"
METADATA_KEY = b"fiscalpdf.schema_version"
UNKNOWN_YEAR = 0  # partition of documents whose year could not be read (failed files)
ORIGINS = ("file", "sample")  # documents.origin: a file of the user's, or one of the bundled generated samples


# The values of documents.document_type and documents.gov_level, with what they mean.
DOCUMENT_TYPES = {
    "disclosure": "a 部门 / 单位 预算 or 决算 with its standard tables (a 报表-only file too; a consolidated 汇总 "
                  "one too)",
    "narrative": "a disclosure's text (情况说明, 预算信息公开) without its standard tables (Beijing publishes them "
                 "apart)",
    "performance": "绩效目标表 / 绩效自评表 / 绩效评价报告 only",
    "other": "anything else (a notice, a report, a form, a list …): status not_applicable, nothing extracted",
}
GOV_LEVELS = {
    "central": "a national body (国家信访局): no region",
    "province": "a province's or a municipality's (北京, 上海, 天津, 重庆) own department",
    "prefecture": "a prefecture-level city's department (a development zone's bureau belongs to its city)",
    "county": "a county, county-level city or district's department",
    "township": "a 街道办事处, 镇 or 乡 government (its region_code is its county's)",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    nullable: bool
    meaning: str
    example: str


@dataclass(frozen=True)
class Dataset:
    name: str
    meaning: str
    partitions: tuple[str, ...]  # hive partition keys (directories), in order; not stored inside the files
    columns: tuple[Column, ...]

    def arrow_schema(self, with_partitions: bool = False) -> pa.Schema:
        cols = [c for c in self.columns if with_partitions or c.name not in self.partitions]
        return pa.schema([pa.field(c.name, c.type, c.nullable) for c in cols],
                         metadata={METADATA_KEY: SCHEMA_VERSION.encode(), b"pandas": pandas_metadata(cols)})

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# pandas reads a nullable Arrow integer as float64 (null → NaN) unless the file's 'pandas' metadata names a
# nullable pandas dtype: `pd.read_parquet` then gives Int32 / Int8, while Arrow and DuckDB keep int32 / int8.
_NULLABLE_INT = {pa.int8(): "Int8", pa.int16(): "Int16", pa.int32(): "Int32", pa.int64(): "Int64"}


def _pandas_types(c: Column) -> tuple[str, str]:
    """(pandas_type, numpy_type) of a column as pandas' own Parquet metadata writes them."""
    t = c.type
    if pa.types.is_integer(t):
        return str(t), _NULLABLE_INT[t] if c.nullable else str(t)
    if pa.types.is_floating(t) or pa.types.is_boolean(t):
        return str(t), str(t)
    if pa.types.is_list(t):
        inner = "unicode" if pa.types.is_string(t.value_type) else str(t.value_type)
        return f"list[{inner}]", "object"
    return "unicode", "object"


def pandas_metadata(columns: list[Column]) -> bytes:
    """The 'pandas' schema metadata of a file holding these columns (no index; dtypes as read back)."""
    described = [{"name": c.name, "field_name": c.name, "pandas_type": _pandas_types(c)[0],
                  "numpy_type": _pandas_types(c)[1], "metadata": None} for c in columns]
    return json.dumps({"index_columns": [], "column_indexes": [], "columns": described,
                       "creator": {"library": "fiscalpdf", "version": SCHEMA_VERSION}}).encode()


def _c(name, type_, nullable, meaning, example) -> Column:
    return Column(name, type_, nullable, meaning, example)


_DOC = (
    _c("doc_id", pa.string(), False, "sha256 (hex) of the PDF's bytes: the same bytes are the same document",
       "9f2c…e41a"),
    _c("department", pa.string(), True, "the department (部门 / 单位) the disclosure is about, its name whole as "
       "printed (null when the document names none, and for files that are no disclosure)",
       "株洲市石峰区优化营商环境协调事务中心"),
    _c("region_code", pa.string(), True, "6-digit administrative division code of the government the department "
       "belongs to (division list: see documents.province); null for central bodies and when not named", "430204"),
    _c("year", pa.int32(), False, "fiscal year covered (partition key; 0 when the document does not state it, "
       "and for files that are no disclosure)", "2020"),
    _c("kind", pa.string(), True, "final (部门决算, final accounts) or budget (部门预算)", "final"),
)
_TABLE_KEY = (
    _c("table_id", pa.string(), False, "the concept: summary, income, expenditure, fiscal_summary, gpb_expenditure, "
       "gpb_basic, three_public, gov_fund, soe_capital; other (a money table outside the nine); performance",
       "gpb_expenditure"),
    _c("table_no", pa.int32(), False, "the table's order in the document, 1-based; with doc_id it keys a table", "5"),
)

CELLS = Dataset(
    "cells", "one row per amount cell (money only: never 行次, codes, percentages or counts)", ("year", "table_id"),
    _DOC + _TABLE_KEY + (
        _c("block", pa.string(), True, "the side-by-side block: income / expenditure (收支总表), personnel / public "
           "(基本支出表), budget / final (三公)", "income"),
        _c("row_no", pa.int32(), False, "body row order after side-by-side blocks are unrolled, 1-based", "3"),
        _c("line_no", pa.int32(), True, "the printed 行次", "27"),
        _c("row_label", pa.string(), False, "the row's own printed label, normalized (NFKC, radicals mapped, no "
           "whitespace), without the codes printed in it; several label columns (功能 | 政府经济 | 部门经济 names) "
           "joined by '/'", "行政运行"),
        _c("row_group", pa.string(), True, "the label of a merged group cell the row sits under "
           "(一般公共预算资金 over 小计, 公共财政拨款资金 …)", "一般公共预算资金"),
        _c("row_period", pa.string(), True, "prior | current | change when the row itself names its year (a 三公 "
           "table printing per unit a 2025年, a 2026年 and an 增减变化金额 row)", "current"),
        _c("budget_unit_code", pa.string(), True, "the 预算单位 a row of a consolidated table laid out unit by unit "
           "belongs to: its code as printed (单位编码)", "125001"),
        _c("budget_unit_name", pa.string(), True, "that 预算单位's name as printed", "北京市审计局本级"),
        _c("row_role", pa.string(), True, "the row's role in its table where the spec names one (total, carry_in, "
           "grand_total, personnel_total …)", "total"),
        _c("subject_code", pa.string(), True, "the row's code: function_code, else econ_code, else gov_econ_code — "
           "never a 预算单位's code (a summary 类 line gets its 功能分类 code from its name)", "2010301"),
        _c("code_level", pa.int8(), True, "subject_code's level: 1 类 / 2 款 / 3 项", "3"),
        _c("parent_code", pa.string(), True, "subject_code one level up", "20103"),
        _c("function_code", pa.string(), True, "功能分类 code printed for the row (2xx: 类 3 digits, 款 5, 项 7)",
           "2010301"),
        _c("function_level", pa.int8(), True, "1 类 / 2 款 / 3 项", "3"),
        _c("function_parent", pa.string(), True, "the 功能分类 code one level up", "20103"),
        _c("econ_code", pa.string(), True, "部门预算支出经济分类 code printed for the row (3xx: 类 3 digits, 款 5; "
           "7 where a region prints sub-items)", "30101"),
        _c("econ_level", pa.int8(), True, "1 类 / 2 款 / 3 sub-item", "2"),
        _c("econ_parent", pa.string(), True, "the 部门经济分类 code one level up", "301"),
        _c("gov_econ_code", pa.string(), True, "政府预算支出经济分类 code printed for the row (5xx: 类 3 digits, 款 5)",
           "50101"),
        _c("gov_econ_level", pa.int8(), True, "1 类 / 2 款", "2"),
        _c("gov_econ_parent", pa.string(), True, "the 政府经济分类 code one level up", "501"),
        _c("is_leaf", pa.bool_(), False, "no other row of the table adds up into this one (not a 类 over its 款, "
           "not a total, not a 其中 line): sum over is_leaf rows and nothing is counted twice", "true"),
        _c("col_no", pa.int32(), False, "the printed column, 1-based, counted over the whole printed grid", "4"),
        _c("column_label", pa.string(), False, "the header path, levels joined by '/'", "本年支出/基本支出"),
        _c("column_id", pa.string(), True, "canonical column id from the table spec (total, basic, project …)",
           "basic"),
        _c("column_period", pa.string(), True, "prior | current | change: the year the column's header names "
           "(上年结转 is money carried into this year: current); null where the rows name it (row_period)", "current"),
        _c("fund", pa.string(), True, "gpb | gov_fund | soe | special_account | other: the fund the header (or the "
           "table itself: the 一般公共预算 tables are gpb) names", "gpb"),
        _c("basis", pa.string(), True, "budget | adjusted_budget | final, where the header says it (预算数, 调整预算, "
           "决算数 / 执行数); documents.kind says the rest", "budget"),
        _c("value", pa.float64(), False, "amount in 元: computed exactly from the printed text and unit, "
           "rounded to 0.01", "1072000.0"),
        _c("unit", pa.string(), False, "the unit printed for the table (万元, 元)", "万元"),
        _c("text", pa.string(), False, "the cell as the extractor read it", "107. 20"),
        _c("cell_flags", pa.list_(pa.string()), False, "what was done to read it: " + ", ".join(CELL_FLAGS)
           + " (docs/DATA_DICTIONARY.md, cell flags)", "['spaced']"),
        _c("confidence", pa.float32(), True, "read by OCR: how sure the engine was of the cell's least sure character "
           "(0–1); null for a text layer's cells", "0.998"),
        _c("page", pa.int32(), False, "1-based page of the PDF", "11"),
    ),
)

TABLES = Dataset(
    "tables", "one row per table found (empty tables included)", ("year", "table_id"),
    _DOC + _TABLE_KEY + (
        _c("label", pa.string(), True, "the printed label", "公开05表"),
        _c("title", pa.string(), False, "the printed title", "一般公共预算财政拨款支出决算表"),
        _c("pages", pa.list_(pa.int32()), False, "1-based pages the table is printed on", "[11]"),
        _c("unit", pa.string(), True, "the unit printed for the table", "万元"),
        _c("rows", pa.int32(), False, "body rows (after unrolling)", "9"),
        _c("is_empty", pa.bool_(), False, "printed with no amounts (its note usually says why)", "false"),
        _c("note", pa.string(), True, "the note printed under it (注：…, 本单位无…)", "注：本表反映…"),
        _c("extractor", pa.string(), True, "the extractor whose grid was kept (pdfplumber, camelot-stream …)",
           "pdfplumber"),
        _c("rules_not_applied", pa.list_(pa.string()), False, "the identities its spec names that do not run on "
           "it, each 'rule: why': the layout does not print a column, row or block the rule speaks of (decided "
           "from headers and labels, never from amounts), or the table is printed empty; every other identity "
           "of the table is evaluated, each instance a row of checks", "['gpb_expenditure.basic_split: no "
           "personnel, public column']"),
        _c("checks_passed", pa.int32(), False, "identities of this table that hold", "24"),
        _c("checks_failed", pa.int32(), False, "identities of this table that fail", "0"),
        _c("warnings", pa.list_(pa.string()), False, "what the tool was unsure of for this table", "[]"),
        _c("orphan_amounts", pa.int32(), False, "amounts printed in the table's area (between its heading and the "
           "next, across its grid) outside every cell kept, that are no page number, 栏次, year or note figure: "
           "figures the reading may have lost (error_code orphan_amounts; fiscalpdf inspect marks them)", "0"),
        _c("orphan_positions", pa.list_(pa.string()), False, "each orphan amount as 'page N (x0, top): text', "
           "in pt from the page's top left corner", "[]"),
    ),
)

DOCUMENTS = Dataset(
    "documents", "one row per input file, failed ones included", ("year",),
    _DOC + (
        _c("document_type", pa.string(), True, "disclosure (a 预算 / 决算 with its standard tables) | narrative (its "
           "情况说明 without them) | performance (绩效 sheets only) | other (no disclosure: not_applicable); null "
           "where the file could not be read (failed, or pages that need OCR)", "disclosure"),
        _c("province", pa.string(), True, "province-level division of the department's government, as the "
           "division list spells it", "湖南省"),
        _c("city", pa.string(), True, "prefecture-level city (null for a municipality and for provincial bodies)",
           "株洲市"),
        _c("county", pa.string(), True, "county-level division (区 / 县 / 县级市)", "石峰区"),
        _c("gov_level", pa.string(), True, "central | province | prefecture | county | township", "county"),
        _c("path", pa.string(), False, "the input file's path as given", "samples/x.pdf"),
        _c("abs_path", pa.string(), False, "the same path made absolute (symbolic links resolved): a rerun "
           "matches a path's new content to its old rows by it", "/home/me/fiscalpdf/samples/x.pdf"),
        _c("origin", pa.string(), False, "file: an input of the user's; sample: a PDF generated by fiscalpdf's "
           "samples/generate.py (its metadata says so; some of its figures are invented): keep them out of a "
           "panel with origin = 'file'", "file"),
        _c("scope", pa.string(), True, "department (部门), unit (单位) or consolidated (汇总)", "department"),
        _c("page_count", pa.int32(), True, "pages in the PDF", "17"),
        _c("status", pa.string(), False, " | ".join(s.value for s in Status) + " (in order of severity: "
       "docs/DATA_DICTIONARY.md, statuses)", "ok"),
        _c("error_code", pa.string(), True, "stable error code (fiscalpdf report lists them)", "truncated"),
        _c("error", pa.string(), True, "the error message", "the PDF ends early …"),
        _c("tables_found", pa.int32(), False, "tables found (all ids)", "9"),
        _c("ocr_pages", pa.list_(pa.int32()), False, "pages read by OCR (no usable text layer: scanned images, or "
           "text that decodes to nonsense)", "[]"),
        _c("unread_pages", pa.list_(pa.int32()), False, "pages without a usable text layer that were not read (OCR "
           "off, its extra not installed, or failing on them): error_code image_only says so", "[]"),
        _c("warnings", pa.list_(pa.string()), False, "document-level warnings", "[]"),
        _c("duplicate_paths", pa.list_(pa.string()), False,
           "other input paths holding the same bytes: processed once, under this row's path", "[]"),
        _c("tool_version", pa.string(), False, "fiscalpdf version that wrote the row", "0.1.0"),
        _c("seconds", pa.float64(), False, "processing time", "1.8"),
    ),
)

CHECKS = Dataset(
    "checks", "one row per identity evaluated, and per figure of the prose checked (table_id facts)", ("year",),
    _DOC[:4] + (
        _c("table_id", pa.string(), False, "the rule's home table, cross, or facts (a fact.* check of the prose)",
           "expenditure"),
        _c("rule", pa.string(), False, "stable rule id (docs/DATA_DICTIONARY.md lists them)", "expenditure.row_total"),
        _c("terms", pa.list_(pa.string()), False, "the cells involved, table_no/row_no/col_no, and the facts, "
           "f<fact_no>; the first is the printed value checked", "['3/4/3', '3/4/4', '3/4/5']"),
        _c("expected", pa.float64(), True, "what the other terms make it, in 元 (in percent for a "
           "fact.*.change_pct check)", "1080600.0"),
        _c("actual", pa.float64(), True, "the printed value, in 元 (in percent for a fact.*.change_pct check)",
           "1080600.0"),
        _c("difference", pa.float64(), True, "actual − expected", "0.0"),
        _c("tolerance", pa.float64(), False, "0.01 in the printed unit per summed term, in 元; for a fact.* check "
           "the rule's own (validate/facts.py: half a unit of the last printed digit …)", "200.0"),
        _c("holds", pa.bool_(), False, "|difference| ≤ tolerance", "true"),
        _c("detail", pa.string(), False, "the identity in words", "行政运行: total = basic + project"),
    ),
)

FACTS = Dataset(
    "facts", "one row per figure the prose (情况说明) states: disclosure and narrative documents", ("year",),
    _DOC + (
        _c("fact_no", pa.int32(), False, "the figure's order in the document, 1-based; with doc_id it keys a fact, "
           "and checks name it f<fact_no>", "12"),
        _c("fact_id", pa.string(), False, "what the figure is: the closed vocabulary of fiscalpdf/specs/facts.toml "
           "(docs/DATA_DICTIONARY.md, facts vocabulary)", "admin_running_costs"),
        _c("measure", pa.string(), False, "money | count", "money"),
        _c("value", pa.float64(), True, "money in 元 whatever the printed unit, rounded to 0.01; a count as printed; "
           "null when the sentence states only a change of the thing", "140900.0"),
        _c("unit", pa.string(), True, "the unit as printed (万元, 元, 个, 人次, 辆 …), of the change when there is no "
           "value; null when no number is printed (持平)", "万元"),
        _c("subject_code", pa.string(), True, "the 功能分类 code the figure is about (a 类, or a 款/项 printed "
           "with its code)", "201"),
        _c("subject_label", pa.string(), True, "the item as printed: a 类 or 类/款/项 path, an SME procurement pool, "
           "a kind of vehicle or equipment", "一般公共服务（类）"),
        _c("period", pa.string(), False, "current | prior (a figure of an earlier year: the base of a comparison, "
           "'2025年预算数为…')", "current"),
        _c("basis", pa.string(), True, "budget | adjusted_budget | final: the figure's basis word (年初预算, 调整预算, "
           "决算 …), else the document's kind", "final"),
        _c("change_value", pa.float64(), True, "the change stated with it, in 元, signed (减少/降低 negative, 持平 0)",
           "-35400.0"),
        _c("change_pct", pa.float64(), True, "the percentage change stated, as printed, signed (降低20.0% → -20.0)",
           "-20.0"),
        _c("change_basis", pa.string(), True, "what the change is against: prior_year | budget", "budget"),
        _c("text", pa.string(), False, "the sentence, as printed (lines joined, whitespace collapsed)",
           "本部门2020年度机关运行经费支出14.09万元，比年初预算数减少3.54万元，降低20.0%。"),
        _c("page", pa.int32(), True, "1-based page the figure is printed on", "4"),
        _c("section", pa.string(), True, "the 说明 heading it sits under, as printed", "七、机关运行经费支出说明"),
        _c("cell_flags", pa.list_(pa.string()), False, "how it was read (named as cells name their flags): "
           + ", ".join(FACT_FLAGS) + " (docs/DATA_DICTIONARY.md, fact flags)", "['comparison_base']"),
    ),
)

DATASETS = (CELLS, TABLES, DOCUMENTS, CHECKS, FACTS)
