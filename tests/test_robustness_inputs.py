"""Hostile inputs (issue 14): copies inside one run, a run-on sentence, far-off years, links and
special files in the input folder, stray files in the pending area, rows that fail the gate.

Each test builds its input in tmp_path and runs the pipeline's steps as the DAG's tasks do (plan,
stage, extract, dedupe, validate, commit; no Airflow), then checks that nothing was lost or
doubled: every arrival is a document row (copies share an id) or a quarantine row."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chanye import batches, dedup, gate, lake, schemas
from chanye.config import settings

REPO = Path(__file__).resolve().parents[1]
RUN = "manual__robust-inputs"

# Written for these tests; places real, projects and numbers invented.
ARTICLE = """安吉县新材料产业园项目集中开工
2024-05-06 来源：测试日报
近日，浙江省湖州市安吉县一个新材料项目开工建设，项目占地120亩，总投资8亿元，预计明年投产。
"""
OTHER = """德清县举行数字经济项目签约仪式
2024-04-18 来源：测试晚报
4月17日，浙江省湖州市德清县集中签约数字经济项目12个，总投资56亿元，其中智能制造项目投资21亿元。
"""
FAR_TARGETS = """安吉县发布绿色低碳发展规划
2024-03-09 来源：测试日报
浙江省湖州市安吉县提出，力争到2060年，全县绿色产业产值达到2000亿元。
记者了解到，力争到2150年，全县数字经济规模达到5000亿元。
拥有2500年历史的安吉县，今年一季度完成固定资产投资85亿元。
"""


@pytest.fixture
def pipeline(tmp_path, monkeypatch):
    """run(input) -> the gate's result, through the steps the DAG calls, in a fresh data dir."""
    monkeypatch.setenv("CHANYE_DATA_DIR", str(tmp_path / "data"))

    def run(source: Path, before_validate=None, run_id: str = RUN) -> dict:
        staged = [batches.stage(b, run_id) for b in batches.plan(str(source), run_id)]
        for b in staged:
            batches.extract(b, run_id)
        dedup.mark_run_duplicates(run_id)
        if before_validate:
            before_validate()
        result = gate.validate_run(run_id)
        lake.commit_run(run_id)
        return result

    return run


def committed(dataset: str, columns: list[str] | None = None) -> list[dict]:
    return lake.read_dataset(settings().lake, dataset, columns).to_pylist()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_accounted(arrivals: int) -> None:
    """Document rows (copies included) + quarantine rows of staging = what arrived."""
    documents = committed("documents", ["document_id"])
    staged_out = [q for q in committed("quarantine") if q["stage"] == "stage"]
    assert len(documents) + len(staged_out) == arrivals, (documents, staged_out)


# ---------------------------------------------------------------- 1. copies inside one run

def test_exact_copies_in_one_run_are_one_document_with_copies(pipeline, tmp_path):
    folder = tmp_path / "input"
    write(folder, "a.txt", ARTICLE)
    shutil.copy(folder / "a.txt", folder / "b.txt")
    write(folder, "other.txt", OTHER)
    record = json.dumps({"id": "x1", "title": "德清县数字经济项目签约", "published": "2024-04-18",
                         "text": OTHER.split("\n", 2)[2]}, ensure_ascii=False)
    write(folder, "feed.jsonl", f"{record}\n{record}\n")  # a line repeated

    result = pipeline(folder)

    documents = committed("documents", ["document_id", "source_path"])
    assert len(documents) == 5 and len({d["document_id"] for d in documents}) == 3  # 5 arrivals, 3 documents
    assert result["counts"]["duplicates"] == 3  # b.txt, the repeated line, and the feed's item (other.txt, syndicated)
    facts = [f["fact_id"] for f in committed("facts", ["fact_id"])]
    assert facts and len(facts) == len(set(facts))  # a copy's claims once
    assert not [q for q in committed("quarantine") if q["stage"] == "validate"]
    assert_accounted(5)


def test_copies_in_two_batches_do_not_block(pipeline, tmp_path, monkeypatch):
    """One document per batch: the copies' facts sit in two pending files of one chunk."""
    monkeypatch.setenv("CHANYE_BATCH_SIZE", "1")
    folder = tmp_path / "input"
    write(folder, "a.txt", ARTICLE)
    shutil.copy(folder / "a.txt", folder / "b.txt")
    result = pipeline(folder)
    assert result["counts"]["documents_staged"] == 2 and result["counts"]["duplicates"] == 1
    assert result["counts"]["facts_extracted"] == len({f["fact_id"] for f in committed("facts", ["fact_id"])}) > 0
    assert_accounted(2)


# ---------------------------------------------------------------- 2. one run-on sentence

def run_on_sentence(clauses: int) -> str:
    places = ["杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市"]
    parts = [f"{places[i % 8]}第{i % 97 + 1}批项目总投资{i % 50 + 3}亿元" if i % 3
             else f"力争到{2025 + i % 5}年{places[i % 8]}新增企业{i % 40 + 2}家" for i in range(clauses)]
    return "，".join(parts) + "。"


def extraction_seconds(text: str) -> float:
    from datetime import date

    from chanye.extract import extract_document

    doc = {"document_id": "0" * 16, "doc": "long.txt", "text": text, "title": "浙江省项目建设",
           "published": date(2024, 5, 1), "region_code": None, "outlet": None}
    started = time.perf_counter()
    facts = extract_document(doc)["facts"]
    assert len(facts) > text.count("，") // 2
    return time.perf_counter() - started


def test_a_run_on_sentence_costs_time_linear_in_its_length():
    small, large = extraction_seconds(run_on_sentence(800)), extraction_seconds(run_on_sentence(6400))
    assert large < 8 * small * 2, (small, large)  # 8 times the text: linear (x8), with room for noise, not x64


def test_a_document_over_its_budget_is_quarantined_and_the_run_goes_on(pipeline, tmp_path, monkeypatch):
    monkeypatch.setenv("CHANYE_EXTRACT_SECONDS", "0.5")
    folder = tmp_path / "input"
    write(folder, "a.txt", ARTICLE)
    write(folder, "long.txt", "浙江省项目建设清单\n2024-05-01 来源：测试日报\n" + run_on_sentence(30000) + "\n")
    pipeline(folder)
    set_aside = [q for q in committed("quarantine") if q["stage"] == "extract"]
    assert [(Path(q["source_path"]).name, q["reason"]) for q in set_aside] == [("long.txt", "over_budget")]
    assert {Path(d["source_path"]).name for d in committed("documents", ["source_path"])} == {"a.txt", "long.txt"}
    assert {f["doc"] for f in committed("facts", ["doc"])} == {"a.txt"}


# ---------------------------------------------------------------- 3. years far from the article

def test_a_far_deadline_is_kept_and_flagged_an_implausible_year_is_quarantined(pipeline, tmp_path):
    folder = tmp_path / "input"
    write(folder, "plan.txt", FAR_TARGETS)
    result = pipeline(folder)
    facts = committed("facts", ["year", "modality", "span_text"])
    assert {"span_text": "2000亿元", "year": 2060, "modality": "target"} in facts  # kept
    assert not [f for f in facts if f["span_text"] == "5000亿元"]  # 2150: not published with a made-up year
    assert [f for f in facts if f["span_text"] == "85亿元"]  # the rest goes on (2500年历史 is no year)
    reasons = {q["detail"].split(" failed ")[1] for q in committed("quarantine") if q["stage"] == "validate"}
    assert reasons == {"expect_column_values_to_be_in_set(check_years_named_in_range) [critical]",
                       "expect_column_values_to_be_between(year) [critical]"} or \
        reasons == {"expect_column_values_to_be_in_set(check_years_named_in_range) [critical]"}
    flagged = json.loads((settings().reports_dir / lake.run_key(RUN) / "facts.json").read_text())
    warning = [f for f in flagged["failures"] if f["column"] == "check_target_years_after_published"]
    assert warning and warning[0]["severity"] == "warning" and warning[0]["unexpected_count"] == 2  # 2060 and 2150
    assert result["data_quality"]["facts"]["warnings"] >= 1


# ---------------------------------------------------------------- 4. the input folder's own entries

def test_links_and_special_files_are_refused_and_accounted_for(pipeline, tmp_path):
    folder = tmp_path / "input"
    write(folder, "a.txt", ARTICLE)
    outside = write(tmp_path / "elsewhere", "secret.txt", OTHER)
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "self.txt").symlink_to("self.txt")
    (folder / "outside.txt").symlink_to(outside)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "inside.txt").symlink_to(folder / "a.txt")  # stays inside: read, a copy of a.txt
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a folder link back up: a loop for a naive walk
    os.mkfifo(folder / "pipe.txt")

    pipeline(folder)

    refused = {Path(q["source_path"]).name: q for q in committed("quarantine") if q["stage"] == "stage"}
    assert {name: q["reason"] for name, q in refused.items()} == {
        "loop1.txt": "symlink_loop", "loop2.txt": "symlink_loop", "self.txt": "symlink_loop",
        "outside.txt": "symlink_outside_input", "passwd.txt": "symlink_outside_input",
        "dangling.txt": "symlink_broken", "up": "symlink_directory", "pipe.txt": "not_regular_file"}
    assert all(q["raw_hash"] is None for q in refused.values())  # nothing outside was read or hashed
    assert "/etc/passwd" in refused["passwd.txt"]["detail"] and "FIFO" in refused["pipe.txt"]["detail"]
    documents = committed("documents", ["source_path", "document_id"])
    assert sorted(Path(d["source_path"]).name for d in documents) == ["a.txt", "inside.txt"]
    assert len({d["document_id"] for d in documents}) == 1
    manifest = {Path(m["source_path"]).name for m in committed("manifest", ["source_path"])}
    assert manifest == {"a.txt", "inside.txt", *refused}  # every entry the walk saw
    assert_accounted(10)


# ---------------------------------------------------------------- 5. every pending file is checked

def test_pending_files_of_any_name_are_validated_or_refused(pipeline, tmp_path):
    folder = tmp_path / "input"
    write(folder, "a.txt", ARTICLE)
    s = settings()

    def plant():
        facts = lake.read_files(lake.pending_files(s.lake, RUN, "facts"), "facts").to_pylist()
        money = next(f for f in facts if f["metric"] == "investment")
        bad = dict(money, fact_id="f" * 16, unit="m2", char_start=0, char_end=1)  # money in square metres
        orphan = dict(facts[0], fact_id="e" * 16, document_id="not-in-this-run")
        lake.write_table(lake.rows_to_table([bad], "facts"), lake.pending_file(s.lake, RUN, "facts", "stray"))
        lake.write_table(lake.rows_to_table([orphan], "facts"), lake.pending_file(s.lake, RUN, "facts", "zz-orphans"))
        mention = {"mention_id": "m" * 16, "document_id": "nobody", "doc": "nobody.txt", "kind": "org", "name": "某公司",
                   "evidence": "某公司", "char_start": 0, "char_end": 3, "extractor_version": "0", "run_id": RUN,
                   "extracted_at": facts[0]["extracted_at"]}
        lake.write_table(lake.rows_to_table([mention], "mentions"), lake.pending_file(s.lake, RUN, "mentions", "other"))

    pipeline(folder, before_validate=plant)
    fact_ids = {f["fact_id"] for f in committed("facts", ["fact_id"])}
    assert fact_ids and "f" * 16 not in fact_ids and "e" * 16 not in fact_ids
    assert "m" * 16 not in {m["mention_id"] for m in committed("mentions", ["mention_id"])}
    reasons = sorted(q["reason"] for q in committed("quarantine") if q["stage"] == "validate")
    assert reasons == ["expect_column_pair_values_to_be_in_set", "orphan_row", "orphan_row"]


# ---------------------------------------------------------------- 7. row-level problems and systemic ones

@pytest.mark.parametrize("corrupt, expectation", [
    (lambda f: f.update(unit="km"), "expect_column_pair_values_to_be_in_set"),  # a unit no seed knows
    (lambda f: f.update(document_id=None), "expect_column_values_to_not_be_null"),
    (lambda f: f.update(value=-f["value"]), "expect_column_values_to_be_in_set"),  # no longer raw × factor
])
def test_a_bad_row_is_quarantined_and_the_rest_of_the_run_commits(pipeline, tmp_path, corrupt, expectation):
    folder = tmp_path / "input"
    write(folder, "a.txt", ARTICLE)
    write(folder, "other.txt", OTHER)
    s = settings()
    chosen = {}

    def spoil():
        path = next(iter(lake.pending_files(s.lake, RUN, "facts")))
        facts = lake.read_files([path], "facts").to_pylist()
        corrupt(facts[0])
        chosen["fact_id"] = facts[0]["fact_id"]
        chosen["total"] = len(facts)
        # written as another writer might: the lake's schema with every column nullable
        loose = pa.schema([field.with_nullable(True) for field in schemas.FACTS])
        pq.write_table(pa.Table.from_pylist(facts, loose), path)

    pipeline(folder, before_validate=spoil)
    fact_ids = {f["fact_id"] for f in committed("facts", ["fact_id"])}
    assert chosen["fact_id"] not in fact_ids and len(fact_ids) == chosen["total"] - 1
    caught = [q for q in committed("quarantine") if q["stage"] == "validate"]
    assert [q["reason"] for q in caught] == [expectation] and chosen["fact_id"] in caught[0]["detail"]
    assert len(committed("documents", ["document_id"])) == 2


def broken_units_home(tmp_path: Path) -> Path:
    """A copy of the project's seeds and suites whose units seed converts 亩 to money."""
    home = tmp_path / "home"
    for part in ("dbt_project", "expectations"):
        shutil.copytree(REPO / part, home / part, ignore=shutil.ignore_patterns("target", "__pycache__", "logs"))
    units = home / "dbt_project" / "seeds" / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace("亩,m2,", "亩,CNY,"), encoding="utf-8")
    return home


def test_a_broken_unit_table_blocks_the_run(pipeline, tmp_path, monkeypatch):
    from chanye.quality import ValidationFailed

    monkeypatch.setenv("CHANYE_HOME", str(broken_units_home(tmp_path)))
    folder = tmp_path / "input"
    write(folder, "a.txt", ARTICLE)
    with pytest.raises(ValidationFailed, match="suite facts"):
        pipeline(folder)
    assert committed("documents") == [] and committed("facts") == []
    assert "expect_column_pair_values_to_be_in_set" in {q["reason"] for q in committed("quarantine")}


# ---------------------------------------------------------------- 6. quarantine now and before

def test_the_published_quarantine_shows_what_is_set_aside_now(pipeline, tmp_path, monkeypatch):
    """A run blocked by a broken units seed sets its rows aside; once the seed is fixed the next
    run ingests the article: the warehouse shows it as a document and no longer as quarantined
    (the history keeps the old rows, resolved). A fact the gate quarantines in a committed run
    is quarantined now and not published."""
    import duckdb

    from chanye import build
    from chanye.quality import ValidationFailed

    folder = tmp_path / "input"
    write(folder, "a.txt", ARTICLE)
    with monkeypatch.context() as broken:
        broken.setenv("CHANYE_HOME", str(broken_units_home(tmp_path)))
        with pytest.raises(ValidationFailed):
            pipeline(folder, run_id="manual__blocked")
    write(folder, "plan.txt", FAR_TARGETS)
    pipeline(folder, run_id="manual__fixed")
    build.prepare_build(False)
    build.run_dbt(["build"])
    build.publish()
    with duckdb.connect(str(settings().published_warehouse), read_only=True) as con:
        def rows(sql):
            return con.execute(sql).fetchall()

        assert sorted(Path(p).name for (p,) in rows("select source_path from dim_document")) == ["a.txt", "plan.txt"]
        now = rows("select source_path, reason, run_id from fct_quarantined_input")
        assert [(Path(p).name, run) for p, _, run in now] == [("plan.txt", "manual__fixed")] * len(now) and now
        history = rows("select run_id, resolved_at is not null from fct_quarantine_history where source_path like '%a.txt'")
        assert history and all(run == "manual__blocked" and resolved for run, resolved in history)
        spans = {s for (s,) in rows("select span_text from fct_metric_observation")}
        assert "120亩" in spans and "2000亿元" in spans and "5000亿元" not in spans


def test_the_command_line_extract_refuses_links_out_of_its_folder(tmp_path):
    """chanye extract walks its folder as the plan does: a link out of it is refused, not read."""
    from chanye.cli import main

    folder = tmp_path / "input"
    write(folder, "a.txt", ARTICLE)
    outside = write(tmp_path / "elsewhere", "secret.txt", OTHER)
    (folder / "outside.txt").symlink_to(outside)

    assert main(["extract", str(folder), "--out", str(tmp_path / "out")]) == 0

    read = lambda name: [json.loads(line) for line in (tmp_path / "out" / name).read_text(encoding="utf-8").splitlines()]
    assert [Path(d["source_path"]).name for d in read("documents.jsonl")] == ["a.txt"]
    assert [(Path(q["source_path"]).name, q["reason"]) for q in read("quarantine.jsonl")] == [
        ("outside.txt", "symlink_outside_input")]
    assert "德清" not in (tmp_path / "out" / "facts.jsonl").read_text(encoding="utf-8")
