"""Quantities: a number written with its unit (140亿元, 超30个, 3-5亿元, 三分之一), found in one
regex pass over the whole text and read exactly (Decimal), with the qualifier words glued to it
(余, 多, 以上, 左右, a range). What the number measures is the claim's business (facts.py).

    find_quantities(text, refdata) -> Quantity, ... (labels such as 500强, 第二届, 1+4 are skipped)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterator

from chanye.extract.numbers import (
    NUMBER_PATTERN,
    consecutive_range,
    magnitude_factor,
    parse_fraction,
    safe_parse,
    split_magnitude,
)
from chanye.extract.refdata import FACT_DIMENSIONS, RefData, Unit

_CN_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千万亿")
_POST_QUALIFIERS = {"以上": "lower_bound", "多": "lower_bound", "余": "lower_bound", "来": "approx",
                    "左右": "approx", "上下": "approx", "以下": "upper_bound", "以内": "upper_bound",
                    "之内": "upper_bound"}
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


def find_quantities(text: str, ref: RefData) -> Iterator[Quantity]:
    """Every number written with a unit of a fact dimension, in text order per pattern."""
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
