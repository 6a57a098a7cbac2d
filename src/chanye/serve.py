"""Airflow as a service on this machine (`chanye serve`): the api-server (UI and REST API) on
127.0.0.1, the scheduler with the LocalExecutor, the dag-processor and the triggerer, on the
project-local Airflow home and metadata DB that `chanye run` uses too.

The metadata DB is SQLite, which Airflow 3.3 accepts with the LocalExecutor (`airflow standalone`
runs exactly that): since Airflow 3 task processes reach the database only through the
api-server's execution API, so running tasks side by side does not add writers to the file; the
writers are the four components. The executor gets one slot per core (CHANYE_PARALLELISM).

Each component runs in its own session, so Ctrl-C reaches `chanye serve` only, which then stops
them in order (SIGTERM, then SIGKILL after a grace period) with every process they started: this
process is a child subreaper, so task processes that outlive their parents are still its own to
stop; and each component gets SIGTERM if `chanye serve` itself dies."""
from __future__ import annotations

import ctypes
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from chanye import runner, writer
from chanye.config import Settings, settings

log = logging.getLogger(__name__)

COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
HEALTHY = ("metadatabase", "scheduler", "triggerer", "dag_processor")
SIMPLE_AUTH = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
USER = "admin"
_PR_SET_CHILD_SUBREAPER, _PR_SET_PDEATHSIG = 36, 1


def service_env(s: Settings, port: int) -> dict[str, str]:
    """airflow_env plus what the long-running components need: the executor, the api-server's
    address (tasks call its execution API), the login, and a small machine's pacing."""
    env = runner.airflow_env(s)
    base = f"http://127.0.0.1:{port}"
    env.update(
        AIRFLOW__CORE__EXECUTOR="LocalExecutor",
        AIRFLOW__CORE__PARALLELISM=str(parallelism()),
        AIRFLOW__API__HOST="127.0.0.1",
        AIRFLOW__API__PORT=str(port),
        AIRFLOW__API__BASE_URL=base,
        AIRFLOW__API__WORKERS="1",
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"{base}/execution/",
        AIRFLOW__CORE__AUTH_MANAGER=SIMPLE_AUTH,
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=f"{USER}:admin",
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS="False",
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE=str(password_file(s)),
        # a task's calls to the api-server: 5 s by default, too short on a busy 2-core machine
        # (the first call of a run waits for SQLite behind the scheduler and the dag-processor)
        AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT="60",
        # the DAG file is re-parsed every 2 minutes, not every 30 s (it imports cosmos: CPU on 2 cores)
        AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL="120",
        # one signing key for every component: the scheduler signs the tokens its tasks show the api-server
        **{f"AIRFLOW__{key.upper()}": value for key, value in _secrets(s).items()},
    )
    return env


def _secrets(s: Settings) -> dict[str, str]:
    """The JWT secret and the UI's session key, made once per Airflow home and kept there (0600),
    so a restart keeps the UI's logins valid."""
    path = s.airflow_home / "serve-secrets.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump({"api_auth__jwt_secret": secrets.token_urlsafe(64), "api__secret_key": secrets.token_urlsafe(32)}, out)
    return json.loads(path.read_text())


def parallelism() -> int:
    """Task slots of the LocalExecutor: CHANYE_PARALLELISM, else one per core."""
    return int(os.environ.get("CHANYE_PARALLELISM") or os.cpu_count() or 1)


def password_file(s: Settings) -> Path:
    return s.airflow_home / "simple_auth_manager_passwords.json.generated"


def pid_file(s: Settings) -> Path:
    return s.airflow_home / "serve.pid"


def running_service(s: Settings) -> int | None:
    """The pid of a `chanye serve` running on this data directory, if any."""
    try:
        pid = int(pid_file(s).read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return pid


@dataclass
class Service:
    """The four components, started and stopped together."""

    s: Settings
    port: int
    logs: Path
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    ours_before: set[int] = field(default_factory=set)  # this process' own helpers, not Airflow's

    def start(self) -> None:
        self.ours_before = set(runner.descendants(os.getpid()))
        env = service_env(self.s, self.port)
        airflow = str(Path(sys.executable).with_name("airflow"))
        self.logs.mkdir(parents=True, exist_ok=True)
        for name in COMPONENTS:
            args = [airflow, name]
            if name == "api-server":
                args += ["--host", "127.0.0.1", "--port", str(self.port)]
            elif name in ("scheduler", "triggerer"):
                args += ["--skip-serve-logs"]  # task logs are files in the Airflow home; no log-server ports
            with (self.logs / f"{name}.log").open("ab") as out:
                self.procs[name] = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT,
                                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                                    preexec_fn=_die_with_parent)
            log.info("started %-13s pid %d (log: %s)", name, self.procs[name].pid, self.logs / f"{name}.log")

    def dead(self) -> list[str]:
        return [f"{name} (exit {p.returncode})" for name, p in self.procs.items() if p.poll() is not None]

    def stop(self, grace: float = 30) -> None:
        """SIGTERM to every component's process group, SIGKILL to what is left after `grace`
        seconds, then every remaining descendant of this process (task processes)."""
        alive = {n: p for n, p in self.procs.items() if p.poll() is None}
        if alive:
            log.info("stopping %s ...", ", ".join(alive))
        for p in alive.values():
            _signal_group(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name, p in alive.items():
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop within %.0f s: killing it", name, grace)
                _signal_group(p.pid, signal.SIGKILL)
                p.wait()
        for p in self.procs.values():
            _signal_group(p.pid, signal.SIGKILL)  # what is left of a group (task processes)
        leftovers = set(runner.descendants(os.getpid())) - self.ours_before
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while leftovers & set(runner.descendants(os.getpid())) and time.monotonic() < deadline:
            _reap()
            time.sleep(0.1)
        _reap()
        self.procs.clear()


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when `chanye serve` dies, even by SIGKILL."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _reap() -> None:
    """Collect the exit status of orphans this subreaper inherited (the components are waited for)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: closed connections don't count
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def health(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=5) as resp:
            return json.loads(resp.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def is_healthy(report: dict | None) -> bool:
    return bool(report) and all((report.get(part) or {}).get("status") == "healthy" for part in HEALTHY)


def serve(port: int = 8080, ready_timeout: float = 300) -> int:
    """Start Airflow, say where to look and how to log in, and keep it running until Ctrl-C or
    SIGTERM (or until a component dies: then everything stops and the exit status is 1)."""
    s = settings()
    if pid := running_service(s):
        raise RuntimeError(f"chanye serve is already running on {s.data_dir} (pid {pid})")
    if not port_free(port):
        raise RuntimeError(f"port {port} on 127.0.0.1 is in use: choose another with `chanye serve --port N`")
    with writer.hold("chanye serve", wait=0, s=s):  # not while a `chanye run` migrates the same metadata DB
        runner.prepare(s)
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1)
    service = Service(s, port, s.data_dir / "logs" / "serve")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append("SIGTERM"))
    pid_file(s).write_text(f"{os.getpid()} {port}\n")
    try:
        service.start()
        started = time.monotonic()
        while not is_healthy(health(port)):
            if dead := service.dead():
                raise RuntimeError(f"{', '.join(dead)} before Airflow was ready; see {service.logs}")
            if time.monotonic() - started > ready_timeout:
                raise RuntimeError(f"Airflow not healthy after {ready_timeout:.0f} s: {health(port)}; see {service.logs}")
            if stopping:
                return 0
            time.sleep(2)
        print(_banner(s, port, time.monotonic() - started), flush=True)
        while not stopping:
            if dead := service.dead():
                log.error("%s: stopping everything; see %s", ", ".join(dead), service.logs)
                return 1
            time.sleep(1)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop short
        service.stop()
        pid_file(s).unlink(missing_ok=True)
        log.info("Airflow stopped")


def _banner(s: Settings, port: int, seconds: float) -> str:
    base = f"http://127.0.0.1:{port}"
    try:
        password = json.loads(password_file(s).read_text())[USER]
    except (OSError, ValueError, KeyError):
        password = f"(see {password_file(s)})"
    return "\n".join([
        f"chanye serve: Airflow is running (ready in {seconds:.0f} s; LocalExecutor, {parallelism()} task slots)",
        f"  Airflow UI        {base}   log in as {USER}, password {password}",
        f"                    (SimpleAuthManager; the password is kept in {password_file(s)})",
        f"  chanye_pipeline   {s.schedule} on the inbox {s.inbox}: drop articles there, or trigger it in the UI",
        "  chanye_new_facts  after each publish (asset chanye_warehouse)",
        f"  Data Docs (GX)    {base}/chanye/data-docs/index.html",
        f"  dbt docs          {base}/chanye/dbt-docs/static_index.html",
        f"  data-quality      {s.reports_dir}",
        f"  component logs    {s.data_dir / 'logs' / 'serve'}/; task logs under {s.airflow_home / 'logs'}/",
        "  Ctrl-C stops everything.",
    ])
