"""chanye: articles -> Parquet lake -> quality gate -> dbt marts (incremental) -> published DuckDB warehouse.

The pipeline's table of contents: each task calls one function of the chanye package (src/chanye),
the same function the CLI and the tests call; nothing heavy runs at parse time.
Run it with `chanye run` (local, `airflow dags test`) or from the scheduler (docker-compose)."""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, chain, dag, task

from chanye import batches, build, dedup, gate, lake, report


@dag(
    dag_id="chanye_pipeline",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # one writer of the DuckDB warehouse at a time
    tags=["chanye"],
    params={
        "input_path": Param(
            None,
            type=["null", "string"],
            description="File or folder of articles (.txt, .html, .jsonl); default: the bundled sample corpus",
        ),
        "full_refresh": Param(
            False,
            type="boolean",
            description="Rebuild the warehouse from the whole lake instead of adding the new ingest partitions",
        ),
    },
    doc_md=__doc__,
)
def chanye_pipeline():
    @task
    def plan(params=None, run_id=None) -> list[dict]:
        """New input, in batches of about CHANYE_BATCH_SIZE documents."""
        return batches.plan(params.get("input_path"), run_id)

    @task
    def stage(batch: dict, run_id=None) -> dict:
        """Decode, clean and read metadata: documents, or quarantine rows with the reason."""
        return batches.stage(batch, run_id)

    @task
    def extract(staged: dict, run_id=None) -> dict:
        """Facts, mentions, events and near-duplicate signatures of a staged batch."""
        return batches.extract(staged, run_id)

    @task
    def dedupe(run_id=None) -> dict:
        """Syndicated copies against each other and the lake."""
        return dedup.mark_run_duplicates(run_id)

    @task
    def validate(run_id=None) -> dict:
        """The GX gate before the lake."""
        return gate.validate_run(run_id)

    @task
    def commit(run_id=None) -> dict:
        """The run's pending files into one new lake commit."""
        return lake.commit_run(run_id)

    @task
    def prepare_build(params=None) -> dict:
        """A copy of the published warehouse to add to, or a full refresh (and why)."""
        return build.prepare_build(params.get("full_refresh", False))

    @task
    def validate_marts(run_id=None) -> dict:
        """The GX gate before publishing: the build reconciles with the lake."""
        return gate.validate_marts(run_id)

    @task
    def build_docs(plan: dict) -> str:
        return build.build_docs(plan)

    @task
    def publish() -> str:
        """Atomic swap of the warehouse, its Parquet exports and docs."""
        return build.publish()

    @task
    def summarize(validation: dict, marts_validation: dict, plan: dict, run_id=None) -> dict:
        return report.summarize(run_id, validation, marts_validation, plan)

    extracted = extract.expand(staged=stage.expand(batch=plan()))
    validation = validate()
    marts_validation = validate_marts()
    build_plan = prepare_build()
    chain(
        extracted,
        dedupe(),
        validation,
        commit(),
        build_plan,
        build.dbt_build_task(plan_task_id="prepare_build"),
        marts_validation,
        build_docs(build_plan),
        publish(),
        summarize(validation, marts_validation, build_plan),
    )


chanye_pipeline()
