"""Compare two published warehouses table by table: same analyst tables, same rows.

    uv run python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb

Columns that name a run rather than the data (run ids, ingestion and commit times, input paths)
are left out, so two builds of the same input from different data directories compare equal.
Exit status 1 when a shared table differs."""
from __future__ import annotations

import sys

import duckdb

VOLATILE = {"run_id", "ingest_date", "commit_id", "source_path", "latest_actual_published"}


def tables(con) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables "  # fct_metric_observation is a view
        "where regexp_matches(table_name, '^(dim|fct|mart|bridge)_') order by 1").fetchall()]


def columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = ? order by ordinal_position", [table]).fetchall()]


def rows(con, table: str, cols: list[str]) -> list[str]:
    quoted = ", ".join(f'"{c}"' for c in cols)
    return sorted(map(repr, con.execute(f'select {quoted} from "{table}"').fetchall()))


def main(before: str, after: str) -> int:
    a, b = duckdb.connect(before, read_only=True), duckdb.connect(after, read_only=True)
    ta, tb = tables(a), tables(b)
    print(f"tables only in {before}: {sorted(set(ta) - set(tb))}; only in {after}: {sorted(set(tb) - set(ta))}")
    differ = 0
    for table in sorted(set(ta) & set(tb)):
        ca, cb = columns(a, table), columns(b, table)
        shared = [c for c in ca if c in cb and c not in VOLATILE and not c.endswith("_at")]
        ra, rb = rows(a, table, shared), rows(b, table, shared)
        differ += ra != rb
        changed = sorted(set(ca) ^ set(cb))
        print(f"{table:28} rows {len(ra):7} {len(rb):7}  {'identical' if ra == rb else 'DIFFERENT'}"
              + (f"  (columns in one only: {changed})" if changed else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
