"""Which division a claim is about: where the claim happens, not any place name nearby.

The place frame of a document, computed once: the place mentions the gazetteer finds
(chanye.regions), without the names inside organisations and people (临安区委 names a
government, 黄东胜 a person), an investor's origin (来自深圳的…, 浙江籍, 由宁波企业投资) or the
dateline city (杭州3月1日电); each story's own region (a bulletin strings stories from several
provinces together); the document's main region.

Per claim, in order: a place in the claim's clause before the number; the nation (我国, 全国:
no region) or the area itself (全省, 全市: the story's region at that level) when the clause says
so; a place elsewhere in its sentence (the most specific, then the nearest; a source it is
reported by, 据杭州海关统计, only when nothing else is named); the place a
paragraph's first sentence is about; the story's region; the document's main region."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from chanye.extract.text import TextModel
from chanye.extract.words import alternation, words
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


def most_specific(mentions: list[tuple[int, str]], anchor: int) -> str:
    """Deepest division; among equals the nearest one before the anchor (else after it)."""
    def key(m):
        pos, code = m
        return (-depth(code), 0 if pos <= anchor else 1, abs(anchor - pos))

    return min(mentions, key=key)[1]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    code: str


_LEVELS = {"province": 1, "city": 2, "county": 3}
_DATELINE = re.compile(r"^[^，。\n]{0,16}?(?:\d{1,2}月\d{1,2}日)?电")


class PlaceFrame:
    """The place frame of one document (see the module's docstring)."""

    def __init__(self, doc: TextModel, doc_region: str | None, skip_spans: list[tuple[int, int]] = ()):
        self.doc = doc
        self.doc_region = doc_region
        self.skip = sorted(skip_spans)
        self.gaz = gazetteer()

    @cached_property
    def mentions(self) -> list[Mention]:
        """Every place mention of the text that can be a claim's place, in text order."""
        text = self.doc.text
        prefer = (self.doc_region,) if self.doc_region else ()
        dateline = _DATELINE.match(text)
        found = []
        for hit in self.gaz.find(text, prefer=prefer):
            if not hit.code or self._skipped(hit.start, hit.end) or (dateline and hit.end <= dateline.end()):
                continue
            if _is_origin(text, hit.start, hit.end):
                continue
            found.append(Mention(hit.start, hit.end, hit.code))
        return found

    @cached_property
    def _source_spans(self) -> list[tuple[int, int]]:
        """据…统计 / 据…介绍: the spans naming who reports a figure."""
        source = re.compile(rf"据[^，,。；;！？\n]{{1,16}}?(?:{alternation('place_source')})")
        return [m.span() for m in source.finditer(self.doc.text)]

    def _in_source(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self._source_spans)

    def _skipped(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.skip)

    @cached_property
    def _by_start(self) -> tuple[list[int], list[int]]:
        """The mentions' starts, sorted, and their indexes: a claim looks up its sentence's
        mentions by binary search, not through the whole document's."""
        order = sorted(range(len(self.mentions)), key=lambda i: self.mentions[i].start)
        return [self.mentions[i].start for i in order], order

    def within(self, start: int, end: int) -> list[tuple[int, str]]:
        starts, order = self._by_start
        found = sorted(order[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)])  # document order
        return [(m.start, m.code) for m in (self.mentions[i] for i in found) if m.end <= end]

    @cached_property
    def story_regions(self) -> dict[int, str | None]:
        """Each story's own region in a bulletin (by its start), the document's otherwise."""
        if not self.doc.is_bulletin:
            return {s.start: self.doc_region for s in self.doc.stories}
        regions = {}
        for story in self.doc.stories:
            named = self.within(story.start, story.end)
            regions[story.start] = (self._shared(named) or most_specific(named, story.start)) if named else None
        return regions

    def region_of(self, pos: int) -> str | None:
        """The region of a claim whose number starts at pos."""
        s_start, s_end = self.doc.sentence_at(pos)
        c_start = self.doc.clause_start(pos)
        story_region = self.story_regions[self.doc.story_at(pos).start]
        in_clause = self.within(c_start, pos)
        if in_clause:
            return most_specific(in_clause, pos)
        lead_end = self.doc.clause_end(s_start)
        area = self._area_word(c_start, pos) or (self._area_word(s_start, lead_end) if lead_end < pos else None)
        if area == "nation":
            return None
        if area is not None:
            return self._at_level(self._area_of(story_region, area, s_start, s_end), area)
        in_sentence = self.within(s_start, s_end)
        if in_sentence:
            reported = [m for m in in_sentence if not self._in_source(m[0])] or in_sentence
            return self._shared(reported) or most_specific(reported, pos)
        paragraph_place = self._paragraph_place(pos)
        if paragraph_place and (story_region is None or is_within(paragraph_place, story_region)):
            return paragraph_place  # a part of the story's region the paragraph is about
        return story_region

    def _paragraph_place(self, pos: int) -> str | None:
        """The place the paragraph's first sentence is about, when the claim is not in it."""
        p_start, _ = self.doc.paragraph_at(pos)
        first_start, first_end = self.doc.sentence_at(p_start)
        if first_end > pos:
            return None
        named = self.within(first_start, first_end)
        return (self._shared(named) or most_specific(named, first_start)) if named else None

    def _area_word(self, start: int, end: int) -> str | None:
        """The nation (我国, 全国) or an area as a whole (全省, 全市) that leads a clause as what
        it is about (not a share's denominator, 占全国的20%, nor part of a name, 中国科学院)."""
        clause = self.doc.text[start:end]
        lead = _LEAD_WORDS.match(clause).end()
        for word, level in words("place_area").items():
            if clause.startswith(word, lead) and not self._skipped(start + lead, start + lead + len(word)) \
                    and not _is_origin(self.doc.text, start + lead, start + lead + len(word)):
                return level
        return None

    def _shared(self, mentions: list[tuple[int, str]]) -> str | None:
        """Places of one province side by side (在辽宁本溪、葫芦岛分别开工建设…): a claim of the
        sentence covers them all, so it is their nearest common division. None for one place (or
        one chain, 湖州市安吉县) or places of several provinces."""
        codes = {code for _, code in mentions}
        leaves = [c for c in codes if not any(o != c and is_within(o, c) for o in codes)]
        if len(leaves) < 2:
            return None
        chains = [[c, *self.gaz.ancestors(c)] for c in leaves]
        common = [c for c in chains[0] if all(c in chain for chain in chains[1:])]
        return common[0] if common else None

    def _area_of(self, region: str | None, level: str, s_start: int, s_end: int) -> str | None:
        """The area 全市 means: the story's region, or (when that is unknown or above the level)
        the place of that level its sentence names (据南京市统计局统计，全市…)."""
        want = _LEVELS[level]
        if region is not None and depth(region) >= want:
            return region
        named = [(pos, code) for pos, code in self.within(s_start, s_end)
                 if depth(code) >= want and (region is None or is_within(code, region))]
        return most_specific(named, s_start) if named else region

    def _at_level(self, region: str | None, level: str) -> str | None:
        """全省 in a county's article means its province; 全市 its city (or the county itself for a
        county-level city)."""
        if region is None:
            return None
        want = _LEVELS[level]
        if depth(region) <= want:
            return region
        chain = [region, *self.gaz.ancestors(region)]
        return next((c for c in chain if depth(c) == want), region)


def _is_origin(text: str, start: int, end: int) -> bool:
    """来自深圳的…, 由浙江企业投资, 浙江籍: where an investor or a person comes from."""
    before = text[max(0, start - 3):start]
    after = text[end:end + 2]
    return before.endswith(tuple(words("place_origin_before"))) or after.startswith(tuple(words("place_origin_after")))


_LEAD_WORDS = re.compile(r"^(?:[^，,]{0,12}?(?:年|月|季度|以来|期间)|据[^，,]{0,12}?(?:统计|显示)|其中|同时|目前|截至目前)?")
