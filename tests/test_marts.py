"""The analyst marts (dbt_project/models/marts: dim_date, dim_outlet, dim_industry, dim_zone,
bridge_tags, mart_region_year, mart_latest, mart_targets, mart_conflicts) answer correctly on the
seed articles, read from the warehouse the real pipeline published (shared session run)."""
from __future__ import annotations

import duckdb
import pytest

from conftest import needs_seeds

pytestmark = needs_seeds


@pytest.fixture(scope="module")
def wh(seeds_run):
    from chanye.config import settings

    con = duckdb.connect(str(settings().published_warehouse), read_only=True)
    yield con
    con.close()


def rows(con, sql: str, *params) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def one(con, sql: str, *params) -> dict:
    found = rows(con, sql, *params)
    assert len(found) == 1, found
    return found[0]


def test_new_tables_are_published(wh):
    tables = {r[0] for r in wh.execute("select table_name from information_schema.tables").fetchall()}
    for name in ("dim_date", "dim_outlet", "dim_industry", "dim_zone", "bridge_tags",
                 "mart_region_year", "mart_latest", "mart_targets", "mart_conflicts"):
        assert name in tables, name


def test_anji_industry_scale_target_2026(wh):
    t = one(wh, "select * from mart_targets where region_code = '330523' and metric_id = 'industry_scale'")
    assert t["target_value"] == pytest.approx(5e10)
    assert t["unit"] == "CNY" and t["target_display"] == "500亿元"
    assert t["deadline_year"] == 2026
    assert t["modality"] == "target"
    assert t["status"] == "no_comparable_actual" and t["progress"] is None


def test_a_target_without_a_like_actual_lists_candidates_and_no_ratio(wh):
    """上虞's 2027 life-health target has a 2023 output value nearby, but the extractor cannot tell
    that it measures the same industry: no ratio, the candidate is shown for an analyst."""
    t = one(wh, "select * from mart_targets where region_code = '330604' and metric_id = 'industry_scale'")
    assert (t["target_value"], t["deadline_year"], t["subject"]) == (pytest.approx(2e10), 2027, "生命健康产业")
    assert t["progress"] is None and t["status"] == "no_comparable_actual"
    assert "output_value 120亿元" in t["nearest_candidates"]


def test_latest_actuals(wh):
    listed = one(wh, "select * from mart_latest where region_code = '330604' and metric_id = 'listed_company_count'")
    assert (listed["value"], listed["year"], listed["subject"]) == (13, 2024, "上市企业")
    assert "上市企业13家" in listed["evidence"]
    out = one(wh, "select * from mart_latest where region_code = '330604' and metric_id = 'output_value'")
    assert (out["value"], out["year"], out["published"].isoformat()) == (1.2e10, 2023, "2024-09-29")
    # two things measured in one article are two rows: 50多项 innovative drugs and the 11 of them in phase III
    drugs = {r["subject"]: r["value"] for r in rows(
        wh, "select * from mart_latest where region_code = '330523' and metric_id = 'product_count'")}
    assert drugs == {"创新药": 50, "临床三期": 11}


def test_region_year_rolls_counties_up_to_city_and_province(wh):
    def cell(region, metric, year, industry="biomedicine"):
        return one(wh, "select * from mart_region_year where region_code = ? and metric_id = ? and year = ? "
                       "and industry_id = ?", region, metric, year, industry)

    county = cell("330523", "investment", 2023)
    assert (county["level"], county["actual_value"], county["actual_source"]) == ("county", 1.4e10, "reported")
    city = cell("330500", "investment", 2023)  # 湖州市 = 安吉县 only: 1 of its 5 counties
    assert (city["level"], city["actual_value"], city["actual_source"]) == ("city", 1.4e10, "children")
    assert (city["children_reporting"], city["children_total"], city["is_partial"]) == (1, 5, True)
    # 临安区 2021: 24亿 (17 projects) and 16亿 (a medical-devices project) are different measures
    assert cell("330112", "investment", 2021)["actual_value"] == pytest.approx(2.4e9)
    assert cell("330112", "investment", 2021, "medical_devices")["actual_value"] == pytest.approx(1.6e9)
    province = cell("330000", "investment", 2021)
    assert (province["level"], province["actual_value"], province["is_partial"]) == ("province", 2.4e9, True)
    # 杭州市 reports its own 2022 output value; it reaches the province, not the counties
    assert cell("330100", "output_value", 2022)["actual_source"] == "reported"
    assert cell("330000", "output_value", 2022)["actual_value"] == pytest.approx(1.15e11)
    # targets and forecasts stay where they were stated
    assert cell("330523", "industry_scale", 2026)["target_value"] == pytest.approx(5e10)
    assert not rows(wh, "select * from mart_region_year where region_code = '330500' and metric_id = 'industry_scale'")


def test_region_year_non_additive_and_keys(wh):
    assert wh.execute(
        "select count(*) from mart_region_year r join dim_metric m using (metric_id) "
        "where m.dimension not in ('money', 'count') and r.level <> (select level from dim_region d where d.region_code = r.region_code)"
    ).fetchone()[0] == 0
    assert wh.execute(
        "select count(*) - count(distinct (region_code, year, measure_key)) from mart_region_year"
    ).fetchone()[0] == 0


def test_different_things_are_no_conflict(wh):
    """28 projects 2022年以来 (高端生命健康产业项目) and 30 近两年 (生命健康项目) count different
    things: the seeds hold no real conflict."""
    assert not rows(wh, "select * from mart_conflicts")
    projects = {r["subject"]: r["value"] for r in rows(
        wh, "select * from mart_latest where region_code = '330523' and metric_id = 'project_count'")}
    assert projects["高端生命健康产业项目"] == 28 and projects["生命健康项目"] == 30


def test_dimensions(wh):
    years = one(wh, "select min(year) as lo, max(year) as hi, count(*) as n from dim_date")
    assert years["lo"] <= 1990 and years["hi"] >= 2040 and years["n"] == years["hi"] - years["lo"] + 1
    plans = dict(wh.execute("select year, five_year_plan from dim_date where year in (2023, 2026, 1990)").fetchall())
    assert plans == {2023: "十四五", 2026: "十五五", 1990: "七五"}
    outlets = dict(wh.execute("select outlet, document_count from dim_outlet").fetchall())
    assert outlets == {"中新网": 1, "杭州日报": 1, "中国医疗信息港": 1, "人民网": 1}
    md = one(wh, "select * from dim_industry where industry_id = 'medical_devices'")
    assert (md["parent_id"], md["root_industry_id"], md["depth"]) == ("biomedicine", "biomedicine", 1)
    zone = one(wh, "select * from dim_zone where zone_name = '杭州湾上虞经开区'")
    assert (zone["canonical_zone_name"], zone["county_code"]) == ("上虞经济技术开发区", "330604")


def test_facts_are_tagged_with_industry_and_park(wh):
    # every seed article is about 生命健康 / biomedicine
    assert wh.execute(
        "select count(*) from fct_metric_observation f left join dim_industry i using (industry_id) "
        "where i.root_industry_id is distinct from 'biomedicine'"
    ).fetchone()[0] == 0
    anji = one(wh, "select * from fct_metric_observation where region_code = '330523' and metric_id = 'investment'")
    assert (anji["industry_id"], anji["industry_source"], anji["zone_name"]) == ("biomedicine", "subject", "安吉经济开发区")
    parks = dict(wh.execute(
        "select zone_name, value from fct_metric_observation where metric_id = 'listed_company_count' and modality = 'actual'"
    ).fetchall())
    assert parks == {"运河网谷": 4, "上虞经济技术开发区": 13}
    assert wh.execute(
        "select count(*) from bridge_tags where is_primary group by subject_type, subject_id, tag_type order by 1 desc limit 1"
    ).fetchone()[0] == 1


def test_marts_do_not_double_count(wh):
    # each fact feeds the marts once: the facts behind the county cells are distinct facts
    facts = wh.execute("select count(*) from fct_metric_observation where region_code is not null and year is not null").fetchone()[0]
    own = wh.execute(
        "select sum(fact_count) from mart_region_year r join dim_region d using (region_code) where d.level = 'county'"
    ).fetchone()[0]
    county_facts = wh.execute(
        "select count(*) from fct_metric_observation f join dim_region d using (region_code) "
        "where d.level = 'county' and f.year is not null"
    ).fetchone()[0]
    assert own <= county_facts <= facts
    assert wh.execute("select count(*) - count(distinct fact_id) from mart_targets").fetchone()[0] == 0
