"""Validation: the accounting identities inside and across the tables, as data (`Check`s), never raised."""

from __future__ import annotations

from ..model import Check, Table
from ..specs import Specs, TableSpec
from .cross import CROSS_RULES, CrossRule
from .rules import RULES, Rule, TableRules, run_table_rules
from .view import TableView

__all__ = ["evaluate_table", "validate_table", "validate_across", "RULES", "CROSS_RULES", "Rule", "CrossRule",
           "TableRules"]

# Why no identity runs on a table without amounts: its rows and columns may be printed, but there is nothing to
# add up (a 政府性基金 table printed empty with its note), or nothing was read from its grid.
PRINTED_EMPTY = "the table is printed empty"
NO_AMOUNTS = "no amount was read from it"


def evaluate_table(table: Table, spec: TableSpec) -> TableRules:
    """The identities of one table: the checks of those that run on its layout, and why each other one does not."""
    if table.empty or not table.cells:
        why = PRINTED_EMPTY if table.empty else NO_AMOUNTS
        return TableRules([], [f"{rule_id}: {why}" for rule_id in spec.identities])
    return run_table_rules(TableView(table), spec)


def validate_table(table: Table, spec: TableSpec) -> list[Check]:
    return evaluate_table(table, spec).checks


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
