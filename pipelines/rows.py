"""A document's result as plain rows of the five datasets (column names from fiscalpdf.schema; where the model
names a field otherwise — `Cell.flags`, `Table.empty`, `Fact.flags` — the row uses the contract's name)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..model import CODE_SYSTEMS, DocumentResult

CENT = Decimal("0.01")


def yuan(value: Decimal | None) -> float | None:
    """Exact Decimal 元 → float64 rounded to 0.01 元 (the contract's `value`)."""
    return None if value is None else float(value.quantize(CENT, ROUND_HALF_UP))


def absolute(path: str) -> str:
    """A path made absolute with symbolic links resolved: one spelling per file, whatever the working folder."""
    return str(Path(path).resolve())


def _doc(result: DocumentResult, year: int) -> dict:
    return {"doc_id": result.doc_id, "department": result.department, "region_code": result.region.region_code,
            "year": year, "kind": result.kind}


def cell_rows(result: DocumentResult, year: int) -> list[dict]:
    base = _doc(result, year)
    return [
        {**base, "table_id": c.table_id, "table_no": c.table_no, "block": c.block, "row_no": c.row_no,
         "line_no": c.line_no, "row_label": c.row_label, "row_group": c.row_group, "row_period": c.row_period,
         "budget_unit_code": c.budget_unit_code, "budget_unit_name": c.budget_unit_name, "row_role": c.row_role,
         "subject_code": c.subject_code, "code_level": c.code_level, "parent_code": c.parent_code,
         **_codes(c), "is_leaf": c.is_leaf, "col_no": c.col_no, "column_label": c.column_label,
         "column_id": c.column_id, "column_period": c.column_period, "fund": c.fund, "basis": c.basis,
         "value": yuan(c.amount), "unit": c.unit, "text": c.text, "cell_flags": c.flags,
         "confidence": c.confidence, "page": c.page}
        for t in result.tables for c in t.cells
    ]


def _codes(c) -> dict:
    """function_code / _level / _parent, and the same for econ and gov_econ, from the cell's codes by system."""
    out = {}
    for system in CODE_SYSTEMS:
        code = c.codes.get(system)
        out.update({f"{system}_code": code.code if code else None, f"{system}_level": code.level if code else None,
                    f"{system}_parent": code.parent if code else None})
    return out


def table_rows(result: DocumentResult, year: int) -> list[dict]:
    base = _doc(result, year)
    return [
        {**base, "table_id": t.table_id, "table_no": t.table_no, "label": t.label, "title": t.title,
         "pages": t.pages, "unit": t.unit, "rows": t.rows, "is_empty": t.empty, "note": t.note,
         "extractor": t.extractor, "checks_passed": t.checks_passed, "checks_failed": t.checks_failed,
         "rules_not_applied": t.rules_not_applied, "warnings": t.warnings, "orphan_amounts": len(t.orphans),
         "orphan_positions": [f"page {o.page} ({o.bbox.x0:.1f}, {o.bbox.top:.1f}): {o.text}" for o in t.orphans]}
        for t in result.tables
    ]


def document_row(result: DocumentResult, year: int) -> dict:
    region = result.region
    return {**_doc(result, year), "document_type": result.document_type, "province": region.province,
            "city": region.city, "county": region.county, "gov_level": region.gov_level,
            "path": result.path, "abs_path": result.abs_path or absolute(result.path),
            "origin": result.origin, "scope": result.scope, "page_count": result.page_count,
            "status": result.status, "error_code": result.error_code, "error": result.error,
            "tables_found": len(result.tables), "ocr_pages": result.ocr_pages,
            "unread_pages": result.unread_pages, "warnings": result.warnings,
            "duplicate_paths": result.duplicate_paths,
            "tool_version": result.tool_version, "seconds": result.seconds}


def check_rows(result: DocumentResult, year: int) -> list[dict]:
    return [
        {**_doc(result, year), "table_id": c.table_id, "rule": c.rule, "terms": c.terms,
         "expected": yuan(c.expected), "actual": yuan(c.actual), "difference": yuan(c.difference),
         "tolerance": yuan(c.tolerance), "holds": c.holds, "detail": c.detail}
        for c in result.checks
    ]


def fact_rows(result: DocumentResult, year: int) -> list[dict]:
    base = _doc(result, year)
    return [
        {**base, "fact_no": f.fact_no, "fact_id": f.fact_id, "measure": f.measure, "value": yuan(f.value),
         "unit": f.unit, "subject_code": f.subject_code, "subject_label": f.subject_label, "period": f.period,
         "basis": f.basis, "change_value": yuan(f.change_value),
         "change_pct": None if f.change_pct is None else float(f.change_pct), "change_basis": f.change_basis,
         "text": f.text, "page": f.page, "section": f.section, "cell_flags": list(f.flags)}
        for f in result.facts
    ]
