"""Read access to the published warehouse (analysts, `chanye sql`, the run summary)."""
from __future__ import annotations

from pathlib import Path

import duckdb


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).exists():
        raise FileNotFoundError(f"no published warehouse at {path}: run `chanye run` (or `make run`) first")
    return duckdb.connect(str(path), read_only=True)


def table_counts(path: Path) -> dict[str, int]:
    """Rows per analyst-facing table (dimensions, facts, marts)."""
    with connect_read_only(path) as con:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_type = 'BASE TABLE' and regexp_matches(table_name, '^(dim|fct|mart)_') order by 1"
            ).fetchall()
        ]
        return {n: con.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}
