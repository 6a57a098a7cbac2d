"""What each Airflow task does, as plain functions of plain arguments (paths and counts in XCom,
data through the lake). The DAG file only wires these together."""
from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import astuple
from pathlib import Path

import pyarrow.compute as pc

from chanye import lake, pipeline
from chanye.config import settings
from chanye.staging import FilePart
from chanye.schemas import DATASETS

log = logging.getLogger(__name__)


def plan(input_path: str | None, run_id: str) -> list[dict]:
    """Batches of new input files; always at least one (possibly empty) so every run reaches the end."""
    s = settings()
    source = Path(input_path) if input_path else s.samples_dir
    if not source.exists():
        raise FileNotFoundError(f"input path {source} does not exist")
    lake.ensure_lake(s.lake)
    lake.remove_pending(s.lake, run_id)  # a retried run starts clean
    batches, skipped = pipeline.plan_batches(source, s.lake, s.batch_size)
    new_files = len({part.path for batch in batches for part in batch})
    log.info("%s: %d new input files in %d batches, %d already ingested", source, new_files, len(batches), skipped)
    # parts as plain lists in XCom: [path, file_hash, byte_size, offset, first_line, lines, items]
    return [{"batch": i, "parts": [list(astuple(p)) for p in parts]} for i, parts in enumerate(batches)]


def stage(batch: dict, run_id: str) -> dict:
    parts = [FilePart(*p) for p in batch["parts"]]
    return pipeline.stage_batch(parts, batch["batch"], run_id, settings().lake).as_dict()


def extract(staged: dict, run_id: str) -> dict:
    result = pipeline.extract_batch(staged["batch"], run_id, settings().lake)
    return {**staged, "facts": result.facts, "quarantined": staged["quarantined"] + result.quarantined}


def dedupe(run_id: str) -> dict:
    """Mark near-duplicate documents of the run (syndicated copies) before the gate sees them."""
    return pipeline.mark_run_duplicates(run_id, settings().lake)


def validate_run(run_id: str) -> dict:
    """The gate before anything of this run reaches the lake: GX suites on its inputs, documents
    and facts. Documents and facts are validated in chunks of about CHANYE_VALIDATE_ROWS
    documents (with their facts), so memory does not grow with the run; every chunk is checked
    and its failing rows quarantined before the gate fails. Returns counts and verdicts."""
    from chanye import quality

    s = settings()
    manifest = lake.read_files(lake.pending_files(s.lake, run_id, "manifest"), "manifest").to_pandas()
    quarantine = lake.read_files(lake.pending_files(s.lake, run_id, "quarantine"), "quarantine").to_pandas()
    document_files = lake.pending_files(s.lake, run_id, "documents")
    ids = lake.read_files(document_files, "documents", ["document_id", "source_path", "duplicate_of"])
    held = ids["source_path"].to_pandas().value_counts()
    inputs = quality.input_accounting(manifest, held, quarantine)
    reports = {"inputs": quality.validate("inputs", inputs)}
    facts_extracted, chunks = 0, _chunks(document_files, s.validate_rows)
    for number, chunk in enumerate(chunks, 1):
        # raw_text is the largest column and no expectation reads it
        documents = lake.read_files(chunk, "documents").drop_columns(["raw_text"]).to_pandas()
        fact_files = [f for f in (lake.pending_file(s.lake, run_id, "facts", lake.stem(c)) for c in chunk) if lake.exists(f)]
        facts = lake.read_files(fact_files, "facts").to_pandas()
        facts_extracted += len(facts)
        for suite, rows in (("documents", documents), ("facts", facts)):
            report = quality.validate(suite, rows, documents=documents)
            if not report.success:
                quarantine_failed_rows(report, rows, documents, run_id)
            reports[suite] = quality.merge_reports(reports[suite], report) if suite in reports else report
        log.info("validated chunk %d/%d: %d documents, %d facts", number, len(chunks), len(documents), len(facts))
    report_dir = s.reports_dir / lake.run_key(run_id)
    for report in reports.values():
        quality.write_report(report, report_dir / f"{report.suite}.json")
        log.info("%s", report.describe())
    failed = [r for r in reports.values() if not r.success]
    if failed:
        raise quality.ValidationFailed(failed[0])
    near_duplicates = ids.num_rows - ids["duplicate_of"].null_count  # syndicated copies
    same_bytes = ids.num_rows - pc.count_distinct(ids["document_id"]).as_py()  # one item arriving twice
    return {
        "counts": {
            "input_files": manifest["source_path"].nunique(),
            "documents_staged": ids.num_rows,
            "duplicates": near_duplicates + same_bytes,
            "quarantined": len(quarantine),
            "facts_extracted": facts_extracted,
        },
        "data_quality": {
            r.suite: {"passed": r.passed, "expectations": r.expectations, "warnings": len(r.failures)} for r in reports.values()
        },
    }


def _chunks(files: list[str], rows: int) -> list[list[str]]:
    """Consecutive files holding about `rows` rows each (row counts from the Parquet footers)."""
    return pipeline.pack(files, [lake.num_rows(f) for f in files], rows)


def quarantine_failed_rows(report, rows, documents, run_id: str) -> str:
    """Rows a critical expectation caught go to the lake's quarantine with the expectation's name,
    so they can be inspected in fct_quarantined_input; the run's pending files stay as they were."""
    import pandas as pd

    from chanye import quality

    id_column = quality.ROW_ID[report.suite]
    document_of = rows.drop_duplicates(id_column).set_index(id_column, drop=False)["document_id"]
    sources = documents.drop_duplicates("document_id").set_index("document_id")
    at = pipeline.now_utc()
    quarantined = []
    for failure in report.blocking:
        for row_id in failure.row_ids:
            source = sources.loc[document_of[row_id]]
            quarantined.append(
                {
                    "stage": "validate",
                    "source_path": source["source_path"],
                    "source_line": None if pd.isna(source["source_line"]) else int(source["source_line"]),
                    "reason": failure.expectation,
                    "detail": f"{report.suite} row {row_id} failed {failure.expectation}({failure.column}) [{failure.severity}]",
                    "raw_hash": source["content_hash"],
                    "byte_size": int(source["byte_size"]),
                    "run_id": run_id,
                    "quarantined_at": at,
                }
            )
    path = lake.write_table(lake.rows_to_table(quarantined, "quarantine"), lake.join(
        settings().lake, "quarantine", lake.partition(at), f"{lake.run_key(run_id)}-{report.suite}-validation.parquet"))
    log.warning("%d %s rows failed critical expectations; quarantined in %s", len(quarantined), report.suite, path)
    return path


def commit(run_id: str) -> dict:
    """Into a partition named after the commit time (see lake.partition)."""
    moved = lake.commit_pending(settings().lake, run_id, pipeline.now_utc())
    log.info("committed to the lake: %s", moved)
    return moved


def prepare_build(full_refresh: bool = False) -> str:
    """The file dbt builds into, and how: "incremental" on a copy of the published warehouse (the
    incremental models add only the lake commits after what they hold; a run whose marts gate
    fails leaves nothing behind, the next starts again from what was published), or "full" into
    a new file when asked, before the first publish, or when the dbt project changed since."""
    s = settings()
    build = s.build_warehouse
    build.parent.mkdir(parents=True, exist_ok=True)
    for f in (build, build.with_name(build.name + ".wal")):
        f.unlink(missing_ok=True)
    shutil.rmtree(_build_docs_dir(s), ignore_errors=True)  # a failed run's docs are not this run's
    published_with = _fingerprint_file(s.published_warehouse)
    reason = (
        "asked for" if full_refresh
        else "nothing published yet" if not s.published_warehouse.exists()
        else "the dbt project changed since the last publish"
        if not published_with.exists() or published_with.read_text() != dbt_project_fingerprint()
        else None
    )
    if reason:
        log.info("full refresh (%s): dbt builds a new warehouse from the whole lake", reason)
        return "full"
    tmp = build.with_name(f".{build.name}.{os.getpid()}.tmp")
    shutil.copyfile(s.published_warehouse, tmp)
    os.replace(tmp, build)
    log.info("incremental: dbt adds the new lake commits to a copy of %s", s.published_warehouse)
    return "incremental"


# What decides the rows the models hold; what else `dbt parse` reads.
DBT_DATA_INPUTS = ("models", "macros", "seeds", "dbt_project.yml")
DBT_PARSE_INPUTS = DBT_DATA_INPUTS + ("tests", "analyses", "profiles.yml")


def dbt_project_fingerprint(inputs: tuple[str, ...] = DBT_DATA_INPUTS) -> str:
    """A hash of the dbt project's files under `inputs`. By default, everything that decides what
    the models hold (SQL, macros, seeds, settings): rows built by older logic or reference data
    must not mix with new ones."""
    import hashlib

    root = settings().dbt_project
    digest = hashlib.sha256()
    for folder in inputs:
        paths = [root / folder] if (root / folder).is_file() else sorted((root / folder).rglob("*"))
        for path in (p for p in paths if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _build_docs_dir(s) -> Path:
    return s.build_warehouse.parent / "docs"


def _fingerprint_file(warehouse_file: Path) -> Path:
    return warehouse_file.with_name(warehouse_file.name + ".dbt-fingerprint")


def validate_marts(run_id: str) -> dict:
    """The gate between dbt and publish: the build's fact table reconciles with the lake, has no
    orphan keys, and cities cover their counties. A failure leaves the published warehouse untouched."""
    from chanye import quality, warehouse

    s = settings()
    expected = warehouse.count_canonical_facts(s.lake)
    reports = [
        quality.validate("marts", warehouse.fact_key_checks(s.build_warehouse), runtime_refs={"expected_fact_rows": int(expected)}),
        quality.validate("rollups", warehouse.rollup_checks(s.build_warehouse)),
    ]
    for report in reports:
        quality.write_report(report, s.reports_dir / lake.run_key(run_id) / f"{report.suite}.json")
        log.info("%s", report.describe())
    failed = [r for r in reports if not r.success]
    if failed:
        raise quality.ValidationFailed(failed[0])
    return {r.suite: {"passed": r.passed, "expectations": r.expectations, "warnings": len(r.failures)} for r in reports}


def build_docs(warehouse_build: str) -> str:
    """The dbt docs site (one static HTML file) for the build, published next to the warehouse.
    An incremental build runs the same project as the published one (prepare_build compares
    fingerprints), so its published site stays as it is."""
    from dbt.cli.main import dbtRunner

    from chanye.dbt_build import PROFILE, TARGET, dbt_env

    s = settings()
    published = s.warehouse_dir / "docs" / "static_index.html"
    if warehouse_build == "incremental" and published.exists():
        log.info("incremental build of an unchanged dbt project: the published docs site stays")
        return str(published)
    target = _build_docs_dir(s)
    os.environ.update(dbt_env(s))  # in-process, like the dbt_build task (a dbt process costs seconds of imports)
    args = ["docs", "generate", "--static", "--quiet", "--project-dir", str(s.dbt_project),
            "--profiles-dir", str(s.dbt_project), "--profile", PROFILE, "--target", TARGET,
            "--target-path", str(target)]
    parsed = s.dbt_project / "target" / "partial_parse.msgpack"
    if parsed.exists():  # prepare's `dbt parse` (same profile and target): a whole parse costs ~2 s
        args += ["--partial-parse-file-path", str(parsed)]
    result = dbtRunner().invoke(args)
    if not result.success:
        raise RuntimeError(f"dbt docs generate failed: {result.exception or 'see the task log'}")
    return str(target / "static_index.html")


def publish() -> str:
    """Swap the validated build in for analysts: the DuckDB file (atomic rename; readers holding
    the old file keep reading it), its tables as Parquet, and the dbt docs site."""
    s = settings()
    target = s.published_warehouse
    parquet = export_parquet(s.build_warehouse, s.warehouse_dir / f".parquet-{os.getpid()}")
    os.replace(s.build_warehouse, target)  # the next build starts from a copy (prepare_build)
    _fingerprint_file(target).write_text(dbt_project_fingerprint())
    _swap_dir(parquet, s.warehouse_dir / "parquet")
    _swap_dir(_build_docs_dir(s), s.warehouse_dir / "docs")
    log.info("published %s (+ parquet/, docs/)", target)
    return str(target)


def export_parquet(warehouse_file: Path, out: Path) -> Path:
    """Every analyst-facing table as one Parquet file, for tools that do not read DuckDB."""
    from chanye import warehouse

    out.mkdir(parents=True, exist_ok=True)
    with warehouse.connect_read_only(warehouse_file) as con:
        for table in warehouse.analyst_tables(con):
            con.execute(f"copy \"{table}\" to '{out / table}.parquet' (format parquet, compression zstd)")
    return out


def _swap_dir(new: Path, published: Path) -> None:
    """Replace a published folder by a new one with two renames (the gap is a few microseconds)."""
    if not new.exists():
        return
    old = published.with_name(f".{published.name}-old-{os.getpid()}")
    if published.exists():
        os.replace(published, old)
    os.replace(new, published)
    shutil.rmtree(old, ignore_errors=True)


def summarize(run_id: str, validation: dict, marts_validation: dict, warehouse_build: str) -> dict:
    from chanye import quality, warehouse

    s = settings()
    summary = {
        "run_id": run_id,
        **validation["counts"],
        "data_quality": {**validation["data_quality"], **marts_validation},
        "warehouse_build": warehouse_build,
        "mart_rows": warehouse.table_counts(s.published_warehouse),
        "lake": str(s.lake),
        "warehouse": str(s.published_warehouse),
        "data_docs": str(quality.data_docs_index(s.data_dir)),
        "dbt_docs": str(s.warehouse_dir / "docs" / "static_index.html"),
        "parquet": str(s.warehouse_dir / "parquet"),
    }
    s.reports_dir.mkdir(parents=True, exist_ok=True)
    (s.reports_dir / "last_run.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary
