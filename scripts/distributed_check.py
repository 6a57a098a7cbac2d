"""Prove the distributed deployment without Docker: the DAG on Airflow's CeleryExecutor with two
workers, PostgreSQL and Redis, all as plain processes on this machine (loopback only).

Usage: uv sync --frozen --extra distributed && uv run python scripts/distributed_check.py
       (or `make distributed-check`). Options: --timeout SECONDS (the DAG run), --keep (keep the
       temporary directory), --concurrency N (task slots per worker), --s3-lake (the lake on a
       local S3 endpoint, moto's server: the workers then share only the object store and the
       metadata DB).

What it does, in a temporary directory it owns (nothing lands in the checkout but the dbt target folder
`chanye prepare` writes anyway):
 1. installs redis-server and postgresql from Debian when absent (root + apt-get only), starts a
    throw-away PostgreSQL cluster (initdb + pg_ctl, as the postgres user when root) and a Redis
    without persistence, both on free loopback ports, and creates the airflow role and database;
 2. the docker-compose environment as plain env variables: temporary AIRFLOW_HOME and
    CHANYE_DATA_DIR, CeleryExecutor, Postgres metadata DB and result backend, Redis broker, one
    JWT secret for every component, CHANYE_BATCH_SIZE=1 (so stage/extract map over one batch per
    sample document); then `chanye prepare` (dbt parse, lake, `airflow db migrate`, the one-slot
    pool duckdb_writer);
 3. starts api-server, scheduler, dag-processor, triggerer and two Celery workers (worker1@%h,
    worker2@%h). Both workers run on this host, so each gets its own task-instance hostname
    (`[core] hostname_callable` returning worker1/worker2), as two machines would have;
 4. unpauses chanye_pipeline and triggers it on data/samples through the REST API (the scheduler's
    own @daily runs are switched off: use_job_schedule=False), polls it and prints progress;
 5. checks: the run succeeded, the mapped stage/extract task instances ran on both workers, and
    the published warehouse equals the one a single-machine `chanye run` builds from the same input
    (facts with values, document ids, row counts of every dim_/fct_/mart_ table);
 6. stops everything it started (also on failure or Ctrl-C) and prints a short report.

Exit status: 0 all checks passed; 1 a check failed; 2 the check could not run here (no root/apt
to install the servers, the distributed extra not installed, a service did not start).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAG_ID = "chanye_pipeline"
WORKERS = ("worker1", "worker2")
MAPPED = ("stage", "extract")
STARTED = time.monotonic()
# The hostname a task instance records is `[core] hostname_callable()`; on one host both workers
# would report the same name, so each worker process gets its own.
HOSTNAME_HOOK = '''import os, socket


def hostname() -> str:
    return os.environ.get("CHANYE_CHECK_WORKER") or socket.getfqdn()
'''


class CheckFailed(Exception):
    """A check failed: exit 1."""


class CannotRun(Exception):
    """The environment cannot run the check: exit 2."""


def say(msg: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f}s] {msg}", flush=True)


def fmt_seconds(s: float) -> str:
    return f"{int(s // 60)}m{int(s % 60):02d}s" if s >= 60 else f"{s:.0f}s"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return f"(no log at {path})"
    return "\n".join("    " + line for line in text[-lines:])


# --------------------------------------------------------------------------------------------
# 1. PostgreSQL and Redis
# --------------------------------------------------------------------------------------------


def pg_bindir() -> Path | None:
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if versions:
        return versions[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def ensure_servers_installed() -> tuple[Path, str]:
    """The PostgreSQL bin directory and redis-server, installing the Debian packages when absent."""
    missing = [pkg for pkg, ok in (("redis-server", shutil.which("redis-server")), ("postgresql", pg_bindir())) if not ok]
    if missing:
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            raise CannotRun(
                f"{' and '.join(missing)} not installed, and this script installs them only as root with apt-get "
                f"(running as uid {os.geteuid()}, apt-get {'found' if shutil.which('apt-get') else 'missing'}). "
                f"Install them yourself (Debian/Ubuntu: apt-get install -y {' '.join(missing)}) and re-run."
            )
        say(f"installing {' '.join(missing)} from Debian packages (apt-get) ...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *missing]):
            result = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if result.returncode:
                raise CannotRun(f"{' '.join(cmd)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        say("installed; the packages' own default services (if apt started any) are neither used nor stopped here")
    bindir, redis = pg_bindir(), shutil.which("redis-server")
    if not bindir or not redis:
        raise CannotRun("postgresql or redis-server still not found after installing")
    return bindir, redis


class Services:
    """Everything this script starts, so that it can all be stopped, in order, whatever happens."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.logs = tmp / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.procs: list[tuple[str, subprocess.Popen, Path]] = []
        self.pg: tuple[list[str], Path] | None = None  # (run-as prefix + pg_ctl, data dir)
        self.marker: str | None = None  # an env entry only our Airflow processes carry

    # -- processes -------------------------------------------------------------------------
    def start(self, name: str, cmd: list[str], env: dict) -> subprocess.Popen:
        log = self.logs / f"{name}.log"
        with log.open("ab") as out:
            # own session: Ctrl-C reaches this script only, which then stops everything in order
            proc = subprocess.Popen(cmd, env=env, cwd=self.tmp, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append((name, proc, log))
        return proc

    def assert_alive(self) -> None:
        for name, proc, log in self.procs:
            if proc.poll() is not None:
                raise CannotRun(f"{name} exited with status {proc.returncode}; last lines of {log}:\n{tail(log)}")

    def stop(self) -> None:
        airflow = [(n, p, l) for n, p, l in self.procs if n != "redis" and p.poll() is None]
        if airflow:
            say(f"stopping {', '.join(n for n, _, _ in airflow)} ...")
        self._terminate(airflow, grace=30)
        self._sweep_leftovers()
        redis = [(n, p, l) for n, p, l in self.procs if n == "redis" and p.poll() is None]
        self._terminate(redis, grace=10)
        if self.pg:
            prefix, data = self.pg
            say("stopping PostgreSQL ...")
            subprocess.run([*prefix, "stop", "-D", str(data), "-m", "fast", "-w", "-t", "60"], capture_output=True)
            self.pg = None
        self.procs.clear()

    @staticmethod
    def _terminate(procs, grace: float) -> None:
        for _, proc, _ in procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # the group of a child we started in its own session
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        for name, proc, _ in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop within {grace:.0f}s: killing it")
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
        for _, proc, _ in procs:  # grandchildren left in the group (task processes)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def _sweep_leftovers(self) -> None:
        """Task processes that left their worker's process group: found by this run's unique
        CHANYE_DATA_DIR in their environment, stopped by pid."""
        if not self.marker:
            return
        needle = self.marker.encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    os.kill(int(entry.name), signal.SIGKILL)
                    say(f"killed leftover process {entry.name}")
            except (OSError, ValueError):
                pass

    # -- PostgreSQL and Redis ----------------------------------------------------------------
    def start_postgres(self, bindir: Path) -> tuple[int, str]:
        """A throw-away cluster on a free loopback port; returns (port, password of role airflow)."""
        base = self.tmp / "postgres"
        data, sockets = base / "data", base / "run"
        sockets.mkdir(parents=True)
        prefix: list[str] = []
        if os.geteuid() == 0:  # postgres refuses to run as root
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise CannotRun("running as root but there is no `postgres` user to run PostgreSQL as") from None
            os.chmod(self.tmp, 0o755)
            for path in (base, sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
            if not shutil.which("runuser"):
                raise CannotRun("running as root but runuser (util-linux) is missing: cannot run PostgreSQL as postgres")
            prefix = ["runuser", "-u", "postgres", "--"]
        port, password = free_port(), secrets.token_hex(12)
        setup_log = self.logs / "postgres-setup.log"
        _checked([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8", "--locale=C",
                  "--auth-local=trust", "--auth-host=scram-sha-256"], "initdb", setup_log)
        self.pg = ([*prefix, str(bindir / "pg_ctl")], data)  # from here on, stop() stops the cluster
        opts = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets} -c max_connections=150"
        _checked([*prefix, str(bindir / "pg_ctl"), "start", "-D", str(data), "-l", str(base / "postgres.log"),
                  "-w", "-t", "120", "-o", opts], "pg_ctl start", setup_log)
        psql = [str(bindir / "psql"), "-h", str(sockets), "-p", str(port), "-U", "postgres", "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-q"]
        _checked([*psql, "-c", f"CREATE ROLE airflow LOGIN PASSWORD '{password}'", "-c", "CREATE DATABASE airflow OWNER airflow"],
                 "create the airflow role and database", setup_log)
        return port, password

    def start_redis(self, redis_server: str) -> int:
        port, workdir = free_port(), self.tmp / "redis"
        workdir.mkdir()
        # --save '' / appendonly no: nothing persisted (no dump.rdb anywhere)
        self.start("redis", [redis_server, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(workdir),
                             "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"],
                   dict(os.environ))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self.assert_alive()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return port
            except OSError:
                pass
            time.sleep(0.3)
        raise CannotRun(f"redis-server did not answer PING on port {port}")


def _checked(cmd: list[str], what: str, log: Path) -> None:
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode:
        raise CannotRun(f"{what} failed (exit {result.returncode}); last lines of {log}:\n{tail(log)}")


# --------------------------------------------------------------------------------------------
# 2.-4. Airflow
# --------------------------------------------------------------------------------------------


class Api:
    """The api-server's REST API with a SimpleAuthManager token (all users are admins here)."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.token: str | None = None

    def call(self, method: str, path: str, body: dict | None = None, auth: bool = True, timeout: float = 30):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        if auth:
            if not self.token:
                self.token = self.call("GET", "/auth/token", auth=False)["access_token"]
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read() or b"null")

    def try_call(self, method: str, path: str, **kw):
        try:
            return self.call(method, path, **kw)
        except (urllib.error.URLError, OSError, ValueError):
            return None

    def task_instances(self, run_id: str) -> list[dict]:
        rows, offset = [], 0
        while True:
            page = self.call("GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances?limit=100&offset={offset}")
            rows += page["task_instances"]
            offset += len(page["task_instances"])
            if not page["task_instances"] or offset >= page["total_entries"]:
                return rows


def start_s3_lake() -> tuple[object, dict[str, str]]:
    """moto's S3 server on a free loopback port with a bucket for the lake, and the variables that
    put chanye's lake there (what a deployment sets for MinIO or S3)."""
    import fsspec
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {"CHANYE_LAKE": "s3://chanye-distributed/lake", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}
    fsspec.filesystem("s3", key="test", secret="test", skip_instance_cache=True,
                      client_kwargs={"endpoint_url": env["AWS_ENDPOINT_URL"]}).mkdir("chanye-distributed")
    return server, env


def airflow_environment(tmp: Path, pg_port: int, pg_password: str, redis_port: int, api_port: int, lake_env: dict):
    from chanye.config import settings
    from chanye.runner import airflow_env

    s = settings(home=REPO, data_dir=tmp / "data")
    db = f"postgresql+psycopg2://airflow:{pg_password}@127.0.0.1:{pg_port}/airflow"
    extra = {
        "CHANYE_BATCH_SIZE": "1",  # one mapped stage/extract task per sample document
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": db,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + db.replace("+psycopg2", ""),
        "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{api_port}",
        "AIRFLOW__API__WORKERS": "1",
        # one secret for every component: the api-server signs the tokens the workers' tasks present
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
        "AIRFLOW__CORE__AUTH_MANAGER": "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        # only the run triggered here: no @daily run appears when the DAG is unpaused
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        # a small machine: few task slots, and no re-parsing the DAG every 30 s
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "600",
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        **lake_env,
    }
    os.environ.update(extra)  # airflow_env() starts from os.environ; prepare() uses it too
    return s, airflow_env(s)


def airflow_bin() -> str:
    return str(Path(sys.executable).with_name("airflow"))


def start_airflow(services: Services, env: dict, api_port: int, concurrency: int) -> None:
    af = airflow_bin()
    services.start("api-server", [af, "api-server", "--host", "127.0.0.1", "--port", str(api_port), "--workers", "1"], env)
    services.start("scheduler", [af, "scheduler", "--skip-serve-logs"], env)
    services.start("dag-processor", [af, "dag-processor"], env)
    services.start("triggerer", [af, "triggerer", "--skip-serve-logs"], env)
    hooks = services.tmp / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "chanye_check_hostname.py").write_text(HOSTNAME_HOOK, encoding="utf-8")
    for name in WORKERS:
        worker_env = {
            **env,
            "CHANYE_CHECK_WORKER": name,
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "chanye_check_hostname.hostname",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(hooks), env.get("PYTHONPATH")])),
        }
        # task logs live in the shared AIRFLOW_HOME: no log server (its port would clash anyway)
        services.start(name, [af, "celery", "worker", "--celery-hostname", f"{name}@%h",
                              "--concurrency", str(concurrency), "--skip-serve-logs"], worker_env)


def wait_for(what: str, probe, services: Services, timeout: float, every: float = 3.0):
    deadline = time.monotonic() + timeout
    while True:
        services.assert_alive()
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise CannotRun(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


def wait_healthy(services: Services, api: Api, broker: str) -> None:
    def components():
        health = api.try_call("GET", "/api/v2/monitor/health", auth=False)
        if not health:
            return None
        parts = ("metadatabase", "scheduler", "triggerer", "dag_processor")
        return all((health.get(p) or {}).get("status") == "healthy" for p in parts)

    wait_for("the api-server, scheduler, triggerer and dag-processor to report healthy", components, services, 300)
    say("api-server, scheduler, dag-processor, triggerer: healthy")

    from celery import Celery

    app = Celery(broker=broker)
    try:
        def workers():
            names = {name.split("@")[0] for reply in app.control.ping(timeout=2.0) for name in reply}
            return set(WORKERS) <= names

        wait_for("both Celery workers to answer a ping", workers, services, 300)
    finally:
        app.close()
    say(f"Celery workers {', '.join(f'{w}@{socket.gethostname()}' for w in WORKERS)}: answering")

    def dag_parsed():
        if api.try_call("GET", f"/api/v2/dags/{DAG_ID}"):
            return True
        errors = api.try_call("GET", "/api/v2/importErrors")
        if errors and errors.get("import_errors"):
            raise CheckFailed("the DAG folder has import errors:\n" + "\n".join(e.get("stack_trace", "") for e in errors["import_errors"]))
        return False

    wait_for(f"the dag-processor to parse {DAG_ID}", dag_parsed, services, 300)
    pool = api.call("GET", "/api/v2/pools/duckdb_writer")
    if pool.get("slots") != 1:
        raise CheckFailed(f"pool duckdb_writer has {pool.get('slots')} slots, expected 1")
    say(f"{DAG_ID} parsed; pool duckdb_writer: 1 slot")


def run_dag(api: Api, services: Services, timeout: float) -> tuple[dict, list[dict]]:
    api.call("PATCH", f"/api/v2/dags/{DAG_ID}", {"is_paused": False})
    conf = {"input_path": str(REPO / "data" / "samples")}
    run = api.call("POST", f"/api/v2/dags/{DAG_ID}/dagRuns", {"logical_date": None, "conf": conf})
    run_id = run["dag_run_id"]
    say(f"triggered {DAG_ID} run {run_id} with conf {json.dumps(conf)}")
    deadline, last, last_print = time.monotonic() + timeout, None, 0.0
    while True:
        services.assert_alive()
        run = api.call("GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}")
        tis = api.task_instances(run_id)
        states = Counter(ti["state"] or "none" for ti in tis)
        progress = ", ".join(f"{k} {v}" for k, v in sorted(states.items()))
        if progress != last or time.monotonic() - last_print > 60:
            say(f"run {run['state']}: {len(tis)} task instances: {progress}")
            last, last_print = progress, time.monotonic()
        if run["state"] in ("success", "failed"):
            return run, tis
        if time.monotonic() > deadline:
            raise CheckFailed(f"the DAG run did not finish within {fmt_seconds(timeout)} (state {run['state']}: {progress})")
        time.sleep(10)


def task_log_tails(airflow_home: Path, run_id: str, tis: list[dict]) -> str:
    out = []
    for ti in tis:
        if ti["state"] != "failed":
            continue
        pattern = f"logs/dag_id={DAG_ID}/run_id={run_id}/task_id={ti['task_id']}/**/*.log"
        for log in sorted(airflow_home.glob(pattern))[-1:]:
            out.append(f"  {ti_name(ti)} ({log}):\n{tail(log, 20)}")
    return "\n".join(out)


def ti_name(ti: dict) -> str:
    return ti["task_id"] if ti.get("map_index", -1) < 0 else f"{ti['task_id']}[{ti['map_index']}]"


# --------------------------------------------------------------------------------------------
# 5. checks
# --------------------------------------------------------------------------------------------


# a Celery worker's own log line for each task instance it executes
EXECUTING = re.compile(r"Executing workload in Celery: .*?ti=TaskInstanceDTO\(.*?task_id='([^']+)'.*?map_index=(-?\d+)")


def celery_executions(logs: Path) -> dict[str, set[tuple[str, int]]]:
    """(task_id, map_index) of every task instance each worker's log says it executed."""
    seen = {}
    for name in WORKERS:
        text = (logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        seen[name] = {(m[1], int(m[2])) for m in EXECUTING.finditer(text)}
    return seen


def check_placement(tis: list[dict], executed: dict[str, set[tuple[str, int]]]) -> dict[str, list[dict]]:
    """Every task instance that ran did so on one of the two workers (its recorded hostname, and
    that worker's Celery log agrees), and the mapped stage/extract instances on both of them.
    Returns the task instances per worker."""
    ran = [ti for ti in tis if ti["state"] == "success"]
    by_host: dict[str, list[dict]] = defaultdict(list)
    for ti in ran:
        by_host[ti.get("hostname") or "(none)"].append(ti)
    strangers = set(by_host) - set(WORKERS)
    if strangers:
        raise CheckFailed(f"task instances ran on hosts other than the two workers: {sorted(strangers)}")
    unconfirmed = [f"{ti_name(ti)}@{ti['hostname']}" for ti in ran if (ti["task_id"], ti["map_index"]) not in executed[ti["hostname"]]]
    if unconfirmed:
        raise CheckFailed(f"task instances whose worker's Celery log does not show them executing: {unconfirmed[:10]}")
    mapped = [ti for ti in ran if ti["task_id"] in MAPPED and ti["map_index"] >= 0]
    batches = {ti["map_index"] for ti in mapped if ti["task_id"] == "stage"}
    if len(batches) < 2:
        raise CheckFailed(f"stage was mapped over {len(batches)} batch(es); CHANYE_BATCH_SIZE=1 should give one per sample document")
    hosts = {ti["hostname"] for ti in mapped}
    if hosts != set(WORKERS):
        raise CheckFailed(f"the {len(mapped)} mapped stage/extract task instances ran only on {sorted(hosts)}, not on both workers")
    return by_host


def warehouse_snapshot(path: Path) -> dict:
    from chanye.warehouse import connect_read_only, table_counts

    with connect_read_only(path) as con:
        facts = con.execute("select fact_id, value from fct_metric_observation order by 1").fetchall()
        documents = [r[0] for r in con.execute("select document_id from dim_document order by 1").fetchall()]
    return {"facts": facts, "documents": documents, "counts": table_counts(path)}


def compare_warehouses(distributed: Path, local: Path) -> str:
    a, b = warehouse_snapshot(distributed), warehouse_snapshot(local)
    problems = []
    if not b["facts"] or not b["documents"]:
        problems.append(f"the single-machine warehouse is empty ({len(b['facts'])} facts, {len(b['documents'])} documents)")
    if a["facts"] != b["facts"]:
        fa, fb = dict(a["facts"]), dict(b["facts"])
        only_a, only_b = sorted(set(fa) - set(fb)), sorted(set(fb) - set(fa))
        changed = sorted(k for k in set(fa) & set(fb) if fa[k] != fb[k])
        problems.append(
            f"fct_metric_observation differs: {len(a['facts'])} vs {len(b['facts'])} rows; only distributed: "
            f"{only_a[:5]}; only single-machine: {only_b[:5]}; different value: {changed[:5]}"
        )
    if a["documents"] != b["documents"]:
        sa, sb = set(a["documents"]), set(b["documents"])
        problems.append(f"dim_document differs: only distributed {sorted(sa - sb)[:5]}, only single-machine {sorted(sb - sa)[:5]}")
    if a["counts"] != b["counts"]:
        diff = {t: (a["counts"].get(t), b["counts"].get(t)) for t in sorted(set(a["counts"]) | set(b["counts"]))
                if a["counts"].get(t) != b["counts"].get(t)}
        problems.append(f"row counts differ (distributed, single-machine): {diff}")
    if problems:
        raise CheckFailed("the distributed warehouse differs from the single-machine one:\n  " + "\n  ".join(problems))
    return (
        f"identical: fct_metric_observation {len(a['facts'])} facts (fact_id, value), dim_document "
        f"{len(a['documents'])} documents, row counts of all {len(a['counts'])} dim_/fct_/mart_ tables"
    )


def single_machine_run(tmp: Path, original_env: dict, timeout: float) -> Path:
    """`chanye run` on the same input with its own data dir: SQLite, `airflow dags test`."""
    data = tmp / "single-machine"
    env = {k: v for k, v in original_env.items() if not k.startswith("AIRFLOW")}
    env.update(CHANYE_DATA_DIR=str(data))
    env.pop("CHANYE_BATCH_SIZE", None)  # the default (one batch): the result must not depend on batching
    log = tmp / "logs" / "single-machine-run.log"
    cmd = [str(Path(sys.executable).with_name("chanye")), "run", "--input", str(REPO / "data" / "samples")]
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=tmp, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except BaseException:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
            raise
    if proc.returncode:
        raise CheckFailed(f"the single-machine `chanye run` failed (exit {proc.returncode}); last lines of {log}:\n{tail(log, 30)}")
    return data / "warehouse" / "chanye.duckdb"


# --------------------------------------------------------------------------------------------


def placement_report(by_host: dict[str, list[dict]]) -> list[str]:
    lines = []
    for host in WORKERS:
        tis = by_host.get(host, [])
        mapped = defaultdict(list)
        other = []
        for ti in tis:
            if ti["map_index"] >= 0:
                mapped[ti["task_id"]].append(ti["map_index"])
            else:
                other.append(ti["task_id"])
        parts = [f"{t}[{','.join(map(str, sorted(ix)))}]" for t, ix in sorted(mapped.items())]
        parts += sorted(other)
        lines.append(f"  {host}: {len(tis):3d} task instances: {'; '.join(parts) or '-'}")
    return lines


def _installed(name: str) -> bool:
    """A top-level module or a distribution (a provider) is installed, without importing it."""
    import importlib.metadata
    import importlib.util

    if importlib.util.find_spec(name.replace("-", "_")) is not None:
        return True
    try:
        importlib.metadata.distribution(name)
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=1200, help="seconds the DAG run may take (default 1200)")
    parser.add_argument("--concurrency", type=int, default=2, help="task slots per Celery worker (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, lake, warehouses)")
    parser.add_argument("--s3-lake", action="store_true",
                        help="put the lake on a local S3 endpoint (moto's server) instead of the shared data directory")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="         %(message)s")

    def interrupted(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    original_env = dict(os.environ)
    # not imported: importing airflow here would read the config of the default AIRFLOW_HOME
    missing = [m for m in ("celery", "psycopg2", "redis", "apache-airflow-providers-celery", "apache-airflow-providers-postgres")
               if not _installed(m)]
    if missing:
        print(f"distributed check: cannot run: {', '.join(missing)} not installed; "
              "install the extra: uv sync --frozen --extra distributed", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="chanye-distributed-"))
    services = Services(tmp)
    s3_server = None
    timings: dict[str, float] = {}
    status, message, report = 1, "", []
    say(f"working directory {tmp}")
    try:
        bindir, redis_server = ensure_servers_installed()
        t = time.monotonic()
        pg_port, pg_password = services.start_postgres(bindir)
        say(f"PostgreSQL ({bindir.parent.name}) on 127.0.0.1:{pg_port}, database airflow")
        redis_port = services.start_redis(redis_server)
        say(f"Redis on 127.0.0.1:{redis_port} (no persistence)")
        api_port = free_port()
        lake_env = {}
        if args.s3_lake:
            s3_server, lake_env = start_s3_lake()
            say(f"S3 (moto) on {lake_env['AWS_ENDPOINT_URL']}, lake {lake_env['CHANYE_LAKE']}")
        s, env = airflow_environment(tmp, pg_port, pg_password, redis_port, api_port, lake_env)
        services.marker = f"CHANYE_DATA_DIR={s.data_dir}"
        say("chanye prepare: lake, dbt parse, airflow db migrate (PostgreSQL), pool duckdb_writer ...")
        from chanye import runner

        runner.prepare(s)  # no airflow.db with PostgreSQL, so it always migrates and sets the pool
        start_airflow(services, env, api_port, args.concurrency)
        api = Api(api_port)
        wait_healthy(services, api, env["AIRFLOW__CELERY__BROKER_URL"])
        timings["services up"] = time.monotonic() - t

        t = time.monotonic()
        run, tis = run_dag(api, services, args.timeout)
        timings["distributed DAG run"] = time.monotonic() - t
        if run["state"] != "success":
            raise CheckFailed(
                f"the DAG run {run['dag_run_id']} ended {run['state']}; failed tasks: "
                f"{[ti_name(ti) for ti in tis if ti['state'] == 'failed']}\n{task_log_tails(s.airflow_home, run['dag_run_id'], tis)}"
            )
        by_host = check_placement(tis, celery_executions(services.logs))
        n_batches = len({ti["map_index"] for ti in tis if ti["task_id"] == "stage" and ti["map_index"] >= 0})
        say(f"run succeeded; {n_batches} batches; mapped stage/extract ran on both workers (task-instance hostnames, confirmed by each worker's Celery log)")
        if args.s3_lake and (s.data_dir / "lake").exists():
            raise CheckFailed(f"the lake was to be on S3, but {s.data_dir / 'lake'} exists")
        services.stop()

        say("single-machine reference: chanye run --input data/samples (SQLite, airflow dags test) ...")
        t = time.monotonic()
        local = single_machine_run(tmp, original_env, args.timeout)
        timings["single-machine run"] = time.monotonic() - t
        comparison = compare_warehouses(s.published_warehouse, local)
        say("warehouses compared")
        report = [
            (f"  DAG run {run['dag_run_id']}: {run['state']}, {len(tis)} task instances "
             f"({n_batches} stage + {n_batches} extract mapped), {len(WORKERS)} workers x {args.concurrency} slots"),
            *placement_report(by_host),
            f"  warehouse vs single-machine run: {comparison}",
            f"  lake: {s.lake}" + (" (nothing of it on local disk)" if args.s3_lake else ""),
        ]
        status, message = 0, "PASSED"
    except CheckFailed as e:
        status, message = 1, f"FAILED: {e}"
    except CannotRun as e:
        status, message = 2, f"could not run: {e}"
    except KeyboardInterrupt:
        status, message = 130, "interrupted"
    except Exception as e:  # noqa: BLE001 - report, clean up, exit non-zero
        import traceback

        traceback.print_exc()
        status, message = 1, f"FAILED: {type(e).__name__}: {e}"
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the clean-up finish
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        services.stop()
        if s3_server is not None:
            s3_server.stop()
        for key in list(os.environ):
            if key not in original_env:
                del os.environ[key]
        if status == 0 and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
            where = "removed the working directory"
        else:
            where = f"kept {tmp} (logs in {tmp / 'logs'}; remove it with rm -rf {tmp})"
    total = time.monotonic() - STARTED
    print()
    print(f"distributed check: {message}")
    print(f"  wall time {fmt_seconds(total)}" + "".join(f"; {k} {fmt_seconds(v)}" for k, v in timings.items()))
    for line in report:
        print(line)
    print(f"  {where}")
    return status


if __name__ == "__main__":
    sys.exit(main())
