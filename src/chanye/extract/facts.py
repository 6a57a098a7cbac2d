"""The extractor: every quantitative claim in an article body, as FACTS rows.

One regex pass over the whole text finds "number + unit" candidates (fast: the C regex engine
does the prefiltering); only those get the heavier per-claim work — metric cue, qualifier,
modality, year and region — read from the sentence and clause around them."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Mapping

from chanye import schemas
from chanye.extract import budget
from chanye.extract.metrics import choose_metric
from chanye.extract.places import PlaceResolver
from chanye.extract.quantities import Quantity, find_quantities
from chanye.extract.refdata import RefData, refdata
from chanye.extract.timeexpr import resolve_year

EXTRACTOR_VERSION = "0.1.0"

SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]+")
PARAGRAPH_END_RE = re.compile(r"\n+")
PERIOD_END_RE = re.compile(r"[。！？!?\n]+")  # full stops only: a 2023年 before a ； still holds after it
CLAUSE_BREAKS = frozenset("，,、；;：:（）()【】《》\n")


# Qualifier words right before the number (after any cue and verb) and right after the unit.
_PREFIX_QUALIFIER_RE = re.compile(
    r"(不超过|不低于|不少于|不到|不足|超过|超出|突破|至少|最多|至多|可达到|可达|约为|大约|大概|将近|接近|"
    r"逾|超|约|近|高达|多达|达到|达)了?\s*$"
)
_PREFIX_QUALIFIERS = {
    "lower_bound": {"超过", "超出", "突破", "至少", "不低于", "不少于", "逾", "超"},
    "approx": {"约为", "大约", "大概", "将近", "接近", "约", "近"},
    "upper_bound": {"不超过", "不到", "不足", "最多", "至多", "可达到", "可达"},
}

# Modality: the nearest cue before the number in its sentence decides (将 only within the clause).
_MODALITY_RE = re.compile(
    r"(?P<target>力争|目标|确保|争取|努力|预期目标)"
    r"|(?P<forecast>预计|有望|预期|可望|预测|估计|可达|可实现|可新增|可带动|可形成|建成后|投产后|达产后|即将)"
    r"|(?P<actual>已经|已|累计|目前|截至|截止|去年|上年)"
)
_WILL_RE = re.compile(r"将(?!近)")
_PLAN_RE = re.compile(r"计划|规划|拟")  # 计划总投资: a plan word only qualifies its own clause
NEGATIVE_CUES = ("下降", "减少", "下滑", "降低", "下跌", "回落", "降幅", "萎缩")


class Document:
    """Sentence, period and paragraph boundaries of one text, computed on first use."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def _sentences(self):
        return split_spans(self.text, SENTENCE_END_RE)

    @cached_property
    def _paragraphs(self):
        return split_spans(self.text, PARAGRAPH_END_RE)

    @cached_property
    def _period_starts(self):
        return split_spans(self.text, PERIOD_END_RE)[0]

    def sentence_at(self, pos: int) -> tuple[int, int]:
        starts, ends = self._sentences
        i = bisect.bisect_right(starts, pos) - 1
        return starts[i], ends[i]

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        starts, ends = self._paragraphs
        i = bisect.bisect_right(starts, pos) - 1
        return starts[i], ends[i]

    def period_start(self, pos: int) -> int:
        return self._period_starts[bisect.bisect_right(self._period_starts, pos) - 1]


def split_spans(text: str, separator: re.Pattern) -> tuple[list[int], list[int]]:
    """Start and end offsets of the pieces between separators (a sentence keeps its 。)."""
    marks = [(m.start(), m.end(), text[m.start()] == "\n") for m in separator.finditer(text)]
    starts = [0] + [end for _, end, _ in marks]
    ends = [start if newline else end for start, end, newline in marks] + [len(text)]
    return starts, ends


def extract_facts(document: Mapping) -> list[dict]:
    """FACTS rows (without run_id/extracted_at) for one staged document."""
    text = document.get("text") or ""
    if not text:
        return []
    ref = refdata()
    doc = Document(text)
    published = document.get("published")
    context = _Context(
        ref=ref,
        doc=doc,
        published_year=getattr(published, "year", None),
        places=PlaceResolver(document.get("region_code")),
    )
    rows = []
    for q in find_quantities(text, ref):
        budget.check()
        row = _claim(q, context)
        if row is not None:
            row.update(document_id=document["document_id"], doc=document["doc"])
            row["fact_id"] = schemas.fact_id(row["document_id"], row["char_start"], row["char_end"], row["metric"])
            rows.append(row)
    return rows


@dataclass
class _Context:
    ref: RefData
    doc: Document
    published_year: int | None
    places: PlaceResolver





def _claim(q: Quantity, ctx: _Context) -> dict | None:
    text = ctx.doc.text
    s_start, s_end = ctx.doc.sentence_at(q.start)
    c_start = _clause_start(text, s_start, q.start)
    c_end = _clause_end(text, q.end, s_end)
    before, after = text[c_start:q.start], text[q.end:c_end]
    sentence = text[s_start:s_end]
    choice = choose_metric(ctx.ref, q.unit.dimension, _measure(q), before, after, sentence)
    if choice is None:
        return None
    value, value_high, raw_value = q.value, q.value_high, q.raw_value
    if choice.metric.metric_id == "growth_rate" and (q.negative or choice.cue.endswith(NEGATIVE_CUES) or _declines(before)):
        # a decline of 9%–13% is the range -13 … -9: the low end is the larger decline
        value, value_high = (-abs(value_high), -abs(value)) if value_high is not None else (-abs(value), None)
        raw_value = value / q.unit_factor
    sentence_before = text[s_start:q.start]
    year_ref = resolve_year(text[ctx.doc.period_start(q.start):q.start], ctx.published_year)
    p_start, p_end = ctx.doc.paragraph_at(q.start)
    region = ctx.places.resolve(sentence, s_start, text[p_start:p_end], p_start, q.start)
    return {
        "metric": choice.metric.metric_id,
        "value": float(value),
        "value_high": float(value_high) if value_high is not None else None,
        "unit": q.unit.base,
        "raw_value": float(raw_value),
        "raw_unit": q.raw_unit,
        "unit_factor": float(q.unit_factor),
        "qualifier": q.qualifier or _prefix_qualifier(before),
        "modality": _modality(sentence_before, before, year_ref, ctx.published_year),
        "year": year_ref.year,
        "region_code": region,
        "subject": None,
        "scope": None,
        "period_start": None,
        "period_end": None,
        "industry_id": None,
        "population": None,
        "value_display": value_display(raw_value, value_high / q.unit_factor if value_high is not None else None, q.raw_unit),
        "evidence": sentence.strip(),
        "span_text": text[q.start:q.end],
        "char_start": q.start,
        "char_end": q.end,
        "extractor_version": EXTRACTOR_VERSION,
    }


def value_display(raw_value: Decimal, raw_high: Decimal | None, raw_unit: str) -> str:
    """The value as written, normalised: 140亿元, 3-5亿元, 12.5%, -3.2%."""
    number = _plain(raw_value) + (f"-{_plain(raw_high)}" if raw_high is not None else "")
    return number + raw_unit


def _plain(n: Decimal) -> str:
    text = format(Decimal(n).normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _measure(q: Quantity) -> str:
    return q.unit.text


def _declines(before: str) -> bool:
    tail = before[-4:]
    return any(c in tail for c in NEGATIVE_CUES)


def _clause_start(text: str, floor: int, pos: int) -> int:
    i = pos - 1
    while i >= floor and text[i] not in CLAUSE_BREAKS:
        i -= 1
    return i + 1


def _clause_end(text: str, pos: int, ceiling: int) -> int:
    i = pos
    while i < ceiling and text[i] not in CLAUSE_BREAKS:
        i += 1
    return i


_APPROX_SHARE_RE = re.compile(r"(?:约|大约|近)占[^，,、]{0,12}$")  # 约占全省的六成


def _prefix_qualifier(before: str) -> str:
    if _APPROX_SHARE_RE.search(before):
        return "approx"
    m = _PREFIX_QUALIFIER_RE.search(before[-6:])
    if m:
        for qualifier, words in _PREFIX_QUALIFIERS.items():
            if m.group(1) in words:
                return qualifier
    return "exact"


def _modality(sentence_before: str, clause_before: str, year_ref, published_year: int | None) -> str:
    last = None
    for m in _MODALITY_RE.finditer(sentence_before):
        last = m
    if _PLAN_RE.search(clause_before) and (last is None or last.lastgroup == "actual"):
        return "target"
    if _WILL_RE.search(clause_before) and (last is None or last.lastgroup == "actual"):
        return "forecast"
    if last is not None:
        return last.lastgroup
    future = published_year is not None and year_ref.year is not None and year_ref.year > published_year
    if future and year_ref.kind in ("deadline", "plan"):
        return "target"
    if future:
        return "forecast"
    return "actual"
