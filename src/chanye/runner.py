"""Runs the real orchestration locally: a project-local Airflow (SQLite metadata DB in the data
directory) executes the DAG with `airflow dags test`; dbt and GX run inside its tasks."""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from chanye import build, lake, writer
from chanye.config import Settings, settings

log = logging.getLogger(__name__)
DAG_ID = "chanye_pipeline"


def airflow_env(s: Settings) -> dict[str, str]:
    env = dict(os.environ)
    # the project-local SQLite metadata DB, unless a deployment configured its own database
    env.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{s.airflow_home / 'airflow.db'}")
    env.update(build.dbt_env(s))  # chanye's own settings, as every task (and dbt in them) reads them
    env.update(
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


TASK_START = re.compile(r"\[DAG TEST\] starting task_id=(\S+) map_index=(-?\d+)")
TASK_END = re.compile(r"\[DAG TEST\] end task task_id=(\S+) map_index=(-?\d+)")
TASK_FAILED = re.compile(r"new_state=failed")
TASK_RETRY = re.compile(r"new_state=up_for_retry")
EXCEPTION = re.compile(r"^[\w.]+(Error|Exception|Failed): ")
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT")


def run_command(cmd: list[str], env: dict, log_file: Path, what: str) -> None:
    """Run a command with its output in log_file, reporting each finished Airflow task as progress:
    its own duration and the command's peak memory while it ran (`airflow dags test` runs the
    tasks one after another in one process); on failure, raise with what went wrong."""
    started = time.monotonic()
    with log_file.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
        memory = PeakMemory(proc.pid)
        task_started, outcome = started, None
        for line in proc.stdout:
            out.write(line)
            if TASK_START.search(line):
                task_started, outcome = time.monotonic(), None
                memory.take()  # from here on, this task's peak
            elif TASK_FAILED.search(line):
                outcome = "FAILED"
            elif TASK_RETRY.search(line):
                outcome = "failed, retried later"
            elif m := TASK_END.search(line):
                log.info("  task %-24s %-22s %6.1f s  peak %5d MB", _task_name(m), outcome or "done",
                         time.monotonic() - task_started, memory.take())
        proc.wait()
        memory.stop()
    if proc.returncode:
        raise RuntimeError(f"{what} failed (exit {proc.returncode}).\n{failure_summary(log_file)}\nFull log: {log_file}")
    log.info("%s done in %.1f s", what, time.monotonic() - started)


class PeakMemory:
    """Samples the resident memory of a process and its children twice a second; take() returns
    the peak since the last take(). `airflow dags test` runs every task in one process, so this
    is each task's footprint (read from /proc; 0 where there is none)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._done = pid, 0, threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self._done.wait(0.5):
            self.peak = max(self.peak, _tree_rss_mb(self.pid))

    def take(self) -> int:
        peak, self.peak = max(self.peak, _tree_rss_mb(self.pid)), 0
        return peak

    def stop(self) -> None:
        self._done.set()


def _tree_rss_mb(pid: int) -> int:
    total = 0
    for p in [pid] + descendants(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total // 1024


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children of all its threads, recursively), from /proc."""
    kids = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids += [int(k) for k in children.read_text().split()]
        except OSError:
            continue
    return kids + [g for k in kids for g in descendants(k)]


def failure_summary(log_file: Path) -> str:
    """The failed Airflow tasks and their exceptions, read back from an `airflow dags test` log;
    for other commands, the last lines of output."""
    lines = log_file.read_text(encoding="utf-8", errors="replace").splitlines()
    task_failed, failed, errors = False, [], []
    for i, line in enumerate(lines):
        if TASK_FAILED.search(line):
            task_failed = True
        elif (m := TASK_END.search(line)) and task_failed:
            failed.append(_task_name(m))
            task_failed = False
        elif EXCEPTION.match(line):
            detail = [line] + [x for x in _until_log_line(lines[i + 1 :])]
            errors.append("\n".join(detail[:12]))
    if not failed:
        return "\n".join(lines[-15:])
    return f"failed tasks: {', '.join(failed)}\n" + "\n".join(dict.fromkeys(errors))


def _task_name(match: re.Match) -> str:
    task, index = match.groups()
    return task if index == "-1" else f"{task}[{index}]"


def _until_log_line(lines: list[str]):
    for line in lines:
        if LOG_LINE.match(line):
            return
        yield line


def log_path(s: Settings, name: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    path = s.data_dir / "logs" / f"{stamp}-{name}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# What `airflow db migrate` and `airflow pools set` do, in one interpreter: each Airflow CLI call
# costs ~4 s of imports.
_MIGRATE_AND_POOL = f"""
from airflow.models.pool import Pool
from airflow.utils.db import upgradedb

upgradedb()
Pool.create_or_update_pool(name={build.WRITER_POOL!r}, slots=1, description="one dbt writer per DuckDB file", include_deferred=False)
"""


def prepare(s: Settings | None = None) -> None:
    """Everything a run needs that is not a DAG task: lake folders, a parsed dbt project (errors in
    it show here, before any data moves), and the Airflow metadata DB with the DuckDB writer pool.
    Safe to repeat."""
    from concurrent.futures import ThreadPoolExecutor

    s = s or settings()
    lake.ensure_lake(s.lake)
    for folder in (s.airflow_home, s.build_warehouse.parent, s.reports_dir, s.inbox):
        folder.mkdir(parents=True, exist_ok=True)
    # the migration runs in its own process while dbt parses in this one (the second core)
    with ThreadPoolExecutor(1) as pool:
        migrated = None
        if not (s.airflow_home / "airflow.db").exists():
            log.info("migrating the Airflow metadata DB (first run in %s)", s.airflow_home)
            migrated = pool.submit(run_command, [sys.executable, "-c", _MIGRATE_AND_POOL], airflow_env(s), log_path(s, "migrate"),
                                   "airflow db migrate + pool")
        build.parse(s)
        if migrated:
            migrated.result()  # raises the migration's error


def run(input_path: Path | None = None, full_refresh: bool = False, wait: float | None = None) -> dict:
    """Prepare, run the DAG once through Airflow (`airflow dags test`, in this process' children)
    on `input_path` (default: the bundled samples; scheduled runs read the inbox), and return the
    run summary the DAG wrote. The whole run holds the data dir's writer lock (chanye.writer): a
    second `chanye run` waits up to `wait` seconds (default CHANYE_LOCK_WAIT_SECONDS) or refuses,
    naming this one."""
    s = settings()
    from chanye.serve import running_service

    if pid := running_service(s):
        raise RuntimeError(f"chanye serve is running on {s.data_dir} (pid {pid}): trigger chanye_pipeline in its UI "
                           "or drop the articles into the inbox (two runs at once would both write the warehouse)")
    logical_date = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    with writer.hold(f"manual__{logical_date}", wait, s):  # before prepare: it migrates Airflow's DB
        prepare(s)
        conf = {"input_path": str(Path(input_path or s.samples_dir).resolve()), "full_refresh": full_refresh}
        logs = log_path(s, "airflow")
        summary_file = s.reports_dir / "last_run.json"
        summary_file.unlink(missing_ok=True)
        log.info("running DAG %s through Airflow on %s (log: %s)", DAG_ID, conf["input_path"], logs)
        cmd = [sys.executable, "-m", "chanye.airflow_cli", "dags", "test", DAG_ID, logical_date, "-c", json.dumps(conf)]
        run_command(cmd, airflow_env(s), logs, "airflow dags test")
        if not summary_file.exists():
            raise RuntimeError(f"the DAG run did not reach its summary task; see {logs}")
        return json.loads(summary_file.read_text(encoding="utf-8"))
