"""Reading the four datasets back from an output folder, typed as the contract says (fiscalpdf.schema).

Every reader of `fiscalpdf run` output (report, export, query) goes through here, so that the partition keys
come back with the contract's types (`year` int32, not whatever a reader infers from a directory name) and a
dataset a run did not write (no cells in a batch of failed files) reads as empty instead of failing.

One folder holds one schema version (fiscalpdf.schema.SCHEMA_VERSION, in every file's metadata): a column
renamed between versions would otherwise read as two half-empty columns. `check_schema` says which versions a
folder holds and what to do; `run` will not write into a folder of another version, and every reader stops
with that message (tested in tests/pipelines/test_cli_errors.py).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from ..schema import DOCUMENTS, METADATA_KEY, SCHEMA_VERSION, Dataset


class OutputError(Exception):
    """An output folder that cannot be read or written as asked; the message says why and what to do."""


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


def schema_versions(out: Path) -> dict[str, Path]:
    """The schema versions an output folder holds, each with a file holding it. Read from the documents
    dataset, which has a file for every document a run wrote (or a merged one per partition)."""
    found: dict[str, Path] = {}
    for f in parquet_files(out, DOCUMENTS):
        metadata = pq.read_schema(f).metadata or {}
        found.setdefault(metadata.get(METADATA_KEY, b"unknown").decode(), f)
    return found


def check_schema(out: Path) -> None:
    """Raise OutputError when `out` holds files of a schema version other than this fiscalpdf's."""
    versions = schema_versions(out)
    other = sorted(v for v in versions if v != SCHEMA_VERSION)
    if not other:
        return
    held = " and ".join(sorted(versions))
    example = versions[other[0]]
    raise OutputError(
        f"{out} holds output of schema version {held} ({example.relative_to(out)} is version {other[0]}); "
        f"this fiscalpdf reads and writes version {SCHEMA_VERSION} only (columns were renamed): run your PDFs "
        f"into a fresh folder with this version, e.g. `fiscalpdf run PDFS --out {Path(out).name}-v{SCHEMA_VERSION}`"
        f", or delete {out} and run again")


def sample_paths_if_mixed(folders: list[Path]) -> list[str]:
    """The paths of the generated sample documents (documents.origin = 'sample') when the folders also hold
    documents of the user's own files; [] when they hold only one kind."""
    origins: dict[str, list[str]] = {}
    for out in folders:
        table = read_dataset(out, DOCUMENTS).select(["origin", "path"])
        for origin, path in zip(table.column("origin").to_pylist(), table.column("path").to_pylist()):
            origins.setdefault(origin, []).append(path)
    return sorted(origins["sample"]) if len(origins) > 1 and "sample" in origins else []
