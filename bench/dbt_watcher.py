"""dbt in the Airflow UI: cosmos' ExecutionMode.WATCHER (one `dbt build` producer task, one
deferrable sensor task per model shown in the graph) against the pipeline's single
DbtBuildLocalOperator task, both under the scheduler (`chanye serve`, LocalExecutor).

For each mode: a copy of the project whose DAG builds dbt that way, a fresh data directory, `chanye
serve` on a free port; then through the REST API one run on data/samples (a full build) and one
on tests/data/extraction (incremental); the wall time of each run and of its dbt part (from the
first dbt task's start to the last one's end) are printed and written to bench/results/.

Usage: uv run python bench/dbt_watcher.py  (about 8 minutes on 2 cores)"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAG_ID = "chanye_pipeline"
WATCHER_GROUP = '''
def _dbt_watcher_group():
    from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, InvocationMode, LoadMode
    from pathlib import Path
    import sys

    s = SETTINGS
    return DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(dbt_project_path=s.dbt_project, manifest_path=s.dbt_project / "target" / "manifest.json",
                                     env_vars=build.dbt_env(s)),
        profile_config=ProfileConfig(profile_name=build.PROFILE, target_name=build.TARGET,
                                     profiles_yml_filepath=s.dbt_project / "profiles.yml"),
        execution_config=ExecutionConfig(execution_mode=ExecutionMode.WATCHER, invocation_mode=InvocationMode.DBT_RUNNER,
                                         dbt_executable_path=str(Path(sys.executable).with_name("dbt"))),
        render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST, should_detach_multiple_parents_tests=True),
        operator_args={"install_deps": False, "emit_datasets": False, "pool": build.WRITER_POOL,
                       "full_refresh": "{{ ti.xcom_pull(task_ids='prepare_build')['full_refresh'] }}"},
    )
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def project_copy(mode: str, root: Path) -> Path:
    home = root / "home"
    for part in ("dags", "dbt_project", "expectations", "plugins"):
        shutil.copytree(REPO / part, home / part, ignore=shutil.ignore_patterns("target", "logs", "__pycache__"))
    if mode == "watcher":
        dag = home / "dags" / "chanye_pipeline.py"
        text = dag.read_text()
        call = 'build.dbt_build_task(plan_task_id="prepare_build")'
        assert call in text
        text = text.replace(call, "_dbt_watcher_group()").replace("\n\n@dag(\n    dag_id=\"chanye_pipeline\"",
                                                                  WATCHER_GROUP + "\n\n@dag(\n    dag_id=\"chanye_pipeline\"", 1)
        dag.write_text(text)
    return home


class Api:
    def __init__(self, port: int, password: str):
        self.base = f"http://127.0.0.1:{port}"
        self.token = self.call("POST", "/auth/token", {"username": "admin", "password": password}, auth=False)["access_token"]

    def call(self, method, path, body=None, auth=True):
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode() if body is not None else None,
                                     headers=headers, method=method)
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read() or b"null")


def seconds(a: str, b: str) -> float:
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()


def run(api: Api, conf: dict) -> dict:
    # max_active_runs=1: a scheduled run may be ahead of ours; wait for it to finish first
    run_id = api.call("POST", f"/api/v2/dags/{DAG_ID}/dagRuns", {"logical_date": None, "conf": conf})["dag_run_id"]
    while (dr := api.call("GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}"))["state"] not in ("success", "failed"):
        time.sleep(3)
    tis = api.call("GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances?limit=200")["task_instances"]
    dbt = [t for t in tis if t["task_id"] == "dbt_build" or t["task_id"].startswith("dbt.")]
    return {"state": dr["state"], "run_s": round(seconds(dr["start_date"], dr["end_date"]), 1),
            "dbt_s": round(seconds(min(t["start_date"] for t in dbt), max(t["end_date"] for t in dbt)), 1),
            "dbt_tasks": len(dbt)}


def measure(mode: str) -> dict:
    root = Path(tempfile.mkdtemp(prefix=f"chanye-{mode}-"))
    home, data, port = project_copy(mode, root), root / "data", free_port()
    shutil.copytree(REPO / "data" / "samples", home / "data" / "samples")
    env = {**os.environ, "CHANYE_HOME": str(home), "CHANYE_DATA_DIR": str(data), "CHANYE_RETRIES": "0"}
    out = (root / "serve.out").open("w")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("chanye")), "serve", "--port", str(port)], env=env,
                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while "Airflow is running" not in (root / "serve.out").read_text():
            if proc.poll() is not None:
                raise SystemExit((root / "serve.out").read_text()[-3000:])
            time.sleep(2)
        api = Api(port, json.loads((data / "airflow" / "simple_auth_manager_passwords.json.generated").read_text())["admin"])
        while not api.call("GET", f"/api/v2/dags/{DAG_ID}/dagRuns")["dag_runs"]:
            time.sleep(2)  # the scheduled run on the empty inbox comes first
        full = run(api, {"input_path": str(home / "data" / "samples")})
        print(f"{mode}: first run {full}", flush=True)  # kept if a later step is cut short
        incremental = run(api, {"input_path": str(REPO / "tests" / "data" / "extraction")})
        print(f"{mode}: incremental run {incremental}", flush=True)
        return {"mode": mode, "full": full, "incremental": incremental}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    results = [measure(mode) for mode in ("task", "watcher")]
    lines = ["| dbt in Airflow | first run (full build): run / dbt part | incremental run: run / dbt part | dbt tasks |",
             "|---|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['mode']} | {r['full']['run_s']} s / {r['full']['dbt_s']} s ({r['full']['state']}) | "
                     f"{r['incremental']['run_s']} s / {r['incremental']['dbt_s']} s ({r['incremental']['state']}) | "
                     f"{r['full']['dbt_tasks']} |")
    task, watcher = results
    for kind in ("full", "incremental"):
        lines.append(f"\n{kind}: watcher run {watcher[kind]['run_s'] / task[kind]['run_s'] - 1:+.0%} against one task")
    text = "\n".join(lines)
    print(text)
    out = REPO / "bench" / "results" / f"{datetime.now():%Y-%m-%d}-dbt-watcher.md"
    out.write_text(f"# cosmos ExecutionMode.WATCHER against one DbtBuildLocalOperator, under `chanye serve`\n\n{text}\n")


if __name__ == "__main__":
    main()
