"""The extractor's word lists (dbt seed cue_words): qualifiers, modality cues, place-context words,
scope and population cues. Data, so an analyst extends them without touching code; dbt loads the
same file as a seed."""
from __future__ import annotations

from functools import lru_cache

from chanye.seeds import read_seed, seeds_dir


@lru_cache(maxsize=4)
def _lists(seeds_dir: str) -> dict[str, dict[str, str]]:
    lists: dict[str, dict[str, str]] = {}
    for row in read_seed("cue_words", seeds_dir):
        lists.setdefault(row["list"], {})[row["word"]] = row["value"]
    # longest first, so that a longer word wins over one it contains (不超过 over 超过)
    return {name: dict(sorted(items.items(), key=lambda kv: -len(kv[0]))) for name, items in lists.items()}


def words(name: str) -> dict[str, str]:
    """The words of one list, longest first, each with its value (e.g. qualifier_before: 超过 → lower_bound)."""
    return _lists(seeds_dir()).get(name, {})


def alternation(name: str) -> str:
    """The list as a regex alternation, longest first."""
    return _alternation(seeds_dir(), name)


@lru_cache(maxsize=64)
def _alternation(seeds: str, name: str) -> str:
    import re

    return "|".join(re.escape(w) for w in words(name))


def ordered(*names: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The words of several lists (and extras) as one tuple, longest first: for endswith/startswith."""
    return _ordered(seeds_dir(), names, extra)


@lru_cache(maxsize=64)
def _ordered(seeds: str, names: tuple[str, ...], extra: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({w for name in names for w in words(name)} | set(extra), key=len, reverse=True))
