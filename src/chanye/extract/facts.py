"""The extractor: every quantitative claim in an article body, as FACTS rows.

One regex pass over the whole text finds "number + unit" candidates (fast: the C regex engine
does the prefiltering); only those get the heavier per-claim work — metric cue, qualifier,
modality, year and region — read from the sentence and clause around them."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Mapping

from chanye import schemas
from chanye.extract.metrics import choose_metric
from chanye.extract.numbers import (
    NUMBER_PATTERN,
    consecutive_range,
    magnitude_factor,
    parse_fraction,
    safe_parse,
    split_magnitude,
)
from chanye.extract.places import PlaceResolver
from chanye.extract.refdata import FACT_DIMENSIONS, RefData, Unit, refdata
from chanye.extract.timeexpr import resolve_year

EXTRACTOR_VERSION = "0.1.0"

SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]+")
PARAGRAPH_END_RE = re.compile(r"\n+")
PERIOD_END_RE = re.compile(r"[。！？!?\n]+")  # full stops only: a 2023年 before a ； still holds after it
CLAUSE_BREAKS = frozenset("，,、；;：:（）()【】《》\n")
_CN_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千万亿")

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
_POST_QUALIFIERS = {"以上": "lower_bound", "多": "lower_bound", "余": "lower_bound", "来": "approx",
                    "左右": "approx", "上下": "approx", "以下": "upper_bound", "以内": "upper_bound",
                    "之内": "upper_bound"}

# Modality: the nearest cue before the number in its sentence decides (将 only within the clause).
_MODALITY_RE = re.compile(
    r"(?P<target>力争|目标|确保|争取|努力|预期目标)"
    r"|(?P<forecast>预计|有望|预期|可望|预测|估计|可达|可实现|可新增|可带动|可形成|建成后|投产后|达产后|即将)"
    r"|(?P<actual>已经|已|累计|目前|截至|截止|去年|上年)"
)
_WILL_RE = re.compile(r"将(?!近)")
_PLAN_RE = re.compile(r"计划|规划|拟")  # 计划总投资: a plan word only qualifies its own clause
NEGATIVE_CUES = ("下降", "减少", "下滑", "降低", "下跌", "回落", "降幅", "萎缩")
_THRESHOLD_AFTER_RE = re.compile(r"(?:以上|以下)?的?(?:企业|公司|工业企业|龙头企业)|(?:以上|以下)的?(?:项目|产业)")
_CHENG_WORDS = frozenset("立为功本果员交长都品熟就型效绩套")  # 成立, 成为, 成本 … are words, not tenths


def _tenths(num_text: str) -> bool:
    value = safe_parse(num_text)
    return value is not None and 0 < value <= 10


_LABEL_AFTER = ("级", "强", "佳", "+", "＋", "一体")  # 千亿级, 500强, 十佳, 三位一体: names, not amounts


@lru_cache(maxsize=4)
def _quantity_re(unit_pattern: str) -> re.Pattern:
    return re.compile(
        rf"(?P<num>{NUMBER_PATTERN})"
        rf"(?:\s*(?:%|％)?\s*(?P<rsep>[-~～—–至到])\s*(?P<num2>{NUMBER_PATTERN}))?"
        rf"\s*(?P<approx>余|多|来)?(?P<mag>[十百千万亿]*)\s*(?P<unit>{unit_pattern})"
        r"(?P<post>以上|以下|左右|以内|之内|上下)?"
    )


_FRACTION_RE = re.compile(
    r"(?P<den>[一二两三四五六七八九十百千]+|\d+)分之(?P<fnum>[零〇一二两三四五六七八九十点]+|\d+(?:\.\d+)?)"
)


@dataclass
class Quantity:
    start: int
    end: int
    num_start: int
    value: Decimal
    value_high: Decimal | None
    raw_value: Decimal
    raw_unit: str
    unit_factor: Decimal
    unit: Unit
    qualifier: str | None  # from the words glued to the number (余, 以上, range); prefix added later
    negative: bool = False


class Document:
    """Sentence, period and paragraph boundaries of one text, computed on first use."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def _sentences(self):
        return _spans(self.text, SENTENCE_END_RE)

    @cached_property
    def _paragraphs(self):
        return _spans(self.text, PARAGRAPH_END_RE)

    @cached_property
    def _period_starts(self):
        return _spans(self.text, PERIOD_END_RE)[0]

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


def _spans(text: str, separator: re.Pattern) -> tuple[list[int], list[int]]:
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
    for q in _quantities(text, ref):
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


def _quantities(text: str, ref: RefData):
    for m in _quantity_re(ref.unit_pattern).finditer(text):
        q = _quantity(m, text, ref)
        if q is not None:
            yield q
    for m in _FRACTION_RE.finditer(text):
        q = _fraction(m, ref)
        if q is not None:
            yield q


def _quantity(m: re.Match, text: str, ref: RefData) -> Quantity | None:
    unit = ref.units[m.group("unit")]
    if unit.dimension not in FACT_DIMENSIONS:
        return None
    start, num_text = m.start("num"), m.group("num") + m.group("mag")
    if _looks_like_label(text, start, m.end(), num_text):
        return None
    if unit.dimension == "money" and _THRESHOLD_AFTER_RE.match(text, m.end()):
        return None  # 年营收超10亿元的企业: a size class, not an amount
    if unit.text == "成" and (text[m.end():m.end() + 1] in _CHENG_WORDS or not _tenths(num_text)):
        return None
    parsed = _values(num_text, m.group("num2"))
    if parsed is None:
        return None
    low, high, raw, magnitude = parsed
    if low == 0 or (unit.base == "year" and (low >= 1000 or magnitude)):
        return None  # 2023年 is a date, not a duration
    qualifier = "range" if high is not None else _POST_QUALIFIERS.get(m.group("post") or m.group("approx") or "")
    if qualifier is None and num_text[0] in "百千万" and start and text[start - 1] == "上":
        qualifier = "lower_bound"  # 上百家, 上万人
    negative = start > 0 and text[start - 1] in "-−" and not (start > 1 and text[start - 2].isdigit())
    factor = magnitude_factor(magnitude) * unit.factor
    return Quantity(
        start=start - 1 if negative else start,
        end=m.end(),
        num_start=start,
        value=low * unit.factor,
        value_high=high * unit.factor if high is not None else None,
        raw_value=raw,
        raw_unit=magnitude + m.group("unit"),
        unit_factor=factor,
        unit=unit,
        qualifier=qualifier,
        negative=negative,
    )


def _looks_like_label(text: str, start: int, end: int, num_text: str) -> bool:
    before = text[start - 1] if start else ""
    if before == "第" or before in "+＋#" or (before.isascii() and before.isalnum()):
        return True  # 第二届, 1+4, model numbers
    if text.startswith(_LABEL_AFTER, end):
        return True
    if num_text == "一" or num_text == "两" and text[end:end + 1] == "山":
        return True  # 一家 / 一个 are articles ("a"), not counts
    return False


def _values(num_text: str, num2_text: str | None):
    """(low, high, raw_value, magnitude word) in the unit as written, or None if not a number."""
    consecutive = consecutive_range(num_text) if num_text[0] in _CN_NUMERAL_CHARS else None
    if consecutive:
        return consecutive[0], consecutive[1], consecutive[0], ""
    mantissa, magnitude = split_magnitude(num_text)
    if num2_text:
        mantissa2, magnitude2 = split_magnitude(num2_text)
        magnitude = magnitude or magnitude2  # 3-5亿元: the 亿 belongs to both ends
        low_raw, high_raw = safe_parse(mantissa), safe_parse(mantissa2)
        if low_raw is None or high_raw is None:
            return None
        high = high_raw * magnitude_factor(magnitude2 or magnitude)
        low = low_raw * magnitude_factor(magnitude)
        if high <= low:
            return None
        return low, high, low_raw, magnitude
    raw = safe_parse(mantissa)
    if raw is None:
        return None
    return raw * magnitude_factor(magnitude), None, raw, magnitude


def _fraction(m: re.Match, ref: RefData) -> Quantity | None:
    try:
        ratio = parse_fraction(m.group())
    except (ValueError, ArithmeticError):
        return None
    if ratio <= 0:
        return None
    value = (ratio * 100).quantize(Decimal("0.0001"))
    return Quantity(start=m.start(), end=m.end(), num_start=m.start(), value=value, value_high=None,
                    raw_value=value, raw_unit="%", unit_factor=Decimal(1), unit=ref.units["%"], qualifier=None)


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
        "evidence": sentence.strip(),
        "span_text": text[q.start:q.end],
        "char_start": q.start,
        "char_end": q.end,
        "extractor_version": EXTRACTOR_VERSION,
    }


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
