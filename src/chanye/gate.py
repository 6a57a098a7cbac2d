"""The data-quality gates: what a run's data must satisfy before it reaches the lake
(validate_run), and what a warehouse build must satisfy before analysts see it (validate_marts).

The suites are data (expectations/*.yml) run by chanye.quality (GX). This module prepares the rows
they check (the derived `check_*` columns, the per-file input accounting), passes the run-time
parameters, sets aside the rows a critical expectation caught, and writes the reports."""
from __future__ import annotations

import logging

import pandas as pd
import pyarrow.compute as pc

from chanye import lake, schemas
from chanye.config import settings
from chanye.seeds import gate_parameters

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- before the lake

def validate_run(run_id: str) -> dict:
    """GX suites on the run's inputs, documents and facts in its pending area. Documents and facts
    are validated in chunks of about CHANYE_VALIDATE_ROWS documents (with their facts), so memory
    does not grow with the run; every chunk is checked and its failing rows are quarantined
    before the gate fails (quality.ValidationFailed). Returns counts and verdicts."""
    from chanye import quality

    s = settings()
    manifest = lake.read_files(lake.pending_files(s.lake, run_id, "manifest"), "manifest").to_pandas()
    quarantine = lake.read_files(lake.pending_files(s.lake, run_id, "quarantine"), "quarantine").to_pandas()
    document_files = lake.pending_files(s.lake, run_id, "documents")
    ids = lake.read_files(document_files, "documents", ["document_id", "source_path"])
    inputs = input_accounting(manifest, ids["source_path"].to_pandas().value_counts(), quarantine)
    parameters = gate_parameters()
    reports = {"inputs": quality.validate("inputs", inputs, parameters, run_id)}
    facts_extracted, chunks = 0, _chunks(document_files, s.validate_rows)
    for number, chunk in enumerate(chunks, 1):
        # raw_text is the largest column and no expectation reads it
        documents = lake.read_files(chunk, "documents").drop_columns(["raw_text"]).to_pandas()
        fact_files = [f for f in (lake.pending_file(s.lake, run_id, "facts", lake.stem(c)) for c in chunk) if lake.exists(f)]
        facts = lake.read_files(fact_files, "facts").to_pandas()
        facts_extracted += len(facts)
        for suite, rows in (("documents", documents), ("facts", facts)):
            report = quality.validate(suite, derive_checks(suite, rows, documents), parameters, run_id)
            if not report.success:
                quarantine_failed_rows(report, rows, documents, run_id, f"{suite}-{number:05d}")
            reports[suite] = quality.merge_reports(reports[suite], report) if suite in reports else report
        log.info("validated chunk %d/%d: %d documents, %d facts", number, len(chunks), len(documents), len(facts))
    _write_reports(reports.values(), run_id)
    failed = [r for r in reports.values() if not r.success]
    if failed:
        raise quality.ValidationFailed(failed[0])
    near_duplicates = _near_duplicates(run_id)
    same_bytes = ids.num_rows - pc.count_distinct(ids["document_id"]).as_py()  # one item arriving twice
    return {
        "counts": {
            "input_files": manifest["source_path"].nunique(),
            "documents_staged": ids.num_rows,
            "duplicates": near_duplicates + same_bytes,
            "quarantined": len(quarantine),
            "facts_extracted": facts_extracted,
        },
        "data_quality": verdicts(reports.values()),
    }


def _near_duplicates(run_id: str) -> int:
    """The run's documents that dedupe marked as copies (its pending minhash verdicts)."""
    verdicts = lake.read_files(lake.pending_files(settings().lake, run_id, "minhash"), "minhash", ["duplicate_of"])
    return verdicts.num_rows - verdicts["duplicate_of"].null_count


def _chunks(files: list[str], rows: int) -> list[list[str]]:
    """Consecutive files holding about `rows` rows each (row counts from the Parquet footers)."""
    from chanye.batches import pack

    return pack(files, [lake.num_rows(f) for f in files], rows)


def derive_checks(suite: str, rows: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Row-level checks that need arithmetic or a join, as the `check_*` columns the YAML names."""
    df = rows.copy()
    if suite == "facts":
        expected = df["raw_value"] * df["unit_factor"]
        df["check_value_matches_raw"] = ((df["value"] - expected).abs() <= 1e-6 * expected.abs().clip(lower=1)).astype(bool)
        is_range = df["qualifier"] == "range"
        has_high = df["value_high"].notna()
        above = ~has_high | (df["value_high"] > df["value"])
        df["check_range_consistent"] = ((is_range == has_high) & above).astype(bool)
        df["check_money_value"] = df["value"].where(df["unit"].isin(gate_parameters()["money_units"]))
        published_year = pd.Series(pd.NA, index=df.index, dtype="Int64")
        if documents is not None and len(documents):
            years = pd.to_datetime(documents.set_index("document_id")["published"]).dt.year
            years = years[~years.index.duplicated()]
            published_year = df["document_id"].map(years).astype("Int64")
        df["check_years_after_published"] = (df["year"].astype("Int64") - published_year).astype("float64")
    if suite == "documents":
        published = pd.to_datetime(df["published"])
        ingested = pd.to_datetime(df["ingested_at"], utc=True).dt.tz_localize(None).dt.normalize()
        df["check_published_not_after_ingest"] = (published.isna() | (published <= ingested)).astype(bool)
    return df


def input_accounting(manifest: pd.DataFrame, held_documents: pd.Series, quarantine: pd.DataFrame) -> pd.DataFrame:
    """One row per input file: what staging counted (summed over the file's parts) against what
    the run's files hold (`held_documents`: document rows per source_path)."""
    staged_quarantine = quarantine[quarantine["stage"] == "stage"]
    held_quarantine = staged_quarantine.groupby("source_path").size()
    df = manifest.groupby("source_path", as_index=False)[["documents", "quarantined"]].sum()
    df["held_documents"] = df["source_path"].map(held_documents).fillna(0).astype(int)
    df["held_quarantined"] = df["source_path"].map(held_quarantine).fillna(0).astype(int)
    df["check_documents_accounted"] = df["held_documents"] == df["documents"]
    df["check_quarantine_accounted"] = df["held_quarantined"] == df["quarantined"]
    df["check_file_accounted"] = (df["held_documents"] + df["held_quarantined"]) >= 1
    return df


def quarantine_failed_rows(report, rows: pd.DataFrame, documents: pd.DataFrame, run_id: str, part: str) -> str:
    """Rows a critical expectation caught go to the lake's quarantine with the expectation's name,
    through the run's pending area and a commit of just those rows, so they can be inspected in
    fct_quarantined_input although the run itself is not committed."""
    from chanye import quality

    row_id = quality.load_suite(report.suite).row_id
    document_of = rows.drop_duplicates(row_id).set_index(row_id, drop=False)["document_id"]
    sources = documents.drop_duplicates("document_id").set_index("document_id")
    at = pd.Timestamp.now(tz="UTC").to_pydatetime()
    quarantined = []
    for failure in report.blocking:
        for failing in failure.row_ids:
            source = sources.loc[document_of[failing]]
            quarantined.append(schemas.quarantine_row(
                "validate", failure.expectation,
                f"{report.suite} row {failing} failed {failure.expectation}({failure.column}) [{failure.severity}]",
                source_path=source["source_path"],
                source_line=None if pd.isna(source["source_line"]) else int(source["source_line"]),
                raw_hash=source["content_hash"], byte_size=int(source["byte_size"]), run_id=run_id, at=at))
    lake_root = settings().lake
    pending = lake.write_table(lake.rows_to_table(quarantined, "quarantine"),
                               lake.pending_file(lake_root, run_id, "quarantine", f"validation-{part}"))
    committed = lake.commit_files(lake_root, run_id, "quarantine", [pending], at)
    log.warning("%d %s rows failed critical expectations; quarantined in %s", len(quarantined), report.suite, committed[0])
    return committed[0]


# ---------------------------------------------------------------- before publishing

def validate_marts(run_id: str) -> dict:
    """The gate between dbt and publish: the build's fact table reconciles with the lake, and
    cities cover their counties. A failure leaves the published warehouse untouched."""
    from chanye import quality, warehouse

    s = settings()
    expected = warehouse.count_canonical_facts(s.lake)
    reports = [
        quality.validate("marts", warehouse.fact_ids(s.build_warehouse), {"expected_fact_rows": int(expected)}, run_id),
        quality.validate("rollups", warehouse.rollup_checks(s.build_warehouse), {}, run_id),
    ]
    _write_reports(reports, run_id)
    failed = [r for r in reports if not r.success]
    if failed:
        raise quality.ValidationFailed(failed[0])
    return verdicts(reports)


def verdicts(reports) -> dict:
    return {r.suite: {"passed": r.passed, "expectations": r.expectations, "warnings": len(r.failures), "rows": r.rows}
            for r in reports}


def _write_reports(reports, run_id: str) -> None:
    from chanye import quality

    folder = settings().reports_dir / lake.run_key(run_id)
    for report in reports:
        quality.write_report(report, folder / f"{report.suite}.json")
        log.info("%s", report.describe())
    from chanye.report import run_dq_report

    run_dq_report(run_id)  # readable, also when the gate fails
