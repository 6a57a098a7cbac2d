"""Organisations, people and events (chanye.extract.entities / events): one test per construct on
sentences written for the test, then the reviewed output on the five seed articles."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from chanye import schemas
from chanye.extract.entities import extract_mentions
from chanye.extract.events import extract_events

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
REVIEWED = Path(__file__).parent / "data" / "entities"


def doc(text, published=dt.date(2024, 5, 20), region="330523"):
    return {"document_id": "d0", "doc": "t.txt", "text": text, "title": "", "published": published,
            "region_code": region}


def orgs(text):
    return [(r["name"], r["org_type"]) for r in extract_mentions(doc(text)) if r["kind"] == "organization"]


def people(text):
    return [(r["name"], r["title"], r["affiliation"]) for r in extract_mentions(doc(text)) if r["kind"] == "person"]


def events(text, **kw):
    return extract_events(doc(text, **kw))


# --- organisations ---------------------------------------------------------------------------------

def test_company_left_edge_moves_past_verbs():
    assert orgs("王博士上月入职星河(浙江)生物科技集团有限公司。") == [("星河(浙江)生物科技集团有限公司", "company")]
    assert orgs("在蓝湾智能装备有限公司看来,市场正在回暖。") == [("蓝湾智能装备有限公司", "company")]


def test_org_types():
    got = dict(orgs("东海大学、南岭人民医院、临江区科技局、北山市医药行业协会、青石资本、"
                   "临江区人民政府、白鹭研究院和东郊园区开发公司参加。"))
    assert got == {"东海大学": "university", "南岭人民医院": "hospital", "临江区科技局": "government",
                   "北山市医药行业协会": "association", "青石资本": "investor",
                   "临江区人民政府": "government", "白鹭研究院": "research_institute",
                   "东郊园区开发公司": "park_operator"}


def test_conjunction_splits_only_lists_of_organisations():
    assert orgs("他来自东湖大学衰老与再生医学研究院。") == [("东湖大学衰老与再生医学研究院", "research_institute")]
    assert [n for n, _ in orgs("与红杉资本和启明资本合作。")] == ["红杉资本", "启明资本"]


def test_generic_words_are_not_organisations():
    assert orgs("各家医院、上市公司、社会资本、12所大学研究院和大学生都来了。") == []
    assert orgs("他担任局长多年,这一格局没有改变。") == []


def test_nested_suffixes_give_one_mention():
    assert orgs("北江大学医学院附属第一医院正式启用。") == [("北江大学医学院附属第一医院", "hospital")]


# --- people ----------------------------------------------------------------------------------------

def test_title_then_name_with_affiliation():
    assert people("会上,东海大学校长周明远作了报告。") == [("周明远", "校长", "东海大学")]
    assert people("南岭人民医院党委书记王建国致辞。") == [("王建国", "党委书记", "南岭人民医院")]


def test_name_length_decided_by_what_follows():
    assert people("董事长张丹表示,今年订单饱满。") == [("张丹", "董事长", None)]
    assert people("区长杨国正聘请三位专家。") == [("杨国正", "区长", None)]


def test_title_shared_by_a_list_of_names():
    assert people("中国科学院院士林一鸣、黄春晓,专家们出席。") == [
        ("林一鸣", "院士", "中国科学院"), ("黄春晓", "院士", "中国科学院")]


def test_affiliation_through_department_and_earlier_title():
    assert people("北山市卫生健康委员会科技教育处处长张明华发言。") == [("张明华", "处长", "北山市卫生健康委员会")]
    assert people("东海医学院党委副书记、院长黄东升出席。") == [("黄东升", "院长", "东海医学院")]


def test_name_before_title_and_reporters_skipped():
    assert people("经验丰富的李正远博士加入团队。") == [("李正远", "博士", None)]
    assert people("新华网5月1日电(记者郭小扬)日前,会议召开。") == []


def test_mention_row_shape():
    rows = extract_mentions(doc("东海大学校长周明远在安吉表示。"))
    cols = {f.name for f in schemas.MENTIONS} - {"run_id", "extracted_at"}
    assert rows and all(set(r) == cols for r in rows)
    person = [r for r in rows if r["kind"] == "person"][0]
    assert person["region_code"] == "330523" and person["char_end"] - person["char_start"] == 3
    assert person["mention_id"] == schemas.mention_id("d0", person["char_start"], person["char_end"], "person")


# --- events ----------------------------------------------------------------------------------------

def test_year_and_edition_prefixed_event():
    (e,) = events("日前,2022第十六届东海生物医药产业发展论坛在安吉举行。")
    assert (e["name"], e["event_type"], e["edition"], e["year"]) == ("2022第十六届东海生物医药产业发展论坛", "forum", 16, 2022)
    assert e["region_code"] == "330523"


def test_event_date_resolved_against_published_and_attendance():
    (e,) = events("7月4日下午,首届南岭数字经济峰会开幕,300余名嘉宾出席。", published=dt.date(2021, 7, 5))
    assert (e["event_date"], e["edition"], e["attendance"], e["event_type"]) == (dt.date(2021, 7, 4), 1, 300, "summit")
    (e,) = events("12月28日,第三届东湖创新大赛举行。", published=dt.date(2024, 1, 3))
    assert e["event_date"] == dt.date(2023, 12, 28) and e["event_type"] == "competition"


def test_quoted_event_names():
    assert [e["name"] for e in events("以“数智赋能”为主题的“东海医药创新”主题座谈活动召开。")] == ["东海医药创新主题座谈活动"]
    assert [e["name"] for e in events("发布了《2024北山新能源汽车博览会》。")] == ["2024北山新能源汽车博览会"]


def test_ceremonies_and_generic_events():
    assert [(e["name"], e["event_type"]) for e in events("大会举行了项目集中签约仪式。")] == [("项目集中签约仪式", "signing")]
    assert events("本次研讨会圆满结束,专题论坛和圆桌论坛同步进行。") == []


def test_same_event_twice_is_one_row():
    rows = events("5月3日,2024东湖科创活动启动。“2024东湖科创”活动吸引了企业。")
    assert len(rows) == 1 and rows[0]["event_date"] == dt.date(2024, 5, 3)


def test_event_row_shape():
    (e,) = events("首届南岭数字经济峰会开幕。")
    assert set(e) == {f.name for f in schemas.EVENTS} - {"run_id", "extracted_at"}


# --- the seed articles: everything produced, reviewed -----------------------------------------------

def _reviewed(name: str) -> list[tuple]:
    """The reviewed rows (tests/data/entities/*.jsonl), as the tuples the tests compare."""
    lines = (REVIEWED / name).read_text(encoding="utf-8").splitlines()
    return [tuple(json.loads(line)) for line in lines if line.strip()]


SEED_MENTIONS = _reviewed("seed_mentions.jsonl")

SEED_EVENTS = _reviewed("seed_events.jsonl")


@pytest.fixture(scope="module")
def seed_docs():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    from chanye.staging import stage_file

    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        docs += stage_file(path, "test", datetime.now(timezone.utc))[0]
    return docs


def test_seed_mentions_are_the_reviewed_set(seed_docs):
    got = []
    for d in seed_docs:
        for r in extract_mentions(d):
            t = r["org_type"] if r["kind"] == "organization" else r["title"]
            got.append((d["doc"][:3], r["kind"][0], r["name"], str(t), r["affiliation"]))
            if r["kind"] == "person":
                assert d["text"][r["char_start"]:r["char_end"]] == r["name"]
    assert Counter(got) == Counter(SEED_MENTIONS)


def test_seed_events_are_the_reviewed_set(seed_docs):
    got = [(d["doc"][:3], r["name"], r["event_type"], r["edition"], r["year"], str(r["event_date"]), r["attendance"],
            r["region_code"]) for d in seed_docs for r in extract_events(d)]
    assert Counter(got) == Counter(SEED_EVENTS)


def test_seed_examples(seed_docs):
    by_doc = {d["doc"][:3]: d for d in seed_docs}
    e001 = extract_events(by_doc["001"])[0]
    assert (e001["name"], e001["edition"], e001["year"], e001["region_code"]) == (
        "2023第二届安吉两山·国际细胞与基因治疗(CGT)产业创新研讨会", 2, 2023, "330523")
    p003 = {(r["name"], r["title"]) for r in extract_mentions(by_doc["003"]) if r["kind"] == "person"}
    assert {("谭蔚泓", "院士"), ("黄荷凤", "院士")} <= p003
    jin = [r for r in extract_mentions(by_doc["002"]) if r["name"] == "金力"]
    assert [(r["title"], r["affiliation"]) for r in jin] == [("校长", "复旦大学")]
    names = {r["name"] for d in seed_docs for r in extract_mentions(d)}
    assert {"科医联创(浙江)生物科技集团有限公司", "百明信康生物技术(浙江)有限公司"} <= names
