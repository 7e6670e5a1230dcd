"""The output contract: five hive-partitioned datasets that pandas and DuckDB read as they are."""

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from fiscalpdf.cli import main
from fiscalpdf.flags import FACT_FLAGS
from fiscalpdf.pipelines.datasets import read_rows
from fiscalpdf.pipelines.rows import yuan
from fiscalpdf.schema import CELLS, DATASETS, DOCUMENTS, FACTS, METADATA_KEY, SCHEMA_VERSION, TABLES
from tests.paths import BROKEN_PDFS, SAMPLE_PDFS, SAMPLES, VARIANT_PDFS


def test_five_datasets_partitioned(batch_out):
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
    # 支出决算表 合计: 259.15 万元 (2020, the seed and its three variants) …
    assert rows[0][:2] == (2020, "expenditure")
    assert round(rows[0][2] / 2591500.00) in (3, 4)
    docs = con.execute(f"SELECT status, count(*) FROM read_parquet('{batch_out}/documents/**/*.parquet', "
                       "hive_partitioning = true) GROUP BY ALL ORDER BY status").fetchall()
    assert docs == [("failed", 3), ("ok", 6)]


def _snapshot(out):
    data = {}
    for ds in DATASETS:
        df = pd.read_parquet(out / ds.name)
        if "seconds" in df:
            df = df.drop(columns=["seconds"])
        df = df.astype({c: str for c in ("year", "table_id") if c in df})
        key = [c for c in ("doc_id", "table_no", "row_no", "col_no", "fact_no", "rule") if c in df]
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


def test_facts_rows_are_the_documents_facts(batch_out, results):
    """Each document's facts as `process_document` read them, numbered 1…n, in 元, with declared flags only."""
    rows: dict[str, list[dict]] = {}
    for f in read_rows(batch_out, FACTS):
        rows.setdefault(f["doc_id"], []).append(f)
    for name, r in results.items():
        got = sorted(rows.get(r.doc_id, []), key=lambda f: f["fact_no"])
        assert [(f["fact_no"], f["fact_id"], f["value"], f["change_value"], f["page"], f["text"], f["cell_flags"],
                 f["region_code"], f["year"]) for f in got] == [
            (f.fact_no, f.fact_id, yuan(f.value), yuan(f.change_value), f.page, f.text, list(f.flags),
             r.region.region_code, r.year) for f in r.facts], name
        assert [f["fact_no"] for f in got] == list(range(1, len(got) + 1))
    assert {flag for fs in rows.values() for f in fs for flag in f["cell_flags"]} <= set(FACT_FLAGS)
    assert sum(map(len, rows.values())) > 100


def test_no_column_is_a_dataframe_attribute():
    """`df.flags` or `df.empty` would silently give pandas' own attribute instead of the column."""
    for ds in DATASETS:
        assert [c.name for c in ds.columns if hasattr(pd.DataFrame, c.name)] == [], ds.name
    assert "cell_flags" in [c.name for c in CELLS.columns] and "is_empty" in [c.name for c in TABLES.columns]
    assert "cell_flags" in [c.name for c in FACTS.columns]  # the name cells give their flags


def test_pandas_reads_nullable_integers_as_such_and_arrow_keeps_its_types(batch_out):
    cells = pd.read_parquet(batch_out / "cells")
    assert (str(cells["line_no"].dtype), str(cells["code_level"].dtype)) == ("Int32", "Int8")
    assert cells["code_level"].isna().any() and set(cells["code_level"].dropna()) <= {1, 2, 3}
    documents = pd.read_parquet(batch_out / "documents")
    assert str(documents["page_count"].dtype) == "Int32" and documents["page_count"].isna().any()  # failed files
    for ds in DATASETS:  # every integer column: nullable pandas integer when nullable, numpy int32 otherwise
        frame = pd.read_parquet(batch_out / ds.name)
        for c in ds.columns:
            if pa.types.is_integer(c.type) and c.name not in ds.partitions:
                want = {pa.int8(): "Int8", pa.int32(): "Int32"}[c.type] if c.nullable else str(c.type)
                assert str(frame[c.name].dtype) == want, (ds.name, c.name)
    schema = pq.read_schema(next((batch_out / "cells").rglob("*.parquet")))
    assert (schema.field("line_no").type, schema.field("code_level").type) == (pa.int32(), pa.int8())
    described = dict(duckdb.sql(f"DESCRIBE SELECT line_no, code_level FROM "
                                f"read_parquet('{batch_out}/cells/**/*.parquet')").fetchall()[i][:2] for i in (0, 1))
    assert described == {"line_no": "INTEGER", "code_level": "TINYINT"}


def test_origin_comes_from_the_pdfs_own_metadata_never_its_path(batch_out, tmp_path):
    from fiscalpdf.pipelines.document import process_document

    docs = pd.read_parquet(batch_out / "documents")
    origin = {Path(p).name: o for p, o in zip(docs["path"], docs["origin"])}
    assert {origin[p.name] for p in SAMPLE_PDFS + VARIANT_PDFS} == {"sample"}
    assert {origin[name] for name in BROKEN_PDFS} == {"file"}
    assert all(a == str(Path(p).resolve()) for p, a in zip(docs["path"], docs["abs_path"]))
    # a sample under a name a user might give it is still a sample; a PDF made by anything else is a file
    (tmp_path / "mydata").mkdir()
    renamed = tmp_path / "mydata" / "2021年部门决算.pdf"
    shutil.copy(SAMPLES / "zhuzhou-shifeng-yingshang_2020_final.pdf", renamed)
    assert process_document(renamed).origin == "sample"
    import pypdfium2 as pdfium

    other = pdfium.PdfDocument.new()
    other.new_page(595, 842)
    other.save(tmp_path / "samples.pdf")
    assert process_document(tmp_path / "samples.pdf").origin == "file"
    assert [c.name for c in DOCUMENTS.columns][DOCUMENTS.columns.index(DOCUMENTS.column("path")) + 1] == "abs_path"
