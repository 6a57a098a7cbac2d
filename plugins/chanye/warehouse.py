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


def fact_key_checks(path: Path):
    """fct_metric_observation with one boolean per foreign key: does the dimension row exist?"""
    with connect_read_only(path) as con:
        return con.sql(
            """
            select
                f.fact_id,
                d.document_id is not null as check_document_known,
                m.metric_id is not null as check_metric_known,
                f.region_code is null or r.region_code is not null as check_region_known
            from fct_metric_observation as f
            left join dim_document as d on d.document_id = f.document_id
            left join dim_metric as m on m.metric_id = f.metric_id
            left join dim_region as r on r.region_code = f.region_code
            """
        ).df()
