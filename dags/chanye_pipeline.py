"""chanye: articles -> Parquet lake -> facts gate -> dbt marts (incremental) -> published DuckDB warehouse.

Thin by design: every task calls chanye.tasks (src/chanye); nothing heavy runs at parse time.
Run it with `chanye run` (local, `airflow dags test`) or from the scheduler (docker-compose)."""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, chain, dag, task

from chanye import tasks
from chanye.dbt_build import dbt_build_task


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
        return tasks.plan(params.get("input_path"), run_id)

    @task
    def stage(batch: dict, run_id=None) -> dict:
        return tasks.stage(batch, run_id)

    @task
    def extract(staged: dict, run_id=None) -> dict:
        return tasks.extract(staged, run_id)

    @task
    def dedupe(run_id=None) -> dict:
        return tasks.dedupe(run_id)

    @task
    def validate(run_id=None) -> dict:
        return tasks.validate_run(run_id)

    @task
    def commit(run_id=None) -> dict:
        return tasks.commit(run_id)

    @task
    def prepare_build(params=None) -> str:
        return tasks.prepare_build(params.get("full_refresh", False))

    @task
    def validate_marts(run_id=None) -> dict:
        return tasks.validate_marts(run_id)

    @task
    def build_docs(warehouse_build: str) -> str:
        return tasks.build_docs(warehouse_build)

    @task
    def publish() -> str:
        return tasks.publish()

    @task
    def summarize(validation: dict, marts_validation: dict, warehouse_build: str, run_id=None) -> dict:
        return tasks.summarize(run_id, validation, marts_validation, warehouse_build)

    extracted = extract.expand(staged=stage.expand(batch=plan()))
    validation = validate()
    marts_validation = validate_marts()
    warehouse_build = prepare_build()
    chain(
        extracted,
        dedupe(),
        validation,
        commit(),
        warehouse_build,
        dbt_build_task(full_refresh="{{ ti.xcom_pull(task_ids='prepare_build') == 'full' }}"),
        marts_validation,
        build_docs(warehouse_build),
        publish(),
        summarize(validation, marts_validation, warehouse_build),
    )


chanye_pipeline()
