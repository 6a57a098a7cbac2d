"""A dbt-duckdb plugin (profiles.yml `plugins:`) so dbt's DuckDB connections read the lake wherever
it is: on object storage, the lake's fsspec filesystem is registered on each connection."""
from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from chanye import lake
from chanye.config import settings


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:
        lake.register_filesystem(conn, settings().lake)
