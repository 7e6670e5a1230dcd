"""Validation: the accounting identities inside and across the tables, as data (`Check`s), never raised."""

from __future__ import annotations

from ..model import Check, Table
from ..specs import TableSpec
from .cross import CROSS_DOCS, CROSS_RULES
from .rules import RULE_DOCS, run_table_rules
from .view import TableView

__all__ = ["validate_table", "validate_across", "RULE_DOCS", "CROSS_DOCS"]


def validate_table(table: Table, spec: TableSpec) -> list[Check]:
    if table.empty or not table.cells:
        return []
    return run_table_rules(TableView(table), spec.identities)


def validate_across(tables: list[Table]) -> list[Check]:
    """Cross-table identities between the first table of each standard concept."""
    views: dict[str, TableView] = {}
    for t in tables:
        views.setdefault(t.table_id, TableView(t))
    out: list[Check] = []
    for fn in CROSS_RULES.values():
        out += fn(views)
    return out
