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
    md, html = run_dq_report(run_id)
    return _keep({
        "run_id": run_id,
        **validation["counts"],
        "data_quality_report": str(html),
        "data_quality": {**validation["data_quality"], **marts_validation},
        "warehouse_build": "full" if plan["full_refresh"] else "incremental",
        "build_reason": plan["reason"],
        "mart_rows": warehouse.table_counts(s.published_warehouse),
        "corrections": warehouse.correction_counts(s.published_warehouse),
        **_outputs(s),
    })


def run_dq_report(run_id: str) -> tuple:
    """The data-quality report of a pipeline run, from the reports its gates kept
    (data/reports/<run>/<suite>.json), as data-quality.md and .html beside them."""
    from chanye import lake, quality

    folder = settings().reports_dir / lake.run_key(run_id)
    order = ["inputs", "documents", "facts", "marts", "rollups"]
    kept = sorted(folder.glob("*.json"), key=lambda p: (order.index(p.stem) if p.stem in order else len(order), p.stem))
    sections = [("run", quality.read_report(path)) for path in kept]
    return write_dq_report(sections, folder, "data-quality", f"Data-quality report of run {run_id}")


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
        f"  data quality        PASSED  (report: {s.get('data_quality_report', '-')})\n{_verdict_lines(s['data_quality'])}\n"
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


# ---------------------------------------------------------------- the data-quality report

def _status(c) -> str:
    return "passed" if c.success else "FAILED" if c.severity == "critical" else "warning"


def _heading(source: str, r) -> str:
    from chanye.quality import load_suite

    verdict = "passed" if r.success else "FAILED"
    return (f"{source} · {r.suite}: {r.rows} {load_suite(r.suite).rows_are} checked, "
            f"{r.passed}/{r.expectations} expectations passed ({verdict})")


def dq_markdown(sections: list, title: str = "Data-quality report") -> str:
    """Every expectation of every (source, suite report), by what it means to an analyst, with
    the rows it checked, the rows that failed it and the worst offenders (row id: value)."""
    failed = [f"{source}/{r.suite}" for source, r in sections if not r.success]
    lines = [f"# {title}", "",
             f"{len(sections)} suite reports; " + (f"critical expectations FAILED in {', '.join(failed)}." if failed
                                                   else "every critical expectation passed."), ""]
    for source, r in sections:
        lines += [f"## {_heading(source, r)}", "",
                  "| result | what it checks | rows checked | rows failed | worst offenders | expectation (severity) |",
                  "|---|---|---:|---:|---|---|"]
        for c in r.results:
            offenders = "; ".join(c.offenders[:3]) or (f"observed {c.observed}" if c.observed and not c.success else "-")
            lines.append(f"| {_status(c)} | {_md(c.meaning or c.expectation)} | {c.rows_checked} | {c.rows_failed} | "
                         f"{_md(offenders)} | `{c.expectation}({c.column})` ({c.severity}) |")
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def dq_html(sections: list, title: str = "Data-quality report") -> str:
    """The same report as one self-contained HTML page (no remote styles or scripts)."""
    from html import escape

    failed = [f"{source}/{r.suite}" for source, r in sections if not r.success]
    body = [f"<h1>{escape(title)}</h1>",
            f'<p class="verdict {"bad" if failed else "good"}">'
            + (f"Critical expectations FAILED in {escape(', '.join(failed))}." if failed
               else f"Every critical expectation passed ({len(sections)} suite reports).") + "</p>"]
    for source, r in sections:
        rows = []
        for c in r.results:
            offenders = "<br>".join(escape(o) for o in c.offenders[:5]) or (
                escape(f"observed {c.observed}") if c.observed and not c.success else "–")
            rows.append(
                f'<tr class="{_status(c).lower()}"><td class="status">{_status(c)}</td>'
                f"<td>{escape(c.meaning or c.expectation)}</td><td class=num>{c.rows_checked}</td>"
                f"<td class=num>{c.rows_failed}</td><td>{offenders}</td>"
                f"<td><code>{escape(c.expectation)}({escape(c.column)})</code><br><small>{escape(c.severity)}</small></td></tr>")
        body.append(f"<h2>{escape(_heading(source, r))}</h2><table><thead><tr><th>result</th><th>what it checks</th>"
                    "<th>rows checked</th><th>rows failed</th><th>worst offenders</th><th>expectation</th></tr></thead>"
                    f"<tbody>{''.join(rows)}</tbody></table>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", sans-serif; margin: 2em auto; max-width: 78em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 2em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .35em .6em; text-align: left; vertical-align: top; }}
th {{ background: #f3f4f6; }} td.num {{ text-align: right; }} code {{ font-size: .85em; }}
tr.passed td.status {{ color: #137333; }} tr.failed {{ background: #fce8e6; }} tr.warning {{ background: #fef7e0; }}
.verdict.good {{ color: #137333; }} .verdict.bad {{ color: #b3261e; font-weight: bold; }}
</style></head><body>
{chr(10).join(body)}
</body></html>
"""


def write_dq_report(sections: list, folder, name: str = "dq-report", title: str = "Data-quality report") -> tuple:
    """The report as `name`.md and `name`.html in `folder`; returns both paths."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    md, html = folder / f"{name}.md", folder / f"{name}.html"
    md.write_text(dq_markdown(sections, title), encoding="utf-8")
    html.write_text(dq_html(sections, title), encoding="utf-8")
    return md, html
