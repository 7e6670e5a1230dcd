"""The output contract: four hive-partitioned datasets that pandas and DuckDB read as they are."""

import shutil

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from fiscalpdf.cli import main
from fiscalpdf.schema import DATASETS, METADATA_KEY, SCHEMA_VERSION
from tests.paths import SAMPLES


def test_four_datasets_partitioned(batch_out):
    for ds in DATASETS:
        files = list((batch_out / ds.name).glob("year=*/**/*.parquet"))
        assert files, ds.name
        if "table_id" in ds.partitions:
            assert all(f.parent.name.startswith("table_id=") for f in files)
        meta = pq.read_schema(files[0]).metadata
        assert meta[METADATA_KEY].decode() == SCHEMA_VERSION
    assert not list(batch_out.rglob("*.tmp")) and not list(batch_out.rglob(".*"))


def test_no_column_named_after_an_sql_keyword():
    """Plain DuckDB SQL works: no column is a reserved keyword or a keyword only usable as a column name."""
    reserved = {k for (k,) in duckdb.sql("SELECT keyword_name FROM duckdb_keywords() "
                                        "WHERE keyword_category IN ('reserved', 'column_name')").fetchall()}
    assert {"table", "column", "row"} <= reserved
    for ds in DATASETS:
        assert not {c.name for c in ds.columns} & reserved, ds.name


def test_pandas_filter_by_year(batch_out, results):
    df = pd.read_parquet(batch_out / "cells", filters=[("year", "==", 2020)])
    expected = sum(len(t.cells) for name, r in results.items() if r.year == 2020 for t in r.tables)
    assert len(df) == expected
    assert set(df["year"].astype(int)) == {2020}
    assert set(df["doc_id"]) == {r.doc_id for r in results.values() if r.year == 2020}


def test_duckdb_reads_hive_partitions(batch_out):
    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions = false")
    rows = con.execute(
        """SELECT year, table_id, sum(value) """
        f"""FROM read_parquet('{batch_out}/cells/**/*.parquet', hive_partitioning = true)
            WHERE row_label = '合计' AND column_id = 'total' AND table_id = 'expenditure' GROUP BY ALL ORDER BY year"""
    ).fetchall()
    # 支出决算表 合计: 259.15 万元 (2020, the seed and its two variants) …
    assert rows[0][:2] == (2020, "expenditure")
    assert round(rows[0][2] / 2591500.00) in (2, 3)
    docs = con.execute(f"SELECT status, count(*) FROM read_parquet('{batch_out}/documents/**/*.parquet', "
                       "hive_partitioning = true) GROUP BY ALL ORDER BY status").fetchall()
    assert docs == [("failed", 3), ("ok", 5)]


def _snapshot(out):
    data = {}
    for ds in DATASETS:
        df = pd.read_parquet(out / ds.name)
        if "seconds" in df:
            df = df.drop(columns=["seconds"])
        df = df.astype({c: str for c in ("year", "table_id") if c in df})
        key = [c for c in ("doc_id", "table_no", "row_no", "col_no", "rule") if c in df]
        df = df.assign(_terms=df["terms"].astype(str)) if "terms" in df else df
        data[ds.name] = df.sort_values(key + (["_terms"] if "_terms" in df else [])).reset_index(drop=True)
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.parquet"))
    return data, files


def test_rerun_is_identical_and_replaces(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(SAMPLES), "--out", str(out), "--quiet"]) == 0
    first, files = _snapshot(out)
    assert main(["run", str(SAMPLES), "--out", str(out), "--quiet"]) == 0
    second, files2 = _snapshot(out)
    assert files == files2
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name])
    # the same bytes under another name are the same document: replaced, never added beside
    shutil.copy(SAMPLES / "zhuzhou-shifeng-yingshang_2020_final.pdf", tmp_path / "renamed.pdf")
    assert main(["run", str(tmp_path / "renamed.pdf"), "--out", str(out), "--quiet"]) == 0
    third, files3 = _snapshot(out)
    assert files3 == files
    assert len(third["cells"]) == len(first["cells"])


def test_stale_partitions_of_a_document_are_removed(tmp_path):
    out = tmp_path / "out"
    pdf = SAMPLES / "zhuzhou-shifeng-yingshang_2020_final.pdf"
    assert main(["run", str(pdf), "--out", str(out), "--quiet"]) == 0
    doc_files = list(out.rglob("*.parquet"))
    stale = out / "cells" / "year=1999" / "table_id=income" / doc_files[0].name
    stale.parent.mkdir(parents=True)
    shutil.copy(doc_files[0], stale)
    assert main(["run", str(pdf), "--out", str(out), "--quiet", "--force"]) == 0
    assert not stale.exists()
