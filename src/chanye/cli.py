"""The `chanye` command. Every subcommand calls the same library code as the Airflow DAG."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date, datetime
from pathlib import Path

EPILOG = """examples:
  chanye run                                  # the whole pipeline through Airflow on the bundled samples
  chanye run --input ~/articles               # ... on your own folder (.txt, .html, .jsonl; recursive)
  chanye serve                                # Airflow's scheduler and UI on http://127.0.0.1:8080 (Ctrl-C stops)
  chanye extract ../shared/seeds --out /tmp/x # stage + extract only, JSON-lines out, no Airflow
  chanye sql "select * from fct_metric_observation limit 5"
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

    p = sub.add_parser("sql", help="query the published warehouse (read-only)")
    p.add_argument("query", help="a SQL query, e.g. \"select * from dim_metric\"")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(handler=cmd_sql)

    p = sub.add_parser("dq-report", help="run the data-quality suites on corpora; write the report (Markdown, HTML) and print it")
    p.add_argument("inputs", nargs="*", type=Path, help="files or folders (default: data/samples and ../shared/seeds)")
    p.add_argument("--out", type=Path, help="folder for dq-report.md and dq-report.html (default: data/reports)")
    p.set_defaults(handler=cmd_dq_report)

    p = sub.add_parser("prepare", help="create the lake, parse the dbt project, migrate the Airflow metadata DB")
    p.set_defaults(handler=cmd_prepare)
    return parser


def cmd_run(args) -> int:
    from chanye import report, runner

    summary = runner.run(args.input, full_refresh=args.full_refresh)
    print(report.format_summary(summary))
    return 0


def cmd_serve(args) -> int:
    from chanye import serve

    return serve.serve(args.port)


def cmd_prepare(args) -> int:
    from chanye import runner

    runner.prepare()
    return 0


def cmd_extract(args) -> int:
    from chanye import batches
    from chanye.staging import iter_input_files

    if not args.input.exists():
        raise FileNotFoundError(f"input {args.input} does not exist")
    files = iter_input_files(args.input.resolve())
    run_id = "cli-" + datetime.now().strftime("%Y%m%dT%H%M%S")
    at = batches.now_utc()
    documents, quarantined, _ = batches.stage_files(files, run_id, at)
    out = batches.extract_documents(documents, run_id, at)
    quarantined += out.quarantine
    args.out.mkdir(parents=True, exist_ok=True)
    write_jsonl(args.out / "documents.jsonl", [{k: v for k, v in d.items() if k != "raw_text"} for d in documents])
    for name in batches.EXTRACTORS:
        write_jsonl(args.out / f"{name}.jsonl", getattr(out, name))
    write_jsonl(args.out / "quarantine.jsonl", quarantined)
    print(
        f"{len(files)} input files -> {len(documents)} documents, {len(out.facts)} facts, "
        f"{len(out.mentions)} mentions, {len(out.events)} events, {len(quarantined)} quarantined; "
        f"written to {args.out}/"
    )
    return 0


def cmd_sql(args) -> int:
    from chanye import warehouse
    from chanye.config import settings

    with warehouse.connect_read_only(settings().published_warehouse) as con:
        rel = con.sql(args.query)
        if rel is None:
            return 0
        if args.format == "table":
            rel.show(max_width=10_000, max_rows=10_000)
        elif args.format == "csv":
            rel.to_df().to_csv(sys.stdout, index=False)
        else:
            for row in rel.to_df().to_dict(orient="records"):
                print(json.dumps(row, ensure_ascii=False, default=str))
    return 0


def cmd_dq_report(args) -> int:
    """Stage and extract each corpus (no Airflow), run the same GX suites as the gate, and write
    the report (every expectation, what it means, rows checked and failed, worst offenders) as
    Markdown and HTML under the reports folder; print the Markdown."""
    from chanye import batches, gate, quality, report
    from chanye.config import settings
    from chanye.seeds import gate_parameters
    from chanye.staging import iter_input_files

    s = settings()
    inputs = args.inputs or [p for p in (s.samples_dir, s.home.parent / "shared" / "seeds") if p.is_dir()]
    for source in inputs:
        if not source.exists():
            raise FileNotFoundError(f"input {source} does not exist")
    sections = []
    for source in inputs:
        files = iter_input_files(source.resolve())
        if not files:
            raise FileNotFoundError(f"no article files (.txt, .html, .jsonl) in {source}")
        at = batches.now_utc()
        documents, _, _ = batches.stage_files(files, "dq-report", at)
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
