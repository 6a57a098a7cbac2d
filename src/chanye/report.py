"""What a run reports: the run summary (data/reports/last_run.json and the lines `chanye run`
prints) and the data-quality table (`chanye dq-report`)."""
from __future__ import annotations

import json
import logging

from chanye.config import settings

log = logging.getLogger(__name__)


def summarize(run_id: str, validation: dict, marts_validation: dict, plan: dict) -> dict:
    """The run's counts, data-quality verdicts and where its outputs are; kept as last_run.json."""
    from chanye import warehouse

    s = settings()
    return _keep({
        "run_id": run_id,
        **validation["counts"],
        "data_quality": {**validation["data_quality"], **marts_validation},
        "warehouse_build": "full" if plan["full_refresh"] else "incremental",
        "build_reason": plan["reason"],
        "mart_rows": warehouse.table_counts(s.published_warehouse),
        **_outputs(s),
    })


def anything_new(run_id: str, planned: list[dict], full_refresh: bool) -> bool:
    """Whether a run goes on after `plan`: there is new input, or a full refresh was asked for.
    Otherwise its summary says that nothing was new (nothing is staged, built or published)."""
    from chanye import batches, warehouse

    if batches.has_new_input(planned) or full_refresh:
        return True
    s = settings()
    source = planned[0]["source"]
    log.info("nothing new in %s since the last run: the rest of the run is skipped and the "
             "published warehouse stays as it is", source)
    _keep({
        "run_id": run_id, "nothing_new": True, "input": source,
        "input_files": 0, "documents_staged": 0, "duplicates": 0, "quarantined": 0, "facts_extracted": 0,
        "data_quality": {}, "warehouse_build": "none", "build_reason": f"nothing new in {source}",
        "mart_rows": warehouse.table_counts(s.published_warehouse) if s.published_warehouse.exists() else {},
        **_outputs(s),
    })
    return False


def _outputs(s) -> dict:
    return {
        "lake": str(s.lake),
        "warehouse": str(s.published_warehouse),
        "data_docs": str(s.data_docs_dir / "index.html"),
        "dbt_docs": str(s.warehouse_dir / "docs" / "static_index.html"),
        "parquet": str(s.warehouse_dir / "parquet"),
    }


def _keep(summary: dict) -> dict:
    s = settings()
    s.reports_dir.mkdir(parents=True, exist_ok=True)
    (s.reports_dir / "last_run.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary


def format_summary(s: dict) -> str:
    if s.get("nothing_new"):
        tables = f"{len(s['mart_rows'])} tables" if s["mart_rows"] else "nothing published yet"
        return (
            f"chanye run {s['run_id']}\n"
            f"  nothing new in {s['input']}: every file there was ingested before; nothing was staged, built or published\n"
            f"  warehouse           {s['warehouse']}  (unchanged: {tables})"
        )
    marts = "\n".join(f"    {name:<28} {rows:>8}" for name, rows in s["mart_rows"].items())
    return (
        f"chanye run {s['run_id']}\n"
        f"  new input files     {s['input_files']}  (files already ingested are skipped)\n"
        f"  documents staged    {s['documents_staged']}  (duplicates among them: {s['duplicates']})\n"
        f"  quarantined         {s['quarantined']}  (inputs or documents set aside with a reason: fct_quarantined_input)\n"
        f"  facts extracted     {s['facts_extracted']}\n"
        f"  data quality        PASSED\n{_verdict_lines(s['data_quality'])}\n"
        f"  warehouse build     {s['warehouse_build']}  ({s['build_reason']})\n"
        f"  rows per table:\n{marts}\n"
        f"  lake                {s['lake']}\n"
        f"  warehouse           {s['warehouse']}  (open read-only: chanye sql \"...\")\n"
        f"  parquet             {s['parquet']}/<table>.parquet\n"
        f"  dbt docs            {s['dbt_docs']}\n"
        f"  data docs (GX)      {s['data_docs']}"
    )


def _verdict_lines(verdicts: dict) -> str:
    """One line per suite, saying what was counted: expectations passed, on how many of what."""
    from chanye.quality import load_suite

    lines = []
    for suite, v in verdicts.items():
        warned = f", {v['warnings']} warnings" if v.get("warnings") else ""
        rows = f" on {v['rows']} {load_suite(suite).rows_are}" if "rows" in v else ""
        lines.append(f"    {suite:<16}{v['passed']}/{v['expectations']} expectations passed{rows}{warned}")
    return "\n".join(lines)


def new_facts_digest() -> str:
    """What the last publish added, for analysts: the facts of the newest lake commit in the
    published warehouse, as a Markdown table (data/reports/new_facts.md). Returns its path."""
    from chanye import warehouse

    s = settings()
    with warehouse.connect_read_only(s.published_warehouse) as con:
        rows = con.execute(
            "select f.commit_id, f.metric_id, f.region_code, f.year, f.value, f.unit, f.qualifier, f.modality, "
            "d.doc, f.evidence from fct_metric_observation f join dim_document d using (document_id) "
            "where f.commit_id = (select max(commit_id) from fct_metric_observation) "
            "order by d.doc, f.char_start"
        ).fetchall()
    commit = rows[0][0] if rows else None
    lines = [f"# New facts in the warehouse (lake commit {commit or '-'})", "",
             f"{len(rows)} facts from {len({r[8] for r in rows})} documents, published to {s.published_warehouse}.", "",
             "| metric | region | year | value | unit | qualifier | modality | document | evidence |",
             "|---|---|---:|---:|---|---|---|---|---|"]
    for _, metric, region, year, value, unit, qualifier, modality, doc, evidence in rows:
        evidence = (evidence or "").replace("|", "｜").replace("\n", " ")[:120]
        lines.append(f"| {metric} | {region or '-'} | {year or '-'} | {_number(value)} | {unit} | {qualifier} | {modality} | {doc} | {evidence} |")
    out = s.reports_dir / "new_facts.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log.info("%d new facts (lake commit %s): %s", len(rows), commit, out)
    return str(out)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4f}".rstrip("0")


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
