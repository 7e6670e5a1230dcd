"""`fiscalpdf query "SQL" --out DIR`: SQL on the output with DuckDB, embedded and in memory (no server).

The five datasets are views named after them (`cells`, `tables`, `documents`, `checks`, `facts`), over the Parquet files
of one or more output folders (a sample run and a corpus run queried together), with the contract's column
order and partition-key types. A dataset with no files is an empty view of the right columns, so a query never
depends on what a run happened to write.

Nothing is downloaded: DuckDB installs and loads known extensions on first use unless told not to, and the
users of this tool often work offline. Parquet reading is built in; a query that needs an extension fails with
DuckDB's message instead of fetching it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from ..schema import DATASETS, ORIGINS, Dataset
from .datasets import check_schema, dataset_dir, parquet_files

OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
# DuckDB names of the Arrow types that partition keys have in the contract
_PARTITION_TYPES = {pa.int32(): "INTEGER", pa.string(): "VARCHAR"}


def connect(folders: Sequence[Path], origin: str | None = None):
    """An in-memory DuckDB connection with the datasets of `folders` as views; with `origin` ('file' or
    'sample'), every view holds only the documents of that origin (`documents.origin`). Raises OutputError for
    a folder of another schema version."""
    import duckdb  # the `query` extra: only this command and the notebook need it

    if origin is not None and origin not in ORIGINS:
        raise ValueError(f"origin is one of {', '.join(ORIGINS)}, not {origin!r}")
    for f in folders:
        check_schema(f)
    con = duckdb.connect(":memory:", config=OFFLINE)
    for dataset in DATASETS:
        globs = [f"{dataset_dir(f, dataset)}/**/*.parquet" for f in folders if parquet_files(f, dataset)]
        source = f"_all_{dataset.name}" if origin else dataset.name
        if globs:
            con.execute(f"CREATE VIEW {source} AS {_select(dataset, globs)}")
        else:
            con.register(f"_empty_{dataset.name}", dataset.arrow_schema(with_partitions=True).empty_table())
            con.execute(f"CREATE VIEW {source} AS SELECT * FROM _empty_{dataset.name}")
    if origin:
        con.execute(f"CREATE VIEW documents AS SELECT * FROM _all_documents WHERE origin = {_literal(origin)}")
        for dataset in DATASETS:
            if dataset.name != "documents":
                con.execute(f"CREATE VIEW {dataset.name} AS SELECT * FROM _all_{dataset.name} "
                            f"WHERE doc_id IN (SELECT doc_id FROM documents)")
    return con


def _select(dataset: Dataset, globs: list[str]) -> str:
    files = ", ".join(_literal(g) for g in globs)
    schema = dataset.arrow_schema(with_partitions=True)
    types = ", ".join(f"{_literal(k)}: {_PARTITION_TYPES[schema.field(k).type]}" for k in dataset.partitions)
    columns = ", ".join(c.name for c in dataset.columns)
    # union_by_name: files written by an older fiscalpdf may lack a column added since
    return (f"SELECT {columns} FROM read_parquet([{files}], hive_partitioning = true, "
            f"hive_types = {{{types}}}, union_by_name = true)")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def run_query(sql: str, folders: Sequence[Path], to: Path | None = None, max_rows: int = 50) -> None:
    """Print the result as a table, or write it to `to` (.csv or .parquet, by its suffix)."""
    con = connect(folders)
    try:
        result = con.sql(sql)
        if result is None:  # a statement without rows (SET, CREATE …)
            return
        if to is None:
            result.show(max_rows=max_rows, max_width=10_000)
        elif to.suffix.lower() == ".csv":
            result.write_csv(str(to), header=True)
        elif to.suffix.lower() == ".parquet":
            result.write_parquet(str(to))
        else:
            raise ValueError(f"cannot write {to.name}: give a file ending in .csv or .parquet")
    finally:
        con.close()
