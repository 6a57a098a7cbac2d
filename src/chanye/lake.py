"""The Parquet lake: run outputs land in a pending area, pass the quality gate, then are committed
into date partitions.

The lake is a local folder or an object-store prefix (CHANYE_LAKE, e.g. s3://bucket/chanye/lake;
any fsspec URL, credentials from the usual variables such as AWS_ACCESS_KEY_ID and
AWS_ENDPOINT_URL). Paths are strings in that form. A local write is a temp file plus an atomic
rename, an object-store write is one PUT (atomic per object): either way a crash never leaves a
half-written file where readers (dbt, GX) look."""
from __future__ import annotations

import json
import logging
import os
import posixpath
import re
import shutil
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from chanye.faults import crash_point
from chanye.schemas import DATASETS

log = logging.getLogger(__name__)

PENDING = "_pending"
COMMIT_ID_FORMAT = "%Y%m%dT%H%M%S%fZ"  # UTC, fixed width: sorts in time order as a string


def partition(committed_at: datetime) -> str:
    """Hive partition folders of one commit: `ingest_date=D/commit_id=T`. Commit ids only grow, so
    incremental dbt models read just the commits after the newest one they hold, and DuckDB skips
    the other folders' files without opening them."""
    return f"ingest_date={committed_at.date().isoformat()}/commit_id={committed_at.strftime(COMMIT_ID_FORMAT)}"


# Typed empty files sit in a partition of their own (hive partitioning needs every file in one).
EMPTY_PARTITION = partition(datetime(1970, 1, 1, tzinfo=timezone.utc))


def run_key(run_id: str) -> str:
    """A file-system-safe form of an Airflow run id (which holds ':' and '+')."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)


# ---------------------------------------------------------------- where files are

def is_local(path: str | Path) -> bool:
    return "://" not in str(path)


def join(root: str | Path, *parts: str) -> str:
    return "/".join([str(root).rstrip("/"), *parts])


def _filesystem(path: str | Path) -> tuple[fsspec.AbstractFileSystem, str]:
    return fsspec.core.url_to_fs(str(path))


def exists(path: str | Path) -> bool:
    return os.path.exists(path) if is_local(path) else _filesystem(path)[0].exists(str(path))


def glob(pattern: str) -> list[str]:
    """Sorted paths matching pattern, in the pattern's form (a URL stays a URL)."""
    fs, path = _filesystem(pattern)
    found = sorted(fs.glob(path))
    return found if is_local(pattern) else [fs.unstrip_protocol(f) for f in found]


def stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0]


def register_filesystem(con, lake_root: str) -> None:
    """Let a DuckDB connection read the lake's URLs (object storage through fsspec; DuckDB reads
    local paths itself)."""
    if not is_local(lake_root):
        con.register_filesystem(_filesystem(lake_root)[0])


# ---------------------------------------------------------------- reading and writing

@contextmanager
def _writing(path: str):
    """Where to write path's new content: a temp file renamed into place when it is complete
    (local), or the object itself, PUT when closed (object storage)."""
    if is_local(path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        tmp = join(posixpath.dirname(path), f".{posixpath.basename(path)}.{os.getpid()}.tmp")
        yield tmp
        os.replace(tmp, path)
    else:
        fs, key = _filesystem(path)
        with fs.open(key, "wb") as out:
            yield out


def write_table(table: pa.Table, path: str | Path) -> str:
    path = str(path)
    with _writing(path) as out:
        pq.write_table(table, out, compression="zstd")
    return path


def write_batches(batches: pa.RecordBatchReader, dataset: str, path: str | Path) -> str:
    """Like write_table, for rows that arrive in batches (a query result larger than memory)."""
    path, schema = str(path), DATASETS[dataset]
    with _writing(path) as out, pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch.cast(schema))
    return path


def num_rows(path: str) -> int:
    """Rows of a Parquet file, from its footer."""
    fs, key = _filesystem(path)
    return pq.ParquetFile(key, filesystem=None if is_local(path) else fs).metadata.num_rows


def rows_to_table(rows: list[dict], dataset: str) -> pa.Table:
    schema = DATASETS[dataset]
    return pa.Table.from_pylist(rows, schema=schema)


def ensure_lake(lake: str | Path) -> None:
    """Each dataset holds at least an empty, typed file so readers work before the first run."""
    for name, schema in DATASETS.items():
        empty = join(lake, name, EMPTY_PARTITION, "empty.parquet")
        if not exists(empty):
            write_table(schema.empty_table(), empty)


def pending_dir(lake: str | Path, run_id: str) -> str:
    return join(lake, PENDING, run_key(run_id))


def pending_file(lake: str | Path, run_id: str, dataset: str, part: str) -> str:
    return join(pending_dir(lake, run_id), dataset, f"{part}.parquet")


def pending_files(lake: str | Path, run_id: str, dataset: str) -> list[str]:
    return glob(join(pending_dir(lake, run_id), dataset, "*.parquet"))


def remove_pending(lake: str | Path, run_id: str) -> None:
    remove(pending_dir(lake, run_id))


def dataset_glob(lake: str | Path, dataset: str) -> str:
    """The pattern of every committed file of a dataset (the empty typed one included), for
    globbing here and for DuckDB's read_parquet."""
    return join(lake, dataset, "*", "*", "*.parquet")


def dataset_files(lake: str | Path, dataset: str) -> list[str]:
    return glob(dataset_glob(lake, dataset))


def read_dataset(lake: str | Path, dataset: str, columns: list[str] | None = None) -> pa.Table:
    return read_files(dataset_files(lake, dataset), dataset, columns)


def read_files(files: list[str], dataset: str, columns: list[str] | None = None) -> pa.Table:
    schema = DATASETS[dataset]
    if not files:
        empty = schema.empty_table()
        return empty.select(columns) if columns else empty
    return pa.concat_tables([_read(f, columns, schema) for f in files])


def _read(path: str | Path, columns: list[str] | None, schema: pa.Schema) -> pa.Table:
    if is_local(path):
        return pq.read_table(path, columns=columns, schema=schema)
    fs, key = _filesystem(path)
    return pq.read_table(key, columns=columns, schema=schema, filesystem=fs)


# ---------------------------------------------------------------- the commit protocol
#
# A commit first writes its record (_commits/<run>.json: every move, source -> target), then
# moves the files, removes the run's pending folder and deletes the record last: a commit whose
# record exists is unfinished. Whoever finds one (the run's retried commit, or the next run's
# recovery) finishes it from the record: the files were validated before the record was written,
# so rolling forward is always right, and each move is idempotent (done moves are skipped). A
# rerun therefore never commits a file twice nor loses one, wherever the crash happened.

COMMITS = "_commits"


def commit_record(lake: str | Path, run_id: str) -> str:
    return join(lake, COMMITS, f"{run_key(run_id)}.json")


def commit_pending(lake: str | Path, run_id: str, committed_at: datetime) -> dict[str, int]:
    """Move a validated run's files into the dataset partitions; returns files moved per dataset.
    Crash-safe by its record (above): a retried commit finishes the one it started, under the
    same commit id."""
    record = commit_record(lake, run_id)
    if exists(record):
        log.info("finishing the unfinished commit of %s", run_id)
        moves = json.loads(read_text(record))["moves"]
    else:
        folder = partition(committed_at)
        moves = {dataset: [[f, join(lake, dataset, folder, f"{run_key(run_id)}-{posixpath.basename(f)}")]
                           for f in pending_files(lake, run_id, dataset)]
                 for dataset in DATASETS}
        write_text(record, json.dumps({"run_id": run_id, "committed_at": committed_at.isoformat(), "moves": moves}))
    return _finish_commit(lake, run_id, moves)


def _finish_commit(lake: str | Path, run_id: str, moves: dict[str, list[list[str]]]) -> dict[str, int]:
    for dataset, pairs in moves.items():
        for source, target in pairs:
            _move_once(source, target)
        crash_point("mid-commit")  # a dataset moved, the rest pending
    crash_point("commit-before-done")
    remove_pending(lake, run_id)
    remove(commit_record(lake, run_id))  # last: the commit is complete
    return {dataset: len(pairs) for dataset, pairs in moves.items()}


def commit_run(run_id: str) -> dict[str, int]:
    """The commit step: the run's validated pending files into one new commit of the lake."""
    from chanye.config import settings

    moved = commit_pending(settings().lake, run_id, datetime.now(timezone.utc))
    log.info("committed to the lake: %s", moved)
    return moved


def commit_files(lake: str | Path, run_id: str, dataset: str, files: list[str], committed_at: datetime) -> list[str]:
    """Move some pending files of a dataset into the partition of this commit; their new paths.
    Each file's move is atomic locally; a run's whole commit goes through commit_pending."""
    folder = partition(committed_at)
    targets = [join(lake, dataset, folder, f"{run_key(run_id)}-{posixpath.basename(f)}") for f in files]
    for source, target in zip(files, targets):
        _move_once(source, target)
    return targets


def _move_once(source: str, target: str) -> None:
    """Move source to target unless an earlier attempt did. Locally a rename (atomic: the file is
    in one place or the other). Object stores have no rename: a move is a copy then a delete, so a
    crash between them leaves both, and the copy is complete (one PUT): only the delete is left."""
    if not exists(source):
        if not exists(target):
            log.warning("neither %s nor its committed copy %s exists", source, target)
        return
    if is_local(source):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        return
    fs, key = _filesystem(source)
    if not exists(target):
        fs.copy(key, _filesystem(target)[1])
    fs.rm(key)


def recover(lake: str | Path, run_id: str | None = None) -> dict[str, list[str]]:
    """What a dead run left in the lake, dealt with before the next run writes (the caller holds
    the data dir's writer lock, so no other run is using any of it): unfinished commits are
    finished (this run's own too), abandoned pending folders (of runs other than run_id) removed,
    and temp files of interrupted local writes deleted. Returns what it did."""
    done: dict[str, list[str]] = {"finished_commits": [], "removed_pending": [], "removed_temp": []}
    if not is_local(lake):
        _filesystem(lake)[0].invalidate_cache()  # listings cached before the dead run changed the bucket
    # every one, this run's own too (a cleared and rerun DAG run plans again: its files must be
    # committed, and in its manifest, before that)
    for record in glob(join(lake, COMMITS, "*.json")):
        dead_run = json.loads(read_text(record))["run_id"]
        commit_pending(lake, dead_run, datetime.now(timezone.utc))
        done["finished_commits"].append(dead_run)
    current = pending_dir(lake, run_id) if run_id else None
    for folder in glob(join(lake, PENDING, "*")):
        if folder.rstrip("/") != current:
            remove(folder)
            done["removed_pending"].append(folder)
    if is_local(lake):
        for parent, _, files in os.walk(lake):
            for name in files:
                if name.startswith(".") and name.endswith(".tmp"):
                    os.unlink(os.path.join(parent, name))
                    done["removed_temp"].append(os.path.join(parent, name))
    if any(done.values()):
        log.warning("recovered the lake after an interrupted run: %s", {k: len(v) for k, v in done.items()})
    return done


def read_text(path: str) -> str:
    fs, key = _filesystem(path)
    with fs.open(key, "r", encoding="utf-8") as f:
        return f.read()


def write_text(path: str, text: str) -> None:
    with _writing(path) as out:
        if isinstance(out, str):
            Path(out).write_text(text, encoding="utf-8")
        else:
            out.write(text.encode("utf-8"))


def remove(path: str) -> None:
    if is_local(path):
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        elif os.path.lexists(path):
            os.unlink(path)
    else:
        fs, key = _filesystem(path)
        if fs.exists(key):
            fs.rm(key, recursive=True)


def read_manifest(lake: str | Path) -> set[tuple[str, str]]:
    """(source_path, file_hash) of every input file already committed."""
    table = read_dataset(lake, "manifest", ["source_path", "file_hash"])
    return set(zip(table["source_path"].to_pylist(), table["file_hash"].to_pylist()))
