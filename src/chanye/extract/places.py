"""Which division a claim is about: the most specific place named in its sentence, else one
named in its paragraph that lies inside the article's region, else the article's region.

Place names come from `chanye.regions.gazetteer()` (GB/T 2260 plus a zone → county table)."""
from __future__ import annotations

from chanye.regions import gazetteer


def depth(code: str) -> int:
    """1 province, 2 prefecture, 3 county (from the code's shape, whatever the gazetteer says)."""
    if code.endswith("0000"):
        return 1
    if code.endswith("00"):
        return 2
    return 3


def is_within(code: str, ancestor: str | None) -> bool:
    if not ancestor:
        return False
    d = depth(ancestor)
    prefix = {1: 2, 2: 4, 3: 6}[d]
    return code[:prefix] == ancestor[:prefix] and depth(code) >= d


class PlaceResolver:
    """Per-document cache of place mentions in sentences and paragraphs."""

    def __init__(self, doc_region: str | None):
        self.doc_region = doc_region
        self.gaz = gazetteer()
        self._cache: dict[tuple[int, int], list[tuple[int, str]]] = {}

    def mentions(self, text: str, offset: int) -> list[tuple[int, str]]:
        """(absolute start, code) of each place named in text."""
        key = (offset, len(text))
        if key not in self._cache:
            prefer = (self.doc_region,) if self.doc_region else ()
            hits = self.gaz.find(text, prefer=prefer)
            self._cache[key] = [(offset + h.start, h.code) for h in hits if h.code]
        return self._cache[key]

    def resolve(self, sentence: str, s_start: int, paragraph: str, p_start: int, anchor: int) -> str | None:
        in_sentence = self.mentions(sentence, s_start)
        if in_sentence:
            return most_specific(in_sentence, anchor)
        inside = [(pos, c) for pos, c in self.mentions(paragraph, p_start) if is_within(c, self.doc_region) and pos < anchor]
        if inside:
            return most_specific(inside, anchor)
        return self.doc_region


def most_specific(mentions: list[tuple[int, str]], anchor: int) -> str:
    """Deepest division; among equals the nearest one before the number (else after it)."""
    def key(m):
        pos, code = m
        return (-depth(code), 0 if pos <= anchor else 1, abs(anchor - pos))

    return min(mentions, key=key)[1]
