"""Near-duplicate documents: a syndicated copy is marked duplicate_of its canonical original."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

import pyarrow as pa

from chanye import batches, dedup, lake, schemas
from chanye.staging import stage_file

NOW = datetime(2025, 7, 1, 8, 0, tzinfo=timezone.utc)

# Written for these tests; numbers are illustrative.
BODY = """3月1日，记者从成都高新区获悉，去年该区集成电路产业营收约980亿元，同比增长12.5%，集聚设计企业超过200家。
园区计划今年新引进项目30个，总投资约150亿元，其中晶圆制造项目用地650亩。
高新区相关负责人介绍，园区将围绕设计、制造、封装测试和装备材料四个环节补链强链，对新落户的重大项目给予最高5000万元的研发补助，并设立规模20亿元的产业引导基金。
截至去年底，园区已建成标准化厂房超过80万平方米，集成电路从业人员约4.6万人，其中研发人员占比超过四成。
下一步，高新区将加快建设集成电路公共服务平台，推动更多本地芯片产品进入整机企业供应链。
"""

ORIGINAL = f"""当前位置：首页 > 产业新闻 > 正文
成都高新区集成电路产业营收增长
发布时间：2025-03-02 来源：成都日报
{BODY}相关文章
高新区举办人才对接会 签约人才项目1234个
Copyright 2016-2025 成都产业网 版权所有 蜀ICP备16009876号-3
"""

# Another site: other header and footer, a reworded title, a light edit in the body.
SYNDICATED = f"""首页 | 新闻中心 | 园区动态 | 招商引资
成都高新区：集成电路产业营收同比增长12.5%
2025年03月03日 09:15  来源：四川经济网  作者：王明
【字体：大 中 小】 打印本页
{BODY.replace("记者从成都高新区获悉", "本网从成都高新区获悉")}（责任编辑：李华）
猜你喜欢
天府新区数字经济产业园开园
关于我们 | 联系我们 | 网站地图
四川经济网 版权所有 川ICP备12345678号
"""

# Same park, same industry, two days later: a different story.
SAME_TOPIC = """成都高新区集成电路产业再添重大项目
发布时间：2025-03-05 来源：成都日报
3月4日，成都高新区与一家芯片封装测试企业签约，项目总投资约45亿元，建成后年封装能力达30亿颗。
据了解，该项目选址高新区西部园区，占地约200亩，预计明年投产，达产后年产值超过60亿元，可带动就业2000余人。
近年来，高新区集成电路产业加速集聚，已形成从设计到制造、封装测试的完整链条，设计企业数量居中西部前列。
高新区相关负责人表示，将持续优化营商环境，为企业提供用地、人才、融资等全方位服务，力争到2027年集成电路产业规模突破1500亿元。
"""


def staged(tmp_path: Path, name: str, text: str) -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    docs, quarantined = stage_file(path, "run-test", NOW)
    assert quarantined == [] and len(docs) == 1
    return docs[0]


def doc(doc_id: str, text: str = BODY, published: date | None = date(2025, 3, 2), ingested: datetime = NOW) -> dict:
    return {"document_id": doc_id, "text": text, "published": published, "ingested_at": ingested}


def dup_of(docs: list[dict], committed: pa.Table | None = None) -> dict[str, str | None]:
    """dedup.find_canonicals on in-memory relations shaped as mark_run_duplicates reads them."""
    from chanye.warehouse import connect

    sigs = dedup.signatures([d["text"] for d in docs])
    run = dedup.minhash_rows([d["document_id"] for d in docs], [d.get("published") for d in docs], sigs)
    run = run.append_column("seq", pa.array(range(len(docs)), pa.int64()))
    ingested = pa.table({"document_id": [d["document_id"] for d in docs],
                         "ingested_at": pa.array([d.get("ingested_at") for d in docs], pa.timestamp("us", "UTC"))})
    with connect() as con:
        con.register("run_signatures", run)
        con.register("run_ingested", ingested)
        con.register("committed", committed if committed is not None else schemas.MINHASH.empty_table())
        canon = dedup.find_canonicals(con)
    return {d["document_id"]: canon.get(d["document_id"]) for d in docs}


def test_syndicated_copy_with_other_furniture_is_a_duplicate(tmp_path):
    original, copy = staged(tmp_path, "a.txt", ORIGINAL), staged(tmp_path, "b.txt", SYNDICATED)
    assert original["document_id"] != copy["document_id"] and original["title"] != copy["title"]
    sims = dedup.signatures([original["text"], copy["text"]])
    assert 0.8 <= (sims[0] == sims[1]).mean() < 1.0  # near, not exact
    assert dup_of([copy, original]) == {original["document_id"]: None, copy["document_id"]: original["document_id"]}


def test_different_articles_on_the_same_topic_are_not_duplicates(tmp_path):
    docs = [staged(tmp_path, "a.txt", ORIGINAL), staged(tmp_path, "c.txt", SAME_TOPIC)]
    assert set(dup_of(docs).values()) == {None}


def test_marking_is_idempotent(tmp_path):
    docs = [staged(tmp_path, n, t) for n, t in (("a.txt", ORIGINAL), ("b.txt", SYNDICATED), ("c.txt", SAME_TOPIC))]
    assert dup_of(docs) == dup_of(docs)


def test_canonical_is_earliest_published_then_ingested_then_smallest_id():
    edited = BODY.replace("记者从", "本网从")
    later = NOW + timedelta(hours=1)
    # earliest published wins although ingested last
    assert dup_of([doc("a", published=date(2025, 3, 3)), doc("b", edited, date(2025, 3, 2), later)]) == {"a": "b", "b": None}
    # same day: earliest ingested
    assert dup_of([doc("a", ingested=later), doc("b", edited)]) == {"a": "b", "b": None}
    # same day and time: smallest id; an unknown date counts as latest
    assert dup_of([doc("b"), doc("a", edited), doc("c", published=None)]) == {"a": None, "b": "a", "c": "a"}


def test_recurring_item_a_year_later_is_not_a_copy():
    assert set(dup_of([doc("a"), doc("b", published=date(2026, 3, 2))]).values()) == {None}


def test_committed_documents_stay_canonical_and_exact_copies_are_not_self_marked():
    committed = dedup.minhash_rows(["k"], [date(2025, 3, 5)], dedup.signatures([BODY]))
    edited = BODY.replace("记者从", "本网从")
    # the lake is append-only: an earlier-published newcomer is still the copy
    assert dup_of([doc("n", edited, date(2025, 3, 2)), doc("k")], committed) == {"n": "k", "k": None}
    # a copy of a committed copy points at the committed canonical
    committed = dedup.minhash_rows(["k", "m"], [date(2025, 3, 5)] * 2, dedup.signatures([BODY, BODY]), [None, "k"])
    assert dup_of([doc("n", edited)], committed.slice(1)) == {"n": "k"}


def test_texts_without_shingles_are_no_ones_copies():
    assert set(dup_of([doc("a", ""), doc("b", "！！"), doc("c", "")]).values()) == {None}


def _stage_and_extract(paths: list[Path], run_id: str) -> None:
    batch = {"batch": 0, "parts": [[str(p), "", 0, 0, 1, None, 1] for p in paths]}
    batches.extract(batches.stage(batch, run_id), run_id)


def test_run_is_marked_in_pending_and_later_runs_match_the_lake(tmp_path, monkeypatch):
    monkeypatch.setenv("CHANYE_DATA_DIR", str(tmp_path / "data"))
    from chanye.config import settings

    inputs, root = tmp_path / "in", settings().lake
    inputs.mkdir()
    for name, text in (("a.txt", ORIGINAL), ("c.txt", SAME_TOPIC)):
        (inputs / name).write_text(text, encoding="utf-8")
    lake.ensure_lake(root)
    _stage_and_extract([inputs / "a.txt", inputs / "c.txt"], "run-1")
    assert dedup.mark_run_duplicates("run-1") == {"documents": 2, "near_duplicates": 0}
    lake.commit_pending(root, "run-1", datetime(2025, 7, 1, tzinfo=timezone.utc))
    assert lake.read_dataset(root, "minhash").num_rows == 2

    (inputs / "b.txt").write_text(SYNDICATED, encoding="utf-8")
    _stage_and_extract([inputs / "b.txt", inputs / "a.txt"], "run-2")
    first = dedup.mark_run_duplicates("run-2")
    assert dedup.mark_run_duplicates("run-2") == first == {"documents": 2, "near_duplicates": 1}
    committed = lake.read_dataset(root, "documents", ["document_id", "doc"]).to_pylist()
    original = next(d["document_id"] for d in committed if d["doc"] == "a.txt")
    pending = lake.read_files(lake.pending_files(root, "run-2", "documents"), "documents").to_pylist()
    copy = next(d["document_id"] for d in pending if d["doc"] == "b.txt")
    # only the new document gets a verdict row (a.txt's was committed by run-1), pointing at a.txt
    verdicts = lake.read_files(lake.pending_files(root, "run-2", "minhash"), "minhash").to_pylist()
    assert [(v["document_id"], v["duplicate_of"]) for v in verdicts] == [(copy, original)]


def test_a_batch_without_signatures_is_an_error_not_a_silent_pass(tmp_path, monkeypatch):
    monkeypatch.setenv("CHANYE_DATA_DIR", str(tmp_path / "data"))
    from chanye.config import settings

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ORIGINAL, encoding="utf-8")
    lake.ensure_lake(settings().lake)
    batches.stage({"batch": 0, "parts": [[str(inputs / "a.txt"), "", 0, 0, 1, None, 1]]}, "run-1")
    with pytest.raises(RuntimeError, match="batch-00000.*no signatures"):
        dedup.mark_run_duplicates("run-1")


def test_signatures_round_trip_through_the_lake_schema(tmp_path):
    sigs = dedup.signatures([BODY, SAME_TOPIC])
    path = lake.write_table(dedup.minhash_rows(["x", "y"], [None, None], sigs), tmp_path / "m.parquet")
    table = lake.read_files([path], "minhash")
    assert np.array_equal(np.array(table["signature"].to_pylist(), dtype=np.uint32), sigs)
    assert [len(b) for b in table["bands"].to_pylist()] == [dedup.BANDS, dedup.BANDS]


def test_dedupe_spill_folder_is_created_when_duckdb_spills(tmp_path):
    """Dedupe spills under CHANYE_DATA_DIR/spill/<run> (local even when the lake is remote); DuckDB
    creates only the last level of its temp directory, and only once a query outgrows memory."""
    from chanye import warehouse

    spill = tmp_path / "data" / "spill" / "run-1"
    with warehouse.connect(spill_dir=spill) as con:
        con.execute("set memory_limit = '64MB'")
        sorted_rows = con.execute("select count(*) from (select md5(i::varchar) as h from range(3000000) t(i) order by h)").fetchall()
    assert sorted_rows == [(3_000_000,)]
