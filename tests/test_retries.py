"""Airflow retries a failed task (default_args): each step must give the same result when it runs
again after it already did its work, with nothing lost and nothing doubled. The DAG's steps are
called here as its tasks call them, each one twice, on a copy of the session's data directory."""
from __future__ import annotations

import shutil

import duckdb

from conftest import REPO, needs_seeds

pytestmark = needs_seeds
RUN = "manual__retry-test"


def test_stage_extract_commit_publish_twice_change_nothing(seeds_run, data_dir, tmp_path, monkeypatch):
    from chanye import batches, build, dedup, gate, lake, warehouse
    from chanye.config import settings

    shutil.copytree(data_dir, tmp_path / "data", ignore=shutil.ignore_patterns("airflow"))
    monkeypatch.setenv("CHANYE_DATA_DIR", str(tmp_path / "data"))
    s = settings()
    inbox = tmp_path / "inbox"
    shutil.copytree(REPO / "tests" / "data" / "inbox", inbox)

    def pending(dataset: str, column: str) -> list:
        return sorted(lake.read_files(lake.pending_files(s.lake, RUN, dataset), dataset, [column])[column].to_pylist())

    planned = batches.plan(str(inbox), RUN)
    staged = [batches.stage(b, RUN) for b in planned]
    documents = pending("documents", "document_id")
    assert [batches.stage(b, RUN) for b in planned] == staged  # a retried stage
    assert pending("documents", "document_id") == documents and len(documents) == 2

    extracted = [batches.extract(b, RUN) for b in staged]
    facts = pending("facts", "fact_id")
    assert [batches.extract(b, RUN) for b in staged] == extracted  # a retried extract
    assert pending("facts", "fact_id") == facts and len(facts) == len(set(facts)) > 0

    dedup.mark_run_duplicates(RUN)
    gate.validate_run(RUN)
    committed_before = lake.read_dataset(s.lake, "facts", ["fact_id"]).num_rows
    moved = lake.commit_run(RUN)
    assert moved["facts"] >= 1
    assert set(lake.commit_run(RUN).values()) == {0}  # a retried commit moves nothing more
    lake_facts = lake.read_dataset(s.lake, "facts", ["fact_id"])["fact_id"].to_pylist()
    assert len(lake_facts) == committed_before + len(facts) == len(set(lake_facts))

    plan = build.prepare_build(False)
    assert plan["full_refresh"] is False
    build.run_dbt(["build"])
    build.publish()
    tables = warehouse.table_counts(s.published_warehouse)
    exports = {p.name: p.stat().st_size > 0 for p in (s.warehouse_dir / "parquet").glob("*.parquet")}
    assert build.publish() == str(s.published_warehouse)  # a retried publish
    assert warehouse.table_counts(s.published_warehouse) == tables
    assert {p.name: p.stat().st_size > 0 for p in (s.warehouse_dir / "parquet").glob("*.parquet")} == exports
    assert set(exports) == {f"{t}.parquet" for t in tables}
    with duckdb.connect(str(s.published_warehouse), read_only=True) as con:
        ids = [r[0] for r in con.execute("select fact_id from fct_metric_observation").fetchall()]
    assert len(ids) == len(set(ids)) == seeds_run["facts_extracted"] + len(facts)
