"""The batch on a dask.distributed cluster: one task per document, the same isolation and output as local.

Each task runs `run_isolated` on a Dask worker: the document is processed in a subprocess of that worker (time
and memory limits, a crash contained), and its Parquet files are written by the subprocess straight into `out`.
So `out` and the input PDFs must be on storage every worker sees under the same paths (NFS, a mounted bucket);
the client — this process — keeps the manifest, as with local workers.

Without a scheduler address a LocalCluster is started on this machine (`workers` processes, one thread each).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from ..model import DocumentResult
from ..options import ExtractOptions, Limits
from .isolated import run_isolated
from .supervisor import Task, failed_result
from .writers import write_document


def run_on_dask(tasks: list[Task], out: Path, options: ExtractOptions, limits: Limits, scheduler: str | None,
                workers: int | None) -> Iterator[DocumentResult]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("--executor dask needs dask.distributed: pip install 'fiscalpdf[dask]'") from exc
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        out = Path(out).resolve()
        futures = {client.submit(run_isolated, task, out, options, limits, key=f"fiscalpdf-{task.doc_id}",
                                 pure=False, retries=0): task for task in tasks}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # the Dask worker itself was lost: the document still gets its row
                result = failed_result(futures[future], "worker_crashed", f"the Dask task failed: {exc!r}", 0.0)
                write_document(out, result)
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
