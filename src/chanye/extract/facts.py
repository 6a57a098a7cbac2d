"""The fact extractor: every quantitative claim in an article body, as FACTS rows.

One regex pass over the whole text finds "number + unit" quantities (chanye.extract.quantities);
only those get the per-claim work, each read from the document's shared frames
(chanye.extract.context): the metric from cue words on both sides of the number in its clause
(metrics), the qualifier and modality from cue words before it (seed cue_words), the year from the
document's time frame (timeframe), the region from its place frame (places), and what is
measured — subject, scope, period, population, industry — from the clause (subjects)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Mapping

from chanye import schemas
from chanye.extract import budget, subjects
from chanye.extract.context import DocumentContext
from chanye.extract.metrics import MetricChoice, choose_metric
from chanye.extract.quantities import Quantity, find_quantities
from chanye.extract.refdata import refdata
from chanye.extract.timeframe import enumeration_index
from chanye.extract.words import alternation, words

EXTRACTOR_VERSION = "0.2.0"

NEGATIVE_CUES = ("下降", "减少", "下滑", "降低", "下跌", "回落", "降幅", "萎缩")
_APPROX_SHARE_RE = re.compile(r"(?:约|大约|近)占[^，,、]{0,12}$")  # 约占全省的六成
# 签约 / 节约 / 预约 hold a 约 that is no "about"
_NOT_APPROX_YUE = re.compile(r"[签节预制契公条合]约$")
# In Taiwan text a plain 元 is the New Taiwan dollar (新台币 written or not).
_TAIWAN_DOLLAR, _PLAIN_YUAN = "TWD", {"元", "圆"}
_AREA_AT_END = re.compile(r"(?:全国|全省|全市|全区|全县|全球)的?$")


def extract_facts(document: Mapping, ctx: DocumentContext | None = None) -> list[dict]:
    """FACTS rows (without run_id/extracted_at) for one staged document."""
    ctx = ctx or DocumentContext(document)
    if not ctx.text:
        return []
    ref = refdata()
    rows, previous = [], None
    for q in find_quantities(ctx.text, ref):
        budget.check()
        claimed = _claim(q, ctx, ref, previous)
        if claimed is not None:
            row, previous = claimed
            row.update(document_id=document["document_id"], doc=document["doc"])
            row["fact_id"] = schemas.fact_id(row["document_id"], row["char_start"], row["char_end"], row["metric"])
            rows.append(row)
    return _without_repeated_headlines(rows, ctx)


def _carried(q: Quantity, ctx: DocumentContext, previous: _Previous | None) -> tuple[MetricChoice, str] | None:
    """The metric of a claim before (and the noun it counted), when this number has no cue of its
    own and continues it: listed right after it (分别为100亿元、120亿元和150亿元), or counted
    with a measure word of the sentence's last count in the next short clause (项目30个，建成投产
    12个; 签约项目28个、总投资140亿元，其中开工15个)."""
    if previous is None or previous.sentence_start != ctx.model.sentence_at(q.start)[0]:
        return None
    between = ctx.text[previous.quantity.end:q.start]
    if _LISTED.fullmatch(between) and previous.quantity.unit.dimension == q.unit.dimension:
        return previous.choice, previous.subject or previous.choice.cue
    counted = previous.last_count
    if q.unit.dimension == "count" and counted is not None and _SHORT_CLAUSE.fullmatch(between):
        measures = counted.choice.metric.measures
        if not measures or q.unit.text in measures:
            return counted.choice, counted.subject or counted.choice.cue
    return None


@dataclass(frozen=True)
class _Previous:
    """The claim before, as the next number may continue it."""
    quantity: Quantity
    choice: MetricChoice
    sentence_start: int
    subject: str | None
    last_count: _Previous | None  # the sentence's last count claim (this one, if it counts)


_LISTED = re.compile(r"\s*[、和及与]\s*")
_SHORT_CLAUSE = re.compile(r"[，,；;]\s*[\u4e00-\u9fff]{1,8}")


def _claim(q: Quantity, ctx: DocumentContext, ref, previous) -> tuple[dict, tuple] | None:
    text, model = ctx.text, ctx.model
    s_start, s_end = model.sentence_at(q.start)
    c_start, c_end = model.clause_start(q.start), model.clause_end(q.end)
    before, after = text[c_start:q.start], text[q.end:c_end]
    sentence = text[s_start:s_end]
    choice = choose_metric(ref, q.unit.dimension, q.unit.text, before, after, sentence)
    carried = None if choice is not None else _carried(q, ctx, previous)
    choice = choice or (carried[0] if carried else None)
    if choice is None:
        return None
    value, value_high, raw_value = q.value, q.value_high, q.raw_value
    if choice.metric.metric_id == "growth_rate" and (q.negative or choice.cue.endswith(NEGATIVE_CUES) or _declines(before)):
        # a decline of 9%–13% is the range -13 … -9: the low end is the larger decline
        value, value_high = (-abs(value_high), -abs(value)) if value_high is not None else (-abs(value), None)
        raw_value = value / q.unit_factor
    sentence_before = text[s_start:q.start]
    enumeration = enumeration_index(sentence_before)
    year_ref = ctx.time.year_of(q.start, enumeration)
    modality = _modality(sentence_before, before, after, year_ref, ctx.time.reference_year)
    measured = subjects.measure(ctx, q, choice, c_start, s_start, enumeration,
                                carried_from=carried[1] if carried else None)
    unit = _TAIWAN_DOLLAR if ctx.roc_calendar and q.unit.base == "CNY" and q.unit.text in _PLAIN_YUAN else q.unit.base
    row = {
        "metric": choice.metric.metric_id,
        "value": float(value),
        "value_high": float(value_high) if value_high is not None else None,
        "unit": unit,
        "raw_value": float(raw_value),
        "raw_unit": q.raw_unit,
        "unit_factor": float(q.unit_factor),
        "qualifier": q.qualifier or _prefix_qualifier(before),
        "modality": modality,
        "year": ctx.time.shift_unfinished_period(year_ref, modality),
        "region_code": ctx.places.region_of(q.start),
        "subject": measured.subject,
        "scope": measured.scope,
        "period_start": year_ref.period_start if measured.scope == "cumulative" else None,
        "period_end": None,
        "industry_id": measured.industry_id,
        "population": measured.population,
        "value_display": value_display(raw_value, value_high / q.unit_factor if value_high is not None else None, q.raw_unit),
        "evidence": sentence.strip(),
        "span_text": text[q.start:q.end],
        "char_start": q.start,
        "char_end": q.end,
        "extractor_version": EXTRACTOR_VERSION,
    }
    same_sentence = previous is not None and previous.sentence_start == s_start
    claim = _Previous(q, choice, s_start, measured.subject, previous.last_count if same_sentence else None)
    if q.unit.dimension == "count":
        claim = replace(claim, last_count=claim)
    return row, claim


def _without_repeated_headlines(rows: list[dict], ctx: DocumentContext) -> list[dict]:
    """One claim, one fact: a headline line (or a 原标题 line) that repeats a figure its story's
    body states again adds no second fact."""
    kept = []
    for row in rows:
        story = ctx.model.story_at(row["char_start"])
        in_headline = ctx.model.in_headline(row["char_start"]) or ctx.text[ctx.model.sentence_at(row["char_start"])[0]:].startswith("原标题")
        repeated = in_headline and any(
            other is not row and other["metric"] == row["metric"] and other["value"] == row["value"]
            and story.start <= other["char_start"] < story.end and not ctx.model.in_headline(other["char_start"])
            for other in rows
        )
        if not repeated:
            kept.append(row)
    return kept


def value_display(raw_value: Decimal, raw_high: Decimal | None, raw_unit: str) -> str:
    """The value as written, normalised: 140亿元, 3-5亿元, 12.5%, -3.2%."""
    number = _plain(raw_value) + (f"-{_plain(raw_high)}" if raw_high is not None else "")
    return number + raw_unit


def _plain(n: Decimal) -> str:
    text = format(Decimal(n).normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _declines(before: str) -> bool:
    tail = before[-4:]
    return any(c in tail for c in NEGATIVE_CUES)


def _prefix_qualifier(before: str) -> str:
    if _APPROX_SHARE_RE.search(before):
        return "approx"
    tail = re.sub(r"[了\s]+$", "", before[-8:])
    tail = _AREA_AT_END.sub("", tail)  # 不到全国1%: the qualifier stands before the area
    for word, qualifier in words("qualifier_before").items():
        if tail.endswith(word):
            if word == "约" and _NOT_APPROX_YUE.search(tail):
                continue
            return qualifier
    return "exact"


# Modality: the nearest cue before the number in its sentence decides: a target or forecast
# (力争, 将, 计划 …) holds for the rest of the sentence until the present breaks in (已, 目前 …).
# 将近 is "nearly"; 投资计划的, 年度计划 are plans as nouns, not as verbs.
@lru_cache(maxsize=4)
def _modality_re(cues: str) -> re.Pattern:
    return re.compile(f"(?:{cues})(?!近)")


_PLAN_NOUN = re.compile(r"(?:年度|投资|行动|发展|工作)计划|计划(?=的)")
_PLAN_ATTRIBUTE = re.compile(r"(?:计划|拟|规划)(?=总?投资|用地|建筑面积)")  # 计划总投资: its own clause only
_DONE_AFTER = re.compile(r"^[^，,。；;]{0,12}?(?:已经|已)")  # 31个项目已基本完工


def _modality(sentence_before: str, clause_before: str, clause_after: str, year_ref, reference_year: int | None) -> str:
    if _DONE_AFTER.match(clause_after):
        return "actual"
    cues = words("modality")
    nouns = [m.span() for m in _PLAN_NOUN.finditer(sentence_before)]
    last = None
    clause_start = len(sentence_before) - len(clause_before)
    for m in _modality_re(alternation("modality")).finditer(sentence_before):
        if any(a <= m.start() < b for a, b in nouns):
            continue
        if _PLAN_ATTRIBUTE.match(sentence_before, m.start()) and m.start() < clause_start:
            continue
        last = (m.group(), cues[m.group()])
    if last is not None:
        return last[1]
    future = reference_year is not None and year_ref.year is not None and year_ref.year > reference_year
    if future and year_ref.kind in ("deadline", "plan"):
        return "target"
    if future:
        return "forecast"
    return "actual"
