"""The pipeline's steps as plain functions: the Airflow DAG, the `chanye` CLI and the tests all
call these. Nothing here imports Airflow."""
from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

from chanye import lake, schemas
from chanye.config import settings
from chanye.extract import extract_facts
from chanye.extract.entities import extract_mentions
from chanye.extract.events import extract_events
from chanye.staging import FilePart, iter_input_files, scan_input, stage_file

log = logging.getLogger(__name__)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def plan_batches(input_path: Path, lake_root: str, batch_items: int) -> tuple[list[list[FilePart]], int]:
    """Input not yet ingested (by path and hash) as batches of about `batch_items` documents (an
    article file counts one, a JSON-lines file one per line, cut into parts when it is larger);
    also returns how many files were skipped. Each file is read once here; staging reuses the hash."""
    seen = lake.read_manifest(lake_root)
    parts, skipped = [], 0
    for path in iter_input_files(Path(input_path)):
        try:
            scanned = scan_input(path, batch_items)
        except OSError as exc:  # staging quarantines it as unreadable; a later run tries again
            log.warning("cannot read %s (%s); it goes to staging as one part", path, exc)
            scanned = [FilePart(str(path))]
        if (str(path), scanned[0].file_hash) in seen:
            skipped += 1
        else:
            parts += scanned
    return pack(parts, [p.items for p in parts], batch_items), skipped


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


def stage_parts(parts: list[FilePart], run_id: str, ingested_at: datetime) -> tuple[list[dict], list[dict], list[dict]]:
    """Documents, quarantine rows and manifest rows (one per part) for a list of file parts."""
    documents, quarantined, manifest = [], [], []
    for part in parts:
        docs, bad = stage_file(Path(part.path), run_id, ingested_at, part)
        documents += docs
        quarantined += bad
        manifest.append(
            {
                "source_path": part.path,
                "file_hash": part.file_hash,
                "byte_size": part.byte_size,
                "documents": len(docs),
                "quarantined": len(bad),
                "run_id": run_id,
            }
        )
    return documents, quarantined, manifest


def stage_files(files: list[Path], run_id: str, ingested_at: datetime) -> tuple[list[dict], list[dict], list[dict]]:
    """stage_parts on whole files (the CLI's extract and dq-report, which keep no manifest)."""
    return stage_parts([FilePart(str(f)) for f in files], run_id, ingested_at)


@dataclass
class Extracted:
    """What extraction reads from a set of documents: one list per lake dataset."""

    facts: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)


EXTRACTORS = {"facts": extract_facts, "mentions": extract_mentions, "events": extract_events}


def extract_documents(documents: list[dict], run_id: str, extracted_at: datetime) -> Extracted:
    """Facts, organisation/person mentions and events of each document; a document an extractor
    chokes on is quarantined (with what it had extracted dropped), the rest go on."""
    out = Extracted()
    for doc in documents:
        try:
            rows = {name: extractor(doc) for name, extractor in EXTRACTORS.items()}
        except Exception as exc:  # one bad document must not sink the batch
            log.exception("extraction failed for %s", doc["doc"])
            out.quarantine.append(extract_failure(doc, exc, run_id, extracted_at))
            continue
        for name, found in rows.items():
            for row in found:
                row.update(run_id=run_id, extracted_at=extracted_at)
            getattr(out, name).extend(found)
    return out


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


def stage_batch(parts: list[FilePart], batch: int, run_id: str, lake_root: str) -> BatchResult:
    """Stage one batch of input file parts into the run's pending area."""
    documents, quarantined, manifest = stage_parts(parts, run_id, now_utc())
    part = part_name(batch)
    lake.write_table(lake.rows_to_table(documents, "documents"), lake.pending_file(lake_root, run_id, "documents", part))
    lake.write_table(lake.rows_to_table(quarantined, "quarantine"), lake.pending_file(lake_root, run_id, "quarantine", part))
    lake.write_table(lake.rows_to_table(manifest, "manifest"), lake.pending_file(lake_root, run_id, "manifest", part))
    files = len({p.path for p in parts})
    log.info("batch %d: %d files (%d parts) -> %d documents, %d quarantined", batch, files, len(parts), len(documents), len(quarantined))
    return BatchResult(batch, files, len(documents), len(quarantined))


def extract_batch(batch: int, run_id: str, lake_root: str) -> BatchResult:
    """Extract facts from one staged batch in the run's pending area."""
    part = part_name(batch)
    table = lake.read_files([lake.pending_file(lake_root, run_id, "documents", part)], "documents")
    sign_batch(table, part, run_id, lake_root)
    documents = table.to_pylist()
    out = extract_documents(documents, run_id, now_utc())
    for dataset in EXTRACTORS:
        lake.write_table(lake.rows_to_table(getattr(out, dataset), dataset), lake.pending_file(lake_root, run_id, dataset, part))
    if out.quarantine:
        path = lake.pending_file(lake_root, run_id, "quarantine", f"{part}-extract")
        lake.write_table(lake.rows_to_table(out.quarantine, "quarantine"), path)
    log.info(
        "batch %d: %d documents -> %d facts, %d mentions, %d events, %d quarantined",
        batch, len(documents), len(out.facts), len(out.mentions), len(out.events), len(out.quarantine),
    )
    return BatchResult(batch, 0, len(documents), len(out.quarantine), len(out.facts))


def sign_batch(documents: pa.Table, part: str, run_id: str, lake_root: str) -> None:
    """MinHash signatures and LSH band keys of a staged batch (for dedupe), in pending `signatures/`."""
    from chanye import dedup

    sigs = dedup.signatures(documents["text"].to_pylist())
    rows = dedup.minhash_rows(documents["document_id"].to_pylist(), documents["published"].to_pylist(), sigs)
    lake.write_table(rows, lake.pending_file(lake_root, run_id, "signatures", part))


def mark_run_duplicates(run_id: str, lake_root: str) -> dict:
    """Mark the run's near-duplicate documents (against each other and the committed lake) in its
    pending documents files, and put the signatures to commit in pending `minhash/`. DuckDB joins
    the band keys from Parquet (memory bounded by CHANYE_DUCKDB_MEMORY, spilling to
    CHANYE_DATA_DIR/spill); recomputed from scratch, so a retry gives the same."""
    from chanye import dedup, warehouse

    document_files = lake.pending_files(lake_root, run_id, "documents")
    signature_files = lake.pending_files(lake_root, run_id, "signatures")
    unsigned = sorted({lake.stem(f) for f in document_files} - {lake.stem(f) for f in signature_files})
    if unsigned:
        raise RuntimeError(f"run {run_id}: batches {unsigned} have no signatures (their extract task has not run)")
    committed = lake.dataset_files(lake_root, "minhash")
    spill = settings().data_dir / "spill" / lake.run_key(run_id)  # local disk, wherever the lake is
    with warehouse.connect(spill_dir=spill) as con:
        lake.register_filesystem(con, lake_root)
        con.execute(f"""
            create view run_signatures as
            select document_id, published, signature, bands, {{'file': filename, 'row': file_row_number}} as seq
            from read_parquet({_sql_list(signature_files)}, filename = true, file_row_number = true)""")
        con.execute(f"create view run_ingested as select document_id, ingested_at from read_parquet({_sql_list(document_files)})")
        con.execute(f"create view committed as select * from read_parquet({_sql_list(committed)})")
        canon = dedup.find_canonicals(con)
        (documents,), = con.execute("select count(*) from first_rows").fetchall()
        lake.write_batches(dedup.rows_to_commit(con, canon), "minhash", lake.pending_file(lake_root, run_id, "minhash", "signatures"))
    rewritten = sum(_set_duplicate_of(f, canon) for f in document_files)
    shutil.rmtree(spill, ignore_errors=True)
    marked = sum(d is not None for d in canon.values())
    log.info("dedupe: %d documents, %d near duplicates (%d files rewritten)", documents, marked, rewritten)
    return {"documents": documents, "near_duplicates": marked}


def _sql_list(files: list[str]) -> str:
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


def _set_duplicate_of(path: str, canon: dict[str, str | None]) -> bool:
    """Rewrite a pending documents file whose duplicate_of differs from the verdict."""
    ids = lake.read_files([path], "documents", ["document_id", "duplicate_of"])
    verdict = pa.array([canon.get(i) for i in ids["document_id"].to_pylist()], pa.string())
    if verdict.equals(ids["duplicate_of"].combine_chunks()):
        return False
    table = lake.read_files([path], "documents")
    lake.write_table(table.set_column(table.schema.get_field_index("duplicate_of"), "duplicate_of", verdict), path)
    return True
