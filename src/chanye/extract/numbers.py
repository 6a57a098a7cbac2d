"""Numbers as Chinese news writes them: one grammar, characters → tokens → value, exact (Decimal).

Forms read:
- Arabic numerals with thousands separators (ASCII or the Chinese comma: 82，225.00) and decimals;
- Chinese numerals (一百二十亿, 一百零五, 两千万), financial uppercase (壹万贰仟叁佰, 拾万零伍拾) and
  Traditional characters (萬 億 點 兩), with 零 gaps (十万零十, 一百零一億零九萬零一百);
- digits mixed with magnitudes in any order (1.15万亿, 2千零30万, 260亿129万5千, 100万三千,
  5億1萬4千6百) and compound magnitudes (万亿, 三十万多亿, 3千万亿);
- 点 decimals (二点五亿, 一百零一点五亿, 三千点五万, 一點零零五億);
- the colloquial ellipsis of the last order (三万五 = 35000, 两千四百五 = 2450, 一百二十万三);
- lower bounds: 3000多, 十多万, 500余万, 二十几万 (the written value, flagged `lower_bound`);
- 两个亿, 两个多亿 (the 个 of spoken Chinese), paired digits (三四百 = 300–400, 八九亿, 三五百, 十七八),
  fractions (三分之一, 百分之一百二十点五, 一万分之三) and money sub-units (元 角 分: see
  `money_tail`).

Nothing is guessed: a text is read from its first character to its last or `NumberError` is raised
(a wrong number is worse than none). Callers turn the error into "no fact".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Mapping

CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0,
    "一": 1, "壹": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
SMALL_UNITS: dict[str, Decimal] = {"十": Decimal(10), "拾": Decimal(10), "百": Decimal(100), "佰": Decimal(100),
                                   "千": Decimal(1000), "仟": Decimal(1000)}
BIG_UNITS: dict[str, Decimal] = {"万": Decimal(10**4), "萬": Decimal(10**4), "亿": Decimal(10**8), "億": Decimal(10**8)}
MAGNITUDES: dict[str, Decimal] = {**SMALL_UNITS, **BIG_UNITS}
# Taiwan's 兆 (10^12: 新台幣1兆1,268億元) is a magnitude only inside an amount; 兆瓦 is a megawatt.
TRILLION = "兆"
BIG_UNITS_TW: dict[str, Decimal] = {**BIG_UNITS, TRILLION: Decimal(10**12)}
POINTS = "点點"
FUZZY = "几幾"  # 二十几万: the 几 reads as 0, the number as a lower bound
APPROX = "多余"  # 3000多, 500余万: lower bounds
ZEROS = "零〇"

# Character classes for the span scanner (quantities.py): what may start and continue a numeral.
DIGIT_CHARS = "".join(CN_DIGITS)
MAGNITUDE_CHARS = "".join(MAGNITUDES)
# Financial uppercase characters are also ordinary words (队伍, 大陆, 陆家嘴, 收拾): one starts a
# numeral only when another numeral character follows it (伍拾, 肆佰叁拾萬, 壹元), and an Arabic
# digit is never followed by one of the digits (2024陆家嘴).
FINANCIAL_DIGITS = "壹贰貳叁參肆伍陆陸柒捌玖"
COMMON_DIGITS = "".join(ch for ch in DIGIT_CHARS if ch not in FINANCIAL_DIGITS)
_ARABIC = r"\d{1,3}(?:[,，]\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
# A numeral: Arabic or Chinese digits, then any further digits, magnitudes, 点, 几, 多/余, a space
# before a magnitude (177.1 亿) and the 个 of 两个亿. A bare magnitude starts a numeral only as 上百,
# 近千, 千余 (千家万户 is not a number). The grammar below decides whether the whole run is a number.
NUMBER_PATTERN = (
    rf"(?:(?>{_ARABIC})|[{COMMON_DIGITS}十]|[{FINANCIAL_DIGITS}拾](?=[{DIGIT_CHARS}{MAGNITUDE_CHARS}{POINTS}元圆])"
    rf"|(?<=[上近超逾破达过])[百千万]|[百千万](?=[万亿萬億]?[余多]))"
    rf"(?:(?>{_ARABIC})|[{COMMON_DIGITS}{MAGNITUDE_CHARS}{POINTS}{FUZZY}{APPROX}]|(?<!\d)[{FINANCIAL_DIGITS}]"
    rf"|\s(?=[{MAGNITUDE_CHARS}])|个(?=多?[亿億])|{TRILLION}(?=[\d{DIGIT_CHARS}亿億元]))*+"
)
NUMBER_RE = re.compile(NUMBER_PATTERN)
# Characters that belong to a numeral: a span preceded by one of them was not read from its start.
NUMERAL_CHARS = frozenset(COMMON_DIGITS + "十百千万亿萬億" + "0123456789")
VAGUE_BEFORE = frozenset("数几幾")  # 数十家, 几百万: a vague count of tens/hundreds, no number

_ARABIC_RE = re.compile(_ARABIC)
_PLAIN_RE = re.compile(r"\d+(?:\.\d+)?", re.ASCII)


class NumberError(ValueError):
    """The text is not a well-formed number."""


@dataclass(frozen=True)
class Numeral:
    """A numeral read in full. value = mantissa × scale, where scale is the trailing magnitude word
    as written (1.15万亿 → 1.15 × 万亿; 三千五百万 → 3500 × 万; 260亿129万5千 → itself × 1)."""

    value: Decimal
    mantissa: Decimal
    scale: Decimal
    magnitude: str  # the trailing magnitude word ('' when none): 万亿, 千万, 亿
    lower_bound: bool  # 多, 余, 几: the value is the written lower bound
    trailing: tuple[tuple[str, Decimal], ...]  # magnitude tokens after the last digit, in order
    has_big: bool  # a 万 or 亿 occurs in it


# ---------------------------------------------------------------- tokens

# kinds: "n" Arabic literal, "d" Chinese digit, "s" 十百千, "b" 万亿, "p" 点, "f" 几, "q" 多/余
@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    value: Decimal = Decimal(0)
    digits: int = 0  # Arabic literal: digits before the decimal point
    fraction: bool = False  # Arabic literal with a decimal part


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if "0" <= ch <= "9":  # other Unicode digits are not read: staging folds full width
            m = _ARABIC_RE.match(text, i)
            lit = m.group()
            if m.end() < n and text[m.end()] in ",，" and m.end() + 1 < n and text[m.end() + 1].isdigit():
                raise NumberError(f"bad digit grouping: {text!r}")
            plain = lit.replace(",", "").replace("，", "")
            whole = plain.partition(".")[0]
            toks.append(_Tok("n", lit, Decimal(plain), len(whole.lstrip("0")) or 1, "." in plain))
            i = m.end()
            continue
        if ch in CN_DIGITS:
            toks.append(_Tok("d", ch, Decimal(CN_DIGITS[ch])))
        elif ch in SMALL_UNITS:
            toks.append(_Tok("s", ch, SMALL_UNITS[ch]))
        elif ch in BIG_UNITS_TW:
            toks.append(_Tok("b", ch, BIG_UNITS_TW[ch]))
        elif ch in POINTS:
            toks.append(_Tok("p", ch))
        elif ch in FUZZY:
            toks.append(_Tok("f", ch))
        elif ch in APPROX:
            toks.append(_Tok("q", ch))
        elif ch == "个" and text[i + 1:i + 3].lstrip("多")[:1] in ("亿", "億"):
            pass  # 两个亿, 两个多亿: spoken Chinese puts a measure word before 亿
        elif ch in " \n\t":
            pass  # 177.1 亿; a PDF dump may break the line before the magnitude
        else:
            raise NumberError(f"not a numeral character {ch!r} in {text!r}")
        i += 1
    if not toks:
        raise NumberError("empty number")
    return toks


# ---------------------------------------------------------------- the grammar

def parse_numeral(text: str) -> Numeral:
    """Read a whole numeral (see the module docstring); NumberError if any part is not understood."""
    if _PLAIN_RE.fullmatch(text):  # most numbers in news: 2023, 5.2 (the grammar reads them the same)
        value = Decimal(text)
        return Numeral(value, value, Decimal(1), "", False, (), False)
    toks = _tokenize(text)
    if all(t.kind == "d" for t in toks):
        value = _digit_string(toks, text)
        return Numeral(value, value, Decimal(1), "", False, (), False)
    lower = any(t.kind in "qf" for t in toks)
    if sum(t.kind in "qf" for t in toks) > 1:
        raise NumberError(f"two approximation marks: {text!r}")
    point = next((k for k, t in enumerate(toks) if t.kind == "p"), None)
    first = toks[0]
    if first.kind == "n" and first.fraction:  # 1.15万亿, 4.78萬億, 2.5多亿
        value = first.value * _product(toks[1:], text, allow_approx=True)
    elif point is not None:  # 二点五亿, 三千点五万, 十点二三三
        if point == 0:
            raise NumberError(f"nothing before the decimal point: {text!r}")
        whole = _integer(toks[:point], text)
        k = point + 1
        digits = []
        while k < len(toks) and toks[k].kind in "dn" and not (toks[k].kind == "n" and toks[k].fraction):
            digits.append(toks[k].text if toks[k].kind == "n" else str(int(toks[k].value)))
            k += 1
        if not digits or any("," in d or "，" in d for d in digits):
            raise NumberError(f"no digits after the decimal point: {text!r}")
        value = (whole + Decimal("0." + "".join(digits))) * _product(toks[k:], text, allow_approx=True)
    else:
        value = _integer(toks, text)
    mantissa, scale, magnitude = _split_scale(toks, value)
    trailing = []
    for t in reversed(toks):
        if t.kind not in "sb":
            break
        trailing.append((t.text, t.value))
    return Numeral(value, mantissa, scale, magnitude, lower, tuple(reversed(trailing)),
                   any(t.kind == "b" for t in toks))


def parse_number(text: str) -> Decimal:
    """Exact value of a numeral: '1,234.5' → 1234.5, '一百二十亿' → 12000000000, '1.15万亿' → 1.15e12.
    Fractions ('三分之一', '百分之三十') read as plain ratios."""
    s = text.strip()
    if "分之" in s:
        return parse_fraction(s)
    return parse_numeral(s).value


def safe_parse(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except (NumberError, InvalidOperation):
        return None


def _digit_string(toks: list[_Tok], text: str) -> Decimal:
    """零, 五, 二〇二三: digits read one by one. Two digits without a 〇 (三五, 七八) are a range or an
    idiom, never a two-digit number."""
    if len(toks) == 2 and not any(t.text in ZEROS for t in toks):
        raise NumberError(f"two digits side by side (a range?): {text!r}")
    return Decimal("".join(str(int(t.value)) for t in toks))


def _product(toks: list[_Tok], text: str, allow_approx: bool = False) -> Decimal:
    """Magnitude words multiplied (万亿 → 1e12, 千万 → 1e7); 多/余 may sit before or after them
    (2.5多亿, 1.5万多, 3.2万余)."""
    factor = Decimal(1)
    for k, t in enumerate(toks):
        if t.kind in "sb":
            factor *= t.value
        elif t.kind == "q" and allow_approx and k in (0, len(toks) - 1):
            continue
        else:
            raise NumberError(f"only magnitude words may follow a decimal: {text!r}")
    return factor


def _integer(toks: list[_Tok], text: str) -> Decimal:
    """The positional fold. Sections (value, magnitude) are closed by each magnitude word; 万/亿
    take in every section below them (三千五百万, 三十万多亿, 1万亿3000亿). A digit must be followed
    by a magnitude unless it ends the number; magnitudes fall within a 万 group (一百十六, not 二十百)."""
    if all(t.kind == "d" for t in toks):
        return _digit_string(toks, text)  # 零点五, 二〇二三
    sections: list[list[Decimal]] = []  # [value, magnitude]
    pending: _Tok | None = None
    zero = False  # a 零 since the last section: 一百零五
    closed = False  # after 多/余 only magnitude words may follow
    last_kind = ""
    for t in toks:
        if t.kind == "p":
            raise NumberError(f"misplaced decimal point: {text!r}")
        if closed and t.kind not in "sb":
            raise NumberError(f"digits after 多/余: {text!r}")
        if t.kind == "d" and t.value == 0 and t.text in ZEROS:
            if pending is not None or not sections:
                raise NumberError(f"misplaced zero: {text!r}")
            zero = True
        elif t.kind in "dn":
            if pending is not None:
                raise NumberError(f"two numbers side by side: {text!r}")
            if t.kind == "n" and t.fraction:
                raise NumberError(f"a decimal inside a compound numeral: {text!r}")
            pending = t
        elif t.kind == "s":
            if sections and sections[-1][1] <= t.value:
                raise NumberError(f"magnitudes out of order: {text!r}")
            if pending is None and last_kind == "f":
                raise NumberError(f"magnitude after 几: {text!r}")
            x = pending.value if pending is not None else Decimal(1)
            if pending is not None and pending.kind == "d" and x == 0:
                raise NumberError(f"zero times a magnitude: {text!r}")
            sections.append([x * t.value, t.value])
            pending, zero = None, False
        elif t.kind == "b":
            x = pending.value if pending is not None else Decimal(0)
            popped = False
            inner = Decimal(1)
            while sections and sections[-1][1] < t.value:
                value, mag = sections.pop()
                x += value
                popped = True
                if mag >= 10**4:
                    inner = max(inner, mag)
            if pending is None and not popped:
                if sections:
                    raise NumberError(f"magnitude without digits: {text!r}")
                x = Decimal(1)  # 万余, 上万
            if sections and sections[-1][1] <= t.value * inner:
                raise NumberError(f"magnitudes out of order: {text!r}")
            sections.append([x * t.value, t.value * inner])
            pending, zero = None, False
        elif t.kind == "f":  # 十几, 二十几万: only right after a 十
            if pending is not None or not sections or sections[-1][1] != 10 or last_kind != "s":
                raise NumberError(f"misplaced 几: {text!r}")
            pending = _Tok("d", "几", Decimal(0))
        elif t.kind == "q":
            if last_kind not in ("s", "b", "n", "d"):
                raise NumberError(f"misplaced 多/余: {text!r}")
            closed = True
        last_kind = t.kind
    total = sum((s[0] for s in sections), Decimal(0))
    if pending is None:
        if not sections or zero:
            raise NumberError(f"no digits (or nothing after 零): {text!r}")
        return total
    if sections and not zero and last_kind in "dn":
        top = sections[-1][1]
        if pending.kind == "d" and pending.text not in FUZZY:
            # 三万五 = 35000, 两千四百五 = 2450: a lone digit after a magnitude is the next order down
            return total + pending.value * top / 10
        if pending.kind == "n":
            # 1万600, 3万4000: Arabic digits after a magnitude fill it; 1万6 is ambiguous
            if pending.value >= top or pending.digits < len(str(int(top))) - 2:
                raise NumberError(f"ambiguous digits after a magnitude: {text!r}")
    elif sections and zero and pending.value >= sections[-1][1]:
        raise NumberError(f"digits after 零 larger than the gap: {text!r}")
    return total + pending.value


def _split_scale(toks: list[_Tok], value: Decimal) -> tuple[Decimal, Decimal, str]:
    """(mantissa, scale, magnitude word) for raw_value/raw_unit: 140亿 → 140 × 亿, 1.15万亿 → 1.15 ×
    万亿, 5千万 → 5 × 千万, 三千五百万 → 3500 × 万, 一千 → 1000 × 1; compounds stay whole."""
    k = len(toks)
    while k and toks[k - 1].kind in "sb":
        k -= 1
    head, tail = toks[:k], toks[k:]
    if head and head[-1].kind == "q":
        head = head[:-1]
    if not tail or any(t.kind == "b" for t in head):
        return value, Decimal(1), ""
    arabic_head = len(head) == 1 and head[0].kind == "n"
    if not arabic_head:  # Chinese head: only 万/亿 split off (三千五百万 → 3500 万; 一千 stays)
        while tail and tail[0].kind == "s":
            head, tail = head + [tail[0]], tail[1:]
        if not tail:
            return value, Decimal(1), ""
    scale = Decimal(1)
    for t in tail:
        scale *= t.value
    return value / scale, scale, "".join(t.text for t in tail)


# ---------------------------------------------------------------- ranges and fractions

_PAIR_RE = re.compile(rf"^(十)?([{DIGIT_CHARS}])([{DIGIT_CHARS}])([{MAGNITUDE_CHARS}]*)$")


def pair_range(text: str) -> tuple[Decimal, Decimal] | None:
    """'三四百' → (300, 400), '七八' → (7, 8), '十七八' → (17, 18), '八九亿', '一两', '三五百': two
    digits side by side mean 'between' (callers read it only before a unit: 三五成群 is no number)."""
    m = _PAIR_RE.match(text.replace(" ", ""))
    if not m:
        return None
    ten, a_ch, b_ch, mags = m.groups()
    if a_ch in ZEROS or b_ch in ZEROS:
        return None
    a, b = CN_DIGITS[a_ch], CN_DIGITS[b_ch]
    adjacent = b == a + 1 or (a_ch in "一壹" and b_ch in "两兩")
    if not (adjacent or (a == 3 and b == 5)):  # 三五百, 三五种: the idiom 三五 is "three to five"
        return None
    scale = Decimal(1)
    try:
        if mags:
            scale = _product(_tokenize(mags), text)
            _integer(_tokenize("一" + mags), text)  # the magnitudes must be in order (三四百万, not 三四万百)
    except NumberError:
        return None
    base = Decimal(10) if ten else Decimal(0)
    return (base + a) * scale, (base + b) * scale


def parse_fraction(text: str) -> Decimal:
    """'三分之一' → 1/3, '百分之三十' → 0.30, '百分之一百二十点五' → 1.205, '一万分之三' → 0.0003,
    '百分之百' → 1 (a plain ratio; callers scale to percent)."""
    s = text.replace(" ", "")
    den_text, sep, num_text = s.partition("分之")
    if not sep or not den_text or not num_text:
        raise NumberError(f"not a fraction: {text!r}")
    den = _bare_magnitude(den_text) or parse_numeral(den_text).value
    num = _bare_magnitude(num_text) or parse_numeral(num_text).value
    if den == 0:
        raise NumberError("zero denominator")
    return num / den


def _bare_magnitude(text: str) -> Decimal | None:
    """百分之, 千分之, 万分之, 百分之百: a magnitude word on its own means one of it."""
    return MAGNITUDES.get(text) if len(text) == 1 else None


def money_tail(text: str, unit_factor: Decimal, subunits: Mapping[str, Decimal]) -> Decimal:
    """The sub-units after a money unit, in that unit: '1角1分' → 0.11, '六角七分' → 0.67, '三毛' → 0.3,
    '零四' → 0.04 (三块零四), '二' → 0.2 (一块二), '七毛八' → 0.78. `subunits` maps 角/毛/分 to their
    factor in the base currency; `unit_factor` is the factor of the unit before them (元: 1)."""
    total, current, i, n = Decimal(0), unit_factor, 0, len(text)
    while i < n:
        zero = text[i] in ZEROS and i + 1 < n and (text[i + 1].isdigit() or text[i + 1] in CN_DIGITS)
        if zero:
            i += 1
        ch = text[i]
        if ch.isdigit() and ch.isascii():
            digit = Decimal(int(ch))
        elif ch in CN_DIGITS:
            digit = Decimal(CN_DIGITS[ch])
        else:
            raise NumberError(f"not a sub-unit amount: {text!r}")
        i += 1
        sub = next((u for u in sorted(subunits, key=len, reverse=True) if text.startswith(u, i)), None)
        if sub is not None:
            factor = subunits[sub]
            if factor >= current or (zero and factor * 10 >= current):
                raise NumberError(f"sub-units out of order: {text!r}")
            i += len(sub)
        else:  # 一块二, 七毛八, 三块零四: the next order down, unnamed; it must end the amount
            factor = current / (100 if zero else 10)
            if i != n or factor < min(subunits.values(), default=Decimal(1)):
                raise NumberError(f"unnamed sub-unit: {text!r}")
        total += digit * factor
        current = factor
    return total / unit_factor


def magnitude_factor(word: str) -> Decimal:
    """'万亿' → 1e12, '千万' → 1e7, '' → 1."""
    factor = Decimal(1)
    for ch in word:
        factor *= MAGNITUDES.get(ch, Decimal(1))
    return factor
