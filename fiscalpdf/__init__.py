"""fiscalpdf: Chinese government budget disclosures (部门决算 / 部门预算) to validated Parquet."""
__version__ = "0.1.0"
