"""Fixtures and helpers of the batch tests: a folder of good samples, documents that hang, crash or eat memory
(via the test hook), garbage and a duplicate; processed once by the local executor and once on a Dask
LocalCluster."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from tests.paths import DATA, ROOT, SAMPLES

GOOD = ["zhuzhou-shifeng-yingshang_2021_budget.pdf", "zhuzhou-shifeng-yingshang_2021_final.pdf"]
FAULTS = {"hang.pdf": "timeout", "crash.pdf": "worker_crashed", "memory.pdf": "out_of_memory"}
GARBAGE = {"not_a_pdf.pdf": "not_pdf", "empty.pdf": "empty_file", "truncated.pdf": "truncated"}
LIMITS = {"timeout": 25.0, "max_memory": 700 * 2**20}


def make_fault_folder(folder: Path) -> Path:
    """Good samples, a duplicate, documents that hang, crash or eat memory (their names tell the hook) and
    garbage, in one folder."""
    folder.mkdir()
    for name in GOOD:
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "zz_copies").mkdir()
    shutil.copy(SAMPLES / GOOD[0], folder / "zz_copies" / "same-bytes.pdf")
    for name in FAULTS:
        marked_copy(SAMPLES / "zhuzhou-shifeng-yingshang_2020_final.pdf", folder / name, name)
    for name in GARBAGE:
        shutil.copy(DATA / name, folder / name)
    return folder


def marked_copy(src: Path, dst: Path, mark: str) -> None:
    """A copy that is still the same PDF but other bytes (another doc_id): a comment after %%EOF."""
    dst.write_bytes(src.read_bytes() + f"\n% {mark}\n".encode())


def hooked_env(mp: pytest.MonkeyPatch) -> None:
    mp.setenv("FISCALPDF_TEST_HOOK", "tests.batch.fault_hooks:act")
    # a Dask task runs the document in a fresh interpreter: it finds the hook's package from the checkout
    mp.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))


def run_folder(folder: Path, out: Path, **kwargs) -> dict:
    """Run the batch over the folder with the fault hook on; {file name: DocumentResult}."""
    from fiscalpdf.options import Limits
    from fiscalpdf.pipelines.batch import discover, run_batch

    results = {}
    with pytest.MonkeyPatch.context() as mp:
        hooked_env(mp)
        run_batch(discover([folder]).pdfs, out, limits=Limits(**LIMITS),
                  on_result=lambda r: results.__setitem__(Path(r.path).name, r), **kwargs)
    return results


def canonical(out: Path, name: str, drop: tuple[str, ...] = ()):
    """A dataset as a DataFrame in a canonical order (lists as tuples), for comparing two outputs."""
    frame = ds.dataset(out / name, format="parquet", partitioning="hive").to_table().to_pandas()
    frame = frame.drop(columns=list(drop))
    for col in frame.columns:
        frame[col] = frame[col].map(lambda v: tuple(v) if hasattr(v, "__len__") and not isinstance(v, str) else v)
        if str(frame[col].dtype) == "category":
            frame[col] = frame[col].astype(str)
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.sort_values(list(frame.columns), key=lambda s: s.map(repr)).reset_index(drop=True)
