"""The run's documents in batches: plan what is new, stage a batch, extract a batch.

Each function takes and returns plain data (paths and counts; JSON for Airflow's XCom), reads and
writes the run's pending area of the lake, and is what the DAG's mapped tasks, the CLI and the
tests call. Nothing here imports Airflow."""
from __future__ import annotations

import logging
import os
from dataclasses import astuple, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from chanye import dedup, lake, schemas
from chanye.config import settings
from chanye.extract import EXTRACTORS, budget, extract_document
from chanye.staging import FilePart, iter_input_files, scan_input, stage_file
from chanye.staging.reading import REFUSALS, input_refusal

log = logging.getLogger(__name__)

def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def part_name(batch: int) -> str:
    return f"batch-{batch:05d}"


# ---------------------------------------------------------------- plan

def plan(input_path: str | None, run_id: str) -> list[dict]:
    """Batches of the input not yet ingested (by path and hash), about CHANYE_BATCH_SIZE documents
    each (an article file counts one, a JSON-lines file one per line and is cut into parts at
    byte offsets); always at least one (possibly empty) batch. Without an input path, the inbox
    (CHANYE_INBOX): what arrived there since the last run. Each file is read once here: staging
    reuses the hash."""
    s = settings()
    source = Path(input_path) if input_path else s.inbox
    if not input_path:
        source.mkdir(parents=True, exist_ok=True)
    if not source.exists():
        raise FileNotFoundError(f"input path {source} does not exist")
    lake.ensure_lake(s.lake)
    lake.remove_pending(s.lake, run_id)  # a retried run starts clean
    seen = lake.read_manifest(s.lake)
    parts, skipped = [], 0
    for path in iter_input_files(source):
        if reason := refusal(path, source):  # never opened: staging quarantines it
            target = os.readlink(path) if path.is_symlink() else ""
            scanned = [FilePart(str(path), schemas.sha256(f"{reason}:{target}".encode()), refused=reason)]
        else:
            try:
                scanned = scan_input(path, s.batch_size)
            except OSError as exc:  # staging quarantines it as unreadable; a later run tries again
                log.warning("cannot read %s (%s); it goes to staging as one part", path, exc)
                scanned = [FilePart(str(path))]
        if (str(path), scanned[0].file_hash) in seen:
            skipped += 1
        else:
            parts += scanned
    batches = pack(parts, [p.items for p in parts], s.batch_size)
    new_files = len({part.path for part in parts})
    log.info("%s: %d new input files in %d batches, %d already ingested", source, new_files, len(batches), skipped)
    # parts as plain lists in XCom: [path, file_hash, byte_size, offset, first_line, lines, items, refused]
    return [{"batch": i, "parts": [list(astuple(p)) for p in batch], "source": str(source)}
            for i, batch in enumerate(batches)]


def has_new_input(planned: list[dict]) -> bool:
    """Whether a plan holds any new file at all."""
    return any(batch["parts"] for batch in planned)


def pack(items: list, weights: list[int], limit: int) -> list[list]:
    """Consecutive items in groups of total weight about `limit` (one heavier item stands alone);
    always at least one group."""
    groups, size = [[]], 0
    for item, weight in zip(items, weights):
        if size and size + weight > limit:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += weight
    return groups


# ---------------------------------------------------------------- stage

def stage(batch: dict, run_id: str) -> dict:
    """Stage one planned batch into the run's pending documents, quarantine and manifest."""
    lake_root, part = settings().lake, part_name(batch["batch"])
    parts = [FilePart(*p) for p in batch["parts"]]
    documents, quarantined, manifest = stage_parts(parts, run_id, now_utc())
    for dataset, rows in (("documents", documents), ("quarantine", quarantined), ("manifest", manifest)):
        lake.write_table(lake.rows_to_table(rows, dataset), lake.pending_file(lake_root, run_id, dataset, part))
    files = len({p.path for p in parts})
    log.info("batch %d: %d files (%d parts) -> %d documents, %d quarantined",
             batch["batch"], files, len(parts), len(documents), len(quarantined))
    return {"batch": batch["batch"], "files": files, "documents": len(documents), "quarantined": len(quarantined)}


def stage_parts(parts: list[FilePart], run_id: str, ingested_at: datetime) -> tuple[list[dict], list[dict], list[dict]]:
    """Documents, quarantine rows and manifest rows (one per part) for a list of file parts."""
    documents, quarantined, manifest = [], [], []
    for part in parts:
        if part.refused:  # the plan (or stage_input) refused it unread
            docs, bad = [], [refusal_row(Path(part.path), part.refused, run_id, ingested_at)]
        else:
            docs, bad = stage_file(Path(part.path), run_id, ingested_at, part)
        documents += docs
        quarantined += bad
        manifest.append({"source_path": part.path, "file_hash": part.file_hash, "byte_size": part.byte_size,
                         "documents": len(docs), "quarantined": len(bad), "run_id": run_id})
    return documents, quarantined, manifest


def refusal(path: Path, root: Path) -> str:
    """Why an entry of the input folder `root` is not read (a REFUSALS reason), or ""."""
    return (input_refusal(path, root) or ("",))[0]


def refusal_row(path: Path, reason: str, run_id: str, at: datetime) -> dict:
    """The quarantine row of an input refused unread (a link leaving the input folder, a loop, a
    FIFO): its path and the reason, no hash of what it points to."""
    target = os.readlink(path) if path.is_symlink() else ""
    again = input_refusal(path, None)  # names the kind of a special file
    detail = again[1] if again and again[0] == reason else REFUSALS[reason].format(target=target, kind="special file")
    log.warning("refused %s%s: %s", path, f" -> {target}" if target else "", reason)
    return schemas.quarantine_row("stage", reason, f"{path}{f' -> {target}' if target else ''}: {detail}",
                                  source_path=str(path), source_line=None, raw_hash=None, byte_size=None,
                                  run_id=run_id, at=at)


def stage_input(source: Path, run_id: str, ingested_at: datetime) -> tuple[list[dict], list[dict], list[dict]]:
    """stage_parts on every whole file of a file or folder, refusing what leaves it as the plan
    does (the CLI's extract and dq-report, which keep no manifest)."""
    source = Path(source).resolve()
    parts = [FilePart(str(path), refused=refusal(path, source)) for path in iter_input_files(source)]
    return stage_parts(parts, run_id, ingested_at)


# ---------------------------------------------------------------- extract

@dataclass
class Extracted:
    """What extraction reads from a set of documents: one list per lake dataset."""

    facts: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)


def extract(staged: dict, run_id: str) -> dict:
    """Facts, mentions and events of one staged batch, and its MinHash signatures for dedupe."""
    lake_root, part = settings().lake, part_name(staged["batch"])
    table = lake.read_files([lake.pending_file(lake_root, run_id, "documents", part)], "documents")
    dedup.sign_batch(table, part, run_id, lake_root)
    documents = table.to_pylist()
    out = extract_documents(documents, run_id, now_utc())
    for dataset in EXTRACTORS:
        lake.write_table(lake.rows_to_table(getattr(out, dataset), dataset), lake.pending_file(lake_root, run_id, dataset, part))
    if out.quarantine:
        lake.write_table(lake.rows_to_table(out.quarantine, "quarantine"),
                         lake.pending_file(lake_root, run_id, "quarantine", f"{part}-extract"))
    log.info("batch %d: %d documents -> %d facts, %d mentions, %d events, %d quarantined",
             staged["batch"], len(documents), len(out.facts), len(out.mentions), len(out.events), len(out.quarantine))
    return {**staged, "facts": len(out.facts), "quarantined": staged["quarantined"] + len(out.quarantine)}


def extract_documents(documents: list[dict], run_id: str, extracted_at: datetime) -> Extracted:
    """Facts, organisation/person mentions and events of each document; a document an extractor
    chokes on, or that outlasts its time budget (CHANYE_EXTRACT_SECONDS), is quarantined with
    what it had extracted dropped, and the rest go on."""
    out, seconds, done = Extracted(), settings().extract_seconds, set()
    for doc in documents:
        if doc["document_id"] in done:  # the same bytes twice (two files, a repeated line): one
            continue                    # document with its copies, its claims read once
        done.add(doc["document_id"])
        try:
            with budget.per_document(seconds):
                rows = extract_document(doc)
        except Exception as exc:  # one bad document must not sink the batch
            reason = getattr(exc, "reason", "extract_error")
            if reason == "extract_error":
                log.exception("extraction failed for %s", doc["doc"])
            else:
                log.warning("document %s set aside: %s", doc["doc"], exc)
            out.quarantine.append(schemas.quarantine_row(
                "extract", reason, f"extraction failed on document {doc['doc']}: {type(exc).__name__}: {exc}",
                source_path=doc["source_path"], source_line=doc.get("source_line"), raw_hash=doc["content_hash"],
                byte_size=doc["byte_size"], run_id=run_id, at=extracted_at))
            continue
        for name, found in rows.items():
            for row in found:
                row.update(run_id=run_id, extracted_at=extracted_at)
            getattr(out, name).extend(found)
    return out
