"""Completeness (issue 19): no amount printed in a table's area is left outside its cells unexplained — on the
samples and their variants, the corpus and the crawl — and what is left is reported, table by table."""

from __future__ import annotations

import pytest

from fiscalpdf.pipelines.datasets import read_rows
from fiscalpdf.pipelines.report import DocumentReport, format_report
from fiscalpdf.schema import TABLES


def test_no_sample_or_variant_table_holds_an_orphan_amount(results):
    assert {name: [(t.table_id, o.page, o.text) for t in r.tables for o in t.orphans]
            for name, r in results.items() if any(t.orphans for t in r.tables)} == {}


@pytest.mark.parametrize("which", ["corpus", "wild"])
def test_no_table_of_the_real_files_holds_an_orphan_amount(request, which):
    out = request.getfixturevalue(f"{which}_run")[0]
    rows = read_rows(out, TABLES)
    assert len(rows) > 100
    assert [(r["doc_id"][:12], r["table_id"], r["orphan_positions"]) for r in rows if r["orphan_amounts"]] == []
    assert all(r["orphan_positions"] == [] for r in rows)


def test_the_report_names_each_table_with_orphans_and_where_they_are():
    doc = DocumentReport("d" * 64, "/x/a.pdf", "partial", "orphan_amounts", "2 amount(s) …", "某局", 2022, "budget",
                         "department", [])
    doc.orphans.append(("expenditure", 3, ["page 9 (282.1, 40.1): 48.99", "page 9 (382.9, 40.1): 48.99"]))
    text = format_report([doc])
    assert "   ! expenditure (table 3): 2 amount(s) printed in its area, in none of its cells: page 9 (282.1, 40.1): " \
           "48.99; page 9 (382.9, 40.1): 48.99" in text
    assert "tables with amounts in their area that no cell holds (orphan amounts): 1, 2 amount(s): a.pdf expenditure" \
        in text
