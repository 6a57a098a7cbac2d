"""The analysts' app in a real browser: `chanye ui` (streamlit run) serves a warehouse built by the
real pipeline from the seeds; headless Chromium (Playwright, Debian's build) opens every page,
navigates province → city → county to 安吉县, reads its 2026 target with its progress bar and
evidence, searches, exports an .xlsx and reads it back, makes a correction, reruns the pipeline
and sees the correction applied, without restarting the app. Screenshots of each page go to
<the test's data dir>/reports/ui/ (the path is printed at the end of the test run).
On a copy of the session's data directory, so the other tests keep the seeds-only warehouse."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import REPO, UI_SCREENSHOTS, needs_seeds

pytestmark = needs_seeds
expect.set_options(timeout=30_000)  # a loaded CI machine: the first page imports pandas, Altair, DuckDB


@pytest.fixture(scope="module")
def ui_data(seeds_run, data_dir, tmp_path_factory, pytestconfig) -> Path:
    copy = tmp_path_factory.mktemp("ui") / "data"
    shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns("airflow"))  # a fresh Airflow DB for the rerun
    pytestconfig.stash[UI_SCREENSHOTS] = copy / "reports" / "ui"
    return copy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(ui_data):
    """`chanye ui` as an analyst starts it, on its own port; stopped by its pid at the end."""
    port = free_port()
    log = ui_data / "logs" / "ui.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CHANYE_DATA_DIR=str(ui_data))
    with log.open("w") as out:
        server = subprocess.Popen([str(Path(sys.executable).with_name("chanye")), "ui", "--port", str(port)],
                                  env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"chanye ui did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    yield url
    server.terminate()
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True, locale="zh-CN")
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def shot(page, ui_data: Path, name: str) -> None:
    """A full screenshot of the page's content (Streamlit scrolls inside its main area: the
    viewport grows to the content first)."""
    out = ui_data / "reports" / "ui"
    out.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(800)  # charts finish drawing
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(900, min(int(height) + 40, 6000))})
    page.screenshot(path=str(out / f"{name}.png"))
    page.set_viewport_size({"width": 1400, "height": 1600})


def no_exception(page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by its label (options read 安吉县（18）: the name
    and how many facts)."""
    page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).click()
    page.get_by_role("option", name=re.compile(f"^{option}（")).click()


PAGES = [
    ("overview", "/", "产业数据总览"),
    ("targets", "/targets", "目标进展"),
    ("compare", "/compare", "地区对比"),
    ("conflicts", "/conflicts", "数据冲突"),
    ("corrections", "/corrections", "人工修正"),
    ("quality", "/quality", "数据质量"),
]


@pytest.mark.parametrize("name, path, heading", PAGES)
def test_each_page_in_the_browser(page, app_url, ui_data, name, path, heading):
    page.goto(app_url + path)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    no_exception(page)
    if name == "overview":
        expect(page.get_by_test_id("stMetric").first).to_be_visible()
        expect(page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first).to_be_visible()
    if name == "targets":
        expect(page.locator(".cy-target [role=progressbar]").first).to_be_visible()
    if name == "conflicts":
        expect(page.get_by_text("先报").first).to_be_visible()
    if name == "quality":
        expect(page.get_by_text("最近的运行")).to_be_visible()
    shot(page, ui_data, name)


def test_an_analyst_finds_anji_exports_corrects_and_the_correction_survives_a_rerun(page, app_url, ui_data, monkeypatch):
    from openpyxl import load_workbook

    from chanye import corrections, runner

    # navigate: the sidebar, then province → city → county
    page.goto(app_url + "/")
    page.get_by_role("link", name="地区", exact=True).click()
    expect(page.get_by_role("heading", name="地区", exact=True)).to_be_visible()
    choose(page, "省级", "浙江省")
    choose(page, "地级", "湖州市")
    choose(page, "县级", "安吉县")
    expect(page.get_by_role("heading", name="安吉县", exact=True)).to_be_visible()
    assert page.url.endswith("/region?region=330523")  # the view can be shared

    # its 2026 target: a progress bar and the sentence with the number marked
    target = page.locator(".cy-target").filter(has_text="2026年目标 · 产业规模")
    expect(target).to_have_count(1)
    expect(target.locator("[role=progressbar]")).to_have_count(1)
    expect(target.locator("mark")).to_have_text(["500亿元"])
    expect(target).to_contain_text("到2026年,该区力争生物医药产业规模达到500亿元")
    expect(target.locator(".cy-value").first).to_have_attribute("title", "50,000,000,000 CNY")  # base value on hover
    no_exception(page)
    shot(page, ui_data, "region")

    # the facts as .xlsx, read back
    with page.expect_download() as download:
        page.locator(".st-key-region_facts_xlsx button").click()
    saved = ui_data / "reports" / "ui" / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "facts-330523.xlsx"
    book = load_workbook(saved)
    assert book.sheetnames == ["安吉县 事实", "说明"]
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert {"证据原句", "链接", "文档", "文章标题", "数值", "数值（基础单位）"} <= set(header)
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 18 and {r["地区代码"] for r in rows} == {"330523"}
    target_row = next(r for r in rows if r["指标"] == "产业规模")
    assert (target_row["数值"], target_row["数值（基础单位）"], target_row["性质"]) == ("500亿元", 5e10, "目标")
    assert "500亿元" in target_row["证据原句"] and target_row["文档"].endswith(".txt")

    # search
    page.get_by_role("link", name="全文检索").click()
    box = page.get_by_label("检索词（空格分隔，须全部出现）")
    box.fill("生物医药 签约")
    box.press("Enter")
    expect(page.get_by_text("找到 7 条事实")).to_be_visible()
    expect(page.locator(".cy-facts mark", has_text="签约").first).to_be_visible()
    no_exception(page)
    shot(page, ui_data, "search")

    # a correction of the target's value, from the region page
    page.goto(app_url + "/region?region=330523")
    expect(page.get_by_role("heading", name="安吉县", exact=True)).to_be_visible()
    page.get_by_text("修正一条事实").click()
    form = page.get_by_test_id("stForm")
    form.get_by_test_id("stSelectbox").filter(has=page.get_by_text("事实", exact=True)).click()
    page.keyboard.type("产业规模")
    page.get_by_role("option").filter(has_text="产业规模 · 500亿元 · 2026").click()
    form.get_by_label("数值").fill("600亿元")
    form.get_by_label("修正说明（必填）").fill("规划文件写明600亿元")
    form.get_by_label("修正人").fill("王分析")
    form.get_by_role("button", name="提交修正").click()
    expect(page.get_by_text("已记录修正")).to_be_visible()
    monkeypatch.setenv("CHANYE_DATA_DIR", str(ui_data))
    [entry] = corrections.read_log()
    assert (entry["fact_id"], entry["value"], entry["corrected_by"]) == ("3276ff317baccfb89221", 6e10, "王分析")
    shot(page, ui_data, "correction-made")

    # the pipeline runs again, with new articles; the app (still running) shows the new build
    again = runner.run(REPO / "data" / "samples")
    assert again["warehouse_build"] == "incremental" and again["documents_staged"] > 0
    page.goto(app_url + "/region?region=330523")
    target = page.locator(".cy-target").filter(has_text="2026年目标 · 产业规模")
    expect(target).to_contain_text("600亿元")
    expect(target.locator(".cy-corrected")).to_contain_text("已修正 · 原为 500亿元")
    expect(page.locator(".cy-facts .cy-corrected")).to_contain_text("原为 500亿元")
    no_exception(page)
    shot(page, ui_data, "region-corrected")
    page.goto(app_url + "/corrections")
    # st.dataframe draws on a canvas; its cells are in a (hidden) accessibility grid
    expect(page.locator("[role=gridcell]", has_text="规划文件写明600亿元")).to_have_count(1)
    expect(page.locator("[role=gridcell]", has_text="已生效")).to_have_count(1)
    expect(page.get_by_text("待生效")).to_have_count(0)
    shot(page, ui_data, "corrections-applied")
