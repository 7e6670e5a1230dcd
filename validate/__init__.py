"""Validation: the accounting identities inside and across the tables, as data (`Check`s), never raised."""

from __future__ import annotations

from ..model import Check, Table
from ..specs import Specs, TableSpec
from .cross import CROSS_RULES, CrossRule
from .rules import RULES, Rule, run_table_rules
from .view import TableView

__all__ = ["validate_table", "validate_across", "RULES", "CROSS_RULES", "Rule", "CrossRule"]


def validate_table(table: Table, spec: TableSpec) -> list[Check]:
    if table.empty or not table.cells:
        return []
    return run_table_rules(TableView(table), spec)


def validate_across(tables: list[Table], specs: Specs) -> list[Check]:
    """Cross-table identities between the first table of each standard concept."""
    views: dict[str, TableView] = {}
    for t in tables:
        if specs.by_id(t.table_id).is_standard:
            views.setdefault(t.table_id, TableView(t))
    out: list[Check] = []
    for cross in CROSS_RULES.values():
        out += cross.check(views)
    return out
