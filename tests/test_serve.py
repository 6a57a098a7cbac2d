"""`chanye serve` as a user runs it: Airflow's api-server, scheduler, dag-processor and triggerer
on a free loopback port. The scheduler's first run finds an empty inbox and stops after plan; two
articles dropped into the inbox are ingested by a run triggered through the REST API, publish
emits the warehouse asset and chanye_new_facts runs on it; the Data Docs served by the api-server
render styled in Chromium; Ctrl-C stops every process. One service for the module (~3 min)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO

ARTICLES = REPO / "tests" / "data" / "inbox"  # written for this test


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Api:
    def __init__(self, port: int, password: str):
        self.base = f"http://127.0.0.1:{port}"
        self.token = self.call("POST", "/auth/token", {"username": "admin", "password": password}, auth=False)["access_token"]

    def call(self, method: str, path: str, body: dict | None = None, auth: bool = True):
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        with urllib.request.urlopen(request, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    def runs(self, dag_id: str) -> list[dict]:
        return self.call("GET", f"/api/v2/dags/{dag_id}/dagRuns?limit=50")["dag_runs"]

    def states(self, dag_id: str, run_id: str) -> dict[str, str]:
        tis = self.call("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances?limit=100")["task_instances"]
        return {ti["task_id"]: ti["state"] for ti in tis}


def wait(what: str, probe, proc: subprocess.Popen, log: Path, timeout: float, every: float = 3):
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(f"chanye serve exited ({proc.returncode}) while waiting for {what}:\n{log.read_text()[-3000:]}")
        if result := probe():
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def finished(api: Api, dag_id: str, run_type: str | None = None, run_id: str | None = None):
    for run in api.runs(dag_id):
        if (run_id is None or run["dag_run_id"] == run_id) and (run_type is None or run["run_type"] == run_type) \
                and run["state"] in ("success", "failed"):
            return run
    return None


def descendants(pid: int) -> set[int]:
    from chanye.runner import descendants as tree

    return set(tree(pid))


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """`chanye serve` on a fresh data dir, through one empty scheduled run and one triggered run
    on two new articles; yields what the tests check, then stops it as Ctrl-C does."""
    data = tmp_path_factory.mktemp("serve-data")
    port = free_port()
    env = {**os.environ, "CHANYE_DATA_DIR": str(data), "CHANYE_RETRY_DELAY_SECONDS": "5"}
    env.pop("CHANYE_INBOX", None)
    log = data / "serve.out"
    exe = Path(sys.executable).with_name("chanye")
    with log.open("w") as out:
        proc = subprocess.Popen([str(exe), "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        wait("the UI banner", lambda: "Airflow is running" in log.read_text(), proc, log, 300)
        password = json.loads((data / "airflow" / "simple_auth_manager_passwords.json.generated").read_text())["admin"]
        api = Api(port, password)
        # unpaused from the start, the DAG gets its scheduled run at once: the inbox is still empty
        empty = wait("the first scheduled run", lambda: finished(api, "chanye_pipeline", "scheduled"), proc, log, 300)
        for article in ARTICLES.glob("*.txt"):
            shutil.copy(article, data / "inbox")
        triggered = api.call("POST", "/api/v2/dags/chanye_pipeline/dagRuns", {"logical_date": None})
        run = wait("the triggered run", lambda: finished(api, "chanye_pipeline", run_id=triggered["dag_run_id"]),
                   proc, log, 600, every=5)
        consumer = wait("chanye_new_facts", lambda: finished(api, "chanye_new_facts"), proc, log, 300)
        yield {"api": api, "port": port, "data": data, "log": log, "proc": proc, "empty": empty, "run": run,
               "consumer": consumer}
    finally:  # test_ctrl_c_stops_every_process stops it; this is for a test that failed before
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_an_empty_inbox_stops_after_plan(service):
    api, empty = service["api"], service["empty"]
    assert empty["state"] == "success"
    states = api.states("chanye_pipeline", empty["dag_run_id"])
    assert states["plan"] == "success" and states["anything_new"] == "success"
    assert {states.get(t) for t in ("stage", "validate", "dbt_build", "publish")} <= {"skipped", None}


def test_new_articles_in_the_inbox_are_published(service):
    api, run = service["api"], service["run"]
    assert run["state"] == "success", api.states("chanye_pipeline", run["dag_run_id"])
    states = api.states("chanye_pipeline", run["dag_run_id"])
    assert set(states.values()) == {"success"}, states
    summary = json.loads((service["data"] / "reports" / "last_run.json").read_text())
    assert summary["run_id"] == run["dag_run_id"]
    assert summary["documents_staged"] == 2 and summary["facts_extracted"] >= 8
    assert Path(summary["data_quality_report"]).is_file()


def test_publish_emits_the_warehouse_asset(service):
    api, run = service["api"], service["run"]
    uri = (service["data"] / "warehouse" / "chanye.duckdb").as_uri()
    events = api.call("GET", "/api/v2/assets/events?limit=100")["asset_events"]
    ours = [e for e in events if e["uri"] == uri]
    assert [(e["source_task_id"], e["source_run_id"]) for e in ours] == [("publish", run["dag_run_id"])]
    assert all(e["source_task_id"] == "publish" for e in events)  # cosmos emits none of its own
    consumer = service["consumer"]
    assert consumer["state"] == "success" and consumer["run_type"] == "asset_triggered"
    digest = (service["data"] / "reports" / "new_facts.md").read_text(encoding="utf-8")
    assert "jiangsu_changzhou_battery.txt" in digest and "sichuan_mianyang_display.txt" in digest


def test_data_docs_render_styled_offline(service, browser):
    """The api-server serves the Data Docs (plugins/chanye_links.py); the index lists the run's
    validations by run id and data asset, with Bootstrap's styles applied and no remote request."""
    run_id = service["run"]["dag_run_id"]
    shots = service["data"] / "reports" / "ui"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    remote = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
               else (remote.append(route.request.url), route.abort()))
    page.goto(f"http://127.0.0.1:{service['port']}/chanye/data-docs/index.html")
    rows = page.locator("table tbody tr", has_text=run_id)
    rows.first.wait_for(timeout=30_000)
    page.screenshot(path=str(shots / "data-docs-index.png"))
    assets = {rows.nth(i).locator("td").nth(3).inner_text().strip() for i in range(rows.count())}
    assert assets == {"inputs", "documents", "facts", "marts", "rollups"}
    # Bootstrap's reboot sets the body font; bootstrap-table draws a bordered table
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("-apple-system")
    assert page.evaluate("getComputedStyle(document.querySelector('.fixed-table-container table th')).fontWeight") == "700"
    assert remote == []
    rows.filter(has_text="chanye-facts").first.locator("td").nth(1).click()  # the run's facts validation page
    page.wait_for_url("**/validations/facts/**")
    assert "Data asset: facts" in page.inner_text("body")
    page.screenshot(path=str(shots / "data-docs-facts.png"))
    page.close()


def test_ctrl_c_stops_every_process(service):
    """Last in the module: ends the service and checks nothing it started is left."""
    proc = service["proc"]
    tree = descendants(proc.pid)
    assert len(tree) >= 4  # the four components and their workers
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=90) == 0
    time.sleep(1)
    assert {p for p in tree if _alive(p)} == set()
    assert "Airflow stopped" in service["log"].read_text()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{service['port']}/api/v2/monitor/health", timeout=5)
