"""The `chanye` command. Every subcommand calls the same library code as the Airflow DAG."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

EPILOG = """examples:
  chanye run                                  # the whole pipeline through Airflow on the bundled samples
  chanye run --input ~/articles               # ... on your own folder (.txt, .html, .jsonl; recursive)
  chanye serve                                # Airflow's scheduler and UI on http://127.0.0.1:8080 (Ctrl-C stops)
  chanye extract ../shared/seeds --out /tmp/x # stage + extract only, JSON-lines out, no Airflow
  chanye sql "select * from fct_metric_observation limit 5"
  chanye ui                                   # the analysts' app on http://127.0.0.1:8501
  chanye export --region 330523 --format xlsx --out anji.xlsx
  chanye correct 3276ff317b --value 600亿元 --note "原文为600亿元"   # applies from the next run on
  chanye dq-report                            # data-quality report for the samples (and ../shared/seeds)
"""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Our progress at INFO; the libraries underneath (GX, dbt, Airflow) only when they warn.
    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr)
    logging.getLogger("chanye").setLevel(logging.DEBUG if args.verbose else logging.INFO)
    try:
        return args.handler(args) or 0
    except (FileNotFoundError, RuntimeError, ValueError) as exc:
        print(f"chanye: error: {exc}", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chanye",
        description="A warehouse of Chinese regional industry facts, built from news articles.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="run the whole pipeline through Airflow (what `make run` calls)")
    p.add_argument("--input", type=Path, help="file or folder of articles (default: data/samples)")
    p.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every warehouse table from the whole lake (default: add the new lake commits; "
        "a changed dbt project triggers a full refresh by itself)",
    )
    p.add_argument(
        "--wait", type=float, metavar="SECONDS",
        help="when another run writes the data dir, wait this long for it to finish before giving up "
        "(default: CHANYE_LOCK_WAIT_SECONDS, else 0: refuse at once, naming that run)",
    )
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser(
        "serve",
        help="run Airflow here as a service: the scheduler (on CHANYE_SCHEDULE, reading CHANYE_INBOX) and the UI; Ctrl-C stops it",
        description="Start Airflow's api-server (UI and REST API, on 127.0.0.1), scheduler (LocalExecutor, one task "
        "slot per core), dag-processor and triggerer on the project-local Airflow home, print the UI address and "
        "the login, and run until Ctrl-C. chanye_pipeline then runs on its schedule (CHANYE_SCHEDULE, default "
        "@hourly) on what arrived in the inbox (CHANYE_INBOX, default data/inbox); component logs: data/logs/serve/.",
    )
    p.add_argument("--port", type=int, default=8080, help="the api-server's port on 127.0.0.1 (default 8080)")
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("extract", help="stage and extract without Airflow; writes JSON-lines files")
    p.add_argument("input", type=Path, help="a file or a folder (searched recursively)")
    p.add_argument("--out", type=Path, required=True, help="output folder for documents/facts/quarantine.jsonl")
    p.set_defaults(handler=cmd_extract)

    p = sub.add_parser(
        "sql", help="query the published warehouse (read-only)",
        description="Query the published warehouse. Read-only: no writes, no other files (COPY … TO, EXPORT, "
        "ATTACH, read_csv), no extensions. --format json writes one JSON object per line (null, ISO dates).",
    )
    p.add_argument("query", help="a SQL query, e.g. \"select * from dim_metric\"")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(handler=cmd_sql)

    p = sub.add_parser("ui", help="serve the analysts' web app (Streamlit) on the published warehouse")
    p.add_argument("--port", type=int, default=8501, help="default 8501 (the Airflow plugin links CHANYE_UI_URL)")
    p.add_argument("--address", default="127.0.0.1", help="default 127.0.0.1 (this machine only)")
    p.set_defaults(handler=cmd_ui)

    p = sub.add_parser(
        "export", help="write a region's facts (or targets, conflicts, corrections) as .xlsx or CSV",
        description="The same tables as the app's export buttons: Chinese headers, values as read and in base "
        "units, the evidence sentence, the article's title, file and URL.",
    )
    p.add_argument("--region", help="GB/T 2260 code (330523) or name (安吉县); includes the regions under it")
    p.add_argument("--industry", help="industry id or Chinese name (biomedicine, 生物医药); includes its sub-industries")
    p.add_argument("--table", choices=["facts", "targets", "conflicts", "corrections"], default="facts")
    p.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    p.add_argument("--out", type=Path, required=True, help="the file to write")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "correct", help="correct a fact, or mark it wrong (applies from the next run on, in every later build)",
        description="Record an analyst's correction of a fact in the corrections store "
        "(CHANYE_DATA_DIR/corrections/corrections.jsonl, append-only). Every later build applies it "
        "(fct_metric_observation.is_corrected, the extracted reading kept in original_*); fct_correction lists it.",
    )
    p.add_argument("fact_id", help="the fact's id (fct_metric_observation.fact_id; a unique prefix of 6+ characters)")
    p.add_argument("--value", help="the right value as written: 600亿元, 3-5亿元, 7500亩, 12.5%% (or a number in the base unit)")
    p.add_argument("--metric", help="the right metric_id (dim_metric)")
    p.add_argument("--region", help="the right region: GB/T 2260 code or name")
    p.add_argument("--year", type=int, help="the right year")
    p.add_argument("--modality", help="actual, target or forecast (实际/目标/预测)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--wrong", action="store_true", help="the fact is wrong: set it aside")
    what.add_argument("--revert", action="store_true", help="withdraw the fact's correction (the extracted reading stands)")
    p.add_argument("--note", required=True, help="why (required)")
    p.add_argument("--by", help="who (default: $CHANYE_USER or the login name)")
    p.set_defaults(handler=cmd_correct)

    p = sub.add_parser("corrections", help="list the corrections and what became of each in the published build")
    p.set_defaults(handler=cmd_corrections)

    p = sub.add_parser("dq-report", help="run the data-quality suites on corpora; write the report (Markdown, HTML) and print it")
    p.add_argument("inputs", nargs="*", type=Path, help="files or folders (default: data/samples and ../shared/seeds)")
    p.add_argument("--out", type=Path, help="folder for dq-report.md and dq-report.html (default: data/reports)")
    p.set_defaults(handler=cmd_dq_report)

    p = sub.add_parser("prepare", help="create the lake, parse the dbt project, migrate the Airflow metadata DB")
    p.set_defaults(handler=cmd_prepare)
    return parser


def cmd_run(args) -> int:
    from chanye import report, runner

    summary = runner.run(args.input, full_refresh=args.full_refresh, wait=args.wait)
    print(report.format_summary(summary))
    return 0


def cmd_serve(args) -> int:
    from chanye import serve

    return serve.serve(args.port)


def cmd_prepare(args) -> int:
    from chanye import runner, writer

    with writer.hold("chanye prepare"):  # a run's prepare migrates the same Airflow DB
        runner.prepare()
    return 0


def cmd_extract(args) -> int:
    from chanye import batches

    if not args.input.exists():
        raise FileNotFoundError(f"input {args.input} does not exist")
    run_id = "cli-" + datetime.now().strftime("%Y%m%dT%H%M%S")
    at = batches.now_utc()
    documents, quarantined, manifest = batches.stage_input(args.input, run_id, at)
    out = batches.extract_documents(documents, run_id, at)
    quarantined += out.quarantine
    args.out.mkdir(parents=True, exist_ok=True)
    write_jsonl(args.out / "documents.jsonl", [{k: v for k, v in d.items() if k != "raw_text"} for d in documents])
    for name in batches.EXTRACTORS:
        write_jsonl(args.out / f"{name}.jsonl", getattr(out, name))
    write_jsonl(args.out / "quarantine.jsonl", quarantined)
    print(
        f"{len(manifest)} input files -> {len(documents)} documents, {len(out.facts)} facts, "
        f"{len(out.mentions)} mentions, {len(out.events)} events, {len(quarantined)} quarantined; "
        f"written to {args.out}/"
    )
    return 0


def cmd_sql(args) -> int:
    """One query, read-only; a mistake is one line on stderr (with DuckDB's hint) and exit 1."""
    import duckdb

    from chanye import warehouse
    from chanye.config import settings

    try:
        with warehouse.connect_analyst(settings().published_warehouse) as con:
            rel = con.sql(args.query)
            if rel is None:
                return 0
            if args.format == "table":
                rel.show(max_width=10_000, max_rows=10_000)
                return 0
            columns, rows = rel.columns, rel.fetchall()
    except duckdb.Error as exc:
        print(f"chanye sql: {one_line(exc)}", file=sys.stderr)
        return 1
    if args.format == "csv":
        import csv

        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(columns)
        out.writerows([["" if v is None else plain(v) for v in row] for row in rows])
    else:
        for row in rows:
            print(json.dumps({c: plain(v) for c, v in zip(columns, row)}, ensure_ascii=False, allow_nan=False))
    return 0


def one_line(exc: Exception) -> str:
    """DuckDB's message on one line: the error and its hint (Did you mean "dim_document"?),
    without the echoed query and caret."""
    lines = [line.strip() for line in str(exc).splitlines()]
    kept = [line for line in lines if line and not line.startswith("LINE ") and set(line) != {"^"}]
    return " ".join(kept) or type(exc).__name__


def plain(v):
    """A value as JSON has it: null for NaN/NaT, ISO dates and times, numbers for decimals."""
    import math
    from decimal import Decimal

    if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return None
    if isinstance(v, (date, datetime, time)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, (bytes, bytearray)):
        return v.hex()
    if isinstance(v, timedelta):
        return str(v)
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (str, int, float, bool)):
        return v
    return str(v)  # UUID, intervals …


def cmd_ui(args) -> int:
    from chanye.app import serve

    serve.serve(args.port, args.address)
    return 0


def cmd_export(args) -> int:
    from chanye.app import export, queries

    wh = queries.Warehouse()
    if not wh.exists():
        raise FileNotFoundError(f"no published warehouse at {wh.path}: run `chanye run` (or `make run`) first")
    try:
        table, view, filters = _export_table(wh, args)
    finally:
        wh.close()
    data = export.to_xlsx(table, view, export.about(view, filters, len(table))) if args.format == "xlsx" else export.to_csv(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"{len(table)} rows ({args.table}{', region ' + filters['地区'] if filters['地区'] else ''}"
          f"{', industry ' + filters['行业'] if filters['行业'] else ''}) written to {args.out}")
    return 0


def _export_table(wh, args):
    from chanye.app import export, queries

    region = _region_code(wh, args.region) if args.region else None
    industry = _industry_id(wh, args.industry) if args.industry else None
    filters = {"地区": region, "行业": industry}
    if args.table == "facts":
        frame, columns = export.fact_rows(queries.facts(wh, region=region, industry=industry)), export.FACT_COLUMNS
    elif args.table == "targets":
        frame, columns = export.target_rows(queries.targets(wh, region=region, industry=industry)), export.TARGET_COLUMNS
    elif args.table == "conflicts":
        if industry:
            raise ValueError("--industry does not apply to conflicts")
        frame, columns = export.conflict_rows(queries.conflicts(wh, region=region)), export.CONFLICT_COLUMNS
    else:
        if region or industry:
            raise ValueError("--region and --industry do not apply to corrections")
        frame, columns = export.correction_rows(queries.corrections(wh)), export.CORRECTION_COLUMNS
    view = {"facts": "事实", "targets": "目标进展", "conflicts": "数据冲突", "corrections": "人工修正"}[args.table]
    return export.table(frame, columns), view, filters


def _region_code(wh, region: str) -> str:
    rows = wh.query("select region_code, name from dim_region where region_code = ? or name = ? order by is_current desc",
                    [region, region])
    if rows.empty:
        raise ValueError(f"unknown region {region!r}: give a GB/T 2260 code (330523) or a name (安吉县)")
    return rows.iat[0, 0]


def _industry_id(wh, industry: str) -> str:
    rows = wh.query("select industry_id from dim_industry where industry_id = ? or name_zh = ?", [industry, industry])
    if rows.empty:
        known = ", ".join(wh.query("select industry_id from dim_industry order by 1")["industry_id"])
        raise ValueError(f"unknown industry {industry!r} (known: {known})")
    return rows.iat[0, 0]


def cmd_correct(args) -> int:
    from chanye import corrections

    action = "reject" if args.wrong else "revert" if args.revert else "correct"
    change = corrections.Change(value=args.value, metric=args.metric, region=args.region, year=args.year,
                                modality=args.modality)
    entry = corrections.record(args.fact_id, args.note, change, action=action, by=args.by)
    changed = ", ".join(f"{k}={entry[k]}" for k in corrections.CORRECTED_FIELDS if entry.get(k) is not None)
    print(f"recorded correction {entry['correction_id']} of fact {entry['fact_id']} ({action}"
          f"{': ' + changed if changed else ''}) by {entry['corrected_by']}; it applies from the next run "
          f"(`chanye run`) on, in every later build")
    return 0


def cmd_corrections(args) -> int:
    from chanye import corrections
    from chanye.app import queries

    wh = queries.Warehouse()
    try:
        built = queries.corrections(wh) if wh.exists() else None
    finally:
        wh.close()
    pending = corrections.pending()
    for e in pending:
        print(f"pending   {e['corrected_at'][:19]}  {e['fact_id']}  {e['action']:<7}  {e['corrected_by']}: {e['note']}")
    if built is not None and not built.empty:
        for r in built.to_dict("records"):
            print(f"{r['status']:<9} {str(r['corrected_at'])[:19]}  {r['fact_id']}  {r['action']:<7}  "
                  f"{r['corrected_by']}: {r['correction_note']}")
    if not pending and (built is None or built.empty):
        print("no corrections yet (chanye correct FACT_ID --note …)")
    return 0


def cmd_dq_report(args) -> int:
    """Stage and extract each corpus (no Airflow), run the same GX suites as the gate, and write
    the report (every expectation, what it means, rows checked and failed, worst offenders) as
    Markdown and HTML under the reports folder; print the Markdown."""
    from chanye import batches, gate, quality, report
    from chanye.config import settings
    from chanye.seeds import gate_parameters

    s = settings()
    inputs = args.inputs or [p for p in (s.samples_dir, s.home.parent / "shared" / "seeds") if p.is_dir()]
    for source in inputs:
        if not source.exists():
            raise FileNotFoundError(f"input {source} does not exist")
    sections = []
    for source in inputs:
        at = batches.now_utc()
        documents, _, manifest = batches.stage_input(source, "dq-report", at)
        if not manifest:
            raise FileNotFoundError(f"no article files (.txt, .html, .jsonl) in {source}")
        facts = batches.extract_documents(documents, "dq-report", at).facts
        docs_df = _frame(documents, "documents")
        facts_df = _frame(facts, "facts")
        for suite, rows in (("documents", docs_df), ("facts", facts_df)):
            checked = gate.derive_checks(suite, rows, docs_df)
            sections.append((source.name, quality.validate(suite, checked, gate_parameters(), f"dq-report-{source.name}")))
    md, html = report.write_dq_report(sections, args.out or s.reports_dir)
    print(md.read_text(encoding="utf-8"))
    print(f"Report: {md} and {html}\nData Docs: {s.data_docs_dir / 'index.html'}")
    blocking = [f"{c}/{r.suite}" for c, r in sections if not r.success]
    if blocking:
        print(f"critical expectations failed in: {', '.join(blocking)}", file=sys.stderr)
        return 1
    return 0


def _frame(rows: list[dict], dataset: str):
    from chanye import lake

    return lake.rows_to_table(rows, dataset).to_pandas()


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(v):
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    raise TypeError(f"not JSON serialisable: {type(v).__name__}")


if __name__ == "__main__":
    sys.exit(main())
