"""The analysts' app without a browser: number display, evidence highlighting, the read-side
queries, the Excel/CSV export, the corrections store and every page through Streamlit's AppTest.
On the session's published warehouse (the seeds run); what writes corrections works on a copy."""
from __future__ import annotations

import io
import json
import os
import shutil

import pytest
import yaml

from conftest import REPO, needs_seeds
from chanye.app import display

MAIN = REPO / "src" / "chanye" / "app" / "main.py"


# ---------------------------------------------------------------- display (no warehouse)

@pytest.mark.parametrize(
    "value, unit, metric, high, qualifier, shown",
    [
        (50_000_000_000, "CNY", "industry_scale", None, "exact", "500亿元"),
        (14_000_000_000, "CNY", "investment", None, "approx", "约140亿元"),
        (300_000_000, "CNY", "investment", 500_000_000, "range", "3-5亿元"),
        (240_000, "CNY", "investment", None, None, "24万元"),
        (1_500_000_000, "USD", "investment", None, None, "15亿美元"),
        (5_000_000, "m2", "land_area", None, None, "7,500亩"),
        (280_000, "m2", "floor_area", None, None, "28万平方米"),
        (28, "count", "project_count", None, "lower_bound", "超28个"),
        (100, "count", "enterprise_count", None, None, "100家"),
        (12.5, "percent", "growth_rate", None, None, "12.5%"),
        (-3.2, "percent", "growth_rate", None, None, "-3.2%"),
    ],
)
def test_values_read_as_analysts_write_them(value, unit, metric, high, qualifier, shown):
    assert display.value_text(value, unit, metric, high, qualifier) == shown


def test_the_base_value_is_on_hover():
    html = display.value_html(50_000_000_000, "CNY", "industry_scale", shown="500亿元")
    assert html == '<span class="cy-value" title="50,000,000,000 CNY">500亿元</span>'


def test_evidence_marks_the_number_and_escapes_html():
    sentence = "运河网谷签约客户147家,落地区域总部1家<b>、上市企业4家"
    assert display.highlight(sentence, "7家") == display.highlight(sentence, [])  # 7家 only inside 147家
    marked = display.highlight(sentence, ["1家", "签约"])
    assert marked.count("<mark>") == 2 and "<mark>签约</mark>" in marked and "总部<mark>1家</mark>" in marked
    assert "&lt;b&gt;" in marked


def test_the_corrections_log_and_the_dbt_source_declare_the_same_columns():
    from chanye.schemas import CORRECTIONS

    source = yaml.safe_load((REPO / "dbt_project" / "models" / "staging" / "_corrections__sources.yml").read_text())
    location = source["sources"][0]["config"]["external_location"]
    declared = [part.split(":=")[0].strip() for part in location.split("struct_pack(")[1].split(",") if ":=" in part]
    assert declared == CORRECTIONS.names


def test_a_corrected_value_is_read_by_the_number_grammar():
    from chanye.corrections import parse_value

    assert parse_value("600亿元", "CNY") == {"value": 6e10, "value_high": None, "qualifier": "exact", "unit": "CNY",
                                            "value_display": "600亿元"}
    assert parse_value("3-5亿元", "CNY")["value_high"] == 5e8
    assert parse_value("约150亿元", "CNY")["qualifier"] == "approx"
    assert parse_value("7500亩", "CNY")["unit"] == "m2"
    assert parse_value("28", "count")["value"] == 28.0
    with pytest.raises(ValueError, match="读不懂数值"):
        parse_value("很多钱", "CNY")


# ---------------------------------------------------------------- on the seeds warehouse

@pytest.fixture
def wh(seeds_run):
    from chanye.app import queries

    w = queries.Warehouse()
    yield w
    w.close()  # other tests open the file with other settings (DuckDB shares one instance per process)


@needs_seeds
def test_region_queries_roll_down_and_search_needs_every_word(wh):
    from chanye.app import queries

    anji = queries.facts(wh, region="330523")
    huzhou = queries.facts(wh, region="330500")
    assert len(anji) > 5 and set(anji["fact_id"]) <= set(huzhou["fact_id"])
    assert set(queries.facts(wh, region="330523", industry="biomedicine")["industry_id"]) <= {
        "biomedicine", "medical_devices", "cell_gene_therapy", "vaccines", "synthetic_biology"}
    both = queries.search(wh, "生物医药 签约")
    assert not both.empty
    for row in both.to_dict("records"):
        text = " ".join(str(row[c] or "") for c in ("evidence", "subject", "title", "industry_name", "metric_name", "region_name"))
        assert "生物医药" in text and "签约" in text
    assert len(queries.search(wh, "签约")) >= len(both)
    target = queries.targets(wh, region="330523")
    row = target[(target["deadline_year"] == 2026) & (target["metric_id"] == "industry_scale")].iloc[0]
    assert row["target_value"] == 50_000_000_000 and "500亿元" in row["evidence"]
    regions = queries.regions_with_facts(wh).set_index("region_code")
    assert regions.loc["330523", "facts"] == len(anji) and regions.loc["330000", "facts"] >= regions.loc["330500", "facts"]


@needs_seeds
def test_the_app_reopens_the_warehouse_when_a_build_is_published(seeds_run, tmp_path):
    import duckdb

    from chanye.app import queries
    from chanye.config import settings

    path = tmp_path / "chanye.duckdb"
    shutil.copyfile(settings().published_warehouse, path)
    w = queries.Warehouse(path)
    try:
        first = w.version
        assert w.scalar("select count(*) from dim_document") == 5
        shutil.copyfile(settings().published_warehouse, tmp_path / "next.duckdb")
        with duckdb.connect(str(tmp_path / "next.duckdb")) as build:  # the next build differs
            build.execute("delete from dim_document where document_id = (select min(document_id) from dim_document)")
        os.replace(tmp_path / "next.duckdb", path)  # as publish does: a rename over the file
        assert w.version != first
        assert w.scalar("select count(*) from dim_document") == 4  # read from the new file
    finally:
        w.close()


@needs_seeds
def test_export_xlsx_has_evidence_url_and_document_columns(wh, tmp_path):
    from openpyxl import load_workbook

    from chanye.app import export, queries

    table = export.table(export.fact_rows(queries.facts(wh, region="330523")), export.FACT_COLUMNS)
    book = load_workbook(io.BytesIO(export.to_xlsx(table, "事实", export.about("事实", {"地区": "330523"}, len(table)))))
    sheet = book["事实"]
    header = [c.value for c in sheet[1]]
    for column in ("证据原句", "链接", "文档", "文章标题", "数值", "数值（基础单位）", "fact_id"):
        assert column in header
    rows = [dict(zip(header, (c.value for c in r))) for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(table)
    investment = next(r for r in rows if r["数值"] == "140亿元")
    assert investment["数值（基础单位）"] == 14_000_000_000 and "140亿元" in investment["证据原句"]
    assert investment["文档"] == "000_1e616931093342f5.txt"
    assert dict(book["说明"].iter_rows(values_only=True))["筛选: 地区"] == "330523"
    csv = export.to_csv(table).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("地区,地区代码,指标")


@needs_seeds
def test_chanye_export_writes_the_same_workbook(seeds_run, tmp_path, capsys):
    from openpyxl import load_workbook

    from chanye import cli

    out = tmp_path / "anji.xlsx"
    assert cli.main(["export", "--region", "330523", "--industry", "生物医药", "--format", "xlsx", "--out", str(out)]) == 0
    assert "written to" in capsys.readouterr().out
    sheet = load_workbook(out)["事实"]
    header = [c.value for c in sheet[1]]
    regions = {r[header.index("地区代码")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert regions == {"330523"}
    assert cli.main(["export", "--region", "安吉县", "--table", "targets", "--format", "csv", "--out", str(tmp_path / "t.csv")]) == 0
    assert "目标值" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert cli.main(["export", "--region", "nowhere", "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "unknown region" in capsys.readouterr().err


@pytest.fixture
def corrections_dir(seeds_run, tmp_path, monkeypatch):
    """A data directory with a copy of the published warehouse: corrections go to its own store."""
    from chanye.config import settings

    published = settings().published_warehouse
    copy = tmp_path / "data"
    (copy / "warehouse").mkdir(parents=True)
    shutil.copyfile(published, copy / "warehouse" / published.name)
    monkeypatch.setenv("CHANYE_DATA_DIR", str(copy))
    return copy


@needs_seeds
def test_chanye_correct_validates_and_appends(corrections_dir, capsys):
    from chanye import cli, corrections

    code = cli.main(["correct", "3276ff317b", "--value", "600亿元", "--note", "规划文件为600亿元", "--by", "张三"])
    assert code == 0, capsys.readouterr().err
    assert "applies from the next run" in capsys.readouterr().out
    assert cli.main(["correct", "3276ff317b", "--region", "安吉县", "--year", "2027", "--note", "年份"]) == 0
    log = corrections.read_log()
    assert [e["action"] for e in log] == ["correct", "correct"]
    assert log[0]["value"] == 6e10 and log[0]["corrected_by"] == "张三" and log[0]["span_text"] == "500亿元"
    # the second correction of the same fact keeps what the first set
    assert log[1]["value"] == 6e10 and log[1]["year"] == 2027 and log[1]["region_code"] == "330523"
    assert len(corrections.pending()) == 2
    for args, message in (
        (["--metric", "land_area"], "不适用于指标"),
        (["--region", "朝阳区"], "有多个"),
        (["--modality", "maybe"], "未知的性质"),
        (["--year", "1066"], "不合理"),
    ):
        assert cli.main(["correct", "3276ff317b", *args, "--note", "x"]) == 1
        assert message in capsys.readouterr().err
    assert cli.main(["correct", "ffffffffff", "--wrong", "--note", "x"]) == 1
    assert len(corrections.read_log()) == 2  # nothing appended by a refused correction
    assert json.loads(corrections_dir.joinpath("corrections", "corrections.jsonl").read_text().splitlines()[0])["note"] == "规划文件为600亿元"


# ---------------------------------------------------------------- pages (AppTest)

@pytest.fixture
def app(seeds_run):
    """The app script, run by Streamlit's AppTest (no browser); caches cleared around each test."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from chanye.app import widgets

    st.cache_data.clear()
    st.cache_resource.clear()
    yield lambda: AppTest.from_file(str(MAIN), default_timeout=60)
    widgets.warehouse().close()
    st.cache_data.clear()
    st.cache_resource.clear()


def run_page(make, page: str, **params):
    at = make()
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_html(at) -> str:
    return "".join(h.value for h in at.html)


@needs_seeds
@pytest.mark.parametrize("page", ["overview", "targets", "compare", "conflicts", "corrections", "quality"])
def test_every_page_renders(app, page):
    at = run_page(app, page)
    assert at.title[0].value in {"产业数据总览", "目标进展", "地区对比", "数据冲突", "人工修正", "数据质量"}
    assert not at.error


@needs_seeds
def test_region_page_shows_targets_with_progress_and_evidence(app):
    at = run_page(app, "region", region="330523")
    assert at.header[0].value == "安吉县"
    assert [s.value for s in at.selectbox][:3] == ["330000", "330500", "330523"]
    html = page_html(at)
    assert 'role="progressbar"' in html
    assert "2026年目标 · 产业规模" in html and "<mark>500亿元</mark>" in html
    assert "140亿元" in html and 'title="14,000,000,000 CNY"' in html  # the facts table, base value on hover


@needs_seeds
def test_search_page_finds_every_word(app):
    at = run_page(app, "search", q="生物医药 签约")
    assert "找到" in at.caption[0].value
    assert "<mark>签约</mark>" in page_html(at)


@needs_seeds
def test_a_correction_from_the_app_goes_to_the_store(app, corrections_dir):
    from chanye import corrections

    at = run_page(app, "corrections", fact="3276ff317b")
    at.text_input(key="corrections_form_value").input("600亿元")
    at.text_area(key="corrections_form_note").input("规划文件为600亿元")
    at.text_input(key="corrections_form_by").input("李四")
    next(b for b in at.button if b.label == "提交修正").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "已记录修正" in at.success[0].value
    [entry] = corrections.read_log()
    assert (entry["fact_id"], entry["value"], entry["corrected_by"]) == ("3276ff317baccfb89221", 6e10, "李四")
