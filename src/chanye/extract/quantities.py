"""Quantities: a number written with its unit (140亿元, 超30个, 3-5亿元, 三分之一, 港币3.14, $1.5万,
123元1角1分), found in one regex pass over the whole text and read exactly (Decimal) by the number
grammar (numbers.py), with the qualifier words glued to it (余, 多, 以上, 左右, a range). What the
number measures is the claim's business (facts.py).

    find_quantities(text, refdata) -> Quantity, ...   (labels such as 500强, 第二届, 1+4 are skipped)
    scan_quantities(text, refdata) -> (quantities, unreadable spans)
    unreadable_spans(text, refdata) -> [Unreadable, ...]

The regex only finds where a quantity may be; the grammar must read every character of it. A span
the grammar does not read in full, or that starts in the middle of a number (几十万元: 十万元 is
not the number), gives no quantity: it is reported as an `Unreadable` span instead, never as a
partial number.

Span shapes: [currency] number [sub-units] [unit] [qualifier], where the number may be a range
(2——3万, 1万元--5万元, 从8500到3万港元, 两~3百, 五元六角-五元七毛八分, 在10000与20000人之间),
the currency may stand before it ($, 港币, 新台币 …; then the unit after it is optional or a plain
元), and a number without any unit is money only right after a money cue (融资金额三百万).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Iterator

from chanye.extract.numbers import (
    DIGIT_CHARS,
    NUMBER_PATTERN,
    MAGNITUDE_CHARS,
    NUMERAL_CHARS,
    VAGUE_BEFORE,
    Numeral,
    NumberError,
    money_tail,
    pair_range,
    parse_fraction,
    parse_numeral,
)
from chanye.extract.refdata import FACT_DIMENSIONS, RefData, Unit

_POST_QUALIFIERS = {"以上": "lower_bound", "多": "lower_bound", "余": "lower_bound", "来": "approx",
                    "左右": "approx", "上下": "approx", "以下": "upper_bound", "以内": "upper_bound",
                    "之内": "upper_bound"}
_THRESHOLD_AFTER_RE = re.compile(r"(?:以上|以下)?的?(?:企业|公司|工业企业|龙头企业)|(?:以上|以下)的?(?:项目|产业)")
_CHENG_WORDS = frozenset("立为功本果员交长都品熟就型效绩套")  # 成立, 成为, 成本 … are words, not tenths
_LABEL_AFTER = ("级", "强", "佳", "+", "＋", "一体")  # 千亿级, 500强, 十佳, 三位一体: names, not amounts
DEFAULT_MONEY_UNIT = "元"  # a bare amount after a money cue (融资金额三百万) is in yuan
# ... but not after the cues of a size (机架总规模超过760万 counts racks): those need a unit word.
_BARE_MONEY_EXCLUDED_METRICS = frozenset({"industry_scale"})
# 块 counts pieces as often as yuan (5块金牌, 4000块大屏): it is money only when no noun follows it.
_MEASURE_WORD_MONEY = frozenset({"块"})
_HALF_DIMENSIONS = ("percent", "duration")  # 三成半 = 35%, 三年半 = 3.5 years
_CJK_RE = re.compile(r"[\u3400-\u9fff]")

_SEP = r"-{1,2}|–|—{1,2}|~|～|〜|至|到"
_INCL = r"\(含\)|（含）"
_CLAUSE_END = r"(?=\s?(?:[，。；;,、！？!?\n]|$))"
# A bare amount in 亿 may run on into its noun (200亿引导基金, 从2019年的189亿增长到…).
_BARE_YI = r"(?<=亿)(?=[\u4e00-\u9fff])"
_MONEY_NOUN_AFTER = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:基金|资金|投资|资本)")
_CLAUSE_BREAK = re.compile(r"[，。；;,、！？!?\n]")
_CLAUSE_END_RE = re.compile(_CLAUSE_END)
# A bare amount is money when a money cue stands right before it, with at most these words between.
_CONNECTOR = (r"(?:为|是|达到?|了|约为?|近|超过?|逾|小于|大于|低于|高于|不到|不足|不超过|不少于|不低于|"
              r"至少|最多|高达|仅有?|共计?|合计|累计|突破|只有)")


def _guarded(pattern: str) -> str:
    """An alternation of literal words behind a check of its first characters: most numerals are
    followed by no unit at all, and the check rejects them without trying every word."""
    firsts = sorted({w.replace("\\", "")[:1] for w in pattern.split("|") if w})
    return rf"(?=[{re.escape(''.join(firsts))}])(?:{pattern})"


@lru_cache(maxsize=4)
def _quantity_re(unit_pattern: str, whole_pattern: str, subunit_pattern: str) -> re.Pattern:
    num = NUMBER_PATTERN
    digit = rf"[\d{DIGIT_CHARS}]"
    money_end = "|".join(f"(?<={t})" for t in f"{whole_pattern}|{subunit_pattern}".split("|"))
    unit_pattern, whole_pattern = _guarded(unit_pattern), _guarded(whole_pattern)
    # 1角1分, 六角七分, 三毛; 一块二, 七毛八, 三块零四 (an unnamed last order ends the amount)
    ellipsis = rf"零?{digit}(?=$|[^\w]|[到至]|以[上下内]|左右)"
    sub = rf"(?:(?:零?{digit}(?:{subunit_pattern})){{1,2}}(?:{ellipsis})?|{ellipsis})"
    # money_end: 元整, 块钱, 七分钱 — only after money units (45家整车企业 is 45家)
    return re.compile(
        # a fraction's denominator may be a bare magnitude: 百分之三十, 万分之三
        rf"(?P<num>[百千万](?=分之)|{num})"
        rf"(?:分之(?P<fnum>{num}|[百佰])"  # 三分之一, 百分之一百二十点五, 一万分之三
        # a range; a unit after its low end must come back after its high end (8%-10%, 1万元--5万元):
        # 下调0.3个百分点至1.5% is two numbers, not a range. 与/和 make a range only with 之间.
        rf"|(?:\s?(?:(?P<lunit>{whole_pattern})(?P<lsub>{sub})?|(?P<lunit2>{unit_pattern}))?"
        rf"\s?(?:{_INCL})?\s?(?:(?P<rsep>{_SEP})|(?P<andsep>[与和]))\s?(?P<num2>{num}))?"
        rf"\s?(?P<approx>来)?"
        rf"(?(lunit)(?P=lunit)(?P<hsub>{sub})?|(?(lunit2)(?P=lunit2)"
        rf"|(?:(?P<unit>{whole_pattern})(?P<sub>{sub})|(?P<unit2>{unit_pattern})|(?P<bare>{_CLAUSE_END}|{_BARE_YI}))))"
        rf"(?P<half>半)?(?P<tail>(?:{money_end})[整钱])?"
        rf"(?:\s?(?:{_INCL}))?"
        r"(?(andsep)\s?之间|(?P<post>以上|以下|左右|以内|之内|上下)?))"
    )


@lru_cache(maxsize=4)
def _prefix_re(prefix_pattern: str) -> tuple[re.Pattern, int]:
    width = max((len(p.replace("\\", "")) for p in prefix_pattern.split("|")), default=1) + 1
    return re.compile(rf"(?:{prefix_pattern})\s?$"), width


@lru_cache(maxsize=4)
def _cue_re(money_cues: tuple[str, ...]) -> re.Pattern:
    cues = "|".join(re.escape(c) for c in money_cues) or "(?!)"
    return re.compile(rf"(?:{cues})\s?{_CONNECTOR}{{0,2}}\s?$")


def _bare_money_cues(ref: RefData) -> tuple[str, ...]:
    cues = {c for mt in ref.by_dimension.get("money", []) if mt.metric_id not in _BARE_MONEY_EXCLUDED_METRICS
            for c in mt.cues}
    return tuple(sorted(cues, key=len, reverse=True))


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


@dataclass(frozen=True)
class Unreadable:
    """A number-like span that was skipped because the grammar could not read all of it."""

    start: int
    end: int
    text: str
    reason: str


class _Skip(Exception):
    """The span is not a quantity at all (a label, a date, a measure word): no fact, no report."""


class _Resume(Exception):
    """Not one quantity after all: scan again from `pos` (统一至15%: 15% is a number, 一至 is not).
    With `low_end`, the text up to there is read alone first (从十多亿元到1万亿元: two amounts)."""

    def __init__(self, pos: int, low_end: int | None = None):
        super().__init__(pos)
        self.pos = pos
        self.low_end = low_end


def find_quantities(text: str, ref: RefData) -> Iterator[Quantity]:
    """Every number written with a unit of a fact dimension, in text order."""
    yield from scan_quantities(text, ref)[0]


def unreadable_spans(text: str, ref: RefData) -> list[Unreadable]:
    """The number-like spans of a text that gave no quantity because they were not read in full
    (for run summaries: how often the grammar declined)."""
    return scan_quantities(text, ref)[1]


def scan_quantities(text: str, ref: RefData) -> tuple[list[Quantity], list[Unreadable]]:
    """The quantities of a text and the number-like spans skipped as unreadable."""
    found: list[Quantity] = []
    skipped: list[Unreadable] = []
    pattern = _quantity_re(ref.unit_pattern, ref.whole_pattern, ref.subunit_pattern)
    pos, n = 0, len(text)
    while pos < n:
        m = pattern.search(text, pos)
        if m is None:
            break
        pos = m.end()
        try:
            q = _quantity(m, text, ref)
        except _Skip:
            continue
        except _Resume as r:
            pos = r.pos
            low = pattern.match(text, m.start(), r.low_end) if r.low_end is not None else None
            if low is None or low.group("num2") is not None:
                continue
            try:
                q = _quantity(low, text, ref)
            except (_Skip, _Resume):
                continue
            except (NumberError, InvalidOperation, ArithmeticError) as e:
                skipped.append(Unreadable(low.start(), low.end(), low.group(), str(e)))
                continue
        except (NumberError, InvalidOperation, ArithmeticError) as e:
            skipped.append(Unreadable(m.start(), m.end(), m.group(), str(e)))
            continue
        if q is not None:
            found.append(q)
    found += _halves(text, ref) + _slash_fractions(text, ref)
    return sorted(found, key=lambda q: q.start), skipped


# 占全国近一半, 半数企业: a half written as a word is 50% (of what is shared).
_HALF_RE = re.compile(r"(?<=[占近约的超国省市])(?:一半|半数)")


# 1/4, 3/10 as a share: only where a share is spoken of (占1/4, 约1/3的), never a date (3/5).
_SLASH_RE = re.compile(r"(?<=[占约近达为超的])(?<![\d/.])(\d{1,2})/(\d{1,3})(?![\d/])|(?<![\d/.])(\d{1,2})/(\d{1,3})(?=的|以上|左右)")


def _slash_fractions(text: str, ref: RefData) -> list[Quantity]:
    percent, found = ref.units["%"], []
    for m in _SLASH_RE.finditer(text):
        num, den = (int(g) for g in (m.group(1) or m.group(3), m.group(2) or m.group(4)))
        if 0 < num < den:
            value = (Decimal(num) / Decimal(den) * 100).quantize(Decimal("0.01"))
            found.append(Quantity(start=m.start(), end=m.end(), num_start=m.start(), value=value, value_high=None,
                                  raw_value=value, raw_unit="%", unit_factor=Decimal(1), unit=percent, qualifier=None))
    return found


def _halves(text: str, ref: RefData) -> list[Quantity]:
    percent = ref.units["%"]
    return [Quantity(start=m.start(), end=m.end(), num_start=m.start(), value=Decimal(50), value_high=None,
                     raw_value=Decimal(50), raw_unit="%", unit_factor=Decimal(1), unit=percent, qualifier=None)
            for m in _HALF_RE.finditer(text)]


# ---------------------------------------------------------------- one match

def _quantity(m: re.Match, text: str, ref: RefData) -> Quantity | None:
    start = m.start()
    before = text[start - 1] if start else ""
    if before in NUMERAL_CHARS or (before in VAGUE_BEFORE and m.group()[0] in MAGNITUDE_CHARS):
        raise NumberError("starts inside a number")
    if start > 1 and (before in ".,，" and text[start - 2].isdigit() or before in "点點" and text[start - 2] in NUMERAL_CHARS):
        raise NumberError("starts inside a number")
    if m.group("fnum") is not None:
        return _fraction(m, ref)
    return _amount(m, text, ref)


def _amount(m: re.Match, text: str, ref: RefData) -> Quantity | None:
    start, end = m.start(), m.end()
    unit_text = m.group("unit") or m.group("unit2") or m.group("lunit") or m.group("lunit2")
    prefix_start, pre = _prefix_currency(text, start, ref)
    unit = ref.units[unit_text] if unit_text else None
    if pre is not None and unit is not None and unit.dimension == "money" and unit.base != pre.base:
        if len(unit.text) > 1:
            raise NumberError(f"two currencies: {pre.text} … {unit.text}")
    elif pre is not None and unit is not None and unit.dimension != "money":
        prefix_start, pre = start, None  # 美元 3个: the currency word is not this number's
    if unit is None:  # a number with no unit word: money after a currency or a money cue, else nothing
        if pre is None and not _after_money_cue(text, start, end, m.group("num"), ref):
            raise _Skip
        unit = pre or ref.units[DEFAULT_MONEY_UNIT]
        unit_text = ""
    elif pre is not None and unit.dimension == "money":
        unit = pre  # 港币两千九百六十元, 新台币 177.1 亿元: the named currency, the 元 is generic
    if unit.dimension not in FACT_DIMENSIONS:
        raise _Skip
    num_text, num2_text = m.group("num"), m.group("num2")
    if num2_text is not None and num_text == "一" and num2_text[0].isdigit():
        raise _Resume(m.start("num2"))  # 统一至15%: the 一 ends a word; 一到五个 is a range
    span_start = prefix_start
    if _looks_like_label(text, span_start, end, num_text, m):
        raise _Skip
    if unit.dimension == "money" and _THRESHOLD_AFTER_RE.match(text, end):
        raise _Skip  # 年营收超10亿元的企业: a size class, not an amount
    if unit_text in _MEASURE_WORD_MONEY and not (_sub(m) or m.group("tail")) and _CJK_RE.match(text, end):
        raise _Skip  # 5块金牌
    if unit.text == "成" and (text[end:end + 1] in _CHENG_WORDS or not _tenths(num_text)):
        raise _Skip
    if unit_text and text.startswith("多", end) and _split_unit(unit_text, text, end + 1, ref):
        raise _Skip  # 两个多月, 3个多小时: 个…月 is one unit with 多 inside, not a count of 2

    low, high, raw, scale, magnitude, lower = _values(m, ref, unit)
    if m.group("half"):
        if unit.dimension not in _HALF_DIMENSIONS or high is not None or scale != 1:
            raise NumberError("半 after a unit that is not a share or a duration")
        low = raw = low + Decimal("0.5")
    if low == 0:
        raise _Skip
    if unit.base == "year" and (low >= 1000 or scale != 1):
        raise _Skip  # 2023年 is a date, not a duration
    if high is not None:
        qualifier = "range"
    else:
        qualifier = _POST_QUALIFIERS.get(m.group("post") or m.group("approx") or "")
        if qualifier is None and lower:
            qualifier = "lower_bound"
    if qualifier is None and num_text[0] in "百千万" and start and text[start - 1] == "上":
        qualifier = "lower_bound"  # 上百家, 上万人
    negative = _negative_before(text, span_start)
    factor = scale * unit.factor
    written_unit = (pre.text if pre is not None else "") + magnitude + (unit_text or "")
    return Quantity(
        start=span_start - 1 if negative else span_start,
        end=end,
        num_start=start,
        value=low * unit.factor,
        value_high=high * unit.factor if high is not None else None,
        raw_value=raw,
        raw_unit=written_unit,
        unit_factor=factor,
        unit=unit,
        qualifier=qualifier,
        negative=negative,
    )


def _values(m: re.Match, ref: RefData, unit: Unit):
    """(low, high, raw_value, scale, magnitude word, lower_bound) in the unit as written."""
    num_text, num2_text = m.group("num"), m.group("num2")
    sub_text = _sub(m)
    whole = m.group("unit") or m.group("lunit")
    if num2_text is None:
        pair = pair_range(num_text)
        if pair is not None:
            if sub_text:
                raise NumberError("sub-units after a range of digits")
            return pair[0], pair[1], pair[0], Decimal(1), "", False
        n = parse_numeral(num_text)
        if sub_text:
            if n.scale != 1 or n.lower_bound:
                raise NumberError("sub-units after a magnitude")
            value = n.value + _tail(sub_text, whole, ref)
            return value, None, value, Decimal(1), "", False
        return n.value, None, n.mantissa, n.scale, n.magnitude, n.lower_bound
    low_unit = m.group("lunit") or m.group("lunit2")
    lo, hi = parse_numeral(num_text), parse_numeral(num2_text)
    if lo.lower_bound or hi.lower_bound:  # 从十多亿元到1万亿元: a change from one amount to another
        raise _Resume(m.start("num2"), _low_end(m))
    low = lo.value + (_tail(m.group("lsub"), m.group("lunit"), ref) if m.group("lsub") else 0)
    high = hi.value + (_tail(sub_text, whole, ref) if sub_text else 0)
    share, word = _shared_magnitude(lo, hi, low_unit)
    if (m.group("lsub") or sub_text) and (lo.scale != 1 or hi.scale != 1):
        raise NumberError("sub-units after a magnitude")
    low *= share
    if high <= low:  # 从2000亿元到1000亿元: a change, read as two amounts; 10万至1万年: no range
        if low_unit is not None:
            raise _Resume(m.start("num2"), _low_end(m))
        raise NumberError("a range whose low end is not below its high end")
    if share != 1:
        return low, high, lo.value, share, word, False
    if m.group("lsub"):
        return low, high, low, Decimal(1), "", False
    return low, high, lo.mantissa, lo.scale, lo.magnitude, False


def _shared_magnitude(lo: Numeral, hi: Numeral, low_unit: str | None) -> tuple[Decimal, str]:
    """2——3万 → 2万: a low end without 万/亿 and without a unit of its own takes the high end's
    trailing magnitude words — the most of them that keep it below the high end (1-2千万 → 1千万,
    十八至三十万 → 18万, 一千到两千万 → 1000万); 从8500到3万 keeps 8500."""
    if low_unit is not None or lo.has_big or not hi.trailing:
        return Decimal(1), ""
    words = hi.trailing
    for k in range(len(words)):
        factor = Decimal(1)
        for _, f in words[k:]:
            factor *= f
        if lo.value * factor < hi.value:
            return factor, "".join(w for w, _ in words[k:])
    return Decimal(1), ""


def _split_unit(unit_text: str, text: str, pos: int, ref: RefData) -> bool:
    return any(len(u) > len(unit_text) and u.startswith(unit_text) and text.startswith(u[len(unit_text):], pos)
               for u in ref.units)


def _low_end(m: re.Match) -> int | None:
    """Where the low end of a range ends when it carries its own unit (从十多亿元|到1万亿元)."""
    for group in ("lsub", "lunit", "lunit2"):
        if m.group(group) is not None:
            return m.end(group)
    return None


def _sub(m: re.Match) -> str | None:
    return m.group("sub") or m.group("hsub")


def _tail(sub_text: str, whole: str | None, ref: RefData) -> Decimal:
    unit = ref.units[whole] if whole else None
    subunits = {t: f for t, f in ref.subunits.items() if unit is None or ref.units[t].base == unit.base}
    return money_tail(sub_text, unit.factor if unit else Decimal(1), subunits)


def _same_unit(ref: RefData, a: str, b: str | None) -> bool:
    if b is None or a == b:
        return True
    ua, ub = ref.units[a], ref.units[b]
    return (ua.base, ua.factor, ua.dimension) == (ub.base, ub.factor, ub.dimension)


def _prefix_currency(text: str, start: int, ref: RefData) -> tuple[int, Unit | None]:
    """港币 / $ / 新台币 written right before the number (not the unit of a number before it)."""
    prefix_re, width = _prefix_re(ref.prefix_pattern)
    window_start = max(0, start - width)
    pm = prefix_re.search(text, window_start, start)
    if pm is None:
        return start, None
    p_start = pm.start()
    if p_start and text[p_start - 1] in NUMERAL_CHARS:
        return start, None  # 3亿美元5000万: 美元 belongs to 3亿
    word = pm.group().rstrip()
    return p_start, ref.units[word]


def _after_money_cue(text: str, start: int, end: int, num_text: str, ref: RefData) -> bool:
    """融资金额三百万, 营业收入三万五: a bare amount right after a money cue is money (yuan) — when
    it carries a magnitude or Chinese numerals (a bare 2023 is not an amount). An amount in 亿 is
    money also with a money cue anywhere earlier in its clause (营业收入从2019年的189亿) or a money
    noun after it (200亿引导基金)."""
    if not any(ch in num_text for ch in "十拾百佰千仟万萬亿億"):
        return False
    cues = _bare_money_cues(ref)
    if _cue_re(cues).search(text, max(0, start - 20), start) is not None:
        return True
    if not any(ch in num_text for ch in "亿億"):
        return False
    breaks = [b.end() for b in _CLAUSE_BREAK.finditer(text, max(0, start - 24), start)]
    clause = text[breaks[-1] if breaks else max(0, start - 24):start]
    if any(cue in clause for cue in cues):
        return True
    return end < len(text) and _CLAUSE_END_RE.match(text, end) is None and _MONEY_NOUN_AFTER.match(text, end) is not None


def _negative_before(text: str, start: int) -> bool:
    """-3.2%, 负1.1%, −5: a minus sign right before the number (not a hyphen after a digit)."""
    if start == 0:
        return False
    ch = text[start - 1]
    if ch == "负":
        return True
    return ch in "-−" and not (start > 1 and text[start - 2].isdigit())


def _looks_like_label(text: str, start: int, end: int, num_text: str, m: re.Match) -> bool:
    before = text[start - 1] if start else " "
    if before == "第" or before in "+＋#" or (before.isascii() and before.isalnum()):
        return True  # 第二届, 1+4, model numbers
    if text.startswith(_LABEL_AFTER, end):
        return True
    if m.group("num2") is None and not _sub(m):
        if num_text == "一" or num_text == "两" and text[end:end + 1] == "山":
            return True  # 一家 / 一个 are articles ("a"), not counts
    return False


def _tenths(num_text: str) -> bool:
    try:
        value = parse_numeral(num_text).value
    except NumberError:
        return False
    return 0 < value <= 10


def _fraction(m: re.Match, ref: RefData) -> Quantity | None:
    ratio = parse_fraction(m.group())
    if ratio <= 0:
        raise _Skip
    value = (ratio * 100).quantize(Decimal("0.0001"))
    return Quantity(start=m.start(), end=m.end(), num_start=m.start(), value=value, value_high=None,
                    raw_value=value, raw_unit="%", unit_factor=Decimal(1), unit=ref.units["%"], qualifier=None)
