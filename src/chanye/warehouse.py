"""The read side: DuckDB connections, and read access to the published warehouse (analysts,
`chanye sql`, the run summary, the gates)."""
from __future__ import annotations

from pathlib import Path

import duckdb

from chanye import lake
from chanye.config import settings


def connect(path: Path | str = ":memory:", read_only: bool = False, spill_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Every DuckDB connection outside dbt, with the memory bound dbt builds with
    (CHANYE_DUCKDB_MEMORY): a large query spills (to spill_dir, if given) instead of taking most
    of the machine."""
    config = {"memory_limit": settings().duckdb_memory}
    if spill_dir:
        Path(spill_dir).mkdir(parents=True, exist_ok=True)  # DuckDB creates only the last level, when it first spills
        config["temp_directory"] = str(spill_dir)
    return duckdb.connect(str(path), read_only=read_only, config=config)


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).exists():
        raise FileNotFoundError(f"no published warehouse at {path}: run `chanye run` (or `make run`) first")
    return connect(path, read_only=True)


# What an analyst's query may not do besides reading the warehouse: touch any other file (COPY …
# TO, EXPORT DATABASE, ATTACH, read_csv('/etc/…')), install or load extensions, or change these
# settings back (lock_configuration).
ANALYST_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


def connect_analyst(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The published warehouse for analysts (`chanye sql`, the app): read-only, no access to
    anything outside the file, settings locked."""
    path = Path(path or settings().published_warehouse)
    if not path.exists():
        raise FileNotFoundError(f"no published warehouse at {path}: run `chanye run` (or `make run`) first")
    con = duckdb.connect(str(path), read_only=True, config={"memory_limit": settings().duckdb_memory, **ANALYST_CONFIG})
    # DuckDB shares one database instance between the connections of a process: a second
    # connection finds the settings locked already
    if not con.execute("select current_setting('lock_configuration')").fetchone()[0]:
        con.execute("set lock_configuration = true")
    return con


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether a warehouse table has a column (readers of columns that newer builds add)."""
    return bool(con.execute(
        "select count(*) from information_schema.columns where table_name = ? and column_name = ?", [table, column]
    ).fetchone()[0])


def count_canonical_facts(lake_root: str) -> int:
    """Distinct facts of canonical documents in the committed lake: what the warehouse's fact table
    must hold. Counted by DuckDB on the Parquet files, so the lake's size does not become memory."""
    facts, verdicts = (lake.dataset_glob(lake_root, name) for name in ("facts", "minhash"))
    with connect() as con:
        lake.register_filesystem(con, lake_root)
        return con.execute(
            "select count(distinct fact_id) from read_parquet(?) where document_id not in "
            "(select document_id from read_parquet(?) where duplicate_of is not null)",
            [facts, verdicts],
        ).fetchall()[0][0]


def analyst_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The dimensions, facts, bridges and marts (not staging or intermediate models, nor seeds);
    fct_metric_observation is a view (of int_facts__extracted, with corrections applied)."""
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where regexp_matches(table_name, '^(dim|fct|mart|bridge)_') order by 1"
    ).fetchall()
    return [r[0] for r in rows]


def table_counts(path: Path) -> dict[str, int]:
    """Rows per analyst-facing table."""
    with connect_read_only(path) as con:
        return {n: con.execute(f'select count(*) from "{n}"').fetchone()[0] for n in analyst_tables(con)}


def correction_counts(path: Path) -> dict[str, int]:
    """Analysts' corrections by status in a build (fct_correction: applied, rejected, orphaned …)."""
    with connect_read_only(path) as con:
        return dict(con.execute("select status, count(*) from fct_correction group by status order by status").fetchall())


def fact_ids(path: Path):
    """The fact ids the warehouse accounts for: fct_metric_observation's, and the facts analysts
    set aside as wrong (fct_correction); the marts gate reconciles their count with the lake."""
    with connect_read_only(path) as con:
        return con.sql(
            "select fact_id from fct_metric_observation "
            "union all select fact_id from fct_correction where is_current and status = 'rejected'"
        ).df()


def rollup_checks(path: Path):
    """Cities against the sum of their counties in mart_region_year (the same measure, additive metrics only)."""
    with connect_read_only(path) as con:
        return con.sql(
            """
            select
                concat_ws('/', city.region_code, city.year, city.measure_key) as rollup_key,
                any_value(city.actual_value) as city_value,
                sum(county.actual_value) as counties_value,
                any_value(city.actual_value) >= sum(county.actual_value) * (1 - 1e-9) as check_city_covers_counties
            from mart_region_year as city
            inner join mart_region_year as county
                on county.level = 'county'
                and county.city_code = city.region_code
                and county.year = city.year
                and county.measure_key = city.measure_key
            inner join dim_metric as m on m.metric_id = city.metric_id
            where city.level = 'city'
              and m.dimension in ('money', 'count')
              and city.actual_value is not null
              and county.actual_value is not null
            group by city.region_code, city.year, city.measure_key
            """
        ).df()
