"""`fiscalpdf compact --out DIR`: many per-document files of a partition become one file, the data unchanged.

A batch writes one file per document per partition (so a rerun can replace a document's files). Tens of
thousands of small files slow every reader; compaction merges each partition's files into
`compact-<hash>.parquet`, rows in doc_id order.

Interrupted at any moment, it leaves the data as before or as after, never doubled. Per partition:
1. the merged file is written under a hidden temporary name;
2. a journal (`.compact.journal`: the merged file and its inputs) is written and synced;
3. the temporary file is renamed into place — from here the merged file holds the inputs' rows;
4. the inputs are deleted, then the journal.
`recover` (run before every compaction and every batch) finishes step 4 of a journal whose merged file exists,
and otherwise removes the journal and the temporary file.

A document rewritten later (`run --force`) first has its rows taken out of the merged files
(`remove_from_compacted`), so it is replaced, not doubled.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..schema import DATASETS, Dataset

PREFIX = "compact-"
JOURNAL = ".compact.journal"
PARQUET_OPTIONS = {"compression": "zstd", "use_dictionary": True, "write_statistics": True}


@dataclass
class CompactSummary:
    partitions: int = 0  # partitions rewritten
    files_before: int = 0
    files_after: int = 0
    rows: int = 0


def compact(out: Path) -> CompactSummary:
    recover(out)
    summary = CompactSummary()
    for dataset in DATASETS:
        for directory in _partition_dirs(out / dataset.name):
            files = sorted(p for p in directory.glob("*.parquet"))
            if len(files) <= 1:
                continue
            summary.files_before += len(files)
            summary.rows += _merge(directory, files, dataset)
            summary.partitions += 1
            summary.files_after += 1
    return summary


def _partition_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted({p.parent for p in root.glob("**/*.parquet")})


def _merge(directory: Path, files: list[Path], dataset: Dataset) -> int:
    schema = dataset.arrow_schema()
    table = pa.concat_tables([pq.read_table(f, schema=schema) for f in files])
    # doc_id order (stable): a document's rows stay together and keep their printed order
    table = table.take(pc.sort_indices(table, sort_keys=[("doc_id", "ascending")]))
    name = PREFIX + hashlib.sha256("\n".join(f.name for f in files).encode()).hexdigest()[:16] + ".parquet"
    final, tmp = directory / name, directory / f".{name}.tmp"
    pq.write_table(table, tmp, **PARQUET_OPTIONS)
    _write_synced(directory / JOURNAL, json.dumps({"output": name, "inputs": [f.name for f in files]}))
    os.replace(tmp, final)
    for f in files:
        if f != final:
            f.unlink(missing_ok=True)
    (directory / JOURNAL).unlink()
    return table.num_rows


def _write_synced(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def recover(out: Path) -> int:
    """Finish or roll back compactions a kill interrupted; how many journals were found."""
    journals = list(Path(out).glob(f"**/{JOURNAL}"))
    for journal in journals:
        directory = journal.parent
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            plan = None
        if plan and (directory / plan["output"]).exists():
            for name in plan["inputs"]:
                if name != plan["output"]:
                    (directory / name).unlink(missing_ok=True)
        elif plan:
            (directory / f".{plan['output']}.tmp").unlink(missing_ok=True)
        journal.unlink()
    return len(journals)


def remove_from_compacted(out: Path, doc_id: str) -> None:
    """Take one document's rows out of every merged file holding them (rewritten atomically)."""
    for dataset in DATASETS:
        root = out / dataset.name
        if not root.is_dir():
            continue
        for merged in sorted(root.glob(f"**/{PREFIX}*.parquet")):
            ids = pq.read_table(merged, columns=["doc_id"]).column("doc_id")
            hit = pc.equal(ids, doc_id)
            if not pc.any(hit).as_py():
                continue
            table = pq.read_table(merged, schema=dataset.arrow_schema())
            kept = table.filter(pc.invert(hit))
            if kept.num_rows == 0:
                merged.unlink()
                continue
            tmp = merged.with_name(f".{merged.name}.tmp")
            pq.write_table(kept, tmp, **PARQUET_OPTIONS)
            os.replace(tmp, merged)
