"""`chanye sql`, the analysts' SQL front door: one-line errors with DuckDB's hint, valid JSON, and
truly read-only (no file written or read outside the warehouse, no extension, no setting undone).
Runs on the session's published warehouse (the seeds run)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import needs_seeds
from chanye import cli

pytestmark = needs_seeds


def sql(capsys, query: str, *args: str) -> tuple[int, str, str]:
    code = cli.main(["sql", query, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def strict_json(line: str):
    def no_constant(name):
        raise ValueError(f"not JSON: {name}")

    return json.loads(line, parse_constant=no_constant)


@pytest.mark.parametrize(
    "statement, why",
    [
        ("copy (select * from dim_metric) to '{tmp}/out.csv'", "file system operations are disabled"),
        ("copy dim_metric to '{tmp}/out.parquet' (format parquet)", "file system operations are disabled"),
        ("export database '{tmp}/dump'", "file system operations are disabled"),
        ("attach '{tmp}/other.duckdb' as other", "file system operations are disabled"),
        ("install httpfs", "disabled"),
        ("load httpfs", "disabled"),
        ("select * from read_csv('/etc/passwd')", "file system operations are disabled"),
        ("select * from read_text('{tmp}/secret.txt')", "file system operations are disabled"),
        ("select * from glob('/etc/*')", "file system operations are disabled"),
        ("set enable_external_access = true", "the configuration has been locked"),
        ("set lock_configuration = false", "the configuration has been locked"),
        ("create table dim_evil as select 1", "read-only mode"),
        ("drop table dim_metric", "read-only mode"),
    ],
)
def test_sql_is_read_only(seeds_run, capsys, tmp_path, statement, why):
    (tmp_path / "secret.txt").write_text("secret")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = sql(capsys, statement.format(tmp=tmp_path))
    assert code == 1
    assert why in err
    assert err.count("\n") == 1 and "Traceback" not in err  # one line
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_a_typo_is_one_line_with_duckdbs_hint(seeds_run, capsys):
    code, out, err = sql(capsys, "select * from dim_documnt")
    assert code == 1 and out == ""
    assert err.strip() == 'chanye sql: Catalog Error: Table with name dim_documnt does not exist! Did you mean "dim_document"?'
    code, _, err = sql(capsys, "selct 1")
    assert code == 1 and err.startswith("chanye sql: Parser Error: syntax error at or near") and err.count("\n") == 1


def test_json_is_valid_with_null_and_iso_dates(seeds_run, capsys):
    code, out, err = sql(
        capsys,
        "select 'nan'::double as not_a_number, null::double as missing, date '2024-01-02' as day, "
        "timestamp '2024-01-02 03:04:05' as at, 12.50::decimal(10, 2) as price, [1, 2] as list",
        "--format", "json",
    )
    assert code == 0, err
    assert strict_json(out.strip()) == {"not_a_number": None, "missing": None, "day": "2024-01-02",
                                        "at": "2024-01-02T03:04:05", "price": 12.5, "list": [1, 2]}
    code, out, _ = sql(capsys, "select document_id, published, ingested_at from dim_document", "--format", "json")
    rows = [strict_json(line) for line in out.splitlines()]
    assert len(rows) == 5 and all(len(r["published"]) == 10 for r in rows if r["published"])


def test_csv_and_the_command_itself(seeds_run, data_dir, capsys):
    code, out, _ = sql(capsys, "select metric_id, name_zh from dim_metric where metric_id = 'investment'", "--format", "csv")
    assert code == 0 and out.splitlines() == ["metric_id,name_zh", "investment,投资额"]
    exe = Path(sys.executable).with_name("chanye")
    done = subprocess.run([str(exe), "sql", "select nothing from nowhere"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("chanye sql: Catalog Error: Table with name nowhere does not exist!")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_person_title_does_not_collide_with_the_article_title(seeds_run, capsys):
    code, out, err = sql(
        capsys,
        "select title, person_title from fct_organization_mention join dim_document using (document_id) "
        "where person_title is not null limit 1",
        "--format", "json",
    )
    assert code == 0, err
    row = strict_json(out.strip())
    assert row["person_title"] and row["title"] != row["person_title"]
