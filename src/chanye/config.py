"""Where things live and how large a piece of work is. Every value derives from environment
variables, so the same code runs from a clone, in the test suite (temporary data dirs) and in the
docker-compose deployment:

    CHANYE_HOME          the project checkout (dags/, dbt_project/, expectations/, data/samples/)
    CHANYE_DATA_DIR      everything a run writes (default: CHANYE_HOME/data)
    CHANYE_LAKE          the lake: a folder or an object-store URL (default: CHANYE_DATA_DIR/lake)
    CHANYE_BATCH_SIZE    documents per mapped stage/extract task (default 5000)
    CHANYE_VALIDATE_ROWS documents per chunk the gate validates at a time (default 20000)
    CHANYE_DUCKDB_MEMORY DuckDB's memory limit for dbt and every other connection (default 768MB)
    CHANYE_EXTRACT_SECONDS time budget of one document's extraction; over it, it is quarantined (default 30)
    CHANYE_INBOX         where new articles arrive for scheduled runs (default: CHANYE_DATA_DIR/inbox)
    CHANYE_SCHEDULE      when the scheduler runs the pipeline on the inbox (default @hourly; cron or preset)
    CHANYE_RETRIES       retries of a failed task, with exponential backoff (default 2)
    CHANYE_RETRY_DELAY_SECONDS  wait before the first retry; it doubles for each next one (default 30)
    CHANYE_TASK_TIMEOUT_MINUTES a task running longer fails (and is retried) (default 120)
    CHANYE_LOCK_WAIT_SECONDS    how long `chanye run` waits for another writer of the data dir (default 0: refuse)
    CHANYE_LOCK_LEASE_MINUTES   a scheduled run's claim on the data dir lapses after this long (default 360)

Analysts' corrections live beside the lake, not in the warehouse a build replaces:
CHANYE_DATA_DIR/corrections/corrections.jsonl (chanye.corrections).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    home: Path
    data_dir: Path
    lake: str  # a local folder, or an object-store URL (s3://bucket/prefix): see chanye.lake
    batch_size: int  # a task's memory follows it, the corpus size does not
    validate_rows: int  # the memory bound of the validate task
    duckdb_memory: str  # profiles.yml reads the same variable
    extract_seconds: float  # one pathological document must not hold up its batch
    dbt_project: Path
    seeds_dir: Path
    expectations_dir: Path
    samples_dir: Path
    warehouse_dir: Path
    build_warehouse: Path  # the file dbt writes; analysts never open it
    published_warehouse: Path  # the file analysts open read-only; replaced atomically by `publish`
    airflow_home: Path
    reports_dir: Path
    data_docs_dir: Path  # the GX Data Docs site (the File Data Context lives in data_dir/gx)
    inbox: Path  # scheduled runs ingest what arrived here since the last run
    schedule: str  # the pipeline DAG's schedule (read when the DAG file is parsed)
    retries: int
    retry_delay_seconds: int
    task_timeout_minutes: int
    corrections_log: Path  # analysts' corrections (append-only JSON lines); every build applies them
    lock_wait_seconds: float  # chanye.writer: one writer per data dir
    lock_lease_minutes: float


def settings(home: Path | None = None, data_dir: Path | None = None) -> Settings:
    """The settings of the current environment (a caller may name its own home or data dir)."""
    home = Path(home or os.environ.get("CHANYE_HOME", _REPO_ROOT)).resolve()
    data_dir = Path(data_dir or os.environ.get("CHANYE_DATA_DIR", home / "data")).resolve()
    dbt_project, warehouse = home / "dbt_project", data_dir / "warehouse"
    return Settings(
        home=home,
        data_dir=data_dir,
        lake=os.environ.get("CHANYE_LAKE") or str(data_dir / "lake"),
        batch_size=int(os.environ.get("CHANYE_BATCH_SIZE", "5000")),
        validate_rows=int(os.environ.get("CHANYE_VALIDATE_ROWS", "20000")),
        duckdb_memory=os.environ.get("CHANYE_DUCKDB_MEMORY", "768MB"),
        extract_seconds=float(os.environ.get("CHANYE_EXTRACT_SECONDS", "30")),
        dbt_project=dbt_project,
        seeds_dir=dbt_project / "seeds",
        expectations_dir=home / "expectations",
        samples_dir=home / "data" / "samples",
        warehouse_dir=warehouse,
        build_warehouse=warehouse / "build" / "chanye.duckdb",
        published_warehouse=warehouse / "chanye.duckdb",
        airflow_home=data_dir / "airflow",
        reports_dir=data_dir / "reports",
        data_docs_dir=data_dir / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site",
        inbox=Path(os.environ.get("CHANYE_INBOX") or data_dir / "inbox").resolve(),
        schedule=os.environ.get("CHANYE_SCHEDULE", "@hourly"),
        retries=int(os.environ.get("CHANYE_RETRIES", "2")),
        retry_delay_seconds=int(os.environ.get("CHANYE_RETRY_DELAY_SECONDS", "30")),
        task_timeout_minutes=int(os.environ.get("CHANYE_TASK_TIMEOUT_MINUTES", "120")),
        corrections_log=data_dir / "corrections" / "corrections.jsonl",
        lock_wait_seconds=float(os.environ.get("CHANYE_LOCK_WAIT_SECONDS", "0")),
        lock_lease_minutes=float(os.environ.get("CHANYE_LOCK_LEASE_MINUTES", "360")),
    )
