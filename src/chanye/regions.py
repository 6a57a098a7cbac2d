"""Find Chinese administrative divisions and development zones in text, resolved to GB/T 2260 codes.

Data, all in dbt_project/seeds: regions.csv and zones.csv (built by scripts/build_regions.py: the
divisions with their history; named zones of the 2018 development-zone catalogue and curated ones;
former names), zone_suffixes.csv (the words that end a zone's name) and place_words.csv (word
lists: short names that are ordinary words, blockers, landmark and organisation suffixes, words
that end a name, national, dateline and origin cues).

`find` makes one Aho-Corasick pass (leftmost-longest, non-overlapping) over every alias, blocker
and zone suffix, then reads the hits left to right:
1. zones: a named zone (安吉经济开发区) is one mention; a place followed, within a few name-like
   characters, by a zone suffix (曲靖经济技术开发区, 海口江东新区) becomes one zone mention with the
   code of the most specific place of its leading chain (湖州安吉经开区 → 安吉县); a place name
   inside the zone's own name that does not lie in the chain's place (乌鲁木齐甘泉堡…) is part of
   the name; a suffix with no place before it (两江新区 aside, which is named) is dropped;
2. landmarks: a place directly followed by 河/江/湖/山/路/街… (乐安河, 延安路) names a river, a
   mountain or a road, unless another place name starts there (宁波江北) or the continuation is
   listed (安吉山区, 锦南街道);
3. organisations: a place followed, within a short name-like stretch, by 公司/集团/银行/大学…
   (厦门国际银行) is inside an organisation's name; callers also pass their own organisation
   spans (`skip_spans`);
4. an alias shared by several divisions (鼓楼区, 朝阳区) resolves through a place directly before
   it (北京市朝阳区), then `prefer`, then to the one valid today, else it is skipped.

`main_region` weighs a whole document's mentions (title, sentences with measured numbers, not
datelines or origins) and walks down from the dominant province while one division carries most
of the weight; null when no province dominates or the article is about the country.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import ahocorasick_rs

from chanye.seeds import read_seed

CJK = "\u4e00-\u9fff"
# Longest name-like stretch between a place and its zone suffix (甘泉堡, 前海深港现代服务业).
ZONE_GAP = 7
# Longest name-like stretch between a place and an organisation suffix (宁德时代新能源科技 股份).
ORG_GAP = 8
# Weights of main_region: a mention in the title or the lead sentence, in a sentence that
# measures something (a number with a unit), elsewhere 1.
TITLE_WEIGHT = 3
LEAD_WEIGHT = 3
MEASURE_WEIGHT = 2
# The outlet's place (长兴县人民政府, 湖州日报): a hint, unless the text speaks of itself (我县).
OUTLET_WEIGHT = 1
# A document whose heaviest province carries less than PROVINCE_SHARE of all place weight while
# SPREAD_PROVINCES or more provinces carry SPREAD_SHARE each is a round-up (null); a division is
# chosen over its parent when it carries more than DESCEND_SHARE of the parent's weight.
PROVINCE_SHARE = 0.5
# Less weight than a title mention says too little: one passing mention (从上海浦东机场启运) in an
# article about somewhere abroad is not what it is about.
MIN_WEIGHT = 3
SPREAD_SHARE = 0.1
SPREAD_PROVINCES = 4
DESCEND_SHARE = 0.5
SENTENCE_END = re.compile(r"[。！？!?；;\n]")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None
    province_code: str | None
    city_code: str | None


@dataclass(frozen=True)
class RegionMention:
    start: int
    end: int  # exclusive
    text: str
    code: str
    level: str  # province | city | county | zone


@dataclass(frozen=True)
class _Candidate:
    code: str
    level: str
    current: bool  # False for a former name (临安市) that resolves to today's division


@dataclass(frozen=True)
class PlaceWords:
    """The word lists of place_words.csv, by kind."""

    full_stop: frozenset[str]
    short_stop: frozenset[str]
    blockers: frozenset[str]
    landmarks: tuple[str, ...]
    landmark_continuations: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    name_breaks: tuple[str, ...]
    national: tuple[str, ...]
    dateline_agencies: tuple[str, ...]
    origin_before: tuple[str, ...]
    origin_after: tuple[str, ...]
    self_reference: tuple[str, ...]

    @classmethod
    def from_rows(cls, rows: Iterable[dict]) -> "PlaceWords":
        by_kind: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            by_kind[row["kind"]].append(row["word"])

        def longest_first(kind):
            return tuple(sorted(set(by_kind[kind]), key=len, reverse=True))

        return cls(
            full_stop=frozenset(by_kind["full_stop"]),
            short_stop=frozenset(by_kind["short_stop"]),
            blockers=frozenset(by_kind["blocker"]),
            landmarks=longest_first("landmark"),
            landmark_continuations=longest_first("landmark_continuation"),
            org_suffixes=longest_first("org_suffix"),
            name_breaks=longest_first("name_break"),
            national=longest_first("national"),
            dateline_agencies=longest_first("dateline_agency"),
            origin_before=longest_first("origin_before"),
            origin_after=longest_first("origin_after"),
            self_reference=longest_first("self_reference"),
        )


@dataclass
class _Hit:
    """One place found by the automaton (or a zone composed from several), while `find` reads."""

    start: int
    end: int
    alias_id: int
    candidate: _Candidate | None  # None while ambiguous
    level: str

    @property
    def code(self) -> str | None:
        return self.candidate.code if self.candidate else None


_PLACE, _BLOCKER, _SUFFIX = 0, 1, 2


class Gazetteer:
    def __init__(self, regions: list[dict], zones: list[dict], words: Iterable[dict] | None = None,
                 zone_suffixes: Iterable[dict] | None = None, units: Iterable[dict] | None = None):
        self.regions = _load_regions(regions)
        self.current = {code for code, (region, valid_to) in self.regions.items() if not valid_to}
        self.words = PlaceWords.from_rows(read_seed("place_words") if words is None else words)
        suffixes = read_seed("zone_suffixes") if zone_suffixes is None else zone_suffixes
        self._aliases: list[tuple[str, tuple[_Candidate, ...], int]] = []
        self._automaton = self._build_automaton(zones, [row["suffix"] for row in suffixes])
        self._short_names = frozenset(
            r.short_name for r, _ in self.regions.values() if len(r.short_name) >= 2)
        self._compile_patterns(read_seed("units") if units is None else units)

    # --- public API -----------------------------------------------------------------------

    def get(self, code: str) -> Region | None:
        entry = self.regions.get(code)
        return entry[0] if entry else None

    def parent_code(self, code: str) -> str | None:
        region = self.get(code)
        return region.parent_code if region else None

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Codes above `code`, nearest first (county → city → province)."""
        region = self.get(code)
        if region is None:
            return ()
        chain = [c for c in (region.parent_code, region.city_code, region.province_code) if c and c != code]
        return tuple(dict.fromkeys(chain))

    def level(self, code: str) -> str | None:
        region = self.get(code)
        return region.level if region else None

    def contains(self, outer: str, inner: str) -> bool:
        """True when `inner` is `outer` or lies inside it."""
        return inner == outer or outer in self.ancestors(inner)

    def find(self, text: str, prefer: Iterable[str] = (),
             skip_spans: Sequence[tuple[int, int]] = ()) -> list[RegionMention]:
        """The places named in `text`, left to right (see the module's docstring for the rules).

        prefer: codes of the document's region(s), to settle names shared by several divisions.
        skip_spans: (start, end) spans of the text the caller knows are not places of a claim
        (organisation names, an investor's origin): a mention overlapping one is dropped.
        """
        mentions = self._scan(text, tuple(sorted(set(prefer))))[0]
        if skip_spans:
            mentions = [m for m in mentions if not _overlaps(m.start, m.end, skip_spans)]
        return mentions

    def main_region(self, text: str, title: str | None = None, prefer: Iterable[str] = (),
                    outlet: str | None = None) -> str | None:
        """The division the document is about, at the level its mentions support, or None.

        Mentions weigh TITLE_WEIGHT in the title, LEAD_WEIGHT in the lead sentence, MEASURE_WEIGHT
        in a sentence that measures something (a number with a unit), else 1; a dateline city
        (新华社杭州3月1日电) and an origin (来自温州的客商) weigh nothing; a place that only
        qualifies the next one (湖州市安吉县) gives its weight to it, as does a place named in a
        sentence that names one inside it. The outlet's place (长兴县人民政府) weighs
        OUTLET_WEIGHT, or TITLE_WEIGHT when the text speaks of itself (我县, 全市).
        From the province with most weight, the heaviest division one level down is chosen while
        it carries more than DESCEND_SHARE of its parent's weight. None when that province weighs
        less than MIN_WEIGHT (a passing mention), and for a round-up: when the national cues
        (全国, 我国) weigh as much, or when it carries less than PROVINCE_SHARE while
        SPREAD_PROVINCES provinces carry SPREAD_SHARE each.
        """
        parts = [("title", title or ""), ("body", text or ""), ("outlet", outlet or "")]
        prefer_key = tuple(sorted(set(prefer)))
        scans = [(kind, part, self._scan(part, prefer_key, kind == "outlet")) for kind, part in parts]
        weights, national, order = self._weigh(scans)
        if not prefer_key and any(unresolved for _, _, (_, unresolved) in scans) and weights:
            # Second pass: the document's own dominant city and province settle shared names (西湖区).
            anchors = self._dominant_areas(weights)
            scans = [(kind, part, self._scan(part, anchors, kind == "outlet")) for kind, part in parts]
            weights, national, order = self._weigh(scans)
        return self._choose(weights, national, order)

    # --- scanning ---------------------------------------------------------------------------

    def _scan(self, text: str, prefer: tuple[str, ...], organisation: bool = False) -> tuple[list[RegionMention], int]:
        """Mentions in text and how many ambiguous names were left unresolved (organisation: the
        text is an organisation's name, its places are kept)."""
        if not text:
            return [], 0
        raw = self._automaton.find_matches_as_indexes(text)
        if not raw:
            return [], 0
        hits: list[_Hit | None] = []
        suffix_at: list[int] = []
        for alias_id, start, end in raw:
            kind = self._aliases[alias_id][2]
            if kind == _PLACE:
                candidate = self._pick(alias_id, prefer)
                level = candidate.level if candidate else ""
                hits.append(_Hit(start, end, alias_id, candidate, level))
            elif kind == _SUFFIX:
                suffix_at.append(len(hits))
                hits.append(_Hit(start, end, alias_id, None, "suffix"))
            else:
                hits.append(None)  # a blocker: occupies its span, names nothing
        self._resolve_after_qualifiers(hits, prefer)
        for index in suffix_at:
            self._compose_zone(text, hits, index)
        mentions, unresolved = [], 0
        for hit in hits:
            if hit is None or hit.level == "suffix":
                continue
            if hit.candidate is None:
                unresolved += 1
                continue
            if hit.level != "zone" and self._is_landmark(text, hit.end):
                continue
            if not organisation and hit.level != "zone" and self._inside_organisation(text, hit.end):
                continue  # a zone's name before a firm's is where the firm is: kept
            mentions.append(RegionMention(hit.start, hit.end, text[hit.start:hit.end], hit.candidate.code, hit.level))
        return mentions, unresolved

    def _resolve_after_qualifiers(self, hits: list[_Hit | None], prefer: tuple[str, ...]) -> None:
        """An ambiguous name right after a place takes the candidate inside it (北京市朝阳区)."""
        for i in range(1, len(hits)):
            hit, before = hits[i], hits[i - 1]
            if (hit is None or hit.level == "suffix" or hit.candidate is not None or before is None
                    or before.candidate is None or before.end != hit.start):
                continue
            candidate = self._pick(hit.alias_id, tuple(sorted({before.candidate.code, *prefer})))
            if candidate is not None and self.contains(before.candidate.code, candidate.code):
                hit.candidate, hit.level = candidate, candidate.level

    def _compose_zone(self, text: str, hits: list[_Hit | None], index: int) -> None:
        """Merge a zone suffix with the chain of places before it into one zone mention."""
        suffix = hits[index]
        chain: list[int] = []
        edge = suffix.start
        j = index - 1
        while j >= 0:
            hit = hits[j]
            if hit is None or hit.level == "suffix":
                break
            gap = text[hit.end:edge]
            if chain and gap:  # places of one chain touch (湖州安吉, 上海自贸区临港)
                break
            if not chain and not self._name_like(gap, ZONE_GAP):
                break
            chain.append(j)
            edge = hit.start
            j -= 1
        chain.reverse()
        while chain and hits[chain[0]].candidate is None:
            chain.pop(0)
        if not chain:
            return
        code = hits[chain[0]].candidate.code
        for j in chain[1:]:
            inner = hits[j].candidate
            if inner is None or not self.contains(code, inner.code):
                inner = self._pick(hits[j].alias_id, (code,))
            if inner is None or not self.contains(code, inner.code):
                break  # a name inside the zone's own name (乌鲁木齐甘泉堡): the chain stops
            code = inner.code
        first = hits[chain[0]]
        zone = _Candidate(code, "zone", True)
        hits[index] = _Hit(first.start, suffix.end, first.alias_id, zone, "zone")
        for j in chain:
            hits[j] = None

    def _name_like(self, gap: str, longest: int) -> bool:
        """A stretch that can sit inside one proper name: a few CJK characters, no break word."""
        if len(gap) > longest or (gap and not self._name_chars.fullmatch(gap)):
            return False
        return not any(word in gap for word in self.words.name_breaks)

    def _is_landmark(self, text: str, end: int) -> bool:
        if not text.startswith(self.words.landmarks, end):
            return False
        if text.startswith(self.words.landmark_continuations, end):
            return False
        return not any(text[end:end + n] in self._short_names for n in (2, 3, 4))

    def _inside_organisation(self, text: str, end: int) -> bool:
        match = self._org_pattern.match(text, end)
        return match is not None and self._name_like(match.group(1), ORG_GAP)

    # --- main region --------------------------------------------------------------------------

    def _weigh(self, scans) -> tuple[Counter[str], float, dict[str, int]]:
        """Weight per code, weight of national cues, and the order codes were first seen in."""
        weights: Counter[str] = Counter()
        order: dict[str, int] = {}
        national = 0.0
        speaks_of_itself = any(self._self_pattern.search(part) for kind, part, _ in scans if kind != "outlet")
        for kind, part, (mentions, _) in scans:
            if not part:
                continue
            if kind == "outlet":
                for mention in mentions:
                    weights[mention.code] += TITLE_WEIGHT if speaks_of_itself else OUTLET_WEIGHT
                    order.setdefault(mention.code, len(order))
                continue
            sentence_ends, sentence_weights = self._sentences(part, kind == "title")
            for cue in self._national_pattern.finditer(part):
                national += sentence_weights[bisect_right(sentence_ends, cue.start())]
            by_sentence: dict[int, list[RegionMention]] = defaultdict(list)
            for mention in mentions:
                if not (self._is_dateline(part, mention) or self._is_origin(part, mention)):
                    by_sentence[bisect_right(sentence_ends, mention.start)].append(mention)
            for sentence, named in by_sentence.items():
                codes = {m.code for m in named}
                for mention in named:
                    if any(c != mention.code and self.contains(mention.code, c) for c in codes):
                        continue  # 杭州 in 拱墅区作为杭州核心城区 (or 湖州市安吉县) locates the place inside it
                    weights[mention.code] += sentence_weights[sentence]
                    order.setdefault(mention.code, len(order))
        return weights, national, order

    def _sentences(self, part: str, is_title: bool) -> tuple[list[int], list[float]]:
        if is_title:
            return [], [TITLE_WEIGHT]
        ends = [m.end() for m in SENTENCE_END.finditer(part)]
        spans = list(zip([0, *ends], [*ends, len(part)]))
        weights = [MEASURE_WEIGHT if self._measure_pattern.search(part, start, end) else 1 for start, end in spans]
        # the lead sentence says where the story happens as a headline does
        lead = next((i for i, (start, end) in enumerate(spans) if len(part[start:end].strip()) > 5), None)
        if lead is not None:
            weights[lead] = max(weights[lead], LEAD_WEIGHT)
        return ends, weights

    def _is_dateline(self, text: str, mention: RegionMention) -> bool:
        """新华社杭州3月1日电, 本报杭州讯: the city a reporter files from."""
        after = self._dateline_after.match(text, mention.end)
        if after is None:
            return False
        return bool(after.group(1)) or text[:mention.start].rstrip().endswith(self.words.dateline_agencies)

    def _is_origin(self, text: str, mention: RegionMention) -> bool:
        before = text[max(0, mention.start - 4):mention.start]
        return before.endswith(self.words.origin_before) or text.startswith(self.words.origin_after, mention.end)

    def _dominant_areas(self, weights: Counter[str]) -> tuple[str, ...]:
        """The most mentioned city and province (a municipality is its own province)."""
        totals = self._subtree_totals(weights)
        areas = []
        for level in ("city", "province"):
            ranked = sorted((c for c in totals if self.level(c) == level), key=totals.get, reverse=True)
            areas += ranked[:1]
        return tuple(sorted(areas))

    def _subtree_totals(self, weights: Counter[str]) -> Counter[str]:
        """Each code's own weight plus the weight of everything mentioned inside it."""
        totals: Counter[str] = Counter()
        for code, weight in weights.items():
            totals[code] += weight
            for ancestor in self.ancestors(code):
                totals[ancestor] += weight
        return totals

    def _choose(self, weights: Counter[str], national: float, order: dict[str, int]) -> str | None:
        if not weights:
            return None
        totals = self._subtree_totals(weights)
        provinces = [c for c in totals if self.level(c) == "province"]
        if not provinces:
            return None

        def rank(code):  # heaviest first, then first seen
            return (-totals[code], min((order[c] for c in order if self.contains(code, c)), default=1 << 30))

        province = min(provinces, key=rank)
        everything = sum(weights.values())
        spread = sum(totals[p] >= SPREAD_SHARE * everything for p in provinces) >= SPREAD_PROVINCES
        if totals[province] < MIN_WEIGHT or national >= totals[province]:
            return None
        if spread and totals[province] < PROVINCE_SHARE * everything:
            return None
        chosen = province
        while True:
            children = [c for c in totals if self.parent_code(c) == chosen]
            if not children:
                return chosen
            child = min(children, key=rank)
            if totals[child] <= DESCEND_SHARE * totals[chosen]:
                return chosen
            chosen = child

    # --- building -------------------------------------------------------------------------

    def _build_automaton(self, zones: list[dict], suffixes: list[str]) -> ahocorasick_rs.AhoCorasick:
        candidates: dict[str, dict[str, _Candidate]] = defaultdict(dict)
        for alias, candidate in self._division_aliases():
            candidates[alias].setdefault(candidate.code, candidate)
        for alias, candidate in self._zone_aliases(zones):
            candidates[alias].setdefault(candidate.code, candidate)
        for alias, by_code in candidates.items():
            self._aliases.append((alias, tuple(by_code.values()), _PLACE))
        for word in sorted(self.words.blockers - candidates.keys()):
            self._aliases.append((word, (), _BLOCKER))
        for suffix in sorted(set(suffixes) - candidates.keys() - self.words.blockers):
            self._aliases.append((suffix, (), _SUFFIX))
        return ahocorasick_rs.AhoCorasick(
            [alias for alias, _, _ in self._aliases],
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.ContiguousNFA,
        )

    def _division_aliases(self):
        for code in self.current:
            region = self.get(code)
            candidate = _Candidate(code, region.level, True)
            if region.name not in self.words.full_stop:
                yield region.name, candidate
            short = region.short_name
            if len(short) >= 2 and short != region.name and short not in self.words.short_stop:
                yield short, candidate

    def _zone_aliases(self, zones: list[dict]):
        for row in zones:
            code = row["county_code"]
            if code not in self.current or row["zone_name"] in self.words.full_stop:
                continue
            if row["zone_type"].startswith("former_"):
                yield row["zone_name"], _Candidate(code, self.get(code).level, False)
            else:
                yield row["zone_name"], _Candidate(code, "zone", True)

    def _compile_patterns(self, units: Iterable[dict]) -> None:
        words = self.words
        self._name_chars = re.compile(f"[{CJK}·]+")
        self._org_pattern = re.compile(f"([{CJK}·]{{0,{ORG_GAP}}}?)(?:{_alternation(words.org_suffixes)})")
        # 全省各地, 市内各地: a province's or city's own places, not the country
        self._self_pattern = re.compile(_alternation(words.self_reference))
        self._national_pattern = re.compile(f"(?<![省市县区州内])(?:{_alternation(words.national)})")
        self._dateline_after = re.compile(r"\s*(\d{1,2}月\d{1,2}日)?\s*(?:电|讯)")
        measures = [u["unit_text"] for u in units if u["dimension"] in {"money", "area", "count", "percent"}]
        self._measure_pattern = re.compile(
            rf"(?:\d|[十百千万亿])\s*[万亿千百]?[多余]?\s*(?:{_alternation(measures)})")

    # --- resolving ambiguity --------------------------------------------------------------

    @lru_cache(maxsize=65536)
    def _pick(self, alias_id: int, prefer: tuple[str, ...]) -> _Candidate | None:
        candidates = self._aliases[alias_id][1]
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        if prefer:
            best = self._closest_to(candidates, prefer)
            if best is not None:
                return best
        current = [c for c in candidates if c.current] or list(candidates)
        if len(current) == 1:
            return current[0]
        provinces = [c for c in current if c.level == "province"]
        if len(provinces) == 1:
            return provinces[0]  # 吉林, 海南: the province, not the city or prefecture
        return self._enclosing(current)

    def _closest_to(self, candidates, prefer) -> _Candidate | None:
        scored = [(self._affinity(c.code, prefer), c) for c in candidates]
        top = max(score for score, _ in scored)
        if top == 0:
            return None
        best = [c for score, c in scored if score == top]
        if len(best) == 1:
            return best[0]
        current = [c for c in best if c.current]
        return current[0] if len(current) == 1 else self._enclosing(current or best)

    def _affinity(self, code: str, prefer: tuple[str, ...]) -> int:
        """3: is or lies in a preferred code; 2: same city; 1: same province; 0: unrelated."""
        lineage = {code, *self.ancestors(code)}
        score = 0
        for preferred in prefer:
            if preferred in lineage:
                score = max(score, 3)
                continue
            region = self.get(preferred)
            if region is None:
                continue
            city = preferred if region.level == "city" else region.city_code
            province = preferred if region.level == "province" else region.province_code
            if city and city in lineage:
                score = max(score, 2)
            elif province and province in lineage:
                score = max(score, 1)
        return score

    def _enclosing(self, candidates) -> _Candidate | None:
        """The candidate that contains all the others (通化市 over 通化县), else None."""
        for candidate in candidates:
            others = [c for c in candidates if c is not candidate]
            if all(candidate.code in self.ancestors(o.code) for o in others):
                return candidate
        return None


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def _load_regions(rows: list[dict]) -> dict[str, tuple[Region, str]]:
    regions = {}
    for row in rows:
        region = Region(
            code=row["region_code"],
            name=row["name"],
            short_name=row["short_name"],
            level=row["level"],
            parent_code=row["parent_code"] or None,
            province_code=row["province_code"] or None,
            city_code=row["city_code"] or None,
        )
        regions[region.code] = (region, row["valid_to"])
    return regions


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(read_seed("regions"), read_seed("zones"))


def main_region(text: str, title: str | None = None, prefer: Iterable[str] = (), outlet: str | None = None) -> str | None:
    """The document's main region (see Gazetteer.main_region), with the shared gazetteer."""
    return gazetteer().main_region(text, title=title, prefer=prefer, outlet=outlet)
