"""The pipeline's steps as plain functions: the Airflow DAG, the `chanye` CLI and the tests all
call these. Nothing here imports Airflow."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from chanye import lake, schemas
from chanye.extract import extract_facts
from chanye.staging import iter_input_files, stage_file

log = logging.getLogger(__name__)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def file_hash(path: Path) -> str:
    return schemas.sha256(path.read_bytes())


def plan_batches(input_path: Path, lake_root: Path, batch_size: int) -> tuple[list[list[str]], int]:
    """Input files not yet ingested (by path and hash), in batches; also returns how many were skipped."""
    seen = lake.read_manifest(lake_root)
    new, skipped = [], 0
    for path in iter_input_files(Path(input_path)):
        if (str(path), file_hash(path)) in seen:
            skipped += 1
        else:
            new.append(str(path))
    batches = [new[i : i + batch_size] for i in range(0, len(new), batch_size)]
    return batches, skipped


def stage_files(files: list[Path], run_id: str, ingested_at: datetime) -> tuple[list[dict], list[dict], list[dict]]:
    """Documents, quarantine rows and manifest rows for a list of input files."""
    documents, quarantined, manifest = [], [], []
    for path in files:
        docs, bad = stage_file(path, run_id, ingested_at)
        documents += docs
        quarantined += bad
        manifest.append(
            {
                "source_path": str(path),
                "file_hash": file_hash(path),
                "byte_size": path.stat().st_size,
                "documents": len(docs),
                "quarantined": len(bad),
                "run_id": run_id,
            }
        )
    return documents, quarantined, manifest


def extract_documents(documents: list[dict], run_id: str, extracted_at: datetime) -> tuple[list[dict], list[dict]]:
    """Facts for each document; a document the extractor chokes on is quarantined, the rest go on."""
    facts, quarantined = [], []
    for doc in documents:
        try:
            rows = extract_facts(doc)
        except Exception as exc:  # one bad document must not sink the batch
            log.exception("extraction failed for %s", doc["doc"])
            quarantined.append(extract_failure(doc, exc, run_id, extracted_at))
            continue
        for row in rows:
            row.update(run_id=run_id, extracted_at=extracted_at)
        facts += rows
    return facts, quarantined


def extract_failure(doc: dict, exc: Exception, run_id: str, at: datetime) -> dict:
    return {
        "stage": "extract",
        "source_path": doc["source_path"],
        "source_line": doc.get("source_line"),
        "reason": "extract_error",
        "detail": f"extraction failed on document {doc['doc']}: {type(exc).__name__}: {exc}",
        "raw_hash": doc["content_hash"],
        "byte_size": doc["byte_size"],
        "run_id": run_id,
        "quarantined_at": at,
    }


@dataclass
class BatchResult:
    batch: int
    files: int
    documents: int
    quarantined: int
    facts: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def part_name(batch: int) -> str:
    return f"batch-{batch:05d}"


def stage_batch(files: list[str], batch: int, run_id: str, lake_root: Path) -> BatchResult:
    """Stage one batch of input files into the run's pending area."""
    documents, quarantined, manifest = stage_files([Path(f) for f in files], run_id, now_utc())
    part = part_name(batch)
    lake.write_table(lake.rows_to_table(documents, "documents"), lake.pending_file(lake_root, run_id, "documents", part))
    lake.write_table(lake.rows_to_table(quarantined, "quarantine"), lake.pending_file(lake_root, run_id, "quarantine", part))
    lake.write_table(lake.rows_to_table(manifest, "manifest"), lake.pending_file(lake_root, run_id, "manifest", part))
    log.info("batch %d: %d files -> %d documents, %d quarantined", batch, len(files), len(documents), len(quarantined))
    return BatchResult(batch, len(files), len(documents), len(quarantined))


def extract_batch(batch: int, run_id: str, lake_root: Path) -> BatchResult:
    """Extract facts from one staged batch in the run's pending area."""
    part = part_name(batch)
    documents = lake.read_files([lake.pending_file(lake_root, run_id, "documents", part)], "documents").to_pylist()
    facts, quarantined = extract_documents(documents, run_id, now_utc())
    lake.write_table(lake.rows_to_table(facts, "facts"), lake.pending_file(lake_root, run_id, "facts", part))
    if quarantined:
        path = lake.pending_file(lake_root, run_id, "quarantine", f"{part}-extract")
        lake.write_table(lake.rows_to_table(quarantined, "quarantine"), path)
    log.info("batch %d: %d documents -> %d facts, %d quarantined", batch, len(documents), len(facts), len(quarantined))
    return BatchResult(batch, 0, len(documents), len(quarantined), len(facts))
