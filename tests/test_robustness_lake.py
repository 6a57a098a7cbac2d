"""Crashes and races (issue 14): a run killed in the lake commit or in publish, and two runs on
one data dir. A kill is a named crash point (CHANYE_FAULT, chanye.faults) that ends a subprocess
the way `kill -9` does; then the next run (or the retried task) must leave exactly what a clean
run leaves: nothing lost, nothing doubled, no leftovers. The DAG's steps are called as its tasks
call them (no Airflow), except in the race of two `chanye run`."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import REPO

RUN, NEXT_RUN = "manual__crash-1", "manual__after-crash"
KILLED = 137

# Own-written articles (beside the two in tests/data/inbox): one syndicated copy, one that
# staging quarantines (empty), so documents + duplicates + quarantined all count.
ARTICLE = ("湖州新材料产业园签约项目9个\n2026-03-02 来源：湖州日报\n"
           "3月1日，浙江省湖州市吴兴区新材料产业园集中签约项目9个，总投资64亿元，其中外资项目3个。\n")
COPY = "转载：" + ARTICLE


@pytest.fixture()
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(REPO / "tests" / "data" / "inbox", folder)
    (folder / "huzhou_materials.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "huzhou_materials_copy.txt").write_text(COPY, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def use_data_dir(monkeypatch, path: Path):
    monkeypatch.setenv("CHANYE_DATA_DIR", str(path))
    monkeypatch.delenv("CHANYE_LAKE", raising=False)
    monkeypatch.delenv("CHANYE_FAULT", raising=False)
    monkeypatch.delenv("CHANYE_WRITER_TOKEN", raising=False)
    from chanye.config import settings

    return settings()


def ingest_until_commit(inbox: Path, run_id: str) -> list[dict]:
    """plan → stage → extract → dedupe → validate, as the DAG's tasks call them."""
    from chanye import batches, dedup, gate

    planned = batches.plan(str(inbox), run_id)
    staged = [batches.stage(b, run_id) for b in planned]
    [batches.extract(b, run_id) for b in staged]
    dedup.mark_run_duplicates(run_id)
    gate.validate_run(run_id)
    return staged


def lake_snapshot(lake_root: str) -> dict:
    """What a run leaves in the lake: rows per dataset, and the ids that must not double."""
    from chanye import lake, schemas

    counts = {name: lake.read_dataset(lake_root, name).num_rows for name in schemas.DATASETS}
    ids = {name: sorted(lake.read_dataset(lake_root, name, [column])[column].to_pylist())
           for name, column in (("documents", "document_id"), ("facts", "fact_id"), ("manifest", "source_path"),
                                ("minhash", "document_id"))}
    return {"rows": counts, "ids": ids}


def leftovers(lake_root: str) -> list[str]:
    root = Path(lake_root)
    return sorted(str(p.relative_to(root)) for p in [*root.glob("_pending/*"), *root.glob("_commits/*"),
                                                     *root.rglob(".*.tmp")])


def crash(code: str, fault: str) -> subprocess.CompletedProcess:
    """Run chanye code in a child process that dies at the named point."""
    env = dict(os.environ, CHANYE_FAULT=fault)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == KILLED, f"did not die at {fault}: exit {out.returncode}\n{out.stderr[-3000:]}"
    return out


@pytest.fixture()
def s3_bucket(tmp_path, monkeypatch):
    """A bucket on a local S3 endpoint (moto's server), reached through the AWS variables."""
    import socket

    import fsspec
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}.items():
        monkeypatch.setenv(name, value)
    # fsspec caches filesystems by their options, not by the endpoint variable: an earlier test's
    # (stopped) server must not be the one this test talks to
    fsspec.get_filesystem_class("s3").clear_instance_cache()
    fsspec.filesystem("s3").mkdir("robust-lake")
    yield "robust-lake"
    fsspec.get_filesystem_class("s3").clear_instance_cache()
    server.stop()


@pytest.fixture()
def clean_run(inbox, tmp_path, monkeypatch) -> dict:
    """The lake one uninterrupted run leaves."""
    from chanye import lake

    s = use_data_dir(monkeypatch, tmp_path / "clean")
    ingest_until_commit(inbox, RUN)
    lake.commit_run(RUN)
    snapshot = lake_snapshot(s.lake)
    assert snapshot["rows"]["documents"] >= 3 and snapshot["rows"]["quarantine"] >= 1
    assert leftovers(s.lake) == []
    return snapshot


# ---------------------------------------------------------------- 1. killed in the lake commit

@pytest.mark.parametrize("fault", ["mid-commit", "commit-before-done"])
def test_commit_killed_is_finished_by_the_next_run(fault, clean_run, inbox, tmp_path, monkeypatch):
    from chanye import batches, lake, schemas, writer

    s = use_data_dir(monkeypatch, tmp_path / "crashed")
    ingest_until_commit(inbox, RUN)
    crash(f"from chanye import lake; lake.commit_run({RUN!r})", fault)

    assert lake.exists(lake.commit_record(s.lake, RUN))  # the dead commit is recorded as unfinished
    if fault == "mid-commit":  # documents moved, the rest still pending
        assert lake.read_dataset(s.lake, "documents").num_rows == clean_run["rows"]["documents"]
        assert lake.read_dataset(s.lake, "manifest").num_rows == 0
        assert lake.pending_files(s.lake, RUN, "manifest")

    # the next run: its first task recovers, then it plans the same inbox
    recovered = writer.claim_run(NEXT_RUN)
    assert recovered["finished_commits"] == 1
    planned = batches.plan(str(inbox), NEXT_RUN)
    assert not batches.has_new_input(planned)  # every file is in the committed manifest: nothing again
    writer.release_run(NEXT_RUN)

    assert lake_snapshot(s.lake) == clean_run
    assert leftovers(s.lake) == []
    documents = lake.read_dataset(s.lake, "documents").num_rows
    duplicates = sum(1 for d in lake.read_dataset(s.lake, "minhash", ["duplicate_of"])["duplicate_of"].to_pylist() if d)
    quarantined = lake.read_dataset(s.lake, "quarantine", ["source_path"])["source_path"].to_pylist()
    canonical = documents - duplicates
    assert canonical + duplicates + len(set(quarantined)) == len(list(inbox.iterdir()))  # every input once
    assert duplicates == 1 and set(schemas.DATASETS) >= set(clean_run["rows"])


def test_retried_commit_finishes_the_same_commit(clean_run, inbox, tmp_path, monkeypatch):
    """Airflow's retry of the commit task: the record's moves, the same commit id, nothing twice."""
    from chanye import lake

    s = use_data_dir(monkeypatch, tmp_path / "crashed")
    ingest_until_commit(inbox, RUN)
    crash(f"from chanye import lake; lake.commit_run({RUN!r})", "mid-commit")
    commit_ids = {p.parent.name for p in Path(s.lake, "documents").rglob("*.parquet") if "1970" not in str(p)}

    moved = lake.commit_run(RUN)
    assert moved["documents"] >= 1 and moved["manifest"] >= 1
    assert lake_snapshot(s.lake) == clean_run
    assert {p.parent.name for p in Path(s.lake, "manifest").rglob("*.parquet") if "1970" not in str(p)} == commit_ids
    assert set(lake.commit_run(RUN).values()) == {0}  # and once more: nothing left to move
    assert leftovers(s.lake) == []


def test_commit_on_object_storage_killed_mid_way(clean_run, inbox, tmp_path, monkeypatch, s3_bucket):
    """The same protocol where a move is a copy and a delete (S3, moto's server)."""
    import fsspec

    from chanye import lake, writer

    s = use_data_dir(monkeypatch, tmp_path / "crashed")
    monkeypatch.setenv("CHANYE_LAKE", f"s3://{s3_bucket}/lake")
    from chanye.config import settings

    s = settings()
    ingest_until_commit(inbox, RUN)
    crash(f"from chanye import lake; lake.commit_run({RUN!r})", "mid-commit")
    fsspec.filesystem("s3").invalidate_cache()  # this process listed the bucket before the child changed it

    writer.claim_run(NEXT_RUN)
    assert lake.exists(lake.join(s.lake, writer.LAKE_LEASE))  # the lease object under the lake prefix
    writer.release_run(NEXT_RUN)
    assert not lake.exists(lake.join(s.lake, writer.LAKE_LEASE))
    assert lake_snapshot(s.lake) == clean_run

    # another machine (its own data dir) writing the same lake holds the lease: refused, named
    other = {"kind": "cli", "run_id": "manual__elsewhere", "pid": 7, "host": "other-host", "token": "t",
             "started_at": "2026-01-01T00:00:00+00:00", "expires_at": "2999-01-01T00:00:00+00:00",
             "data_dir": str(s.data_dir), "data_dir_id": "another-data-dir"}
    lake.write_text(lake.join(s.lake, writer.LAKE_LEASE), json.dumps(other))
    with pytest.raises(writer.WriterBusy, match=r"lake s3://.*manual__elsewhere \(pid 7 on other-host"):
        with writer.hold("manual__here", wait=0):
            pass
    stored = fsspec.filesystem("s3").find(f"{s3_bucket}/lake")
    assert not [p for p in stored if "/_pending/" in p or "/_commits/" in p]


def test_next_run_removes_abandoned_pending_folders_and_temp_files(inbox, tmp_path, monkeypatch):
    from chanye import lake, writer

    s = use_data_dir(monkeypatch, tmp_path / "data")
    lake.ensure_lake(s.lake)
    ingest_until_commit(inbox, "manual__dead")  # a run that died before its commit: never validated as committed
    temp = Path(s.lake, "documents", lake.EMPTY_PARTITION, ".empty.parquet.4242.tmp")
    temp.write_bytes(b"half a file")
    own = Path(lake.pending_file(s.lake, NEXT_RUN, "documents", "batch-00000"))
    own.parent.mkdir(parents=True)
    own.write_bytes(b"")

    recovered = writer.claim_run(NEXT_RUN)
    assert recovered["removed_pending"] == 1 and recovered["removed_temp"] == 1
    assert not temp.exists() and not Path(lake.pending_dir(s.lake, "manual__dead")).exists()
    assert own.exists()  # the claiming run's own pending area stays
    assert lake.read_dataset(s.lake, "documents").num_rows == 0  # the dead run's files were never committed
    writer.release_run(NEXT_RUN)


# ---------------------------------------------------------------- 2. killed in publish

def make_build(s, facts: int) -> None:
    """A stand-in for dbt's build file: analyst tables (dim_, fct_) with a known number of rows."""
    s.build_warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(s.build_warehouse)) as con:
        con.execute(f"create table fct_metric_observation as select 'f' || range as fact_id from range({facts})")
        con.execute("create table dim_document as select 'd1' as document_id")


def published_facts(s) -> tuple[int, int]:
    """Facts in the published warehouse, and in its Parquet export: they must always agree."""
    with duckdb.connect(str(s.published_warehouse), read_only=True) as con:
        in_warehouse = con.execute("select count(*) from fct_metric_observation").fetchone()[0]
    with duckdb.connect() as con:
        exported = con.execute("select count(*) from read_parquet(?)",
                               [str(s.warehouse_dir / "parquet" / "fct_metric_observation.parquet")]).fetchone()[0]
    return in_warehouse, exported


def warehouse_leftovers(s) -> list[str]:
    names = [p.name for p in s.warehouse_dir.iterdir() if p.name.startswith(".")]
    names += [p.name for p in s.build_warehouse.parent.glob(".*")]
    return sorted(names)


@pytest.mark.parametrize("fault", ["publish-before-complete", "publish-before-switch"])
def test_publish_killed_keeps_warehouse_and_exports_together(fault, tmp_path, monkeypatch):
    from chanye import build, writer

    s = use_data_dir(monkeypatch, tmp_path / "data")
    make_build(s, 38)
    build.publish()
    assert published_facts(s) == (38, 38)
    reader = duckdb.connect(str(s.published_warehouse), read_only=True)  # an analyst holding the old release

    make_build(s, 58)
    crash("from chanye import build; build.publish()", fault)
    assert published_facts(s) == (38, 38)  # the crash changed nothing analysts see

    recovered = writer.recover("manual__next")
    if fault == "publish-before-switch":  # the release was complete: it rolls forward
        assert recovered["finished_publish"]
        assert published_facts(s) == (58, 58)
    else:  # incomplete: removed; the build is still there for the retried publish
        assert not recovered["finished_publish"]
        assert published_facts(s) == (38, 38)
        build.publish()
        assert published_facts(s) == (58, 58)
    assert reader.execute("select count(*) from fct_metric_observation").fetchone()[0] == 38
    reader.close()
    assert warehouse_leftovers(s) == []
    assert len(list((s.warehouse_dir / "releases").iterdir())) == 2  # current and the one before


def test_the_app_follows_a_publish(tmp_path, monkeypatch):
    """The app's Warehouse reads settings().published_warehouse (a symlink into `current`) and
    re-opens it when a publish switches releases."""
    from chanye import build
    from chanye.app import queries

    s = use_data_dir(monkeypatch, tmp_path / "data")
    make_build(s, 38)
    build.publish()
    wh = queries.Warehouse()
    try:
        assert wh.scalar("select count(*) from fct_metric_observation") == 38
        make_build(s, 58)
        build.publish()
        assert wh.scalar("select count(*) from fct_metric_observation") == 58
    finally:
        wh.close()


def test_retried_publish_after_the_switch_changes_nothing(tmp_path, monkeypatch):
    from chanye import build

    s = use_data_dir(monkeypatch, tmp_path / "data")
    make_build(s, 5)
    build.publish()
    current = os.readlink(s.warehouse_dir / "current")
    assert build.publish() == str(s.published_warehouse)
    assert os.readlink(s.warehouse_dir / "current") == current and published_facts(s) == (5, 5)


def test_publish_moves_an_older_layout_to_releases(tmp_path, monkeypatch):
    """A data dir published before releases: a plain DuckDB file and plain folders, left by an
    interrupted swap too (.parquet-<pid>, .parquet-old-<pid>)."""
    from chanye import build

    s = use_data_dir(monkeypatch, tmp_path / "data")
    make_build(s, 3)
    os.replace(s.build_warehouse, s.published_warehouse)
    build.export_parquet(s.published_warehouse, s.warehouse_dir / "parquet")
    (s.warehouse_dir / ".parquet-4242").mkdir()
    (s.warehouse_dir / ".parquet-old-4242").mkdir()
    make_build(s, 7)
    build.publish()
    assert published_facts(s) == (7, 7)
    assert s.published_warehouse.is_symlink() and (s.warehouse_dir / "parquet").is_symlink()
    assert warehouse_leftovers(s) == []


# ---------------------------------------------------------------- 3. one writer at a time

HOLD = """
import sys, time
from chanye import writer
with writer.hold({run!r}):
    print("held", flush=True)
    {then}
"""


def start_holder(run: str, then: str = "time.sleep(30)") -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD.format(run=run, then=then)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_is_refused_naming_the_holder(tmp_path, monkeypatch):
    from chanye import writer

    use_data_dir(monkeypatch, tmp_path / "data")
    holder = start_holder("manual__first")
    try:
        with pytest.raises(writer.WriterBusy, match=rf"cli run manual__first \(pid {holder.pid} on "):
            with writer.hold("manual__second", wait=0):
                pass
        started = time.monotonic()
        with pytest.raises(writer.WriterBusy, match="manual__first"):
            with writer.hold("manual__second", wait=1.5):
                pass
        assert time.monotonic() - started >= 1.5  # it waited, bounded
    finally:
        holder.kill()
        holder.wait()


def test_two_writers_started_together_one_runs_one_is_refused(tmp_path, monkeypatch):
    use_data_dir(monkeypatch, tmp_path / "data")
    code = """
import sys, time
from chanye import writer
time.sleep(max(0, float(sys.argv[2]) - time.time()))  # both start at the same instant
try:
    with writer.hold(sys.argv[1], wait=0):
        print("held", flush=True)
        time.sleep(3)
except writer.WriterBusy as busy:
    print("refused:", busy, flush=True)
"""
    start = f"{time.time() + 3:.3f}"
    procs = [subprocess.Popen([sys.executable, "-c", code, f"manual__{n}", start], stdout=subprocess.PIPE, text=True)
             for n in ("a", "b")]
    outs = {n: proc.communicate(timeout=60)[0].strip() for n, proc in zip("ab", procs)}
    assert sorted(o.split()[0] for o in outs.values()) == ["held", "refused:"], outs
    winner = next(n for n, o in outs.items() if o == "held")
    loser = outs["b" if winner == "a" else "a"]
    assert f"cli run manual__{winner} (pid {procs['ab'.index(winner)].pid} on " in loser


def test_a_waiting_writer_runs_when_the_holder_ends(tmp_path, monkeypatch):
    from chanye import writer

    use_data_dir(monkeypatch, tmp_path / "data")
    holder = start_holder("manual__first", then="time.sleep(2)")
    with writer.hold("manual__second", wait=60) as held:
        assert held["run_id"] == "manual__second" and held["pid"] == os.getpid()
    assert holder.wait(timeout=30) == 0


def test_the_lock_of_a_killed_writer_is_taken_over(tmp_path, monkeypatch, caplog):
    from chanye import writer

    s = use_data_dir(monkeypatch, tmp_path / "data")
    holder = start_holder("manual__killed", then="import os; os._exit(137)")
    holder.wait(timeout=30)
    assert json.loads(writer.lock_file(s).read_text())["run_id"] == "manual__killed"  # its record is left
    with writer.hold("manual__next", wait=0):
        assert json.loads(writer.lock_file(s).read_text())["run_id"] == "manual__next"
    assert "taking over the writer lock of cli run manual__killed" in caplog.text
    assert writer.lock_file(s).read_text() == ""  # released


def test_dag_runs_share_the_cli_lock_and_hold_a_lease_of_their_own(tmp_path, monkeypatch):
    from chanye import writer

    use_data_dir(monkeypatch, tmp_path / "data")
    # `chanye run`: the Airflow run it starts inherits its token and claims without waiting
    with writer.hold("manual__cli", wait=0) as held:
        assert writer.claim_run("manual__cli")["holder"].startswith("cli run manual__cli")
        writer.check_run("manual__cli")
        with monkeypatch.context() as other:  # a scheduled run, not started by this CLI
            other.delenv(writer.TOKEN_ENV)
            with pytest.raises(writer.WriterBusy, match="manual__cli"):
                writer.claim_run("scheduled__1")
        writer.release_run("manual__cli")  # the CLI's lock is the CLI's to release
        assert json.loads(writer.lock_file(writer.settings()).read_text())["token"] == held["token"]

    # a scheduled run holds a lease from its first task to its teardown; `chanye run` waits for it
    writer.claim_run("scheduled__1")
    writer.check_run("scheduled__1")
    with pytest.raises(writer.WriterBusy, match="airflow run scheduled__1"):
        with writer.hold("manual__cli2", wait=0):
            pass
    with pytest.raises(writer.WriterBusy):
        writer.check_run("scheduled__2")
    writer.claim_run("scheduled__2")  # max_active_runs=1: a lease of another DAG run is a dead run's
    writer.release_run("scheduled__1")  # not its lease any more: nothing happens
    with pytest.raises(writer.WriterBusy, match="scheduled__2"):
        with writer.hold("manual__cli2", wait=0):
            pass
    writer.release_run("scheduled__2")
    with writer.hold("manual__cli2", wait=0):
        pass


def test_two_chanye_runs_at_once_ingest_once(inbox, tmp_path, monkeypatch):
    """The real thing, through Airflow: the second `chanye run` started while the first runs is
    refused with the first named; run again after it, it finds nothing new; the warehouse holds
    what one run gives."""
    from chanye import lake

    s = use_data_dir(monkeypatch, tmp_path / "data")
    exe = str(Path(sys.executable).with_name("chanye"))
    first = subprocess.Popen([exe, "run", "--input", str(inbox)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = s.data_dir / "writer.lock"
    deadline = time.monotonic() + 120
    while not (lock.exists() and lock.read_text()) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    second = subprocess.run([exe, "run", "--input", str(inbox)], capture_output=True, text=True, timeout=300)
    out, err = first.communicate(timeout=1200)
    assert first.returncode == 0, err[-3000:]
    assert second.returncode == 1
    assert f"another run is writing {s.data_dir}: cli run manual__" in second.stderr
    assert f"pid {first.pid} " in second.stderr

    after = subprocess.run([exe, "run", "--input", str(inbox), "--wait", "60"], capture_output=True, text=True, timeout=1200)
    assert after.returncode == 0, after.stderr[-3000:]
    documents = lake.read_dataset(s.lake, "documents", ["document_id"])["document_id"].to_pylist()
    assert len(documents) == len(set(documents)) == 4
    with duckdb.connect(str(s.published_warehouse), read_only=True) as con:
        assert con.execute("select count(*) from dim_document").fetchone()[0] == 4
        facts = [r[0] for r in con.execute("select fact_id from fct_metric_observation").fetchall()]
    assert len(facts) == len(set(facts)) > 0
    assert leftovers(s.lake) == []
