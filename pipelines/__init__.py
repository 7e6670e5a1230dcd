"""The stages put to work, in three groups.

- One document: `document` (open → locate → extract → normalize → validate, never raising), `candidates` (which
  reading of a table to keep: the staged extractors' policy), `rows` and `writers` (the result as rows of the
  datasets, written atomically), `deadline` (a time limit for one later-stage extractor).
- The batch runtime: `batch` (discover, identify, skip what is done, run, record), `supervisor` (worker
  processes watched for time, memory and death), `isolated` and `dask_executor` (one document in a subprocess,
  on a Dask cluster), `manifest` (what is done, for reruns), `compact` (merging a partition's files).
- Research tools over the output: `datasets` (reading it back, typed), `report`, `query` (DuckDB), `export`
  (xlsx / csv laid out as printed, with `layout`), `inspect` (a page with what was read drawn over it).
"""
