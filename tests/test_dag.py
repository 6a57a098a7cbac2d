"""The DAG folder imports cleanly through Airflow's own DagBag, and cheaply."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO


def test_dags_import_without_errors(data_dir):
    from chanye import runner
    from chanye.config import settings

    runner.prepare(settings())
    code = f"""
import json, sys, time
t = time.monotonic()
from airflow.dag_processing.dagbag import BundleDagBag
bag = BundleDagBag(dag_folder={str(REPO / 'dags')!r}, bundle_path={str(REPO / 'dags')!r})
dag = bag.get_dag("chanye_pipeline")
print(json.dumps({{"errors": {{k: str(v) for k, v in bag.import_errors.items()}},
                  "dags": sorted(bag.dag_ids), "seconds": time.monotonic() - t,
                  "gx_imported": "great_expectations" in sys.modules,
                  "tasks": sorted(t.task_id for t in dag.tasks),
                  "retries": {{t.task_id: [t.retries, t.retry_exponential_backoff, str(t.execution_timeout)] for t in dag.tasks}},
                  "outlets": {{t.task_id: sorted(o.uri for o in t.outlets) for t in dag.tasks if t.outlets}},
                  "consumer": [a.uri for a in bag.get_dag("chanye_new_facts").timetable.asset_condition.objects],
                  "paused_at_creation": dag.is_paused_upon_creation}}))
"""
    env = runner.airflow_env(settings())
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["errors"] == {}
    assert result["dags"] == ["chanye_new_facts", "chanye_pipeline"]
    assert result["tasks"] == sorted([
        "claim_data_dir", "plan", "anything_new", "stage", "extract", "dedupe", "validate", "commit", "prepare_build", "dbt_build",
        "validate_marts", "build_docs", "publish", "summarize", "release_data_dir",
    ])
    # retries with backoff and a timeout on every task (default_args), the cosmos task included
    assert {tuple(v) for v in result["retries"].values()} == {(2, 2.0, "2:00:00")}
    # only publish emits assets: the published warehouse and its Parquet exports (not cosmos' build file)
    published = settings().published_warehouse
    assert result["outlets"] == {"publish": sorted([published.as_uri(), (published.parent / "parquet").as_uri()])}
    assert result["consumer"] == [published.as_uri()]
    assert result["paused_at_creation"] is False
    # nothing heavy at parse time: GX (6 s to import) is imported inside tasks only
    assert result["gx_imported"] is False


def test_airflow_cli_keeps_airflow_exit_status(data_dir):
    """The one-shot launcher (runner's `airflow dags test`) skips interpreter teardown but not the
    exit status: success stays 0, a CLI error stays an error with its message."""
    from chanye import runner
    from chanye.config import settings

    env = runner.airflow_env(settings())
    ok = subprocess.run([sys.executable, "-m", "chanye.airflow_cli", "version"], env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert ok.stdout.strip().split(".")[0] == "3"
    bad = subprocess.run([sys.executable, "-m", "chanye.airflow_cli", "dags", "no-such-command"], env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0
    assert "no-such-command" in bad.stderr
