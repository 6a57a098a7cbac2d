"""The data-quality gate: Great Expectations (GX Core 1.x) suites declared in expectations/*.yml,
run on pandas DataFrames (DuckDB is not a supported GX SQL backend, see STACK.md) through a File
Data Context under the data directory, which also builds the Data Docs site.

GX takes seconds to import: it is imported inside functions only, never at DAG-parse time."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from chanye.config import settings
from chanye.reference import references

log = logging.getLogger(__name__)

# Row ids reported for failing rows, per dataset.
ROW_ID = {"facts": "fact_id", "documents": "document_id", "marts": "fact_id", "inputs": "source_path", "rollups": "rollup_key"}


class ValidationFailed(RuntimeError):
    """A critical expectation failed: nothing of this run may be published."""

    def __init__(self, report: "SuiteReport"):
        self.report = report
        super().__init__(report.describe())


@dataclass
class Failure:
    expectation: str
    column: str
    severity: str
    unexpected_count: int
    examples: list = field(default_factory=list)
    row_ids: list = field(default_factory=list)


@dataclass
class SuiteReport:
    suite: str
    rows: int
    expectations: int
    passed: int
    failures: list[Failure]
    data_docs: str | None = None

    @property
    def blocking(self) -> list[Failure]:
        return [f for f in self.failures if f.severity == "critical"]

    @property
    def success(self) -> bool:
        return not self.blocking

    def describe(self) -> str:
        lines = [f"suite {self.suite}: {self.passed}/{self.expectations} expectations passed on {self.rows} rows"]
        for f in self.failures:
            lines.append(
                f"  [{f.severity}] {f.expectation}({f.column}): {f.unexpected_count} rows, e.g. {f.examples[:3]}"
            )
        return "\n".join(lines)


def load_spec(suite: str, expectations_dir: Path | None = None) -> dict:
    path = (expectations_dir or settings().expectations_dir) / f"{suite}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def derive_checks(dataset: str, df: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Row-level checks that need arithmetic or a join, as `check_*` columns the YAML refers to."""
    df = df.copy()
    if dataset == "facts":
        expected = df["raw_value"] * df["unit_factor"]
        df["check_value_matches_raw"] = ((df["value"] - expected).abs() <= 1e-6 * expected.abs().clip(lower=1)).astype(bool)
        is_range = df["qualifier"] == "range"
        has_high = df["value_high"].notna()
        above = ~has_high | (df["value_high"] > df["value"])
        df["check_range_consistent"] = ((is_range == has_high) & above).astype(bool)
        money = df["unit"].isin(references()["money_units"])
        df["check_money_value"] = df["value"].where(money)
        published_year = pd.Series(pd.NA, index=df.index, dtype="Int64")
        if documents is not None and len(documents):
            years = pd.to_datetime(documents.set_index("document_id")["published"]).dt.year
            years = years[~years.index.duplicated()]
            published_year = df["document_id"].map(years).astype("Int64")
        df["check_years_after_published"] = (df["year"].astype("Int64") - published_year).astype("float64")
    if dataset == "documents":
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


def _resolve(value, refs: dict):
    if isinstance(value, dict) and set(value) == {"reference"}:
        return refs[value["reference"]]
    return value


def build_expectations(spec: dict, refs: dict) -> list:
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    built = []
    for entry in spec["expectations"]:
        entry = dict(entry)
        name = entry.pop("expectation")
        severity = FailureSeverity(entry.pop("severity", "critical"))
        cls = getattr(gx.expectations, "".join(part.title() for part in name.split("_")))
        columns = entry.pop("column", None)
        for column in columns if isinstance(columns, list) else [columns]:
            kwargs = {k: _resolve(v, refs) for k, v in entry.items()}
            if column is not None:
                kwargs["column"] = column
            built.append(cls(severity=severity, **kwargs))
    return built


def gx_context(data_dir: Path):
    import great_expectations as gx

    from great_expectations.data_context.types.base import ProgressBarsConfig

    root = data_dir / "gx"
    root.mkdir(parents=True, exist_ok=True)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # per-datasource INFO chatter
    context = gx.get_context(mode="file", project_root_dir=str(root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # no tqdm bars in task logs
    return context


def validate(
    suite: str,
    df: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    runtime_refs: dict | None = None,
    build_docs: bool = True,
) -> SuiteReport:
    """Run one suite on a DataFrame through a GX checkpoint; returns the report (never raises on
    failures). `runtime_refs` adds {reference: NAME} values only known at run time (row counts)."""
    import great_expectations as gx

    spec = load_spec(suite)
    dataset = spec["dataset"]
    checked = derive_checks(dataset, df, documents)
    checkpoint = _checkpoint(suite, spec, runtime_refs or {}, build_docs)
    result = checkpoint.run(batch_parameters={"dataframe": checked})
    report = _report(suite, len(checked), result, ROW_ID[dataset])
    if build_docs:
        report.data_docs = str(data_docs_index(settings().data_dir))
    return report


_CHECKPOINTS: dict[tuple, object] = {}


def _checkpoint(suite: str, spec: dict, runtime_refs: dict, build_docs: bool):
    """The suite's GX checkpoint, saved in the File Data Context once per process and reused: the
    gate validates a run chunk by chunk, and saving a suite whose value sets hold thousands of
    region codes costs GX about a second each time."""
    import great_expectations as gx

    data_dir = settings().data_dir
    key = (str(data_dir), suite, json.dumps(spec, sort_keys=True, default=str), json.dumps(runtime_refs, sort_keys=True), build_docs)
    if key in _CHECKPOINTS:
        return _CHECKPOINTS[key]
    context = gx_context(data_dir)
    dataset = spec["dataset"]
    source = context.data_sources.add_or_update_pandas(name="chanye")
    asset = next((a for a in source.assets if a.name == dataset), None) or source.add_dataframe_asset(name=dataset)
    batch = next((b for b in asset.batch_definitions if b.name == "run"), None) or asset.add_batch_definition_whole_dataframe("run")
    refs = {**references(), **runtime_refs}
    gx_suite = context.suites.add_or_update(gx.ExpectationSuite(name=suite, expectations=build_expectations(spec, refs)))
    definition = context.validation_definitions.add_or_update(gx.ValidationDefinition(name=suite, data=batch, suite=gx_suite))
    actions = [gx.checkpoint.UpdateDataDocsAction(name="data_docs")] if build_docs else []
    _CHECKPOINTS[key] = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=suite,
            validation_definitions=[definition],
            actions=actions,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID[dataset]]},
        )
    )
    return _CHECKPOINTS[key]


def merge_reports(a: SuiteReport, b: SuiteReport) -> SuiteReport:
    """One suite's reports on two chunks of the same run, as one report."""
    failures = {(f.expectation, f.column): f for f in a.failures}
    for f in b.failures:
        if (key := (f.expectation, f.column)) in failures:
            old = failures[key]
            failures[key] = Failure(f.expectation, f.column, f.severity, old.unexpected_count + f.unexpected_count,
                                    (old.examples + f.examples)[:5], (old.row_ids + f.row_ids)[:1000])
        else:
            failures[key] = f
    return SuiteReport(a.suite, a.rows + b.rows, a.expectations, a.expectations - len(failures), list(failures.values()),
                       b.data_docs or a.data_docs)


def _report(suite: str, rows: int, checkpoint_result, id_column: str) -> SuiteReport:
    validation = next(iter(checkpoint_result.run_results.values()))
    failures, passed = [], 0
    for r in validation.results:
        cfg = r.expectation_config
        if r.success:
            passed += 1
            continue
        res = r.result or {}
        failures.append(
            Failure(
                expectation=cfg.type,
                column=_columns(cfg.kwargs),
                severity=str(getattr(cfg.severity, "value", cfg.severity)),
                unexpected_count=int(res.get("unexpected_count") or 0),
                examples=[_jsonable(v) for v in (res.get("partial_unexpected_list") or [])[:5]],
                row_ids=[_row_id(v, id_column) for v in (res.get("unexpected_index_list") or [])][:1000],
            )
        )
    return SuiteReport(suite, rows, len(validation.results), passed, failures)


def _columns(kwargs: dict) -> str:
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    return ",".join(kwargs.get("column_list") or [])


def _row_id(entry, id_column: str):
    """GX reports a failing row as {id_column: ..., <checked columns>: ...}."""
    return entry.get(id_column) if isinstance(entry, dict) else _jsonable(entry)


def _jsonable(v):
    try:
        json.dumps(v)
        return v
    except TypeError:
        return str(v)


def markdown_table(reports: list[tuple[str, SuiteReport]]) -> str:
    """One line per (corpus, suite): the compact view CI logs show."""
    lines = [
        "| corpus | suite | rows | expectations | passed | failed | worst offenders |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for corpus, r in reports:
        worst = sorted(r.failures, key=lambda f: (f.severity != "critical", -f.unexpected_count))[:3]
        offenders = "; ".join(
            f"{f.severity}: {f.expectation}({f.column}) {f.unexpected_count} rows e.g. {f.examples[:2]}" for f in worst
        )
        lines.append(
            f"| {corpus} | {r.suite} | {r.rows} | {r.expectations} | {r.passed} | {len(r.failures)} | {offenders or '-'} |"
        )
    return "\n".join(lines)


def data_docs_index(data_dir: Path) -> Path:
    return data_dir / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def write_report(report: SuiteReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
