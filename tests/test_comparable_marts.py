"""The marts compare like with like, on the bundled samples, the seeds and the 40 xwlb-dev
broadcast items run together through the real pipeline: every progress in mart_targets compares
the same thing (each row checked by hand below), no progress above 3 stands without a note, every
conflict pairs reports of one measure and subject that their qualifiers cannot reconcile."""
from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from conftest import GOLD, REPO, SHARED, needs_seeds

pytestmark = needs_seeds

# (region, metric, deadline) -> progress, each read against its two sentences:
HAND_CHECKED_PROGRESS = {
    ("340100", "output_value", 2027): 0.462,  # 合肥 NEV industry output 5000亿 by 2027 / 2310亿 in 2024
    ("330200", "industry_scale", 2027): 0.5,  # 宁波 new-materials industry 2000亿 / 1000亿+ (2024)
    ("510100", "industry_scale", 2027): 0.767,  # 成都 electronics industry 1.5万亿 / 1.15万亿 (2024)
    ("430200", "industry_scale", 2026): 0.8,  # 株洲 rail-equipment industry 2000亿 / its cluster's output 1600亿 (2023)
    ("420100", "industry_scale", 2025): 0.158,  # 武汉 光电子信息 industry 1万亿 / 光谷's output of it 1580亿 (H1 2024)
    ("320500", "industry_scale", 2026): 0.575,  # 苏州工业园区 biomedicine 2000亿 / 1150亿 (2024)
    ("320583", "revenue", 2025): 0.867,  # 昆山 IC industry revenue 600亿+ this year / about 520亿 in 2024
}


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    """One warehouse built from the samples, the seeds and the xwlb-dev items."""
    from chanye import runner
    from chanye.config import settings

    inputs = tmp_path_factory.mktemp("comparable-input")
    shutil.copytree(REPO / "data" / "samples", inputs / "samples")
    shutil.copytree(SHARED / "seeds", inputs / "seeds")
    ids = {json.loads(line)["doc"] for line in (GOLD / "xwlb-dev.docs.jsonl").read_text(encoding="utf-8").splitlines()}
    items = [line for path in sorted((SHARED / "corpora" / "xwlb").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if json.loads(line)["id"] in ids]
    (inputs / "xwlb-dev.jsonl").write_text("\n".join(items) + "\n", encoding="utf-8")
    data = tmp_path_factory.mktemp("comparable-data")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CHANYE_DATA_DIR", str(data))
        runner.run(inputs)
        con = duckdb.connect(str(settings().published_warehouse), read_only=True)
    yield con
    con.close()


def rows(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def test_every_progress_compares_the_same_thing(wh):
    progress = rows(wh, """
        select t.*, a.root_industry_id as actual_root, a.population as actual_population,
               a.scope as actual_scope, a.subject_key as actual_subject_key,
               tf.root_industry_id as target_root, tf.subject_key as target_subject_key
        from mart_targets as t
        join int_facts__comparable as tf on tf.fact_id = t.fact_id
        join int_facts__comparable as a on a.fact_id = t.latest_actual_fact_id
        where t.progress is not null""")
    assert {(r["region_code"], r["metric_id"], r["deadline_year"]): round(r["progress"], 3) for r in progress} \
        == HAND_CHECKED_PROGRESS
    for r in progress:
        assert r["target_root"] == r["actual_root"] and r["population"] == r["actual_population"]
        assert r["scope"] == r["actual_scope"]
        a, t = r["actual_subject_key"], r["target_subject_key"]
        assert a is None or t is None or a in t or t in a, r


def test_no_progress_above_three_without_a_reason(wh):
    unexplained = rows(wh, "select * from mart_targets where progress > 3 and progress_note is null")
    assert unexplained == []


def test_targets_without_a_like_actual_show_no_ratio(wh):
    """合肥's 10 firms with revenue above 百亿元 is no fraction of its 500 parts makers (the 50× of
    the old mart), 黄埔's signed projects' expected output no share of the district's industry."""
    hefei = rows(wh, "select * from mart_targets where region_code = '340100' and metric_id = 'enterprise_count'")
    assert [(r["status"], r["progress"]) for r in hefei] == [("no_comparable_actual", None)]
    assert "500家" in hefei[0]["nearest_candidates"]
    huangpu = rows(wh, "select * from mart_targets where region_code = '440112' and metric_id = 'output_value'")
    assert all(r["progress"] is None for r in huangpu)


def test_every_conflict_is_one_measure_and_subject_unreconciled(wh):
    conflicts = rows(wh, """
        select c.*, a.measure_key as key_a, b.measure_key as key_b, a.subject_key as subject_a,
               b.subject_key as subject_b, a.period_start as start_a, b.period_start as start_b
        from mart_conflicts as c
        join int_facts__comparable as a on a.fact_id = c.fact_id_a
        join int_facts__comparable as b on b.fact_id = c.fact_id_b""")
    # hand-checked: 安徽日报 and 江淮财经网 give 合肥's 2024 NEV industry output as 2310亿 and 2180亿,
    # and its growth as 12.5% and about 18%
    assert sorted((c["region_code"], c["year"], c["metric_id"], c["display_a"], c["display_b"]) for c in conflicts) == [
        ("340100", 2024, "growth_rate", "12.5%", "18%"),
        ("340100", 2024, "output_value", "2310亿元", "2180亿元"),
    ]
    for c in conflicts:
        assert c["key_a"] == c["key_b"] and c["subject_a"] == c["subject_b"] and c["start_a"] == c["start_b"]
        assert c["document_id_a"] != c["document_id_b"] and c["relative_difference"] > 0.05


def test_latest_takes_the_total_over_its_parts(wh):
    """Within one article, for one thing measured, the total beats the parts it lists."""
    duplicates = rows(wh, """
        select region_code, measure_key, subject_key, count(*) as n from mart_latest
        group by all having count(*) > 1""")
    assert duplicates == []
    parts = rows(wh, """
        select l.region_code, l.value, max(f.value) as largest
        from mart_latest as l
        join int_facts__comparable as f
          on f.document_id = l.document_id and f.region_code = l.region_code
         and f.measure_key = l.measure_key and f.subject_key is not distinct from l.subject_key
         and f.year is not distinct from l.year and f.modality = 'actual' and f.qualifier = l.qualifier
        group by all having max(f.value) > l.value and any_value(l.qualifier) = 'exact'""")
    assert parts == []
