"""The extractor's word lists (dbt seed cue_words): qualifiers, modality cues, place-context words,
scope and population cues. Data, so an analyst extends them without touching code; dbt loads the
same file as a seed."""
from __future__ import annotations

from functools import lru_cache

from chanye.config import settings
from chanye.seeds import read_seed


@lru_cache(maxsize=4)
def _lists(seeds_dir: str) -> dict[str, dict[str, str]]:
    lists: dict[str, dict[str, str]] = {}
    for row in read_seed("cue_words", seeds_dir):
        lists.setdefault(row["list"], {})[row["word"]] = row["value"]
    # longest first, so that a longer word wins over one it contains (不超过 over 超过)
    return {name: dict(sorted(items.items(), key=lambda kv: -len(kv[0]))) for name, items in lists.items()}


def words(name: str) -> dict[str, str]:
    """The words of one list, longest first, each with its value (e.g. qualifier_before: 超过 → lower_bound)."""
    return _lists(str(settings().seeds_dir)).get(name, {})


def alternation(name: str) -> str:
    """The list as a regex alternation, longest first."""
    import re

    return "|".join(re.escape(w) for w in words(name))
