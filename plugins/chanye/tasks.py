"""What each Airflow task does, as plain functions of plain arguments (paths and counts in XCom,
data through the lake). The DAG file only wires these together."""
from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import date
from pathlib import Path

from chanye import lake, pipeline
from chanye.config import settings
from chanye.schemas import DATASETS

log = logging.getLogger(__name__)


def plan(input_path: str | None, run_id: str) -> list[dict]:
    """Batches of new input files; always at least one (possibly empty) so every run reaches the end."""
    s = settings()
    source = Path(input_path) if input_path else s.samples_dir
    if not source.exists():
        raise FileNotFoundError(f"input path {source} does not exist")
    lake.ensure_lake(s.lake)
    shutil.rmtree(lake.pending_dir(s.lake, run_id), ignore_errors=True)  # a retried run starts clean
    batches, skipped = pipeline.plan_batches(source, s.lake, s.batch_size)
    log.info("%s: %d new input files in %d batches, %d already ingested", source, sum(map(len, batches)), len(batches), skipped)
    return [{"batch": i, "files": files} for i, files in enumerate(batches or [[]])]


def stage(batch: dict, run_id: str) -> dict:
    return pipeline.stage_batch(batch["files"], batch["batch"], run_id, settings().lake).as_dict()


def extract(staged: dict, run_id: str) -> dict:
    result = pipeline.extract_batch(staged["batch"], run_id, settings().lake)
    return {**staged, "facts": result.facts, "quarantined": staged["quarantined"] + result.quarantined}


def validate_run(run_id: str) -> dict:
    """The gate before anything of this run reaches the lake: GX suites on its documents and facts.
    Returns the run's counts and the suites' verdicts for the summary."""
    from chanye import quality

    s = settings()
    pending = {name: lake.read_files(lake.pending_files(s.lake, run_id, name), name) for name in DATASETS}
    documents, facts = pending["documents"].to_pandas(), pending["facts"].to_pandas()
    reports = [quality.validate("documents", documents), quality.validate("facts", facts, documents=documents)]
    report_dir = s.reports_dir / lake.run_key(run_id)
    for report in reports:
        quality.write_report(report, report_dir / f"{report.suite}.json")
        log.info("%s", report.describe())
    failed = [r for r in reports if not r.success]
    if failed:
        raise quality.ValidationFailed(failed[0])
    return {
        "counts": {
            "input_files": pending["manifest"].num_rows,
            "documents_staged": pending["documents"].num_rows,
            "quarantined": pending["quarantine"].num_rows,
            "facts_extracted": pending["facts"].num_rows,
        },
        "data_quality": {
            r.suite: {"passed": r.passed, "expectations": r.expectations, "warnings": len(r.failures)} for r in reports
        },
    }


def commit(run_id: str, logical_date: date) -> dict:
    moved = lake.commit_pending(settings().lake, run_id, logical_date)
    log.info("committed to the lake: %s", moved)
    return moved


def reset_build() -> None:
    """dbt rebuilds the warehouse from the lake into a fresh file (nothing stale survives)."""
    build = settings().build_warehouse
    build.parent.mkdir(parents=True, exist_ok=True)
    for f in (build, build.with_name(build.name + ".wal")):
        f.unlink(missing_ok=True)


def publish() -> str:
    """Swap the validated build in for analysts. Readers holding the old file keep reading it."""
    s = settings()
    target = s.published_warehouse
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(s.build_warehouse, tmp)
    os.replace(tmp, target)
    log.info("published %s", target)
    return str(target)


def summarize(run_id: str, validation: dict) -> dict:
    from chanye import quality, warehouse

    s = settings()
    summary = {
        "run_id": run_id,
        **validation["counts"],
        "data_quality": validation["data_quality"],
        "mart_rows": warehouse.table_counts(s.published_warehouse),
        "lake": str(s.lake),
        "warehouse": str(s.published_warehouse),
        "data_docs": str(quality.data_docs_index(s.data_dir)),
    }
    s.reports_dir.mkdir(parents=True, exist_ok=True)
    (s.reports_dir / "last_run.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary
