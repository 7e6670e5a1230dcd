"""Fixtures of the batch tests: the fault folder, processed once by the local executor and once on Dask."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.batch.batch_helpers import make_fault_folder, run_folder


@pytest.fixture(scope="session")
def fault_folder(tmp_path_factory) -> Path:
    return make_fault_folder(tmp_path_factory.mktemp("faults") / "in")


@pytest.fixture(scope="session")
def local_run(fault_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "out"
    return out, run_folder(fault_folder, out, workers=3)


@pytest.fixture(scope="session")
def dask_run(fault_folder, tmp_path_factory):
    pytest.importorskip("dask.distributed")
    out = tmp_path_factory.mktemp("dask") / "out"
    return out, run_folder(fault_folder, out, workers=2, executor="dask")
