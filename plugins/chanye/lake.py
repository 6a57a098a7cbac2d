"""The Parquet lake: run outputs land in a pending area, pass the quality gate, then are committed
into date partitions. Every write is a temp file plus an atomic rename, so a crash never leaves a
half-written file where readers (dbt, GX) look."""
from __future__ import annotations

import os
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from chanye.schemas import DATASETS, MANIFEST

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


def write_table(table: pa.Table, path: Path) -> Path:
    tmp = _temp_for(path)
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)
    return path


def write_batches(batches: pa.RecordBatchReader, dataset: str, path: Path) -> Path:
    """Like write_table, for rows that arrive in batches (a query result larger than memory)."""
    schema, tmp = DATASETS[dataset], _temp_for(path)
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch.cast(schema))
    os.replace(tmp, path)
    return path


def _temp_for(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def rows_to_table(rows: list[dict], dataset: str) -> pa.Table:
    schema = DATASETS[dataset]
    return pa.Table.from_pylist(rows, schema=schema)


def ensure_lake(lake: Path) -> None:
    """Each dataset holds at least an empty, typed file so readers work before the first run."""
    for name, schema in DATASETS.items():
        empty = lake / name / EMPTY_PARTITION / "empty.parquet"
        if not empty.exists():
            write_table(schema.empty_table(), empty)


def pending_dir(lake: Path, run_id: str) -> Path:
    return lake / PENDING / run_key(run_id)


def pending_file(lake: Path, run_id: str, dataset: str, part: str) -> Path:
    return pending_dir(lake, run_id) / dataset / f"{part}.parquet"


def pending_files(lake: Path, run_id: str, dataset: str) -> list[Path]:
    return sorted((pending_dir(lake, run_id) / dataset).glob("*.parquet"))


def read_dataset(lake: Path, dataset: str, columns: list[str] | None = None) -> pa.Table:
    return read_files(sorted((lake / dataset).rglob("*.parquet")), dataset, columns)


def read_files(files: list[Path], dataset: str, columns: list[str] | None = None) -> pa.Table:
    schema = DATASETS[dataset]
    if not files:
        empty = schema.empty_table()
        return empty.select(columns) if columns else empty
    return pa.concat_tables([pq.read_table(f, columns=columns, schema=schema) for f in files])


def commit_pending(lake: Path, run_id: str, committed_at: datetime) -> dict[str, int]:
    """Move a validated run's files into the dataset partitions; returns files moved per dataset."""
    moved = {}
    folder = partition(committed_at)
    for dataset in DATASETS:
        files = pending_files(lake, run_id, dataset)
        for f in files:
            target = lake / dataset / folder / f"{run_key(run_id)}-{f.name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(f, target)
        moved[dataset] = len(files)
    shutil.rmtree(pending_dir(lake, run_id), ignore_errors=True)
    return moved


def read_manifest(lake: Path) -> set[tuple[str, str]]:
    """(source_path, file_hash) of every input file already committed."""
    files = sorted((lake / "manifest").rglob("*.parquet"))
    seen = set()
    for f in files:
        t = pq.read_table(f, columns=["source_path", "file_hash"], schema=MANIFEST)
        seen.update(zip(t["source_path"].to_pylist(), t["file_hash"].to_pylist()))
    return seen
