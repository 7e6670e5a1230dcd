"""`fiscalpdf query`: SQL on the output with the datasets as views, offline, printed or written to a file."""

import pandas as pd
import pyarrow.parquet as pq
import pytest

from fiscalpdf.cli import main
from fiscalpdf.pipelines.datasets import read_dataset
from fiscalpdf.pipelines.query import connect
from fiscalpdf.schema import CELLS, CHECKS, DATASETS


def test_views_have_the_contract_columns_and_rows(batch_out):
    con = connect([batch_out])
    for dataset in DATASETS:
        described = con.execute(f"DESCRIBE SELECT * FROM {dataset.name}").fetchall()
        assert [row[0] for row in described] == [c.name for c in dataset.columns], dataset.name
        count = con.execute(f"SELECT count(*) FROM {dataset.name}").fetchone()[0]
        assert count == read_dataset(batch_out, dataset).num_rows > 0, dataset.name
    assert dict((r[0], r[1]) for r in con.execute("DESCRIBE SELECT * FROM cells").fetchall())["year"] == "INTEGER"


def test_nothing_is_downloaded(batch_out):
    con = connect([batch_out])
    settings = dict(con.execute("SELECT name, value FROM duckdb_settings() WHERE name IN "
                            "('autoinstall_known_extensions', 'autoload_known_extensions')").fetchall())
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def test_missing_dataset_is_an_empty_view(tmp_path):
    (tmp_path / "documents").mkdir()
    con = connect([tmp_path])
    assert con.execute("SELECT count(*) FROM cells").fetchone() == (0,)
    assert [r[0] for r in con.execute("DESCRIBE SELECT * FROM checks").fetchall()] == [c.name for c in CHECKS.columns]


def test_several_folders_are_one_view(batch_out):
    con = connect([batch_out, batch_out])
    assert con.execute("SELECT count(*) FROM cells").fetchone()[0] == 2 * read_dataset(batch_out, CELLS).num_rows


def test_cli_prints_a_table(batch_out, capsys):
    sql = "SELECT year, kind, count(*) AS n FROM documents WHERE status = 'ok' GROUP BY ALL ORDER BY ALL"
    assert main(["query", sql, "--out", str(batch_out)]) == 0
    printed = capsys.readouterr().out
    assert "year" in printed and "kind" in printed and "budget" in printed and "final" in printed


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_cli_writes_csv_and_parquet(batch_out, tmp_path, suffix):
    target = tmp_path / f"failed{suffix}"
    sql = "SELECT doc_id, rule, terms, actual, expected FROM checks WHERE NOT holds ORDER BY doc_id, rule"
    assert main(["query", sql, "--out", str(batch_out), "--to", str(target)]) == 0
    got = pd.read_csv(target) if suffix == ".csv" else pq.read_table(target).to_pandas()
    checks = read_dataset(batch_out, CHECKS).to_pandas()
    failed = checks[~checks["holds"]]
    assert len(got) == len(failed) > 0
    assert {"expenditure.row_total", "expenditure.hierarchy"} <= set(got["rule"])


def test_cli_errors_are_plain(batch_out, tmp_path, capsys):
    assert main(["query", "SELECT nonsense FROM cells", "--out", str(batch_out)]) == 1
    assert "nonsense" in capsys.readouterr().err
    assert main(["query", "SELECT 1", "--out", str(tmp_path)]) == 2
    assert main(["query", "SELECT 1", "--out", str(batch_out), "--to", str(tmp_path / "x.txt")]) == 1
    assert ".csv or .parquet" in capsys.readouterr().err


def test_origin_keeps_the_samples_out_of_every_view(batch_out):
    """batch_out: six generated samples (three documents, three test variants), three broken files of a user's."""
    every, files = connect([batch_out]), connect([batch_out], origin="file")
    assert every.execute("SELECT count(*) FROM documents WHERE origin = 'sample'").fetchone() == (6,)
    assert files.execute("SELECT count(DISTINCT origin), count(*) FROM documents").fetchone() == (1, 3)
    assert files.execute("SELECT count(*) FROM cells").fetchone() == (0,)  # the broken files have no cells
    assert every.execute("SELECT count(*) FROM cells").fetchone()[0] > 0


def test_a_fact_joins_its_checks(batch_out):
    """checks name a fact f<fact_no>: the prose's 机关运行经费 of the 2020 sample beside the table figure."""
    con = connect([batch_out])
    rows = con.execute("""
        SELECT f.value, c.rule, c.holds, c.actual
        FROM facts f JOIN checks c ON c.doc_id = f.doc_id AND c.table_id = 'facts' AND c.terms[1] = 'f' || f.fact_no
        JOIN documents d ON d.doc_id = f.doc_id
        WHERE f.fact_id = 'admin_running_costs' AND d.path LIKE '%2020_final.pdf' AND c.rule NOT LIKE '%change%'
    """).fetchall()
    assert rows == [(140900.0, "fact.admin_running_costs.comparison", True, 140900.0)]
