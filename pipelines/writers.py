"""Writing one document's rows into the five hive-partitioned Parquet datasets.

Layout: `<out>/<dataset>/year=<year>/[table_id=<id>/]<doc_id>.parquet` — one file per document per
partition, named from its doc_id, so a rerun replaces a document's files instead of adding beside them.
Files are written under a hidden temporary name that no reader picks up ('.<name>.tmp'), renamed into
place, and only then are the document's files from an earlier run that the new run did not rewrite removed.
"""

from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import DocumentResult
from ..schema import CELLS, CHECKS, DATASETS, DOCUMENTS, FACTS, TABLES, UNKNOWN_YEAR, Dataset
from .collector import fewer_collections
from .compact import remove_from_compacted
from .rows import cell_rows, check_rows, document_row, fact_rows, table_rows

# Settings fixed so that two runs write byte-identical files. Snappy, not zstd: a document's file per partition is
# small and dictionary-encoded, and zstd makes it no smaller (the corpus and wild outputs: 39.9 MB either way)
# while costing ~1 ms more per file (pyarrow compresses each page on its own). Merged files (compact.py) keep zstd.
PARQUET_OPTIONS = {"compression": "snappy", "use_dictionary": True, "write_statistics": True}


@lru_cache(maxsize=None)
def _schema(dataset: Dataset) -> pa.Schema:
    """The dataset's Arrow schema, built once per process (its pandas metadata is JSON made per call)."""
    return dataset.arrow_schema()


def partition_dir(out: Path, dataset: Dataset, row: dict) -> Path:
    d = out / dataset.name
    for key in dataset.partitions:
        d = d / f"{key}={row[key]}"
    return d


def write_document(out: Path, result: DocumentResult) -> list[Path]:
    """Write (or replace) every file of one document; returns the files now holding it.

    Its rows in merged files of an earlier `fiscalpdf compact` are taken out first. A kill between that and
    the new files being in place leaves the document missing, never doubled; the batch redoes it, since the
    manifest records a document only after this returns (and a forced document is marked pending first)."""
    with fewer_collections():  # a row dict per cell, no cycles (pipelines/collector.py)
        return _write(out, result)


def _write(out: Path, result: DocumentResult) -> list[Path]:
    remove_from_compacted(out, result.doc_id)
    year = result.year if result.year is not None else UNKNOWN_YEAR
    datasets = {
        CELLS: cell_rows(result, year),
        TABLES: table_rows(result, year),
        DOCUMENTS: [document_row(result, year)],
        CHECKS: check_rows(result, year),
        FACTS: fact_rows(result, year),
    }
    written: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    for dataset, rows in datasets.items():
        # rows grouped by their partition values, a path made once per group (not once per row: thousands)
        # (itemgetter: a row's partition values without a Python call per row; one key gives a value, not a
        # tuple, which groups the same)
        by_key: dict[object, list[dict]] = defaultdict(list)
        partition_of = itemgetter(*dataset.partitions)
        for row in rows:
            by_key[partition_of(row)].append(row)
        groups = sorted(((partition_dir(out, dataset, group[0]), group) for group in by_key.values()),
                        key=lambda pair: pair[0])
        schema = _schema(dataset)
        for directory, group in groups:
            directory.mkdir(parents=True, exist_ok=True)
            final = directory / f"{result.doc_id}.parquet"
            tmp = directory / f".{result.doc_id}.parquet.tmp"
            # column by column (a KeyError still names a column a row lacks): a fifth of from_pylist's time
            table = pa.Table.from_pydict({k: list(map(itemgetter(k), group)) for k in schema.names}, schema=schema)
            pq.write_table(table, tmp, **PARQUET_OPTIONS)
            staged.append((tmp, final))
    for tmp, final in staged:
        os.replace(tmp, final)
        written.append(final)
    keep = set(written)
    for stale in document_files(out, result.doc_id):
        if stale not in keep:
            stale.unlink()
    return written


def remove_document(out: Path, doc_id: str) -> None:
    """Take every row of one document out of the output: its rows in merged files, then its own files. Safe to
    repeat: a kill halfway leaves rows the next call removes."""
    remove_from_compacted(out, doc_id)
    for f in document_files(out, doc_id):
        f.unlink(missing_ok=True)


def document_files(out: Path, doc_id: str) -> list[Path]:
    """Every file of one document in the output, in any dataset and partition."""
    found = []
    for dataset in DATASETS:
        root = out / dataset.name
        if root.is_dir():
            found += root.glob(f"**/{doc_id}.parquet")
    return sorted(found)
