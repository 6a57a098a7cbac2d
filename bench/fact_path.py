"""Throughput of the fact path alone: find_quantities + extract_facts over corpus texts.

    uv run python bench/fact_path.py [--corpus ../shared/corpora/xwlb] [--items 5000] [--repeat 3]

Prints characters per second (best of --repeat runs, one core) for the quantity scan alone and for
the whole fact path (extract_facts, which runs the scan itself), and how many spans each found.
"""
from __future__ import annotations

import argparse
import glob
import json
import time
from pathlib import Path

from chanye.extract.facts import extract_facts
from chanye.extract.quantities import find_quantities
from chanye.extract.refdata import refdata


def texts(corpus: Path, limit: int) -> list[str]:
    out: list[str] = []
    for path in sorted(glob.glob(str(corpus / "*.jsonl"))):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get("text") or ""
                if text:
                    out.append(text)
                    if len(out) >= limit:
                        return out
    return out


def best_of(repeat: int, fn) -> tuple[float, int]:
    best, found = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        found = fn()
        best = min(best, time.perf_counter() - t0)
    return best, found


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared/corpora/xwlb")
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    items = texts(args.corpus, args.items)
    chars = sum(map(len, items))
    ref = refdata()
    docs = [{"document_id": str(i), "doc": str(i), "text": t, "published": None, "region_code": None}
            for i, t in enumerate(items)]
    scan_s, spans = best_of(args.repeat, lambda: sum(1 for t in items for _ in find_quantities(t, ref)))
    facts_s, facts = best_of(args.repeat, lambda: sum(len(extract_facts(d)) for d in docs))
    print(f"{len(items):,} items, {chars:,} characters")
    print(f"find_quantities: {chars / scan_s:,.0f} chars/s ({spans:,} quantities)")
    print(f"extract_facts:   {chars / facts_s:,.0f} chars/s ({facts:,} facts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
