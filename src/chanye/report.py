"""What a run reports: the run summary (data/reports/last_run.json and the lines `chanye run`
prints) and the data-quality table (`chanye dq-report`)."""
from __future__ import annotations

import json

from chanye.config import settings


def summarize(run_id: str, validation: dict, marts_validation: dict, plan: dict) -> dict:
    """The run's counts, data-quality verdicts and where its outputs are; kept as last_run.json."""
    from chanye import warehouse

    s = settings()
    summary = {
        "run_id": run_id,
        **validation["counts"],
        "data_quality": {**validation["data_quality"], **marts_validation},
        "warehouse_build": "full" if plan["full_refresh"] else "incremental",
        "build_reason": plan["reason"],
        "mart_rows": warehouse.table_counts(s.published_warehouse),
        "corrections": warehouse.correction_counts(s.published_warehouse),
        "lake": str(s.lake),
        "warehouse": str(s.published_warehouse),
        "data_docs": str(s.data_docs_dir / "index.html"),
        "dbt_docs": str(s.warehouse_dir / "docs" / "static_index.html"),
        "parquet": str(s.warehouse_dir / "parquet"),
    }
    s.reports_dir.mkdir(parents=True, exist_ok=True)
    (s.reports_dir / "last_run.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary


def format_summary(s: dict) -> str:
    dq = ", ".join(f"{k} {v['passed']}/{v['expectations']} expectations passed" for k, v in s["data_quality"].items())
    marts = "\n".join(f"    {name:<28} {rows:>8}" for name, rows in s["mart_rows"].items())
    return (
        f"chanye run {s['run_id']}\n"
        f"  new input files     {s['input_files']}  (files already ingested are skipped)\n"
        f"  documents staged    {s['documents_staged']}  (duplicates among them: {s['duplicates']})\n"
        f"  quarantined         {s['quarantined']}  (see fct_quarantined_input)\n"
        f"  facts extracted     {s['facts_extracted']}\n"
        f"  data quality        PASSED ({dq})\n"
        f"  warehouse build     {s['warehouse_build']}  ({s['build_reason']})\n"
        f"  corrections         {_corrections(s.get('corrections') or {})}\n"
        f"  rows per table:\n{marts}\n"
        f"  lake                {s['lake']}\n"
        f"  warehouse           {s['warehouse']}  (open read-only: chanye sql \"...\")\n"
        f"  parquet             {s['parquet']}/<table>.parquet\n"
        f"  dbt docs            {s['dbt_docs']}\n"
        f"  data docs (GX)      {s['data_docs']}"
    )


def _corrections(by_status: dict) -> str:
    if not by_status:
        return "none (chanye correct FACT_ID … ; they apply from the next run on)"
    text = ", ".join(f"{n} {status}" for status, n in by_status.items())
    return text + ("  (see fct_correction: some no longer apply)" if {"orphaned", "invalid"} & set(by_status) else "")


def markdown_table(reports: list) -> str:
    """One line per (corpus, suite report): the compact view CI logs show."""
    lines = [
        "| corpus | suite | rows | expectations | passed | failed | worst offenders |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for corpus, r in reports:
        worst = sorted(r.failures, key=lambda f: (f.severity != "critical", -f.unexpected_count))[:3]
        offenders = "; ".join(
            f"{f.severity}: {f.expectation}({f.column}) {f.unexpected_count} rows e.g. {f.examples[:2]}" for f in worst
        )
        lines.append(f"| {corpus} | {r.suite} | {r.rows} | {r.expectations} | {r.passed} | {len(r.failures)} | {offenders or '-'} |")
    return "\n".join(lines)
