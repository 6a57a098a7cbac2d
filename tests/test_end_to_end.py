"""The real pipeline, end to end: Airflow runs the DAG, dbt builds the marts, GX gates them,
and `chanye sql` reads the published warehouse. Slow (Airflow runs), so each run is shared."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, needs_seeds

pytestmark = needs_seeds


def chanye(*args: str, env_data_dir: Path) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, CHANYE_DATA_DIR=str(env_data_dir))
    exe = Path(sys.executable).with_name("chanye")
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=900)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_stages_extracts_builds_and_validates(seeds_run):
    assert seeds_run["input_files"] == 5
    assert seeds_run["documents_staged"] == 5
    assert seeds_run["facts_extracted"] >= 25
    assert set(seeds_run["data_quality"]) == {"inputs", "documents", "facts", "marts", "rollups"}
    rows = seeds_run["mart_rows"]
    assert rows["dim_document"] == 5
    assert rows["fct_metric_observation"] == seeds_run["facts_extracted"]
    assert rows["dim_metric"] >= 22
    assert rows["dim_region"] > 3000
    assert Path(seeds_run["data_docs"]).is_file()
    assert Path(seeds_run["dbt_docs"]).is_file()
    exported = {p.stem for p in Path(seeds_run["parquet"]).glob("*.parquet")}
    assert exported == set(rows)  # every analyst table, also as Parquet


def test_published_marts_answer_through_chanye_sql(seeds_run, data_dir):
    out = chanye(
        "sql",
        "select d.doc, f.value from fct_metric_observation f join dim_document d using (document_id) "
        "where f.metric_id = 'investment' and f.region_code = '330523' order by f.value desc",
        "--format", "json",
        env_data_dir=data_dir,
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert {"doc": "000_1e616931093342f5.txt", "value": 14_000_000_000.0} in rows


def test_published_warehouse_opens_read_only_during_a_build(seeds_run, data_dir):
    """Analysts hold the published file open; dbt writes a different file; publish swaps atomically."""
    from chanye.config import settings

    published = settings().published_warehouse
    reader = duckdb.connect(str(published), read_only=True)
    try:
        with duckdb.connect(str(settings().build_warehouse)) as writer:  # the builder's lock is elsewhere
            writer.execute("select 1").fetchone()
        assert reader.execute("select count(*) from dim_document").fetchone()[0] == 5
    finally:
        reader.close()


def test_second_run_is_idempotent(seeds_run, data_dir):
    from chanye import runner
    from chanye.config import settings

    def snapshot():
        with duckdb.connect(str(settings().published_warehouse), read_only=True) as con:
            facts = con.execute("select fact_id, value from fct_metric_observation order by 1").fetchall()
            docs = con.execute("select document_id from dim_document order by 1").fetchall()
        return facts, docs

    before = snapshot()
    again = runner.run(Path(REPO.parent / "shared" / "seeds"))
    assert again["input_files"] == 0  # nothing new: the manifest knows every file
    assert snapshot() == before


def test_failed_gate_keeps_the_published_warehouse(seeds_run, data_dir, tmp_path, monkeypatch):
    """A broken unit table makes the extractor emit land area in CNY: the facts gate fails the run
    in Airflow, nothing is committed or published, and the next good run publishes normally.
    Works on a copy of the session's data directory, so the other tests keep the seeds-only warehouse."""
    from chanye import lake, runner
    from chanye.config import settings

    shutil.copytree(data_dir, tmp_path / "data", ignore=shutil.ignore_patterns("airflow"))  # fresh metadata DB
    monkeypatch.setenv("CHANYE_DATA_DIR", str(tmp_path / "data"))

    article = tmp_path / "input" / "gate-test.txt"
    article.parent.mkdir()
    article.write_text(
        "测试园区新项目开工\n2024-05-06 来源:测试日报\n"
        "近日,浙江省湖州市安吉县一个新材料项目开工建设,项目占地120亩,总投资8亿元,预计明年投产。\n",
        encoding="utf-8",
    )
    broken_home = tmp_path / "home"
    for part in ("dags", "dbt_project", "expectations", "plugins"):
        shutil.copytree(REPO / part, broken_home / part, ignore=shutil.ignore_patterns("target", "__pycache__"))
    units = broken_home / "dbt_project" / "seeds" / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace("亩,m2,", "亩,CNY,"), encoding="utf-8")

    published = settings().published_warehouse
    before = sha(published)
    with monkeypatch.context() as broken:
        broken.setenv("CHANYE_HOME", str(broken_home))
        with pytest.raises(RuntimeError, match=r"failed tasks: validate\n.*ValidationFailed: suite facts"):
            runner.run(article.parent)
    assert sha(published) == before
    committed = lake.read_dataset(settings().lake, "documents", ["doc"])["doc"].to_pylist()
    assert "gate-test.txt" not in committed
    reports = sorted((settings().reports_dir).glob("*/facts.json"))
    failed = [json.loads(p.read_text()) for p in reports]
    assert any(
        f["expectation"] == "expect_column_pair_values_to_be_in_set" and f["severity"] == "critical"
        for r in failed
        for f in r["failures"]
    )

    good = runner.run(article.parent)
    assert good["documents_staged"] == 1
    assert sha(published) != before
    with duckdb.connect(str(published), read_only=True) as con:
        units = con.execute(
            "select unit from fct_metric_observation where metric_id = 'land_area' and span_text like '%120亩%'"
        ).fetchall()
    assert units == [("m2",)]


def test_incremental_build_equals_a_full_refresh(seeds_run, data_dir, tmp_path, monkeypatch):
    """New articles arriving after the seeds: dbt adds only the new lake commit to a copy of the
    published warehouse, and every analyst table ends up exactly as a rebuild from the whole lake.
    On a copy of the session's data directory."""
    from chanye import runner
    from chanye.config import settings

    shutil.copytree(data_dir, tmp_path / "data", ignore=shutil.ignore_patterns("airflow"))
    monkeypatch.setenv("CHANYE_DATA_DIR", str(tmp_path / "data"))

    def tables() -> dict:
        with duckdb.connect(str(settings().published_warehouse), read_only=True) as con:
            from chanye import warehouse

            return {t: sorted(map(repr, con.execute(f'select * from "{t}"').fetchall())) for t in warehouse.analyst_tables(con)}

    # analysts' corrections made before the run: both builds must apply them alike
    made = make_corrections()

    articles = tmp_path / "articles"  # our own test articles (their truth files are not input)
    articles.mkdir()
    for path in (REPO / "tests" / "data" / "extraction").glob("*.txt"):
        shutil.copy(path, articles)
    shutil.copy(REPO / "data" / "samples" / "crawler_pages.jsonl", articles)  # crawled pages with their URLs
    added = runner.run(articles)
    assert added["warehouse_build"] == "incremental"
    assert added["documents_staged"] >= 10
    incremental = tables()
    assert_urls_reach_the_analysts(settings(), tmp_path / "data")
    rejected = 1
    assert len(incremental["fct_metric_observation"]) == seeds_run["facts_extracted"] + added["facts_extracted"] - rejected
    assert_corrections_applied(made)

    rebuilt = runner.run(articles, full_refresh=True)
    assert rebuilt["warehouse_build"] == "full" and rebuilt["input_files"] == 0
    full = tables()
    assert set(incremental) == set(full)
    for table in full:
        assert incremental[table] == full[table], table
    assert_corrections_applied(made)


def make_corrections() -> dict:
    """A value, a region and year, a fact marked wrong, and a correction whose fact does not exist
    (written to the log by hand, as if its fact had disappeared)."""
    from chanye import corrections
    from chanye.config import settings

    target, region, wrong = (
        fact_id(where) for where in (
            "metric_id = 'industry_scale' and region_code = '330523' and year = 2026",
            "metric_id = 'investment' and region_code = '330523' and value = 14000000000",
            "metric_id = 'attendee_count' and region_code = '330523' and value = 150",
        )
    )
    corrections.record(target, "规模应为600亿元", corrections.Change(value="600亿元"), by="analyst-a")
    corrections.record(region, "开发区在安吉县, 2024年的数", corrections.Change(year=2024), by="analyst-b")
    corrections.record(wrong, "不是参会人数", action="reject", by="analyst-a")
    orphan = {name: None for name in corrections.CORRECTIONS.names} | {
        "correction_id": "orphan-1", "fact_id": "f" * 20, "action": "correct", "year": 2020,
        "note": "its fact is gone", "corrected_by": "analyst-c", "corrected_at": "2026-12-01T00:00:00+00:00",
        "evidence": "一句已不在的话。"}
    with settings().corrections_log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(orphan, ensure_ascii=False) + "\n")
    return {"target": target, "region": region, "wrong": wrong}


def fact_id(where: str) -> str:
    from chanye.config import settings

    with duckdb.connect(str(settings().published_warehouse), read_only=True) as con:
        rows = con.execute(f"select fact_id from fct_metric_observation where {where}").fetchall()
    assert len(rows) == 1, where
    return rows[0][0]


def assert_corrections_applied(made: dict) -> None:
    from chanye.config import settings

    with duckdb.connect(str(settings().published_warehouse), read_only=True) as con:
        facts = {r[0]: r[1:] for r in con.execute(
            "select fact_id, value, value_display, year, is_corrected, original_value, original_year, corrected_by "
            "from fct_metric_observation where fact_id in (?, ?, ?)", [made["target"], made["region"], made["wrong"]]
        ).fetchall()}
        status = dict(con.execute("select fact_id, status from fct_correction").fetchall())
        target = con.execute("select target_value from mart_targets where fact_id = ?", [made["target"]]).fetchone()
    assert facts[made["target"]] == (60_000_000_000.0, "600亿元", 2026, True, 50_000_000_000.0, 2026, "analyst-a")
    assert facts[made["region"]][2:5] == (2024, True, 14_000_000_000.0)
    assert made["wrong"] not in facts  # set aside, listed in fct_correction
    assert status == {made["target"]: "applied", made["region"]: "applied", made["wrong"]: "rejected", "f" * 20: "orphaned"}
    assert target == (60_000_000_000.0,)  # the marts read the corrected value


def assert_urls_reach_the_analysts(settings, data: Path) -> None:
    """A crawled page's URL and the date's source are on its document, on every fact read from it,
    in the Parquet exports and through `chanye sql`."""
    import pyarrow.parquet as pq

    with duckdb.connect(str(settings.published_warehouse), read_only=True) as con:
        documents = {doc: (url, source) for doc, url, source in con.execute(
            "select doc, url, published_source from dim_document where doc like 'crawl-%'").fetchall()}
        facts_without_url = con.execute(
            "select count(*) from fct_metric_observation f join dim_document d using (document_id) "
            "where d.doc like 'crawl-%' and f.url is distinct from d.url").fetchone()[0]
        crawled_facts = con.execute(
            "select count(*) from fct_metric_observation where url like 'https://%'").fetchone()[0]
    assert documents["crawl-2025-0421-deqing"] == ("https://www.example.gov.cn/art/2025/4/21/art_1229_58120.html", "header")
    assert len(documents) == 4 and all(url for url, _ in documents.values())
    assert facts_without_url == 0 and crawled_facts >= 10
    exported = pq.read_table(settings.warehouse_dir / "parquet" / "dim_document.parquet", columns=["doc", "url", "published_source"])
    assert "https://www.sohu.com/a/812345678_121106842" in exported.column("url").to_pylist()
    out = chanye("sql", "select doc, url, published_source from dim_document where doc = 'crawl-2024-1118-dongguan'",
                 "--format", "json", env_data_dir=data)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.splitlines()[0]) == {
        "doc": "crawl-2024-1118-dongguan", "url": "https://news.example.com.cn/2024-11/18/content_7712.htm",
        "published_source": "url",
    }
