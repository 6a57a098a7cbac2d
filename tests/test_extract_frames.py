"""What each claim measures, when and where: the time frame, the place frame, the subject and
scope, and the number forms the frames rely on. One rule per case, on sentences written for
these tests (the gold sets are only scored, never copied)."""
from __future__ import annotations

from datetime import date

import pytest

from chanye.extract import extract_facts


def run(text: str, title: str = "t", published=date(2024, 5, 20), region: str | None = None) -> list[dict]:
    return extract_facts({"document_id": "d1", "doc": "d1.txt", "text": text, "title": title,
                          "published": published, "region_code": region})


def picked(rows: list[dict], *keys: str) -> list[tuple]:
    return [tuple(row[k] for k in keys) for row in rows]


# ------------------------------------------------------------------ time


@pytest.mark.parametrize(
    ("title", "text", "published", "years"),
    [
        # the year a title reports on scopes its claims that name none
        ("2023年全县经济运行简况", "全县规上工业增加值增长6.5%。", date(2024, 1, 25), [2023]),
        # a stated year leading a paragraph scopes the paragraph's next sentences
        ("t", "2023年，全市实现地区生产总值5000亿元。\n规上工业增加值增长6%。", date(2024, 5, 20), [2023, 2023]),
        # an enumeration after 分别 gives each number its year, from a range or a list
        ("t", "2021年至2023年，园区产值分别为10亿元、12亿元和15亿元。", date(2024, 5, 20), [2021, 2022, 2023]),
        ("t", "2022年和2023年，该区营业收入分别为120亿元和150亿元。", date(2024, 5, 20), [2022, 2023]),
        # a period up to now (百年来) is the present's, whatever year the paragraph's lead named
        ("t", "该校始建于1924年，是省内最早的工科学校。建校百年来，学校累计培养各类人才20余万名。", date(2024, 5, 20), [2024]),
        ("t", "该厂建于1953年，当年投产。70多年来，该厂累计实现产值500亿元。", date(2024, 5, 20), [2024]),
        ("t", "某县纺织产业起步于1995年，经过20多年发展，全县已聚集纺织企业60家。", date(2024, 5, 20), [2024]),
        # 过去一年 in a report early in the year is last year
        ("t", "过去一年，高新区共实施重点项目57个，完成投资136亿元。", date(2024, 3, 5), [2023, 2023]),
        # 占比 is no comparison (比…2020年); a change from a dated value reaches the present
        ("t", "今年1—10月，全市营业收入增长9.4%，高端产品占比由2020年的19%提升至38%。", date(2024, 11, 20),
         [2024, 2020, 2024]),
        ("t", "全市规上工业产值从2019年的800亿元增长至2023年的1200亿元。", date(2024, 5, 20), [2019, 2023]),
        # N年前 counts back from the article's date
        ("t", "五年前，这里的企业只有10家。", date(2024, 5, 20), [2019]),
        # a comparison base (较去年同期) is not the claim's year
        ("t", "全市工业投资较去年同期增长12%。", date(2024, 5, 20), [2024]),
        # 目前 is the present, whatever year the title reports on
        ("2023年工作回顾", "目前，园区已集聚企业230家。", date(2024, 5, 20), [2024]),
        # a whole year cannot have ended in February: it is last year's
        ("t", "全年实现产值120亿元。", date(2024, 2, 10), [2023]),
        # Taiwan's calendar
        ("t", "民国112年，该县观光产值为45亿元。", date(2024, 5, 20), [2023]),
    ],
)
def test_the_year_of_a_claim(title, text, published, years):
    assert [row["year"] for row in run(text, title=title, published=published)] == years


@pytest.mark.parametrize(
    ("text", "scope", "period_start"),
    [
        ("近三年来，全县累计引进项目86个。", "cumulative", 2022),
        ("十四五以来，全市累计新增上市公司21家。", "cumulative", 2021),
        ("2020年以来，园区累计落地项目40个。", "cumulative", 2020),
    ],
)
def test_a_cumulative_period_has_its_start(text, scope, period_start):
    (row,) = run(text)
    assert (row["scope"], row["period_start"], row["year"]) == (scope, period_start, 2024)


# ------------------------------------------------------------------ place


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # where investors come from is not where the claim happens
        ("来自温州的客商在丽水签约项目12个。", "331100"),
        # a place inside a company's name is not the claim's place
        ("深圳华为技术有限公司在东莞投资建设研发中心，总投资30亿元。", "441900"),
        # a dateline city names where the story was filed, not what it is about
        ("新华社南京5月10日电 常州市今年签约项目56个。", "320400"),
    ],
)
def test_the_region_of_a_claim(text, region):
    assert {row["region_code"] for row in run(text)} == {region}


def test_a_national_claim_has_no_region_even_in_a_city_article():
    (row,) = run("全国规模以上工业增加值增长5.6%。", region="320500")
    assert row["region_code"] is None


# ------------------------------------------------------------------ what is measured


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # stock: a level existing now
        ("截至目前，全区共有专精特新企业85家。", [("专精特新企业", "stock", "专精特新")]),
        ("该区拥有上市企业12家，其中科创板上市企业3家。",
         [("上市企业", "stock", "上市"), ("科创板上市企业", "stock", "上市")]),
        # new: added in the period
        ("去年新增高新技术企业360家。", [("高新技术企业", "new", "高新技术")]),
        # flow: a rate, or a yearly amount; 规上 narrows the population
        ("全市农村居民人均可支配收入增长7.1%。", [("农村居民人均可支配收入", "flow", None)]),
        ("今年一季度，全市规上工业总产值同比增长3.2%。", [("规上工业总产值", "flow", "规上")]),
        # 只有 leads out of the subject
        ("五年前，这里的企业只有10家。", [("这里的企业", "stock", None)]),
    ],
)
def test_subject_scope_and_population(text, expected):
    assert picked(run(text), "subject", "scope", "population") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an elided noun is restored from the count before it
        ("项目30个，建成投产12个。", [("project_count", 30, None), ("project_count", 12, "建成投产项目")]),
        # ... even with an amount in between: the sentence's last count is what continues
        ("签约项目28个、总投资140亿元，其中开工15个。",
         [("project_count", 28, "签约项目"), ("investment", 1.4e10, "签约项目"), ("project_count", 15, "开工签约项目")]),
        # numbers listed after 分别 share the metric and the subject
        ("2021年至2023年，园区产值分别为10亿元、12亿元和15亿元。",
         [("output_value", 1e9, "园区产值"), ("output_value", 1.2e9, "园区产值"), ("output_value", 1.5e9, "园区产值")]),
        # a clause with no noun of its own measures the one before it; 已于 is no part of it
        ("项目已于去年开工，总投资18亿元。", [("investment", 1.8e9, None)]),
    ],
)
def test_numbers_continue_the_claim_before(text, expected):
    assert picked(run(text), "metric", "value", "subject") == expected


# ------------------------------------------------------------------ number forms and modality


@pytest.mark.parametrize(
    ("text", "metric", "value", "unit", "qualifier"),
    [
        ("该市出口额增长1.5倍。", "growth_rate", 150, "percent", "exact"),  # N倍 growth is N×100%
        ("园区企业中，高新技术企业占比达1/3。", "share", 33.33, "percent", "exact"),
        ("全市数字经济核心产业增加值超万亿元。", "industry_scale", 1e12, "CNY", "lower_bound"),  # no digit
    ],
)
def test_number_forms(text, metric, value, unit, qualifier):
    (row,) = run(text)
    assert (row["metric"], row["unit"], row["qualifier"]) == (metric, unit, qualifier)
    assert row["value"] == pytest.approx(value, rel=1e-3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("力争到2025年引进企业50家，目前已引进32家。", [("target", 2025), ("actual", 2024)]),
        ("该项目将于明年投产，预计年产值50亿元。", [("forecast", 2025)]),
        ("计划总投资120亿元的产业园项目开工。", [("target", 2024)]),
    ],
)
def test_modality(text, expected):
    assert picked(run(text), "modality", "year") == expected


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # who reports a figure (据…海关统计) is not where it happens, when the sentence names that place
        ("据青岛海关统计，前两个月，山东跨境电商进出口额同比增长9%。", "370000"),
        # ... but it is the area 全市 refers to when nothing else says which city
        ("据南京市统计局统计，一季度全市地区生产总值增长5%。", "320100"),
        # two cities of one province side by side: a claim on both is the province's
        ("省交通厅在江苏徐州、连云港各开工一座物流园。两座物流园总投资46亿元。", "320000"),
        # a county within its city is one place: the county
        ("浙江省湖州市安吉县今年签约项目28个。", "330523"),
    ],
)
def test_the_region_of_a_claim_among_several_places(text, region):
    assert {row["region_code"] for row in run(text)} == {region}
