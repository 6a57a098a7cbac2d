"""The Great Expectations (GX Core 1.x) adapter: suites declared as data in expectations/*.yml,
checkpoints saved once in a File Data Context under the data directory (which also builds the
Data Docs site), run on pandas DataFrames (DuckDB is not a supported GX SQL backend, see STACK.md).

Values known only at run time (the seeds' vocabularies, a row count to reconcile) reach the
expectations as GX suite parameters: a YAML value `{"$PARAMETER": name}` is filled from
`parameters` at `checkpoint.run`, so a suite is saved again only when its YAML changes. Each
validation is named by the Airflow run that made it.

What a dataset's rows must satisfy, and what happens to the rows that fail, is the gate's
business (chanye.gate); this module only runs suites and reports.
GX takes seconds to import: it is imported inside functions only, never at DAG-parse time."""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from chanye import data_docs
from chanye.config import settings

log = logging.getLogger(__name__)


class ValidationFailed(RuntimeError):
    """A critical expectation failed: what it checked may not be published."""

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
    meaning: str = ""  # what the expectation means to an analyst (the YAML's `meaning`)


@dataclass
class Checked:
    """One expectation's outcome, as the data-quality report shows it: what it means, how many
    rows it looked at and how many failed it, and the worst offenders (row id: value)."""

    expectation: str
    column: str
    meaning: str
    severity: str
    success: bool
    rows_checked: int
    rows_failed: int
    offenders: list = field(default_factory=list)  # up to 5 "row id: value" strings
    observed: str | None = None  # an aggregate's observed value (a proportion, a count)


@dataclass
class SuiteReport:
    suite: str
    rows: int
    expectations: int
    passed: int
    failures: list[Failure]
    data_docs: str | None = None
    results: list[Checked] = field(default_factory=list)  # every expectation, passed or not

    @property
    def blocking(self) -> list[Failure]:
        return [f for f in self.failures if f.severity == "critical"]

    @property
    def success(self) -> bool:
        return not self.blocking

    def describe(self) -> str:
        lines = [f"suite {self.suite}: {self.passed}/{self.expectations} expectations passed on {self.rows} rows"]
        for f in self.failures:
            lines.append(f"  [{f.severity}] {f.expectation}({f.column}): {f.unexpected_count} rows, e.g. {f.examples[:3]}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Suite:
    """One expectations/<name>.yml: the dataset it checks, the column that names a row in a
    report, and its expectations."""

    name: str
    dataset: str
    row_id: str
    expectations: tuple[dict, ...]
    digest: str  # of the YAML: a saved suite is reused while it matches
    rows_are: str = "rows"  # what one checked row is, in the report's words ("input files")
    # when a failure is the run's, not its rows' (chanye.gate): {share, min_rows, expectations}
    systemic: dict = field(default_factory=dict, hash=False, compare=False)

    def meanings(self) -> dict[str, str]:
        """What each expectation (by GX type and column) checks, in words."""
        out = {}
        for entry in self.expectations:
            for column in _columns_of(entry):
                out[f"{entry['expectation']}({column})"] = entry.get("meaning", "")
        return out


@lru_cache(maxsize=32)
def load_suite(name: str, expectations_dir: Path | None = None) -> Suite:
    path = (expectations_dir or settings().expectations_dir) / f"{name}.yml"
    raw = path.read_bytes()
    spec = yaml.safe_load(raw)
    return Suite(name=spec["suite"], dataset=spec["dataset"], row_id=spec["row_id"],
                 expectations=tuple(spec["expectations"]), digest=hashlib.sha256(raw).hexdigest()[:16],
                 rows_are=spec.get("rows_are", "rows"), systemic=spec.get("systemic") or {})


def _columns_of(entry: dict) -> list[str]:
    if "column" in entry:
        return entry["column"] if isinstance(entry["column"], list) else [entry["column"]]
    if "column_A" in entry:
        return [f"{entry['column_A']},{entry['column_B']}"]
    if "column_list" in entry:
        return [",".join(entry["column_list"])]
    return [""]


def build_expectations(suite: Suite) -> list:
    """GX expectation objects: one per entry and column (an entry may list several columns)."""
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    built = []
    for entry in suite.expectations:
        kwargs = {k: v for k, v in entry.items() if k not in ("expectation", "severity", "column", "meaning")}
        cls = getattr(gx.expectations, "".join(part.title() for part in entry["expectation"].split("_")))
        severity = FailureSeverity(entry.get("severity", "critical"))
        columns = entry.get("column")
        for column in columns if isinstance(columns, list) else [columns]:
            built.append(cls(severity=severity, **({"column": column} if column is not None else {}), **kwargs))
    return built


def gx_context(data_dir: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    root = data_dir / "gx"
    root.mkdir(parents=True, exist_ok=True)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # per-datasource INFO chatter
    context = gx.get_context(mode="file", project_root_dir=str(root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # no tqdm bars in task logs
    site = (context.variables.data_docs_sites or {}).get("local_site")
    if site and site.get("show_how_to_buttons", True):
        site["show_how_to_buttons"] = False  # GX's walkthrough pop-up would cover every validation page
        context.variables.save()
    return context


_CHECKPOINTS: dict[tuple, object] = {}
_CONTEXTS: dict[str, object] = {}


def _context(data_dir: Path):
    """The File Data Context of a data directory, opened once per process."""
    if str(data_dir) not in _CONTEXTS:
        _CONTEXTS[str(data_dir)] = gx_context(data_dir)
    return _CONTEXTS[str(data_dir)]


def checkpoint(name: str):
    """The suite's GX checkpoint in the File Data Context: saved when the suite's YAML changed (its
    digest is kept in the saved suite's meta), else the saved one, and kept for the process.
    Saving a suite costs GX about a second; a run validates chunk after chunk. It has no actions:
    `validate` builds the Data Docs page itself (see publish_docs)."""
    import great_expectations as gx

    suite = load_suite(name)
    data_dir = settings().data_dir
    key = (str(data_dir), name, suite.digest)
    if key in _CHECKPOINTS:
        return _CHECKPOINTS[key]
    context = _context(data_dir)
    saved = _saved_checkpoint(context, suite)
    if saved is None:
        # the one pandas source keeps every suite's asset (add_or_update would replace it empty)
        source = context.data_sources.all().get("chanye") or context.data_sources.add_pandas(name="chanye")
        asset = next((a for a in source.assets if a.name == suite.dataset), None) or source.add_dataframe_asset(name=suite.dataset)
        batch = next((b for b in asset.batch_definitions if b.name == "run"), None) or asset.add_batch_definition_whole_dataframe("run")
        gx_suite = context.suites.add_or_update(gx.ExpectationSuite(
            name=name, expectations=build_expectations(suite), meta={"chanye_digest": suite.digest}))
        definition = context.validation_definitions.add_or_update(gx.ValidationDefinition(name=name, data=batch, suite=gx_suite))
        saved = context.checkpoints.add_or_update(gx.Checkpoint(
            name=name, validation_definitions=[definition], actions=[],
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [suite.row_id]},
        ))
        log.info("saved GX checkpoint %s (suite %s changed)", saved.name, name)
    _CHECKPOINTS[key] = saved
    return saved


def _saved_checkpoint(context, suite: Suite):
    try:
        saved = context.checkpoints.get(suite.name)
        gx_suite = saved.validation_definitions[0].suite
    except Exception:  # noqa: BLE001 - not saved yet (GX raises its own not-found errors)
        return None
    fresh = (gx_suite.meta or {}).get("chanye_digest") == suite.digest and not saved.actions
    return saved if fresh else None


def validate(name: str, df: pd.DataFrame, parameters: dict | None = None, run_name: str | None = None,
             build_docs: bool = True) -> SuiteReport:
    """Run one suite on a DataFrame; returns the report (never raises on failures). `parameters`
    fill the suite's {"$PARAMETER": …} values; `run_name` names the validation (the Airflow run)."""
    from great_expectations.core.run_identifier import RunIdentifier

    suite = load_suite(name)
    result = checkpoint(name).run(
        batch_parameters={"dataframe": df},
        expectation_parameters=parameters or {},
        run_id=RunIdentifier(run_name=run_name or "manual"),
    )
    report = _report(suite, len(df), result)
    if build_docs:
        report.data_docs = publish_docs(suite, result)
    return report


def publish_docs(suite: Suite, checkpoint_result) -> str:
    """The validation's Data Docs page, the suite's page and the index, rendering offline
    (chanye.data_docs). GX's page names the data asset from the batch spec, which a DataFrame
    batch lacks ("Data asset: None"): the stored result gets the dataset the suite checked first."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    context = _context(settings().data_dir)
    identifier, validation = next(iter(checkpoint_result.run_results.items()))
    validation.meta.setdefault("batch_spec", {})["data_asset_name"] = suite.dataset
    context.validation_results_store.set(identifier, validation)
    started = time.time()
    context.build_data_docs(resource_identifiers=[identifier, ExpectationSuiteIdentifier(name=suite.name)])
    site = settings().data_docs_dir
    data_docs.make_offline(site, since=started - 1)  # the pages just written
    return str(site / "index.html")


def merge_reports(a: SuiteReport, b: SuiteReport) -> SuiteReport:
    """One suite's reports on two chunks of the same run, as one report."""
    failures = {(f.expectation, f.column): f for f in a.failures}
    for f in b.failures:
        if (key := (f.expectation, f.column)) in failures:
            old = failures[key]
            failures[key] = Failure(f.expectation, f.column, f.severity, old.unexpected_count + f.unexpected_count,
                                    (old.examples + f.examples)[:5], old.row_ids + f.row_ids, f.meaning)
        else:
            failures[key] = f
    results = {(r.expectation, r.column): r for r in a.results}
    for r in b.results:
        old = results.get(key := (r.expectation, r.column))
        results[key] = r if old is None else Checked(
            r.expectation, r.column, r.meaning, r.severity, old.success and r.success,
            old.rows_checked + r.rows_checked, old.rows_failed + r.rows_failed, (old.offenders + r.offenders)[:5],
            r.observed if r.observed == old.observed else f"{old.observed}; {r.observed}" if old.observed else r.observed)
    return SuiteReport(a.suite, a.rows + b.rows, a.expectations, a.expectations - len(failures), list(failures.values()),
                       b.data_docs or a.data_docs, list(results.values()))


def _report(suite: Suite, rows: int, checkpoint_result) -> SuiteReport:
    validation = next(iter(checkpoint_result.run_results.values()))
    meanings = suite.meanings()
    failures, passed, results = [], 0, []
    for r in validation.results:
        cfg = r.expectation_config
        res = r.result or {}
        column = _columns_of(cfg.kwargs | {"expectation": cfg.type})[0]
        results.append(_checked(r, cfg, column, rows, suite.row_id, meanings))
        if r.success:
            passed += 1
            continue
        failures.append(
            Failure(
                expectation=cfg.type,
                column=column,
                severity=str(getattr(cfg.severity, "value", cfg.severity)),
                unexpected_count=int(res.get("unexpected_count") or 0),
                examples=[_jsonable(v) for v in (res.get("partial_unexpected_list") or [])[:5]],
                row_ids=[_row_id(v, suite.row_id) for v in (res.get("unexpected_index_list") or [])],
                meaning=meanings.get(f"{cfg.type}({column})", ""),
            )
        )
    return SuiteReport(suite.name, rows, len(validation.results), passed, failures, results=results)


def _checked(r, cfg, column: str, rows: int, id_column: str, meanings: dict) -> Checked:
    """Rows checked: GX skips missing values except where nulls are the point; an aggregate
    expectation (a proportion, a row count) looks at every row and fails as a whole."""
    res = r.result or {}
    elements = res.get("element_count", rows)
    missing = res.get("missing_count") or 0
    checked = elements if cfg.type == "expect_column_values_to_not_be_null" else elements - missing
    aggregate = "unexpected_count" not in res
    failed = int(res.get("unexpected_count") or 0) if not aggregate else (0 if r.success else checked)
    offenders = [_offender(entry, id_column) for entry in (res.get("partial_unexpected_index_list") or [])[:5]]
    if not offenders and res.get("partial_unexpected_list"):
        offenders = [str(_jsonable(v)) for v in res["partial_unexpected_list"][:5]]
    observed = res.get("observed_value")
    return Checked(cfg.type, column, meanings.get(f"{cfg.type}({column})", ""),
                   str(getattr(cfg.severity, "value", cfg.severity)), bool(r.success), int(checked), failed, offenders,
                   None if observed is None else str(_jsonable(observed)))


def _offender(entry, id_column: str) -> str:
    """GX's {id_column: ..., checked column(s): value} as "id: value"."""
    if not isinstance(entry, dict):
        return str(_jsonable(entry))
    values = [f"{_jsonable(v)}" for k, v in entry.items() if k != id_column]
    return f"{_jsonable(entry.get(id_column))}: {', '.join(values)}"


def read_report(path: Path) -> SuiteReport:
    """A report write_report kept (the gate writes one per suite and run)."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    raw["failures"] = [Failure(**f) for f in raw.get("failures", [])]
    raw["results"] = [Checked(**c) for c in raw.get("results", [])]
    return SuiteReport(**raw)


def _row_id(entry, id_column: str):
    """GX reports a failing row as {id_column: ..., <checked columns>: ...}."""
    return _jsonable(entry.get(id_column)) if isinstance(entry, dict) else _jsonable(entry)


def _jsonable(v):
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    try:
        json.dumps(v)
        return v
    except TypeError:
        return str(v)


def write_report(report: SuiteReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
