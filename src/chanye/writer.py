"""One writer per data directory at a time, and what the writer does first: recover what a dead
run left behind.

The lock is CHANYE_DATA_DIR/writer.lock. Its content names the holder (kind, run, pid, host, start
time) for the message a second writer gets; whether it is held is decided by:

- `chanye run` (kind "cli"): an fcntl flock on the file, held for the whole run (prepare, the
  Airflow run, the summary). The kernel releases it when the process dies, however it dies, so a
  dead holder's lock is simply taken. The Airflow run it starts inherits a token
  (CHANYE_WRITER_TOKEN) and its tasks recognise the lock as their own: no deadlock.
- a DAG run under the scheduler (kind "airflow"): its tasks are separate processes, so the run
  holds a lease instead, recorded by its first task (`claim_run`) and cleared by its teardown
  (`release_run`). It expires after CHANYE_LOCK_LEASE_MINUTES; a lease of another DAG run is stale
  (max_active_runs=1: that run ended without its teardown) and is taken over.

A lake on object storage may be shared by machines with different data dirs: the holder is then
also written to a lease object under the lake prefix (`_writer.json`), checked the same way
(object stores have no compare-and-swap through fsspec: this catches a second writer that starts
while one runs, not two that start within the same second).

A second writer waits up to CHANYE_LOCK_WAIT_SECONDS (default 0: it refuses at once), then fails
with a message naming the holder."""
from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from chanye import lake
from chanye.config import Settings, settings

log = logging.getLogger(__name__)
TOKEN_ENV = "CHANYE_WRITER_TOKEN"
LAKE_LEASE = "_writer.json"


class WriterBusy(RuntimeError):
    """Another run writes this data dir (or lake)."""


def lock_file(s: Settings) -> Path:
    return s.data_dir / "writer.lock"


def describe(holder: dict | None) -> str:
    if not holder:
        return "another process"
    pid = f"pid {holder['pid']} on " if holder.get("pid") else ""
    return f"{holder.get('kind', '?')} run {holder.get('run_id', '?')} ({pid}{holder.get('host', '?')}, since {holder.get('started_at', '?')})"


# ---------------------------------------------------------------- `chanye run`

@contextmanager
def hold(run_id: str, wait: float | None = None, s: Settings | None = None):
    """The data dir's lock for as long as the block runs (the CLI's whole run); the Airflow run
    started inside it finds TOKEN_ENV in its environment and knows the lock is its own."""
    s = s or settings()
    wait = s.lock_wait_seconds if wait is None else wait
    path = lock_file(s)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _flock_or_wait(fd, path, wait)
        holder = _record(s, "cli", run_id, pid=os.getpid())
        _write_holder(fd, holder)  # at once: a second writer's message names us
        try:
            _take_lake_lease(s, holder)
        except BaseException:
            _write_holder(fd, None)
            raise
        saved = os.environ.get(TOKEN_ENV)
        os.environ[TOKEN_ENV] = holder["token"]
        try:
            yield holder
        finally:
            if saved is None:
                os.environ.pop(TOKEN_ENV, None)
            else:
                os.environ[TOKEN_ENV] = saved
            _release_lake_lease(s, holder)
            _write_holder(fd, None)
    finally:
        os.close(fd)  # releases the flock


def _flock_or_wait(fd: int, path: Path, wait: float) -> None:
    deadline, told = time.monotonic() + wait, False
    while True:
        holder = None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            holder = _read_holder(fd)
            if not _live_lease(holder):
                if holder:
                    log.warning("taking over the writer lock of %s: it is no longer running", describe(holder))
                return
            fcntl.flock(fd, fcntl.LOCK_UN)  # a scheduled DAG run holds the data dir
        except BlockingIOError:
            holder = _read_holder_soon(fd)
        if time.monotonic() >= deadline:
            raise WriterBusy(f"another run is writing {path.parent}: {describe(holder)}. Run again when it has "
                             f"finished, or wait for it: `chanye run --wait SECONDS` (CHANYE_LOCK_WAIT_SECONDS); "
                             f"lock file {path}")
        if not told:
            log.info("waiting up to %.0f s for %s to finish", wait, describe(holder))
            told = True
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))


# ---------------------------------------------------------------- a DAG run

def claim_run(run_id: str, s: Settings | None = None) -> dict:
    """A DAG run's first task: the data dir is this run's (the `chanye run` that started it holds
    the lock, or the run takes a lease), then recover what a dead run left. Raises WriterBusy
    (the task fails and Airflow retries it later) while another run writes."""
    s = s or settings()
    holder = _claim(run_id, s)
    recovered = recover(run_id, s)
    return {"holder": describe(holder), **recovered}


def check_run(run_id: str, s: Settings | None = None) -> dict:
    """Before a DAG task writes the lake or publishes: the data dir is still this run's (renewing
    its lease). Raises WriterBusy otherwise."""
    return _claim(run_id, s or settings(), renew_only=True)


def release_run(run_id: str, s: Settings | None = None) -> None:
    """A DAG run's teardown: clear its lease (a `chanye run` releases its own lock when it ends)."""
    s = s or settings()
    path = lock_file(s)
    if not path.exists():
        return
    with _locked(path) as fd:
        if fd is None:
            return  # a `chanye run` holds it: its own to release
        holder = _read_holder(fd)
        if holder and holder.get("kind") == "airflow" and holder.get("run_id") == run_id:
            _release_lake_lease(s, holder)
            _write_holder(fd, None)


def _claim(run_id: str, s: Settings, renew_only: bool = False) -> dict:
    path = lock_file(s)
    path.parent.mkdir(parents=True, exist_ok=True)
    token = os.environ.get(TOKEN_ENV)
    with _locked(path) as fd:
        if fd is None:  # a live `chanye run` holds the flock
            holder = _read_holder_soon_of(path)
            if token and holder and holder.get("token") == token:
                return holder  # the one that started this Airflow run
            raise WriterBusy(f"another run is writing {s.data_dir}: {describe(holder)}")
        holder = _read_holder(fd)
        ours = holder and holder.get("kind") == "airflow" and holder.get("run_id") == run_id
        if renew_only and not ours:
            raise WriterBusy(f"run {run_id} does not hold the writer lock of {s.data_dir} "
                             f"(held by {describe(holder)}): its claim task did not run or lost it")
        if holder and not ours and _live_lease(holder):
            log.warning("taking over the lease of %s: only one DAG run is active at a time, so it ended "
                        "without its teardown", describe(holder))
        fresh = _record(s, "airflow", run_id, pid=None, token=holder.get("token") if ours else None)
        if ours:
            fresh["started_at"] = holder["started_at"]
        _take_lake_lease(s, fresh)
        _write_holder(fd, fresh)
        return fresh


@contextmanager
def _locked(path: Path):
    """The flock for a short read-modify-write of the lock file (waiting a few seconds for another
    task doing the same); None when a `chanye run` holds it for its whole run."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        for _ in range(50):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _read_holder(fd)
                if holder and holder.get("kind") == "cli":
                    yield None
                    return
                time.sleep(0.1)
        else:
            yield None
            return
        yield fd
    finally:
        os.close(fd)


# ---------------------------------------------------------------- recovery

def recover(run_id: str | None = None, s: Settings | None = None) -> dict:
    """What dead runs left, dealt with by the writer before it writes: the lake's unfinished
    commits finished and abandoned pending folders and temp files removed (lake.recover); a
    publish that died before its switch finished, stale releases and temp folders removed
    (build.finish_publish). Safe only under the lock: nothing else is running."""
    from chanye import build

    s = s or settings()
    done = lake.recover(s.lake, run_id)
    switched = build.finish_publish(s)
    if switched:
        log.warning("finished the publish of release %s that an interrupted run left", switched)
    return {**{k: len(v) for k, v in done.items()}, "finished_publish": switched}


# ---------------------------------------------------------------- the record

def _record(s: Settings, kind: str, run_id: str, pid: int | None, token: str | None = None) -> dict:
    now = datetime.now(timezone.utc)
    return {"kind": kind, "run_id": run_id, "pid": pid, "host": socket.gethostname(),
            "started_at": now.isoformat(timespec="seconds"), "token": token or uuid.uuid4().hex,
            "expires_at": (now + timedelta(minutes=s.lock_lease_minutes)).isoformat(timespec="seconds"),
            "data_dir": str(s.data_dir), "data_dir_id": _data_dir_id(s)}


def _data_dir_id(s: Settings) -> str:
    """A random id of this data dir, made once: two machines may mount different data dirs at the
    same path, and a lake lease must tell them apart."""
    path = s.data_dir / "writer.id"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(uuid.uuid4().hex + "\n")
        os.replace(tmp, path)
    return path.read_text().strip()


def _live_lease(holder: dict | None) -> bool:
    """A DAG run's lease that has not expired (a `chanye run`'s record without its flock is dead)."""
    return bool(holder and holder.get("kind") == "airflow"
                and datetime.fromisoformat(holder["expires_at"]) > datetime.now(timezone.utc))


def _read_holder(fd: int) -> dict | None:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 65536).decode("utf-8", "replace").strip()
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _read_holder_soon(fd: int, seconds: float = 2.0) -> dict | None:
    """The holder's record; a holder that has just taken the flock writes it a moment later."""
    deadline = time.monotonic() + seconds
    while (holder := _read_holder(fd)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return holder


def _read_holder_soon_of(path: Path) -> dict | None:
    fd = os.open(path, os.O_RDONLY)
    try:
        return _read_holder_soon(fd)
    finally:
        os.close(fd)


def _write_holder(fd: int, holder: dict | None) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    if holder:
        os.write(fd, (json.dumps(holder) + "\n").encode())
    os.fsync(fd)


def _take_lake_lease(s: Settings, holder: dict) -> None:
    """On object storage, the lease object under the lake prefix: another machine's live writer
    (a different data dir) refuses us."""
    if lake.is_local(s.lake):
        return
    lease = lake.join(s.lake, LAKE_LEASE)
    other = json.loads(lake.read_text(lease)) if lake.exists(lease) else None
    # a lease of this data dir is settled by its lock (it is ours, or a dead run's)
    if other and other.get("data_dir_id") != holder["data_dir_id"] \
            and datetime.fromisoformat(other["expires_at"]) > datetime.now(timezone.utc):
        raise WriterBusy(f"another run is writing the lake {s.lake}: {describe(other)} (lease {lease})")
    lake.write_text(lease, json.dumps(holder))


def _release_lake_lease(s: Settings, holder: dict) -> None:
    if lake.is_local(s.lake):
        return
    lease = lake.join(s.lake, LAKE_LEASE)
    if lake.exists(lease) and json.loads(lake.read_text(lease)).get("token") == holder["token"]:
        lake.remove(lease)
