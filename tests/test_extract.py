"""Extraction behaviour, one rule per test, on short sentences written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from chanye import schemas
from chanye.extract import EXTRACTOR_VERSION, extract_facts

FACT_COLUMNS = {f.name for f in schemas.FACTS} - {"run_id", "extracted_at"}


def run(text: str, published=date(2024, 5, 20), region="320583") -> list[dict]:
    return extract_facts(
        {"document_id": "d1", "doc": "d1.txt", "text": text, "title": "t", "published": published, "region_code": region}
    )


def one(text: str, **kw) -> dict:
    rows = run(text, **kw)
    assert len(rows) == 1, rows
    return rows[0]


def test_rows_follow_the_facts_contract():
    text = "该项目总投资约 25 亿元,占地120亩。"
    rows = run(text)
    assert len(rows) == 2
    for row in rows:
        assert set(row) == FACT_COLUMNS
        assert text[row["char_start"] : row["char_end"]] == row["span_text"]
        assert row["fact_id"] == schemas.fact_id("d1", row["char_start"], row["char_end"], row["metric"])
        assert row["value"] == pytest.approx(row["raw_value"] * row["unit_factor"])
        assert row["extractor_version"] == EXTRACTOR_VERSION
    money = rows[0]
    assert (money["metric"], money["value"], money["unit"], money["qualifier"]) == ("investment", 2.5e9, "CNY", "approx")
    assert (money["raw_value"], money["raw_unit"]) == (25, "亿元")
    assert rows[1]["value"] == pytest.approx(80_000)


@pytest.mark.parametrize(
    ("text", "metric", "value", "unit"),
    [
        ("全市实现地区生产总值1.15万亿元。", "gdp", 1.15e12, "CNY"),
        ("规上工业产值达到一百二十亿元。", "output_value", 1.2e10, "CNY"),
        ("公司完成5000万美元B轮融资。", "financing", 5e7, "USD"),
        ("设立总规模50亿元的产业基金。", "fund_size", 5e9, "CNY"),
        ("该公司注册资本260亿129万5千元。", "registered_capital", 26_001_295_000, "CNY"),
        ("园区现有高新技术企业1,280家。", "enterprise_count", 1280, "count"),
        ("累计授权发明专利356件。", "patent_count", 356, "count"),
        ("新建标准厂房12万平方米。", "floor_area", 120_000, "m2"),
        ("规划面积3.5平方公里。", "land_area", 3_500_000, "m2"),
        ("带动就业2000人。", "job_count", 2000, "count"),
        ("研发投入占营业收入的比重为百分之六。", "share", 6, "percent"),
        ("外资企业数量占全区的三分之一。", "share", 33.33, "percent"),
    ],
)
def test_metrics_and_units(text, metric, value, unit):
    row = one(text)
    assert (row["metric"], row["unit"]) == (metric, unit)
    assert row["value"] == pytest.approx(value, rel=1e-4)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("签约项目超30个。", "lower_bound"),
        ("引进项目50多个。", "lower_bound"),
        ("入驻企业440余家。", "lower_bound"),
        ("培育上市企业10家以上。", "lower_bound"),
        ("全年GDP突破2000亿元。", "lower_bound"),
        ("总投资约8亿元。", "approx"),
        ("总投资8亿元左右。", "approx"),
        ("总投资不超过8亿元。", "upper_bound"),
        ("预计产值可达400亿元。", "upper_bound"),
        ("总投资8亿元。", "exact"),
    ],
)
def test_qualifiers(text, qualifier):
    assert one(text)["qualifier"] == qualifier


def test_ranges():
    row = one("项目总投资3-5亿元。")
    assert (row["value"], row["value_high"], row["qualifier"]) == (3e8, 5e8, "range")
    row = one("产值同比增长8%-10%。")
    assert (row["value"], row["value_high"]) == (8, 10)
    row = one("拟引进企业三四百家。")
    assert (row["value"], row["value_high"], row["qualifier"]) == (300, 400, "range")


def test_declines_are_negative():
    assert one("工业增加值同比下降3%。")["value"] == -3


def test_a_declining_range_keeps_low_below_high():
    fact = one("预计能耗同比降低9%至13%。")
    assert (fact["value"], fact["value_high"], fact["qualifier"]) == (-13, -9, "range")
    assert fact["raw_value"] * fact["unit_factor"] == fact["value"]
    assert one("出口同比增长-20%。")["value"] == -20
    assert one("增长5.2%。")["value"] == 5.2


@pytest.mark.parametrize(
    ("text", "modality", "year"),
    [
        ("到2027年,全市力争产业规模达到500亿元。", "target", 2027),
        ("预计明年产值将突破100亿元。", "forecast", 2025),
        ("去年实现产值120亿元。", "actual", 2023),
        ("2022年以来,累计引进项目28个。", "actual", 2024),
        ("“十四五”期间,计划新增上市企业10家。", "target", 2025),
        ("2022年全区GDP首次突破2000亿元。", "actual", 2022),
        ("全区集聚企业144家。", "actual", 2024),
        ("3年内新增企业100家。", "forecast", 2027),
        ("营收比2020年增长30%。", "actual", 2024),
    ],
)
def test_modality_and_year(text, modality, year):
    row = one(text)
    assert (row["modality"], row["year"]) == (modality, year)


def test_people_counts_depend_on_the_verb():
    assert one("来自全国的200余名专家学者齐聚苏州。")["metric"] == "attendee_count"
    assert one("累计引进高层次人才35名。")["metric"] == "talent_count"


@pytest.mark.parametrize(
    "text",
    [
        "构建“4+4”现代化产业体系。",
        "开展“1+4”系列活动。",
        "作为世界500强企业,公司表示看好市场。",
        "“十四五”期间重点打造首位产业。",
        "第二届峰会举行。2023首届论坛开幕。",
        "1#地块已完成出让。建设8英寸晶圆生产线。推进5G基站建设。",
        "联系电话:0512-53660867,手机13391219793。",
        "备案号:闽ICP备16032166号-1。",
        "打造千亿级产业集群。",
        "这是一家企业的一个项目。",
        "近20年的发展。",
        "统筹推进教育科技人才“三位一体”发展。",
        "当天有3000人参观。",
    ],
)
def test_not_facts(text):
    assert run(text) == []


def test_region_falls_back_to_the_document():
    assert one("累计引进项目28个。", region="330523")["region_code"] == "330523"
    assert one("累计引进项目28个。", region=None)["region_code"] is None


def test_empty_and_missing_text():
    assert run("") == []
    assert extract_facts({"document_id": "x", "doc": "x", "text": None, "published": None, "region_code": None}) == []


def test_no_published_date_gives_no_relative_year():
    row = one("去年实现产值120亿元。", published=None)
    assert row["year"] is None
