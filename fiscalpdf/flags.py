"""Cell flags (`cells.flags`): what was done to read an amount, declared once — the normalizers emit these names,
the data dictionary documents them from here, and a test checks that nothing else is ever emitted."""

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
