"""Flags, declared once: `cells.cell_flags` (what was done to read an amount) and `facts.cell_flags` (how a figure
of the prose was read). The normalizers emit these names, the data dictionary documents them from here, and tests
check that nothing else is ever emitted."""

from __future__ import annotations

PLACEHOLDER = "placeholder"
SPACED = "spaced"
WRAPPED = "wrapped"
BRACKETED = "bracketed"
IRREGULAR_GROUPING = "irregular_grouping"
CODE_FROM_NAME = "code_from_name"
CODE_IN_LABEL = "code_in_label"
OCR = "ocr"
REREAD = "reread"

CELL_FLAGS: dict[str, str] = {
    PLACEHOLDER: "printed blank, '-' or '—' (a declared placeholder): read as 0",
    SPACED: "spaces next to the decimal point or a thousands comma dropped ('186. 67' → 186.67)",
    WRAPPED: "digits wrapped onto a second line of the cell joined ('1682.7' over '6' → 1682.76)",
    BRACKETED: "printed in brackets: a negative amount ('（12.30）' → -12.30)",
    IRREGULAR_GROUPING: "thousands separators not between groups of three digits, read all the same",
    CODE_FROM_NAME: "the row prints no code: its 功能分类 类 code comes from its name (summary tables)",
    CODE_IN_LABEL: "the code was printed inside the label cell ('[301]工资福利支出') and split off it",
    OCR: "read by OCR from a page without a usable text layer (`confidence` says how sure the engine was)",
    REREAD: "read by OCR, then again from a higher-resolution crop because an identity failed; the second reading "
            "made the table's identities hold better",
}

# facts.cell_flags (fiscalpdf.normalize.facts, whose docstring gives the reading rules named here)
SUBJECT_FROM_LEAD = "subject_from_lead"
JOINED_SENTENCE = "joined_sentence"
CHANGE_ONLY = "change_only"
CHANGE_CONFLICT = "change_conflict"
COMPARISON_BASE = "comparison_base"

FACT_FLAGS: dict[str, str] = {
    SUBJECT_FROM_LEAD: "its sentence names nothing: the subject is the one its list item or heading named "
                       "('（一）因公出国（境）费用。' then '2026 年预算数 166.98 万元')",
    JOINED_SENTENCE: "its change is stated in the next sentence, which `text` holds too ('…总决算 20727.53 万元。"
                     "与 2023 年度相比，…各增加 5551.7 万元')",
    CHANGE_ONLY: "the sentence states only a change of the thing ('基本支出增加 49.12 万元'): value is null",
    CHANGE_CONFLICT: "a second, different change was stated for the same fact: the first is kept",
    COMPARISON_BASE: "the figure another is compared with ('比 2025 年年初预算数 9819.98 万元减少…'): its period and "
                     "basis are the comparison's",
}
