"""Benchmarks of the pipeline's stages on a real corpus (not a test: figures depend on the machine).

    uv run python bench/run_bench.py                               # all stages on ../shared/corpora/xwlb
    uv run python bench/run_bench.py --stages stage,extract --replicate 5
    uv run python bench/run_bench.py --limit 2000 --stages stage,extract,dedup

Each stage runs in its own process (so peak RSS is per stage) on a lake in a temporary
CHANYE_DATA_DIR, calling the same functions as the DAG's tasks, batch by batch:
  stage     plan + stage_batch per batch of files        documents/s, MB/s of input
  extract   extract_batch per batch (facts, mentions,    documents/s, chars/s of clean text
            events, MinHash signatures)
  dedup     mark_run_duplicates (LSH joins in DuckDB)    documents/s, chars/s
  validate  the GX gate (validate_run: documents+facts)  facts/s (GX import timed apart)
  dbt       commit, then `dbt build` on that lake        documents/s
  e2e       `chanye run --input DIR` through Airflow     documents/s (fresh data dir)
  incremental  then 1,000 new items into that warehouse  wall s (only the new commit is staged,
               (`chanye run` again, same data dir)       extracted, validated and added by dbt)
Writes bench/results/<date>-<corpus>.md and .json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "xwlb"
RESULTS = REPO / "bench" / "results"
STAGES = ["stage", "extract", "dedup", "validate", "dbt", "e2e", "incremental"]
NEEDS = {"extract": ["stage"], "dedup": ["stage", "extract"], "validate": ["stage", "extract"], "dbt": ["stage", "extract"],
         "incremental": ["e2e"]}
INCREMENTAL_ITEMS = 1000
RUN_ID = "bench"


# ---------------------------------------------------------------- measuring (in the worker)

def _usage() -> tuple[float, float, float]:
    """Wall time, CPU seconds of this process and its waited-for children, peak RSS in MB."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    return time.perf_counter(), cpu, max(me.ru_maxrss, kids.ru_maxrss) / 1024  # Linux: KB


class Meter:
    """Wall and CPU time of the block; peak RSS of the process (and its largest child)."""

    def __enter__(self):
        self.wall0, self.cpu0, self.rss_before = _usage()
        return self

    def __exit__(self, *exc):
        wall, cpu, self.peak_rss_mb = _usage()
        self.wall_s, self.cpu_s = wall - self.wall0, cpu - self.cpu0

    def as_dict(self) -> dict:
        return {"wall_s": round(self.wall_s, 2), "cpu_s": round(self.cpu_s, 2),
                "peak_rss_mb": round(self.peak_rss_mb), "rss_before_mb": round(self.rss_before)}


# ---------------------------------------------------------------- stage workers

def _state(data_dir: Path) -> Path:
    return data_dir / "bench-state.json"


def _text_chars(lake_root: str) -> int:
    import pyarrow.compute as pc

    from chanye import lake

    files = lake.pending_files(lake_root, RUN_ID, "documents")
    return sum(pc.sum(pc.utf8_length(lake.read_files([f], "documents", ["text"])["text"])).as_py() or 0 for f in files)


def work_stage(args, s) -> dict:
    from chanye import batches

    with Meter() as m:
        planned = batches.plan(str(args.input), RUN_ID)
        results = [batches.stage(batch, RUN_ID) for batch in planned]
    in_bytes = sum(Path(f).stat().st_size for f in {part[0] for batch in planned for part in batch["parts"]})
    docs = sum(r["documents"] for r in results)
    state = {"staged": results, "documents": docs, "chars": _text_chars(s.lake), "input_bytes": in_bytes}
    _state(s.data_dir).write_text(json.dumps(state))
    return {**m.as_dict(), **{k: v for k, v in state.items() if k != "staged"}, "batches": len(results),
            "quarantined": sum(r["quarantined"] for r in results),
            "throughput": f"{in_bytes / 1e6 / m.wall_s:.2f} MB/s"}


def work_extract(args, s) -> dict:
    from chanye import batches

    state = json.loads(_state(s.data_dir).read_text())
    with Meter() as m:
        results = [batches.extract(staged, RUN_ID) for staged in state["staged"]]
    return {**m.as_dict(), "documents": state["documents"], "chars": state["chars"],
            "facts": sum(r["facts"] for r in results), "throughput": f"{state['chars'] / m.wall_s:,.0f} chars/s"}


def work_dedup(args, s) -> dict:
    from chanye import dedup

    state = json.loads(_state(s.data_dir).read_text())
    with Meter() as m:
        result = dedup.mark_run_duplicates(RUN_ID)
    return {**m.as_dict(), **result, "chars": state["chars"], "throughput": f"{state['chars'] / m.wall_s:,.0f} chars/s",
            "note": f"{result['near_duplicates']} near duplicates"}


def work_validate(args, s) -> dict:
    started = time.perf_counter()
    import great_expectations  # noqa: F401 - a one-off cost per process, timed apart

    from chanye import gate, quality

    gx_import = time.perf_counter() - started
    with Meter() as m:
        try:
            result = gate.validate_run(RUN_ID)
            verdict = "gate passed"
        except quality.ValidationFailed as exc:
            result, verdict = None, "gate FAILED: " + " ".join(str(exc).split())[:240]
    state = json.loads(_state(s.data_dir).read_text())
    facts = result["counts"]["facts_extracted"] if result else _pending_rows(s.lake, "facts")
    return {**m.as_dict(), "documents": state["documents"], "facts": facts, "throughput": f"{facts / m.wall_s:,.0f} facts/s",
            "note": f"{verdict}; GX import {gx_import:.1f} s not included"}


def _pending_rows(lake_root: str, dataset: str) -> int:
    from chanye import lake

    return sum(lake.num_rows(f) for f in lake.pending_files(lake_root, RUN_ID, dataset))


def _failure(text: str) -> str:
    """The informative lines of a failed command's output, for the table's notes."""
    keep = [line.strip() for line in text.splitlines() if any(k in line for k in ("ERROR", "Error", "failed tasks", "FAIL"))]
    return "FAILED: " + " / ".join(dict.fromkeys(keep))[:300]


def work_dbt(args, s) -> dict:
    from chanye import build, lake, warehouse

    lake.commit_pending(s.lake, RUN_ID, datetime.now(timezone.utc))  # the gate's verdict does not matter here
    build.prepare_build(full_refresh=True)
    docs = lake.read_dataset(s.lake, "documents", ["document_id"]).num_rows
    failure = None
    with Meter() as m:
        try:
            build.run_dbt(["build"], s, target_path=s.data_dir / "dbt" / "target")
        except RuntimeError as exc:  # still timed: a failing node skips only its dependants
            failure = str(exc)
    rows = warehouse.table_counts(s.build_warehouse)
    note = f"{rows.get('fct_metric_observation')} observations, {rows.get('dim_document')} documents in marts"
    if failure:
        note += "; FAILED: " + failure[:300]
    return {**m.as_dict(), "documents": docs, "facts": rows.get("fct_metric_observation"), "note": note}


def work_e2e(args, s) -> dict:
    note = "fresh data dir: includes dbt parse and airflow db migrate"
    return _chanye_run(args.input, s, note)


def work_incremental(args, s) -> dict:
    """INCREMENTAL_ITEMS new items (a copy index the e2e input does not have) into e2e's warehouse."""
    new = s.data_dir / "incremental-input"
    _write_items(args.corpus, new / "new.jsonl", INCREMENTAL_ITEMS, copy=args.replicate + 1)
    return _chanye_run(new, s, "same data dir as e2e: only the new items are staged, extracted, validated, added")


def _chanye_run(input_dir: Path, s, note: str) -> dict:
    cmd = [str(Path(sys.executable).with_name("chanye")), "run", "--input", str(input_dir)]
    env = {**os.environ, "CHANYE_DATA_DIR": str(s.data_dir / "e2e")}
    with Meter() as m:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    tasks = _task_seconds(proc.stderr)
    if proc.returncode:  # e.g. the gate stopped the run: report how far it got and how long it took
        return {**m.as_dict(), "documents": None, "note": f"{note}; {_failure(proc.stderr)}", "tasks": tasks}
    summary = json.loads((s.data_dir / "e2e" / "reports" / "last_run.json").read_text())
    return {**m.as_dict(), "documents": summary["documents_staged"], "facts": summary["facts_extracted"],
            "note": f"{note}; warehouse build {summary['warehouse_build']}; slowest tasks: "
                    + ", ".join(f"{t} {v['s']:.0f} s ({v['peak_mb']:,} MB)" for t, v in sorted(tasks.items(), key=lambda x: -x[1]["s"])[:5]),
            "tasks": tasks}


def _task_seconds(progress: str) -> dict[str, dict]:
    """Seconds (mapped tasks summed) and peak memory per task from `chanye run`'s progress lines
    (`task stage[0]   done   4.3 s  peak   411 MB`: each task's own duration)."""
    import re

    tasks = {}
    for m in re.finditer(r"task (\S+?)(?:\[\d+\])?\s+(?:done|FAILED|failed, retried later)\s+([\d.]+) s\s+peak\s+(\d+) MB", progress):
        task = tasks.setdefault(m.group(1), {"s": 0.0, "peak_mb": 0})
        task["s"] += float(m.group(2))
        task["peak_mb"] = max(task["peak_mb"], int(m.group(3)))
    return tasks


WORKERS = {"stage": work_stage, "extract": work_extract, "dedup": work_dedup, "validate": work_validate,
           "dbt": work_dbt, "e2e": work_e2e, "incremental": work_incremental}


def worker_main(args) -> int:
    import pandas  # noqa: F401 - pyarrow imports it lazily on first read (~2 s): keep it out of the timings
    import pyarrow.dataset  # noqa: F401

    from chanye.config import settings

    result = WORKERS[args.worker](args, settings())
    Path(args.out).write_text(json.dumps(result))
    return 0


# ---------------------------------------------------------------- input corpus

def _items(corpus: Path):
    """(file, line) of every JSON-lines item, streamed."""
    for path in sorted(corpus.rglob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield path, line


def prepare_input(corpus: Path, target: Path, limit: int | None, replicate: int) -> Path:
    """The corpus itself, or a copy: the first `limit` items, `replicate` times (see _write_items)."""
    if not limit and replicate <= 1:
        return corpus
    for k in range(1, replicate + 1):
        _write_items(corpus, target / f"copy-{k:03d}.jsonl", limit, copy=k)
    return target


def _write_items(corpus: Path, out: Path, limit: int | None, copy: int) -> None:
    """Copy 1 is the items as they are. Copy k > 1 is new text of the same kind: each item keeps
    the first half of its sentences and takes the second half of another item's (picked by k), with a
    new id, so copies are not near-duplicates of each other and dedup, extraction and the marts do
    real work on them instead of collapsing them."""
    items = [json.loads(line) for _, line in _items(corpus)][:limit]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for n, item in enumerate(items):
            if copy > 1:
                other = items[(n + copy * 7919) % len(items)]
                mine, theirs = _sentences(item.get("text")), _sentences(other.get("text"))
                text = "".join(mine[: max(1, len(mine) // 2)] + theirs[len(theirs) // 2 :])
                item = {**item, "id": f"{item.get('id', n)}-c{copy}", "text": text}
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")


def _sentences(text) -> list[str]:
    import re

    return [t for t in re.split(r"(?<=[。！？\n])", str(text or "")) if t]


def corpus_stats(folder: Path) -> dict:
    files = sorted(folder.rglob("*.jsonl"))
    items = sum(1 for _ in _items(folder))
    return {"files": len(files), "items": items, "bytes": sum(f.stat().st_size for f in files)}


# ---------------------------------------------------------------- orchestration

def plan_stages(requested: list[str]) -> list[str]:
    wanted = set(requested)
    for stage in requested:
        wanted.update(NEEDS.get(stage, []))
    return [s for s in STAGES if s in wanted]


def run_worker(stage: str, args, input_dir: Path, data_dir: Path, scratch: Path) -> dict:
    out = scratch / f"{stage}.json"
    cmd = [sys.executable, __file__, "--worker", stage, "--input", str(input_dir), "--corpus", str(args.corpus),
           "--replicate", str(args.replicate), "--out", str(out)]
    env = {**os.environ, "CHANYE_DATA_DIR": str(data_dir), "CHANYE_HOME": str(REPO), "CHANYE_BATCH_SIZE": str(args.batch_size)}
    print(f"[bench] {stage} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
    if proc.returncode:
        tail = proc.stderr.strip().splitlines()[-6:]
        return {"stage": stage, "error": " | ".join(tail)}
    result = {"stage": stage, **json.loads(out.read_text()), "process_s": round(time.perf_counter() - started, 2)}
    print(f"[bench] {stage}: {result['wall_s']} s", file=sys.stderr, flush=True)
    return result


def markdown(meta: dict, results: list[dict]) -> str:
    head = (f"# chanye benchmark: {meta['corpus']} ({meta['date']})\n\n"
            f"- input: {meta['items']:,} items in {meta['files']} files, {meta['bytes'] / 1e6:.1f} MB"
            f"{', ' + str(meta['replicate']) + 'x replicated' if meta['replicate'] > 1 else ''}\n"
            f"- batch size: {meta['batch_size']} documents per batch; commit {meta['commit']}\n"
            f"- machine: {meta['machine']}\n\n"
            "| stage | documents | wall s | CPU s | documents/s | throughput | peak RSS MB | notes |\n"
            "|---|---:|---:|---:|---:|---|---:|---|\n")
    return head + "".join(_row(r) for r in results) + (
        "\nwall/CPU: the stage's work in its own process (CPU includes child processes such as dbt and "
        "Airflow); peak RSS: the process or its largest child, imports included.\n")


def _row(r: dict) -> str:
    if "error" in r:
        return f"| {r['stage']} | | | | | | | ERROR: {' '.join(r['error'].replace('|', '/').split())[:300]} |\n"
    docs = r.get("documents")
    rate = f"{docs / r['wall_s']:,.0f}" if docs and r["wall_s"] else ""
    notes = r.get("note", "") or (f"{r['facts']:,} facts" if r.get("facts") else "")
    notes = " ".join(notes.replace("|", "/").split())
    return (f"| {r['stage']} | {'' if docs is None else f'{docs:,}'} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {rate} | {r.get('throughput', '')} "
            f"| {r['peak_rss_mb']:,} | {notes} |\n")


def machine() -> str:
    return f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def git_commit() -> str:
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    return proc.stdout.strip() or "unknown"


def bench_main(args) -> int:
    if not args.corpus.is_dir():
        print(f"bench: corpus {args.corpus} is not present; nothing to measure (use --corpus DIR).")
        return 0
    stages = plan_stages(args.stages.split(","))
    scratch, results = Path(tempfile.mkdtemp(prefix="chanye-bench-")), []
    try:
        input_dir = prepare_input(args.corpus, scratch / "input", args.limit, args.replicate)
        name = args.corpus.name + (f"-limit{args.limit}" if args.limit else "") + (f"-x{args.replicate}" if args.replicate > 1 else "")
        meta = {"corpus": name, "date": date.today().isoformat(), "replicate": args.replicate, "batch_size": args.batch_size,
                "stages": stages, "machine": machine(), "commit": git_commit(), **corpus_stats(input_dir)}
        for stage in stages:
            if any(r["stage"] in NEEDS.get(stage, []) and "error" in r for r in results):
                results.append({"stage": stage, "error": "skipped: a stage it needs failed"})
                continue
            results.append(run_worker(stage, args, input_dir, scratch / "data", scratch))
        write_results(meta, results)
    finally:
        if args.keep:
            print(f"bench: kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0 if all("error" not in r for r in results) else 1


def write_results(meta: dict, results: list[dict]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"{meta['date']}-{meta['corpus']}"
    table = markdown(meta, results)
    stem.with_suffix(".md").write_text(table, encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps({"meta": meta, "results": results}, indent=2), encoding="utf-8")
    print(table)
    print(f"written: {stem}.md, {stem}.json")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .jsonl files (default: %(default)s)")
    p.add_argument("--stages", default=",".join(STAGES), help="comma list of %(default)s (prerequisites are added)")
    p.add_argument("--limit", type=int, help="only the first N items of the corpus")
    p.add_argument("--replicate", type=int, default=1, help="N copies of the corpus; copy k>1 mixes the halves of two items (new text, new ids)")
    p.add_argument("--batch-size", type=int, default=int(os.environ.get("CHANYE_BATCH_SIZE", 5000)),
                   help="documents per batch, as CHANYE_BATCH_SIZE (default %(default)s)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (input copy, lake, warehouse)")
    p.add_argument("--worker", choices=STAGES, help=argparse.SUPPRESS)
    p.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    unknown = set(args.stages.split(",")) - set(STAGES)
    if unknown:
        p.error(f"unknown stages: {', '.join(sorted(unknown))}")
    return args


if __name__ == "__main__":
    arguments = parse_args()
    sys.exit(worker_main(arguments) if arguments.worker else bench_main(arguments))
