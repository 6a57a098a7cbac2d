"""The data-quality gates: what a run's data must satisfy before it reaches the lake
(validate_run), and what a warehouse build must satisfy before analysts see it (validate_marts).

The suites are data (expectations/*.yml) run by chanye.quality (GX). This module prepares the rows
they check (the derived `check_*` columns, the per-file input accounting), passes the run-time
parameters, sets aside the rows a critical expectation caught, and writes the reports."""
from __future__ import annotations

import logging
import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from chanye import lake, schemas
from chanye.config import settings
from chanye.seeds import gate_parameters

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- before the lake

# The datasets extraction writes per batch; every pending file of them is checked, whatever its name.
EXTRACTED = ("facts", "mentions", "events")


def validate_run(run_id: str) -> dict:
    """GX suites on the run's inputs, documents and facts in its pending area. Documents and facts
    are validated in chunks of about CHANYE_VALIDATE_ROWS documents (with their facts), so memory
    does not grow with the run. Every facts file is validated, whatever its name; extracted rows
    whose document is not in the run are refused (orphan_row).

    A row that fails a critical expectation is a problem of that row: it is quarantined with the
    expectation's name and taken out of the pending area (a failing document with its facts,
    mentions and events), and the rest of the run goes on to commit. A systemic failure blocks
    the whole run (quality.ValidationFailed): the input accounting (inputs suite), a reference
    table the extractor read that contradicts the gate's vocabulary (broken_seeds), or an
    expectation failing on more than its suite's `systemic` share of rows. A file whose columns
    drifted from the schema cannot be read and fails the task. Returns counts and verdicts."""
    from chanye import quality

    s = settings()
    manifest = lake.read_files(lake.pending_files(s.lake, run_id, "manifest"), "manifest").to_pandas()
    quarantine = lake.read_files(lake.pending_files(s.lake, run_id, "quarantine"), "quarantine").to_pandas()
    document_files = lake.pending_files(s.lake, run_id, "documents")
    ids = lake.read_files(document_files, "documents", ["document_id", "source_path"])
    inputs = input_accounting(manifest, ids["source_path"].to_pandas().value_counts(), quarantine)
    parameters = gate_parameters()
    reports = {"inputs": quality.validate("inputs", inputs, parameters, run_id)}
    systemic = [reports["inputs"]] if not reports["inputs"].success else []
    broken = broken_seeds()
    arrivals = ids["document_id"].to_pandas().value_counts()
    copies = set(arrivals[arrivals > 1].index)  # the same bytes arrived more than once in this run
    set_aside = refuse_orphans(run_id, set(arrivals.index))
    dropped = {"documents": set(), "facts": set()}
    seen_copy_facts: set[str] = set()
    facts_extracted = 0
    for number, (chunk, fact_files) in enumerate(_work(document_files, s.validate_rows, run_id), 1):
        if chunk:  # raw_text is the largest column and no expectation reads it
            documents = lake.read_files(chunk, "documents").drop_columns(["raw_text"]).to_pandas()
        else:  # facts files named after no documents batch: their documents, wherever they are
            documents = _documents_of(document_files, lake.read_files(fact_files, "facts", ["document_id"])["document_id"])
        facts = lake.read_files(fact_files, "facts").to_pandas()
        # a copy's claims are its first arrival's (same ids): checked, and counted, once
        repeated = facts["document_id"].isin(copies) & (facts["fact_id"].isin(seen_copy_facts) | facts.duplicated("fact_id"))
        seen_copy_facts.update(facts.loc[facts["document_id"].isin(copies), "fact_id"])
        facts = facts[~repeated].reset_index(drop=True)
        facts_extracted += len(facts)
        for suite, rows in (("documents", documents if chunk else None), ("facts", facts)):
            if rows is None:
                continue
            report = quality.validate(suite, derive_checks(suite, rows, documents), parameters, run_id)
            if not report.success:
                caught = failed_rows(report, rows, documents, run_id)
                set_aside += caught
                if broken or _systemic(report):
                    systemic.append(report)
                else:
                    dropped[suite].update(report_row_ids(report))
            reports[suite] = quality.merge_reports(reports[suite], report) if suite in reports else report
        log.info("validated chunk %d: %d documents, %d facts", number, len(documents), len(facts))
    _write_reports(reports.values(), run_id)
    if systemic:
        _commit_quarantine(set_aside, run_id)  # inspectable although the run is not committed
        if broken:
            log.error("systemic: %s", broken)
        raise quality.ValidationFailed(systemic[0])
    if set_aside:
        lake.write_table(lake.rows_to_table(set_aside, "quarantine"), lake.pending_file(s.lake, run_id, "quarantine", "validation"))
        log.warning("%d rows quarantined by the gate; the rest of the run goes on", len(set_aside))
    facts_held_back = _take_out(run_id, dropped)
    near_duplicates = _near_duplicates(run_id)
    same_bytes = ids.num_rows - pc.count_distinct(ids["document_id"]).as_py()  # one item arriving twice
    return {
        "counts": {
            "input_files": manifest["source_path"].nunique(),
            "documents_staged": ids.num_rows,
            "duplicates": near_duplicates + same_bytes,
            "quarantined": len(quarantine) + len(set_aside),
            "facts_extracted": facts_extracted - facts_held_back,
        },
        "data_quality": verdicts(reports.values()),
    }


def _work(document_files: list[str], rows: int, run_id: str) -> list[tuple[list[str], list[str]]]:
    """(documents files, facts files) to validate together: each chunk of documents with the facts
    files of its batches, then any facts files named after no documents batch."""
    fact_files = lake.pending_files(settings().lake, run_id, "facts")
    by_stem = {lake.stem(f): f for f in fact_files}
    work = [(chunk, [by_stem[lake.stem(c)] for c in chunk if lake.stem(c) in by_stem])
            for chunk in _chunks(document_files, rows)]
    batches = {lake.stem(f) for f in document_files}
    others = [f for f in fact_files if lake.stem(f) not in batches]
    return work + ([([], others)] if others else [])


def _documents_of(document_files: list[str], document_ids) -> pd.DataFrame:
    """The run's document rows (without text) of some document ids."""
    wanted = pc.unique(document_ids)
    tables = [lake.read_files([f], "documents").drop_columns(["raw_text"]) for f in document_files]
    table = lake.read_files([], "documents").drop_columns(["raw_text"]) if not tables else pa.concat_tables(tables)
    return table.filter(pc.is_in(table["document_id"], wanted)).to_pandas()


def _systemic(report) -> bool:
    """A critical expectation failing on more than the suite's `systemic` share of its rows (and
    on at least its min_rows) is no problem of single rows: a reference table or the extractor
    broke, and quarantining most of a run would hide it."""
    from chanye import quality

    limit = quality.load_suite(report.suite).systemic
    return any(f.unexpected_count >= limit.get("min_rows", 1) and f.unexpected_count > limit.get("share", 1.0) * report.rows
               or f"{f.expectation}({f.column})" in limit.get("expectations", ()) for f in report.blocking)


def broken_seeds() -> str | None:
    """What is wrong with the reference tables the extractor converts with, or None: a unit that
    converts to a base unit its dimension does not allow (亩 → CNY) makes every such claim wrong
    at once (the dbt test assert_units_convert_to_allowed_base_units, checked before the lake)."""
    from chanye.seeds import read_seed

    allowed = {(u["dimension"], u["base_unit"]) for u in read_seed("unit_dimensions")}
    dimensions = {d for d, _ in allowed}
    wrong = [u["unit_text"] for u in read_seed("units")
             if u["dimension"] in dimensions and (u["dimension"], u["base_unit"]) not in allowed]
    return f"units seed: {', '.join(wrong)} convert to a base unit their dimension does not allow" if wrong else None


def refuse_orphans(run_id: str, run_documents: set[str]) -> list[dict]:
    """Extracted rows (any pending file of facts, mentions or events, whatever its name) whose
    document is not one of the run's are refused: taken out of the pending area, one quarantine
    row per file that held some, so nothing is committed that no document explains."""
    lake_root, rows = settings().lake, []
    at = pd.Timestamp.now(tz="UTC").to_pydatetime()
    wanted = pa.array(sorted(run_documents), pa.string())
    for dataset in EXTRACTED:
        for path in lake.pending_files(lake_root, run_id, dataset):
            table = lake.read_files([path], dataset)
            # a null document id is no orphan: the not-null expectation names what is wrong with it
            known = pc.or_(pc.is_in(table["document_id"], wanted), pc.is_null(table["document_id"]))
            orphans = table.num_rows - pc.sum(known).as_py() if table.num_rows else 0
            if orphans:
                lake.write_table(table.filter(known), path)
                strangers = sorted(set(table.filter(pc.invert(known))["document_id"].to_pylist()) - {None})[:5]
                rows.append(schemas.quarantine_row(
                    "validate", "orphan_row",
                    f"{orphans} {dataset} rows in {lake.stem(path)} name no document of this run (e.g. {strangers})",
                    source_path=path, source_line=None, raw_hash=None, byte_size=None, run_id=run_id, at=at))
                log.warning("refused %d orphan %s rows of %s", orphans, dataset, path)
    return rows


def report_row_ids(report) -> set:
    return {row_id for failure in report.blocking for row_id in failure.row_ids}


def _take_out(run_id: str, dropped: dict[str, set]) -> int:
    """Remove the quarantined rows from the run's pending files: failing documents with everything
    extracted from them, failing facts. Returns the facts removed."""
    lake_root = settings().lake
    removed_facts = 0
    documents = pa.array(sorted(dropped["documents"]), pa.string())
    facts = pa.array(sorted(dropped["facts"]), pa.string())
    for dataset in ("documents", *EXTRACTED, "minhash"):
        for path in lake.pending_files(lake_root, run_id, dataset):
            table = lake.read_files([path], dataset)
            keep = pc.invert(pc.is_in(table["document_id"], documents))
            if dataset == "facts":
                keep = pc.and_(keep, pc.invert(pc.is_in(table["fact_id"], facts)))
            kept = table.filter(keep)
            if kept.num_rows < table.num_rows:
                lake.write_table(kept, path)
                removed_facts += (table.num_rows - kept.num_rows) if dataset == "facts" else 0
    return removed_facts


def _commit_quarantine(rows: list[dict], run_id: str) -> None:
    if not rows:
        return
    lake_root = settings().lake
    at = rows[0]["quarantined_at"]
    pending = lake.write_table(lake.rows_to_table(rows, "quarantine"), lake.pending_file(lake_root, run_id, "quarantine", "validation"))
    committed = lake.commit_files(lake_root, run_id, "quarantine", [pending], at)
    log.warning("%d rows failed critical expectations; quarantined in %s", len(rows), committed[0])


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
        after = (df["year"].astype("Int64") - published_year).astype("float64")
        # a target's deadline may lie decades ahead (碳中和 by 2060): flagged, not set aside
        target = df["modality"] == "target"
        df["check_years_after_published"] = after.where(~target)
        df["check_target_years_after_published"] = after.where(target)
        df["check_years_named_in_range"] = _years_named_in_range(df)
    if suite == "documents":
        published = pd.to_datetime(df["published"])
        ingested = pd.to_datetime(df["ingested_at"], utc=True).dt.tz_localize(None).dt.normalize()
        df["check_published_not_after_ingest"] = (published.isna() | (published <= ingested)).astype(bool)
    return df


_YEAR_NAMED = re.compile(r"(?<!\d)(\d{4})\s*年")


def year_bounds() -> tuple[int, int]:
    """The plausible years: the facts suite's own bounds on `year` (one owner of the numbers)."""
    from chanye import quality

    for entry in quality.load_suite("facts").expectations:
        if entry.get("column") == "year" and entry["expectation"] == "expect_column_values_to_be_between":
            return int(entry["min_value"]), int(entry["max_value"])
    raise LookupError("expectations/facts.yml bounds no `year`")


def _years_named_in_range(df: pd.DataFrame) -> pd.Series:
    """False where the claim's sentence, up to the claim, names a year after the plausible ones
    (力争到2150年…): the extractor reads no such year and falls back to the article's, so the
    fact would carry a year its text does not say. Years before the range are history (始建于1898年)."""
    from chanye.extract.words import ordered

    latest = year_bounds()[1]
    duration = ordered("year_duration_after")  # 2500年历史 counts years, it names none (seed cue_words)

    def plausible(evidence, span) -> bool:
        if not isinstance(evidence, str):
            return True
        cut = evidence.find(span) if isinstance(span, str) and span else -1
        before = evidence if cut < 0 else evidence[:cut]
        return all(int(m.group(1)) <= latest or before[m.end():].lstrip("的").startswith(duration)
                   for m in _YEAR_NAMED.finditer(before))

    return pd.Series([plausible(e, t) for e, t in zip(df["evidence"], df["span_text"])], index=df.index, dtype=bool)


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


def failed_rows(report, rows: pd.DataFrame, documents: pd.DataFrame, run_id: str) -> list[dict]:
    """Quarantine rows for the rows a critical expectation caught, with the expectation's name and
    the source of their document."""
    from chanye import quality

    row_id = quality.load_suite(report.suite).row_id
    document_of = rows.drop_duplicates(row_id).set_index(row_id, drop=False)["document_id"]
    sources = documents.drop_duplicates("document_id").set_index("document_id")
    at = pd.Timestamp.now(tz="UTC").to_pydatetime()
    quarantined = []
    for failure in report.blocking:
        for failing in failure.row_ids:
            document = document_of.get(failing)
            if document is None or pd.isna(document) or document not in sources.index:  # no document to trace it to
                source = {"source_path": f"{report.suite} row {failing}", "source_line": None, "content_hash": None, "byte_size": None}
            else:
                source = sources.loc[document]
            quarantined.append(schemas.quarantine_row(
                "validate", failure.expectation,
                f"{report.suite} row {failing} failed {failure.expectation}({failure.column}) [{failure.severity}]",
                source_path=source["source_path"],
                source_line=None if pd.isna(source["source_line"]) else int(source["source_line"]),
                raw_hash=source["content_hash"],
                byte_size=None if pd.isna(source["byte_size"]) else int(source["byte_size"]), run_id=run_id, at=at))
    return quarantined


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
