"""The quality gate, one expectation family at a time: a row that violates it is quarantined with
the expectation that caught it and taken out of the run, the rest of the run goes on, and the
published warehouse is unchanged. A systemic failure (inputs not accounted for) blocks the run.
Clean data passes."""
from __future__ import annotations

import hashlib
from datetime import date

import duckdb
import pytest

from conftest import needs_seeds, SEEDS

pytestmark = needs_seeds
RUN = "manual__gate-test"


@pytest.fixture(scope="module")
def clean_rows():
    from chanye import batches

    at = batches.now_utc()
    documents, _, _ = batches.stage_input(SEEDS, RUN, at)
    facts = batches.extract_documents(documents, RUN, at).facts
    return documents, facts


@pytest.fixture
def gate(tmp_path, monkeypatch):
    """A data dir with a published warehouse; returns a function that runs the gate on rows."""
    from chanye import gate as quality_gate, lake
    from chanye.config import settings

    monkeypatch.setenv("CHANYE_DATA_DIR", str(tmp_path))
    s = settings()
    lake.ensure_lake(s.lake)
    s.published_warehouse.parent.mkdir(parents=True)
    with duckdb.connect(str(s.published_warehouse)) as con:
        con.execute("create table dim_document as select 1 as n")
    published_hash = hashlib.sha256(s.published_warehouse.read_bytes()).hexdigest()

    def run(documents, facts):
        lake.write_table(lake.rows_to_table(documents, "documents"), lake.pending_file(s.lake, RUN, "documents", "b0"))
        lake.write_table(lake.rows_to_table(facts, "facts"), lake.pending_file(s.lake, RUN, "facts", "b0"))
        return quality_gate.validate_run(RUN)

    def unchanged():
        committed = lake.read_dataset(s.lake, "facts").num_rows
        same = hashlib.sha256(s.published_warehouse.read_bytes()).hexdigest() == published_hash
        return same and committed == 0

    def quarantined_reasons():
        """Committed (a blocked run) or pending with the run (rows set aside by a passing gate)."""
        files = lake.dataset_files(s.lake, "quarantine") + lake.pending_files(s.lake, RUN, "quarantine")
        return set(lake.read_files(files, "quarantine", ["reason"])["reason"].to_pylist())

    def pending(dataset, column):
        return set(lake.read_files(lake.pending_files(s.lake, RUN, dataset), dataset, [column])[column].to_pylist())

    run.unchanged = unchanged
    run.quarantined_reasons = quarantined_reasons
    run.pending = pending
    return run


def first(facts, **match):
    return next(f for f in facts if all(f[k] == v for k, v in match.items()))


def test_clean_run_passes(gate, clean_rows):
    documents, facts = clean_rows
    result = gate(documents, facts)
    assert result["counts"]["facts_extracted"] == len(facts)
    assert result["data_quality"]["facts"]["passed"] == result["data_quality"]["facts"]["expectations"]


def corrupt_unit(documents, facts):
    first(facts, metric="land_area")["unit"] = "CNY"  # a fact in 亩 labelled as money


def corrupt_not_multiplied(documents, facts):
    fact = first(facts, metric="investment")
    fact["value"] = fact["raw_value"]  # 24亿元 stored as 24


def corrupt_range(documents, facts):
    fact = first(facts, metric="investment")
    fact.update(qualifier="range", value_high=fact["value"] / 2)  # low > high


def corrupt_region(documents, facts):
    facts[0]["region_code"] = "999999"


def corrupt_future_year(documents, facts):
    first(facts, modality="actual")["year"] = 2099  # decades after the article (a target's deadline may be)


def corrupt_future_date(documents, facts):
    documents[0]["published"] = date(2099, 1, 1)  # published after it was ingested


@pytest.mark.parametrize(
    "corrupt, expectation",
    [
        (corrupt_unit, "expect_column_pair_values_to_be_in_set"),
        (corrupt_not_multiplied, "expect_column_values_to_be_in_set"),
        (corrupt_range, "expect_column_values_to_be_in_set"),
        (corrupt_region, "expect_column_values_to_be_in_set"),
        (corrupt_future_year, "expect_column_values_to_be_between"),
        (corrupt_future_date, "expect_column_values_to_be_in_set"),
    ],
)
def test_a_violating_row_is_quarantined_and_the_rest_goes_on(gate, clean_rows, corrupt, expectation):
    documents = [dict(d) for d in clean_rows[0]]
    facts = [dict(f) for f in clean_rows[1]]
    before = {(f["fact_id"], f["document_id"]) for f in facts}
    corrupt(documents, facts)
    gate(documents, facts)
    assert gate.unchanged()
    assert expectation in gate.quarantined_reasons()
    kept_documents, kept_facts = gate.pending("documents", "document_id"), gate.pending("facts", "fact_id")
    lost = {fact_id for fact_id, document_id in before if fact_id not in kept_facts}
    assert 1 <= len(lost) < len(before)  # the bad fact (or the bad document's facts) only
    assert len(kept_documents) >= len({d["document_id"] for d in documents}) - 1


def test_the_gate_checks_every_chunk(gate, clean_rows, monkeypatch):
    """With one document per validation chunk, a bad fact in the last chunk is still caught and
    quarantined, and the merged report counts every row once."""
    from chanye import lake
    from chanye.config import settings

    from chanye import quality

    monkeypatch.setenv("CHANYE_VALIDATE_ROWS", "1")
    suites = []
    validate = quality.validate
    monkeypatch.setattr(quality, "validate", lambda suite, *a, **k: suites.append(suite) or validate(suite, *a, **k))
    facts = [dict(f) for f in clean_rows[1]]
    bad = [f for f in facts if f["metric"] == "investment"][-1]
    bad["unit"] = "m2"  # investment measured in square metres
    last = bad["document_id"]  # its document goes into the last chunk
    documents = sorted((dict(d) for d in clean_rows[0]), key=lambda d: d["document_id"] == last)
    s = settings()
    for i, doc in enumerate(documents[:-1]):  # the gate fixture writes the last document as part b0
        part = f"b{i + 1}"
        lake.write_table(lake.rows_to_table([doc], "documents"), lake.pending_file(s.lake, RUN, "documents", part))
        mine = [f for f in facts if f["document_id"] == doc["document_id"]]
        lake.write_table(lake.rows_to_table(mine, "facts"), lake.pending_file(s.lake, RUN, "facts", part))
    gate([documents[-1]], [f for f in facts if f["document_id"] == last])
    assert suites.count("facts") == len(documents)  # one chunk per document
    report = quality.read_report(settings().reports_dir / "manual__gate-test" / "facts.json")
    assert report.suite == "facts" and report.rows == len(facts)
    assert [f.row_ids for f in report.blocking] == [[bad["fact_id"]]]
    assert "expect_column_pair_values_to_be_in_set" in gate.quarantined_reasons()
    assert bad["fact_id"] not in gate.pending("facts", "fact_id")


def test_gate_reports_are_written(gate, clean_rows):
    from chanye.config import settings

    gate(*clean_rows)
    reports = sorted(p.name for p in (settings().reports_dir / "manual__gate-test").glob("*.json"))
    assert reports == ["documents.json", "facts.json", "inputs.json"]


def test_magnitude_sanity_warns_without_blocking(gate, clean_rows):
    documents = [dict(d) for d in clean_rows[0]]
    facts = [dict(f) for f in clean_rows[1]]
    fact = first(facts, metric="investment")
    fact.update(raw_value=2e6, unit_factor=1e8, value=2e14)  # 200万亿元 for one county: suspicious
    result = gate(documents, facts)
    assert result["data_quality"]["facts"]["warnings"] == 1


def test_an_input_not_accounted_for_fails_the_gate(gate, clean_rows):
    """Staging counted more documents for a file than the run holds: something was lost."""
    from chanye import lake
    from chanye.config import settings
    from chanye.quality import ValidationFailed

    documents, facts = clean_rows
    manifest = [
        {"source_path": d["source_path"], "file_hash": d["content_hash"], "byte_size": d["byte_size"],
         "documents": 1, "quarantined": 0, "run_id": RUN}
        for d in documents
    ]
    manifest[0]["documents"] = 2
    lake.write_table(lake.rows_to_table(manifest, "manifest"), lake.pending_file(settings().lake, RUN, "manifest", "b0"))
    with pytest.raises(ValidationFailed, match="suite inputs"):
        gate(documents, facts)
    assert gate.unchanged()


def test_a_city_below_the_sum_of_its_counties_fails_the_marts_gate(tmp_path, monkeypatch):
    from chanye import quality, warehouse

    monkeypatch.setenv("CHANYE_DATA_DIR", str(tmp_path))
    path = tmp_path / "build.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table dim_metric as select 'investment' as metric_id, 'money' as dimension")
        con.execute(
            """create table mart_region_year as select * from (values
                ('330500', 'city', null, 2024, 'investment', 'investment|CNY|-|-|new', 100.0),
                ('330523', 'county', '330500', 2024, 'investment', 'investment|CNY|-|-|new', 80.0),
                ('330522', 'county', '330500', 2024, 'investment', 'investment|CNY|-|-|new', 50.0))
               as t(region_code, level, city_code, year, metric_id, measure_key, actual_value)"""
        )
    checks = warehouse.rollup_checks(path)
    assert checks["check_city_covers_counties"].tolist() == [False]
    report = quality.validate("rollups", checks, build_docs=False)
    assert not report.success and report.blocking[0].row_ids == ["330500/2024/investment|CNY|-|-|new"]


def test_the_report_lists_every_expectation_by_what_it_means(gate, clean_rows):
    """The data-quality report: every expectation in an analyst's words, with rows checked, rows
    failed and the worst offenders (row id: value), as Markdown and HTML."""
    from chanye import quality, report
    from chanye.config import settings

    documents = [dict(d) for d in clean_rows[0]]
    facts = [dict(f) for f in clean_rows[1]]
    corrupt_unit(documents, facts)
    bad = first(facts, unit="CNY", metric="land_area")
    gate(documents, facts)
    facts_report = quality.read_report(settings().reports_dir / "manual__gate-test" / "facts.json")
    assert len(facts_report.results) == facts_report.expectations
    unit = next(c for c in facts_report.results if c.expectation == "expect_column_pair_values_to_be_in_set")
    assert unit.meaning.startswith("unit consistency")
    assert (unit.success, unit.rows_checked, unit.rows_failed) == (False, len(facts), 1)
    assert unit.offenders == [f"{bad['fact_id']}: land_area, CNY"]
    markdown = report.dq_markdown([("seeds", facts_report)])
    assert f"| FAILED | {unit.meaning} | {len(facts)} | 1 | {bad['fact_id']}: land_area, CNY |" in markdown
    assert markdown.count("\n| passed | ") == facts_report.expectations - 1
    assert "base value = raw value × unit factor" in markdown
    html = report.dq_html([("seeds", facts_report)])
    assert '<tr class="failed">' in html and "unit consistency" in html and "http" not in html


def test_dq_report_fails_on_a_missing_input(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).with_name("chanye")
    env = dict(os.environ, CHANYE_DATA_DIR=str(tmp_path))
    out = subprocess.run([str(exe), "dq-report", str(tmp_path / "nonexistent")], env=env, capture_output=True, text=True)
    assert out.returncode == 1
    assert f"chanye: error: input {tmp_path / 'nonexistent'} does not exist" in out.stderr
    assert out.stdout == ""
