"""Reading the four datasets back from an output folder, typed as the contract says (fiscalpdf.schema).

Every reader of `fiscalpdf run` output (report, export, query) goes through here, so that the partition keys
come back with the contract's types (`year` int32, not whatever a reader infers from a directory name) and a
dataset a run did not write (no cells in a batch of failed files) reads as empty instead of failing.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from ..schema import Dataset


def dataset_dir(out: Path, dataset: Dataset) -> Path:
    return Path(out) / dataset.name


def parquet_files(out: Path, dataset: Dataset) -> list[Path]:
    """The dataset's data files; the hidden temporary files of a running batch or compaction end in .tmp."""
    root = dataset_dir(out, dataset)
    return sorted(root.glob("**/*.parquet")) if root.is_dir() else []


def read_dataset(out: Path, dataset: Dataset) -> pa.Table:
    """The whole dataset as one Arrow table, partition keys included, columns in contract order."""
    schema = dataset.arrow_schema(with_partitions=True)
    if not parquet_files(out, dataset):
        return schema.empty_table()
    keys = ds.partitioning(pa.schema([schema.field(k) for k in dataset.partitions]), flavor="hive")
    return ds.dataset(dataset_dir(out, dataset), format="parquet", partitioning=keys, schema=schema).to_table()


def read_rows(out: Path, dataset: Dataset) -> list[dict]:
    return read_dataset(out, dataset).to_pylist()
