"""Runs the real orchestration locally: a project-local Airflow (SQLite metadata DB in the data
directory) executes the DAG with `airflow dags test`; dbt and GX run inside its tasks."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from chanye import lake
from chanye.config import Settings, settings
from chanye.dbt_group import WRITER_POOL, dbt_executable

log = logging.getLogger(__name__)
DAG_ID = "chanye_pipeline"


def airflow_env(s: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CHANYE_HOME=str(s.home),
        CHANYE_DATA_DIR=str(s.data_dir),
        AIRFLOW_HOME=str(s.airflow_home),
        AIRFLOW__CORE__DAGS_FOLDER=str(s.home / "dags"),
        AIRFLOW__CORE__PLUGINS_FOLDER=str(s.home / "plugins"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT="120",
        AIRFLOW__COSMOS__ENABLE_TELEMETRY="False",
        AIRFLOW__COSMOS__CACHE_DIR=str(s.airflow_home / "cosmos"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
        DO_NOT_TRACK="1",
        SCARF_ANALYTICS="false",
    )
    return env


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _run(cmd: list[str], env: dict, log_file: Path, what: str) -> None:
    started = time.monotonic()
    with log_file.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        proc = subprocess.run(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    if proc.returncode:
        tail = "".join(log_file.read_text(encoding="utf-8", errors="replace").splitlines(True)[-25:])
        raise RuntimeError(f"{what} failed (exit {proc.returncode}); last lines of {log_file}:\n{tail}")
    log.info("%s done in %.1f s", what, time.monotonic() - started)


def log_path(s: Settings, name: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    path = s.data_dir / "logs" / f"{stamp}-{name}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def prepare(s: Settings | None = None) -> None:
    """Everything a run needs that is not a DAG task: lake folders, the dbt manifest cosmos renders
    from, and the Airflow metadata DB with the DuckDB writer pool. Safe to repeat."""
    s = s or settings()
    env = airflow_env(s)
    logs = log_path(s, "prepare")
    lake.ensure_lake(s.lake)
    for folder in (s.airflow_home, s.build_warehouse.parent, s.reports_dir):
        folder.mkdir(parents=True, exist_ok=True)
    dbt = [dbt_executable(), "parse", "--project-dir", str(s.dbt_project), "--profiles-dir", str(s.dbt_project), "--quiet"]
    _run(dbt, env, logs, "dbt parse (manifest for cosmos)")
    if not (s.airflow_home / "airflow.db").exists():
        log.info("creating the Airflow metadata DB in %s", s.airflow_home)
        _run([_bin("airflow"), "db", "migrate"], env, logs, "airflow db migrate")
        _run([_bin("airflow"), "pools", "set", WRITER_POOL, "1", "one dbt writer per DuckDB file"], env, logs, "airflow pools set")


def run(input_path: Path | None = None) -> dict:
    """Prepare, run the DAG through Airflow, and return the run summary the DAG wrote."""
    s = settings()
    prepare(s)
    conf = {"input_path": str(Path(input_path).resolve()) if input_path else None}
    logical_date = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    logs = log_path(s, "airflow")
    summary_file = s.reports_dir / "last_run.json"
    summary_file.unlink(missing_ok=True)
    log.info("running DAG %s through Airflow on %s (log: %s)", DAG_ID, conf["input_path"] or s.samples_dir, logs)
    cmd = [_bin("airflow"), "dags", "test", DAG_ID, logical_date, "-c", json.dumps(conf)]
    _run(cmd, airflow_env(s), logs, "airflow dags test")
    if not summary_file.exists():
        raise RuntimeError(f"the DAG run did not reach its summary task; see {logs}")
    return json.loads(summary_file.read_text(encoding="utf-8"))
