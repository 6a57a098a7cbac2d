"""chanye: articles -> Parquet lake -> quality gate -> dbt marts (incremental) -> published DuckDB warehouse.

The pipeline's table of contents: each task calls one function of the chanye package (src/chanye),
the same function the CLI and the tests call; nothing heavy runs at parse time.

On its schedule (CHANYE_SCHEDULE) a run ingests what arrived in the inbox (CHANYE_INBOX) since the
last run; a run that finds nothing new stops after `plan` and builds nothing. `publish` emits the
asset `chanye_warehouse` (the published DuckDB file and its Parquet exports), which
`chanye_new_facts` is scheduled on. Run it with `chanye serve` (the scheduler and the UI on this
machine), `chanye run` (one run, `airflow dags test`) or docker-compose."""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk.exceptions import AirflowFailException
from airflow.sdk import Asset, Param, chain, dag, task

from chanye import batches, build, dedup, gate, lake, quality, report, writer
from chanye.config import settings

SETTINGS = settings()
# What publish gives analysts: the DuckDB file, and every table of it as Parquet.
WAREHOUSE = Asset(name="chanye_warehouse", uri=SETTINGS.published_warehouse.as_uri())
PARQUET = Asset(name="chanye_warehouse_parquet", uri=(SETTINGS.warehouse_dir / "parquet").as_uri())

DEFAULT_ARGS = {
    # every step is idempotent (a retried task redoes its own outputs), so a failure that may
    # pass (a full disk, a killed process, a lock) is retried, waiting longer each time
    "retries": SETTINGS.retries,
    "retry_delay": timedelta(seconds=SETTINGS.retry_delay_seconds),
    "retry_exponential_backoff": 2.0,  # the delay doubles with each retry
    "max_retry_delay": timedelta(minutes=10),
    "execution_timeout": timedelta(minutes=SETTINGS.task_timeout_minutes),
}


def _gate(check, *args) -> dict:
    """A failed quality gate is a verdict on the data: retrying cannot change it."""
    try:
        return check(*args)
    except quality.ValidationFailed as failed:
        raise AirflowFailException(str(failed)) from failed


@dag(
    dag_id="chanye_pipeline",
    schedule=SETTINGS.schedule,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # one writer of the DuckDB warehouse at a time
    is_paused_upon_creation=False,  # `chanye serve` schedules it from the start
    default_args=DEFAULT_ARGS,
    tags=["chanye"],
    params={
        "input_path": Param(
            None,
            type=["null", "string"],
            description="File or folder of articles (.txt, .html, .jsonl); default: the inbox (CHANYE_INBOX)",
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
    def claim_data_dir(run_id=None) -> dict:
        """One writer per data dir: this run's (or the `chanye run` that started it), then what a
        dead run left is recovered (its commit finished, its publish finished, leftovers removed)."""
        return writer.claim_run(run_id)

    @task
    def release_data_dir(run_id=None) -> None:
        """Teardown: runs however the run ended, also when `anything_new` skipped the rest."""
        writer.release_run(run_id)

    @task
    def plan(params=None, run_id=None) -> list[dict]:
        """New input, in batches of about CHANYE_BATCH_SIZE documents."""
        return batches.plan(params.get("input_path"), run_id)

    @task.short_circuit
    def anything_new(planned: list[dict], params=None, run_id=None) -> bool:
        """Nothing new and no full refresh asked for: the rest of the run is skipped."""
        return report.anything_new(run_id, planned, params.get("full_refresh", False))

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
        return _gate(gate.validate_run, run_id)

    @task
    def commit(run_id=None) -> dict:
        """The run's pending files into one new lake commit."""
        writer.check_run(run_id)
        return lake.commit_run(run_id)

    @task
    def prepare_build(params=None) -> dict:
        """A copy of the published warehouse to add to, or a full refresh (and why)."""
        return build.prepare_build(params.get("full_refresh", False))

    @task
    def validate_marts(run_id=None) -> dict:
        """The GX gate before publishing: the build reconciles with the lake."""
        return _gate(gate.validate_marts, run_id)

    @task
    def build_docs(plan: dict) -> str:
        return build.build_docs(plan)

    @task(outlets=[WAREHOUSE, PARQUET])
    def publish(run_id=None) -> str:
        """One atomic switch to a release holding the warehouse, its Parquet exports and docs."""
        writer.check_run(run_id)
        return build.publish()

    @task
    def summarize(validation: dict, marts_validation: dict, plan: dict, run_id=None) -> dict:
        return report.summarize(run_id, validation, marts_validation, plan)

    claim = claim_data_dir().as_setup()
    planned = plan()
    claim >> planned
    staged = stage.expand(batch=planned)
    anything_new(planned) >> staged
    validation = validate()
    marts_validation = validate_marts()
    build_plan = prepare_build()
    chain(
        extract.expand(staged=staged),
        dedupe(),
        validation,
        commit(),
        build_plan,
        build.dbt_build_task(plan_task_id="prepare_build"),
        marts_validation,
        build_docs(build_plan),
        publish(),
        summarize(validation, marts_validation, build_plan),
        release_data_dir().as_teardown(setups=claim),
    )


chanye_pipeline()


@dag(
    dag_id="chanye_new_facts",
    schedule=[WAREHOUSE],  # runs whenever publish has replaced the warehouse
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    is_paused_upon_creation=False,
    default_args=DEFAULT_ARGS,
    tags=["chanye"],
    doc_md="""What the last publish added, for analysts: the facts of the newest lake commit in the
    published warehouse, as Markdown (data/reports/new_facts.md). A consumer of the asset
    `chanye_warehouse`: anything that must follow a publish (an app's cache, an export) hangs here.""",
)
def chanye_new_facts():
    @task
    def digest() -> str:
        return report.new_facts_digest()

    digest()


chanye_new_facts()
