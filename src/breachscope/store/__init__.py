"""The case store: one DuckDB file per case; stages talk only through its tables."""

from breachscope.store.db import (
    connect,
    cursor,
    fetch_dicts,
    open_case_store,
    record_stage,
    stable_id,
    table_count,
    table_exists,
    transaction,
)
from breachscope.store.schema import SCHEMA_VERSION, TABLES

__all__ = [
    "SCHEMA_VERSION",
    "TABLES",
    "connect",
    "cursor",
    "fetch_dicts",
    "open_case_store",
    "record_stage",
    "stable_id",
    "table_count",
    "table_exists",
    "transaction",
]
