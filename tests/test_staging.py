"""Staging: decoding, quarantine reasons, furniture removal, normalisation, metadata, accounting."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from chanye import schemas
from chanye.staging import analyse_text, iter_input_files, stage_file
from chanye.staging.metadata import dateline_date
from chanye.staging.normalize import detect_script, fold_width, remove_pinyin_noise, normalize_chars

NOW = datetime(2025, 7, 1, 8, 0, tzinfo=timezone.utc)
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"

# Written for these tests; numbers are illustrative.
ARTICLE = """当前位置：首页 > 产业新闻 > 正文
成都高新区集成电路产业营收增长
发布时间：2025-03-02 来源：成都日报
3月1日，记者从成都高新区获悉，去年该区集成电路产业营收约980亿元，同比增长12.5%，集聚设计企业超过200家。
园区计划今年新引进项目30个，总投资约150亿元，其中晶圆制造项目用地650亩。
（图为园区企业生产车间）
相关文章
高新区举办人才对接会 签约人才项目1234个
Copyright 2016-2025 成都产业网 版权所有 蜀ICP备16009876号-3
联系电话：028-85556666 手机：13912345678
"""


def stage(path: Path):
    return stage_file(path, "run-test", NOW)


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def only_document(path: Path) -> dict:
    docs, quarantined = stage(path)
    assert quarantined == [] and len(docs) == 1, quarantined
    return docs[0]


def only_reason(path: Path) -> str:
    docs, quarantined = stage(path)
    assert docs == [] and len(quarantined) == 1
    return quarantined[0]["reason"]


# ---------------------------------------------------------------- contract

def test_rows_have_exactly_the_schema_columns(tmp_path):
    doc = only_document(write(tmp_path, "a.txt", ARTICLE))
    assert list(doc) == schemas.DOCUMENTS.names
    _, quarantined = stage(write(tmp_path, "b.txt", b""))
    assert list(quarantined[0]) == schemas.QUARANTINE.names
    assert quarantined[0]["stage"] == "stage" and quarantined[0]["detail"]


def test_document_ids_hash_the_raw_bytes(tmp_path):
    path = write(tmp_path, "a.txt", ARTICLE)
    doc = only_document(path)
    assert doc["content_hash"] == schemas.sha256(path.read_bytes())
    assert doc["document_id"] == schemas.document_id(doc["content_hash"])
    assert doc["doc"] == "a.txt" and doc["byte_size"] == path.stat().st_size
    assert doc["raw_text"] == ARTICLE and "duplicate_of" not in doc  # dedupe records it (minhash)


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
    ],
)
def test_simplified_encodings_are_detected(tmp_path, encoding, expected):
    doc = only_document(write(tmp_path, "a.txt", ARTICLE, encoding))
    assert doc["encoding"] == expected
    assert doc["raw_text"] == ARTICLE
    assert "980亿元" in doc["text"]


def test_big5_is_detected_and_converted(tmp_path):
    traditional = "人民網成都3月1日電 高新區集成電路產業營收約980億元，同比增長12.5%，集聚設計企業超過200家，發展勢頭強勁。"
    doc = only_document(write(tmp_path, "big5.txt", traditional, "big5"))
    assert doc["encoding"] == "big5" and doc["script"] == "traditional"
    assert "高新区集成电路产业营收约980亿元" in doc["text"]


# ---------------------------------------------------------------- quarantine

def test_bad_files_get_reason_codes(tmp_path):
    assert only_reason(write(tmp_path, "empty.txt", b"")) == "empty_file"
    assert only_reason(write(tmp_path, "blank.txt", b" \n\n ")) == "empty_file"
    assert only_reason(write(tmp_path, "bin.txt", b"\x00\x01\x02abc" * 50)) == "binary"
    assert only_reason(write(tmp_path, "scan.html", b"%PDF-1.7\n" + bytes(range(256)))) == "binary"
    assert only_reason(write(tmp_path, "junk.txt", bytes([0x81, 0x20, 0xFF, 0xFE]) * 40 + b"\xff")) == "undecodable"
    assert only_reason(write(tmp_path, "en.txt", "Only English words here, nothing else.")) == "no_chinese"
    assert only_reason(write(tmp_path, "nav.txt", "首页 > 新闻\n相关文章\n版权所有 某某网")) == "no_body"
    assert only_reason(write(tmp_path, "doc.pdf", b"%PDF")) == "unsupported_type"


def test_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    from chanye.staging import reading

    monkeypatch.setattr(reading, "MAX_ARTICLE_BYTES", 100)
    path = write(tmp_path, "big.txt", ARTICLE)
    _, quarantined = stage(path)
    assert quarantined[0]["reason"] == "too_large"
    assert quarantined[0]["raw_hash"] == schemas.sha256(path.read_bytes())


def test_missing_file_is_quarantined_not_raised(tmp_path):
    assert only_reason(tmp_path / "gone.txt") == "unreadable"


# ---------------------------------------------------------------- JSON-lines

def test_jsonl_items_lines_and_accounting(tmp_path):
    good = {"id": "x-1", "title": "成都集成电路产业营收增长", "published": "2025-03-02", "outlet": "成都日报",
            "text": "3月1日，成都高新区集成电路产业营收约980亿元，同比增长12.5%，集聚设计企业超过200家。"}
    lines = [
        json.dumps(good, ensure_ascii=False),
        "",  # blank lines are not items
        '{"id": "x-2", "text": "截断',
        json.dumps({"id": "x-3", "title": "无正文"}, ensure_ascii=False),
        "[1, 2]",
        json.dumps({"id": "x-4", "text": "English only text, no Chinese."}),
    ]
    path = write(tmp_path, "items.jsonl", "\n".join(lines) + "\n")
    docs, quarantined = stage(path)
    assert [d["doc"] for d in docs] == ["x-1"]
    assert docs[0]["source_line"] == 1 and docs[0]["published"] == date(2025, 3, 2)
    assert docs[0]["outlet"] == "成都日报" and docs[0]["title"] == good["title"]
    assert docs[0]["content_hash"] == schemas.sha256(lines[0].encode())
    assert [(q["source_line"], q["reason"]) for q in quarantined] == [
        (3, "bad_json"), (4, "missing_text"), (5, "bad_json"), (6, "no_chinese")
    ]
    assert all(q["raw_hash"] for q in quarantined)


def test_a_jsonl_file_cut_into_parts_stages_like_the_whole_file(tmp_path):
    """plan cuts big JSON-lines files at line boundaries (byte offsets); staging the parts gives
    the same rows, line numbers and hash as staging the file in one piece."""
    from chanye.staging import scan_input

    items = [{"id": f"x-{i}", "title": f"园区{i}", "text": f"{i}月，园区签约项目{i + 1}个，总投资{i + 2}亿元。"} for i in range(1, 12)]
    lines = ["\ufeff" + json.dumps(items[0], ensure_ascii=False)] + [json.dumps(x, ensure_ascii=False) for x in items[1:]]
    lines[4:4] = ["", '{"broken']
    path = write(tmp_path, "many.jsonl", "\n".join(lines) + "\n")
    parts = scan_input(path, lines_per_part=4)
    assert [(p.first_line, p.lines) for p in parts] == [(1, 4), (5, 4), (9, 4), (13, 1)]
    assert {p.file_hash for p in parts} == {schemas.sha256(path.read_bytes())}
    whole_docs, whole_bad = stage(path)
    split = [stage_file(path, "r", NOW, part) for part in parts]
    key = lambda rows: [(r["source_line"], r.get("content_hash") or r.get("raw_hash")) for r in rows]
    assert key([d for docs, _ in split for d in docs]) == key(whole_docs)
    assert key([q for _, bad in split for q in bad]) == key(whole_bad)


def test_empty_jsonl_is_quarantined(tmp_path):
    assert only_reason(write(tmp_path, "none.jsonl", b"\n\n")) == "empty_file"


# ---------------------------------------------------------------- furniture

def test_furniture_and_its_numbers_are_removed(tmp_path):
    doc = only_document(write(tmp_path, "a.txt", ARTICLE))
    text = doc["text"]
    assert text.startswith("3月1日，记者从成都高新区获悉")
    assert "（图为园区企业生产车间）" in text  # captions are body
    for furniture in ("首页", "相关文章", "1234", "2016", "ICP", "028-85556666", "13912345678", "版权", "发布时间"):
        assert furniture not in text
    assert doc["title"] == "成都高新区集成电路产业营收增长"
    assert doc["outlet"] == "成都日报" and doc["published"] == date(2025, 3, 2)


BRIEF = """产业简讯
2025-03-02 09:30
某县一季度签约项目12个。
全县规上工业产值同比增长8.5%。
今年以来，该县坚持把发展经济的着力点放在实体经济上，产业发展呈现稳中有进、持续向好的态势，新签约项目质量明显提升。
"""


def test_a_short_brief_keeps_its_lead(tmp_path):
    """Short sentences before the first long paragraph are the brief's lead, not furniture; the
    headline and the date line above them still go."""
    doc = only_document(write(tmp_path, "brief.txt", BRIEF))
    assert doc["text"].startswith("某县一季度签约项目12个。\n全县规上工业产值同比增长8.5%。\n今年以来")
    assert "产业简讯" not in doc["text"] and "09:30" not in doc["text"]
    assert doc["title"] == "产业简讯" and doc["published"] == date(2025, 3, 2)


def test_headlines_before_the_body_still_go(tmp_path):
    page = BRIEF.replace("某县一季度签约项目12个。\n", "某县一季度签约项目12个\n副标题：产业发展稳中有进\n")
    text = only_document(write(tmp_path, "brief.txt", page))["text"]
    assert text.startswith("全县规上工业产值同比增长8.5%。")  # lines not closed like a sentence are headings
    doc = only_document(write(tmp_path, "a.txt", ARTICLE))
    assert doc["text"].startswith("3月1日")  # a page's headline, date and breadcrumbs are not kept


def test_related_list_with_long_teasers_does_not_win(tmp_path):
    teaser = "近日，某县召开产业发展大会，会议总结了过去一年的成绩，部署了下一阶段的重点任务和工作安排，提出要..."
    page = ARTICLE.replace("高新区举办人才对接会 签约人才项目1234个", "\n".join([teaser] * 6))
    doc = only_document(write(tmp_path, "a.txt", page))
    assert "980亿元" in doc["text"] and "某县" not in doc["text"]


# ---------------------------------------------------------------- normalisation

def test_pinyin_noise_is_removed_but_real_parentheses_stay():
    assert remove_pinyin_noise("生物醫(yī)藥產(chǎn)業") == "生物醫藥產業"
    assert remove_pinyin_noise("(記者郭揚(yáng))") == "(記者郭揚)"
    for kept in ("（记者郭扬）", "(完)", "(CGT)", "(de)"):
        assert remove_pinyin_noise(kept) == kept


def test_t2s_only_for_traditional_documents():
    simplified = "临安区於潜镇签约项目17个，总投资24亿元，乾元镇也有项目落地。"
    assert detect_script(simplified) == "simplified"
    assert normalize_chars(simplified, detect_script(simplified)) == simplified
    traditional = "臨安區簽約項目17個，總投資24億元，發展勢頭強勁。"
    assert detect_script(traditional) == "traditional"
    assert normalize_chars(traditional, "traditional") == "临安区签约项目17个，总投资24亿元，发展势头强劲。"


def test_width_folding_keeps_chinese_punctuation():
    assert fold_width("增长１２．５％，达ＡＢＣ。（完）") == "增长12.5%，达ABC。（完）"
    text = analyse_text("标题一二三四\n\u3000\u3000第一段，内容很长很长很长很长很长很长很长很长。\n\n\n第二段，内容也很长很长很长很长很长很长很长。").text
    assert text == "第一段，内容很长很长很长很长很长很长很长很长。\n第二段，内容也很长很长很长很长很长很长很长。"


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize(
    ("first", "page", "raw", "expected"),
    [
        ("新华社成都3月12日电 记者获悉", date(2025, 3, 13), "", date(2025, 3, 12)),
        # month/day after the page date → previous year
        ("新华社成都12月28日电 记者获悉", date(2025, 1, 3), "", date(2024, 12, 28)),
        # late repost: a year-named event moves the year back, a reporting year does not
        ("中新网浙江新闻4月18日电 近日", date(2024, 9, 26), "2023首届峰会举行，2022年以来", date(2023, 4, 18)),
        ("新华社成都3月12日电 记者获悉", date(2025, 6, 2), "2024年产业规模突破", date(2025, 3, 12)),
        # no page date: the latest year the page mentions, never a plan year
        ("人民网杭州10月18日电 日前", None, "2022年GDP，到2027年目标，2023年大会", date(2023, 10, 18)),
        ("记者从某区获悉", date(2025, 3, 2), "", None),  # no dateline: the page's own date stands
        ("人民网北京2023年5月4日电 记者", date(2024, 1, 1), "", date(2023, 5, 4)),
    ],
)
def test_dateline_year_logic(first, page, raw, expected):
    assert dateline_date(first, page, raw, date(2026, 1, 1)) == expected


# ---------------------------------------------------------------- files and samples

def test_iter_input_files_is_sorted_recursive_and_keeps_unsupported(tmp_path):
    write(tmp_path, "b.txt", ARTICLE)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a.jsonl", "")
    write(tmp_path, "c.pdf", b"%PDF")
    write(tmp_path, ".hidden.txt", "x")
    write(tmp_path, "README.md", "docs")
    found = iter_input_files(tmp_path)
    assert found == sorted(found)
    assert [p.name for p in found] == ["b.txt", "c.pdf", "a.jsonl"]
    assert iter_input_files(tmp_path / "b.txt") == [tmp_path / "b.txt"]


def test_samples_are_all_accounted_for():
    files = iter_input_files(SAMPLES)
    docs, quarantined = [], []
    for path in files:
        d, q = stage(path)
        docs += d
        quarantined += q
        if path.suffix != ".jsonl":
            assert len(d) + len(q) == 1
    jsonl = [path for path in files if path.suffix == ".jsonl"]
    items = sum(1 for path in jsonl for line in path.read_bytes().splitlines() if line.strip())
    assert len(docs) + len(quarantined) == len(files) - len(jsonl) + items
    assert sorted(q["reason"] for q in quarantined) == ["bad_json", "empty_file"]
    by_doc = {d["doc"]: d for d in docs}
    assert by_doc["hubei_wuhan_optics_gbk.txt"]["encoding"] == "gb18030"
    foshan = by_doc["guangdong_foshan_traditional.txt"]
    assert foshan["script"] == "traditional" and "(zhì)" not in foshan["text"] and "顺德区" in foshan["text"]
    chengdu = by_doc["sichuan_chengdu_electronics_repost.txt"]
    assert (chengdu["published"], chengdu["outlet"]) == (date(2025, 3, 12), "新华社")
    assert by_doc["zhejiang_ningbo_newmaterials.html"]["title"] == "宁波新材料产业规模突破1000亿元"
    # the crawler's records: URLs kept, HTML through the HTML path, each date with its source
    crawled = {d["doc"]: d for d in docs if d["source_path"].endswith("crawler_pages.jsonl")}
    assert {doc: (d["published"].isoformat(), d["published_source"], d["outlet"]) for doc, d in crawled.items()} == {
        "crawl-2025-0421-deqing": ("2025-04-21", "header", "湖州日报"),  # 本报讯 under a 来源 paper
        "crawl-2025-0308-kunshan": ("2025-03-05", "dateline", "新华社"),  # a repost on an aggregator
        "crawl-2024-1118-dongguan": ("2024-11-18", "url", "东莞日报"),  # framed by spam
        "crawl-2024-1015-qianhai": ("2024-10-15", "field", "香港产经网"),  # Traditional, the site's name
    }
    assert all(d["url"] for d in crawled.values()) and crawled["crawl-2025-0421-deqing"]["raw_text"].startswith("<!DOCTYPE")
    assert crawled["crawl-2024-1118-dongguan"]["title"] == "东莞松山湖机器人产业集群营收突破600亿元"
    for doc in docs:
        assert "ICP" not in doc["text"] and "版权" not in doc["text"] and "电话" not in doc["text"]


def test_rows_fit_the_parquet_contracts(tmp_path):
    import pyarrow as pa

    docs, _ = stage(write(tmp_path, "a.txt", ARTICLE))
    _, quarantined = stage(write(tmp_path, "b.txt", b""))
    assert pa.Table.from_pylist(docs, schema=schemas.DOCUMENTS).num_rows == 1
    assert pa.Table.from_pylist(quarantined, schema=schemas.QUARANTINE).num_rows == 1


def test_a_date_spaced_out_by_a_pdf_dump_is_the_published_date():
    text = ("某县2023年工业经济运行情况\n\n某县统计局\n2024 年 3 月 18 日\n\n"
            "全年全县规模以上工业增加值比上年增长 6.1%，工业投资增长 8.2%。")
    assert str(analyse_text(text).published) == "2024-03-18"


def test_the_bodies_issuing_a_bulletin_are_not_its_title():
    text = ("某县2023年国民经济和社会发展\n统计公报\n\n某县统计局\n国家统计局某县调查队\n2024 年 3 月 18 日\n\n"
            "一、综合\n全年全县规模以上工业增加值比上年增长 6.1%，工业投资增长 8.2%。\n")
    assert analyse_text(text).title == "某县2023年国民经济和社会发展"
