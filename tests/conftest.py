"""Shared fixtures. Runs write into temporary data directories, never into the checkout's data/."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
SCORER = SHARED / "eval" / "score.py"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
UI_SCREENSHOTS = pytest.StashKey[Path]()  # where the browser tests wrote their screenshots


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    shots = config.stash.get(UI_SCREENSHOTS, None)
    if shots and shots.is_dir():
        terminalreporter.write_line(f"screenshots of the analysts' app: {shots}")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """One data directory for the session's pipeline runs (Airflow DB, lake, warehouse)."""
    path = tmp_path_factory.mktemp("chanye-data")
    old = os.environ.get("CHANYE_DATA_DIR")
    os.environ["CHANYE_DATA_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("CHANYE_DATA_DIR", None)
    else:
        os.environ["CHANYE_DATA_DIR"] = old


@pytest.fixture(scope="session")
def seeds_run(data_dir) -> dict:
    """The real pipeline (Airflow + dbt + GX) once on ../shared/seeds; tests read its outputs."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    from chanye import runner

    return runner.run(SEEDS)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (scripts/ensure_browser.sh installs it;
    `make test` runs that first). Missing, it is an error, not a skip: the UI must be tested."""
    import shutil

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield launched
        launched.close()
