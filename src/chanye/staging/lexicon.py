"""The word lists the page rules read, kept as data beside the code (staging/lexicon/*.csv).

- outlets.csv: news organisations (`kind`: agency, paper, broadcaster, web, aggregator), the hosts
  whose pages they publish, and for a paper group's web site the paper a 本报 byline means.
- page_words.csv: one word per row, by list (`title_furniture`, `channel`, `site_suffix`,
  `not_site_ending`, `generic_source`, `own_site`, `outlet_tail`, `spam_brand`, `spam_lure`,
  `spam_hook`), each with what it means.

Package data rather than dbt seeds: they are the staging step's vocabulary, not reference tables
an analyst joins, they must travel with the package (stage tasks run without the dbt project), and
a seed edit forces a full warehouse refresh (build.py fingerprints the dbt project).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).with_name("lexicon")
AGGREGATOR = "aggregator"


@dataclass(frozen=True)
class Outlet:
    name: str
    kind: str  # agency | paper | broadcaster | web | aggregator
    hosts: tuple[str, ...]  # host suffixes: people.com.cn matches www.people.com.cn
    paper: str | None  # the paper a 本报 byline on this outlet's pages means


def _rows(name: str) -> list[dict]:
    with (LEXICON_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    return tuple(
        Outlet(
            row["outlet"],
            row["kind"],
            tuple(h.strip().lower() for h in row["hosts"].split(";") if h.strip()),
            row["paper"] or None,
        )
        for row in _rows("outlets.csv")
    )


@lru_cache(maxsize=1)
def outlet_names() -> tuple[str, ...]:
    """Known outlet names, longest first (人民日报海外版 before 人民日报)."""
    return tuple(sorted((o.name for o in outlets()), key=len, reverse=True))


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Outlet]:
    return {o.name: o for o in outlets()}


def outlet(name: str | None) -> Outlet | None:
    return _by_name().get(name) if name else None


def outlet_of_host(host: str | None) -> Outlet | None:
    """The outlet whose pages live on `host` (the longest matching host suffix wins:
    paper.people.com.cn is 人民日报, www.people.com.cn 人民网)."""
    if not host:
        return None
    host = host.lower().rstrip(".")
    best: tuple[int, Outlet] | None = None
    for candidate in outlets():
        for suffix in candidate.hosts:
            if (host == suffix or host.endswith("." + suffix)) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), candidate)
    return best[1] if best else None


@lru_cache(maxsize=None)
def words(list_name: str) -> tuple[str, ...]:
    """The terms of one list of page_words.csv, longest first (so 责任编辑 is tried before 编辑)."""
    found = [row["term"] for row in _rows("page_words.csv") if row["list"] == list_name]
    if not found:
        raise KeyError(f"page_words.csv has no list {list_name!r}")
    return tuple(sorted(found, key=len, reverse=True))
