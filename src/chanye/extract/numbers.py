"""Numbers as Chinese news writes them, parsed exactly with Decimal.

Handles Arabic numerals (thousands separators, decimals), Chinese numerals (一百二十亿, 两千万,
一百零五), mixtures (1.15万亿, 260亿129万5千), bare round magnitudes (千余, 上百) and fractions
(三分之一, 百分之三十). No library gets all of these right (see STACK.md), hence our own parser.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": Decimal(10**4), "亿": Decimal(10**8)}

_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A numeral: Arabic or Chinese digits, optionally followed by magnitude words and further groups
# (260亿129万5千). Chinese numerals must start with a digit or 十 — never a bare 百/千/万 (千家万户).
NUMBER_PATTERN = (
    rf"(?:(?:{_ARABIC})(?:\s?[十百千万亿]+(?:\d+(?:\.\d+)?[十百千万亿]*)*)?"
    r"|[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
    r"|(?<=[上近])[百千万](?:万|亿)?"  # 上百, 近千, 上万
    r"|[百千万](?=[余多])"  # 千余, 百余
    r")"
)
NUMBER_RE = re.compile(NUMBER_PATTERN)

_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]")
_CONSECUTIVE_RANGE_RE = re.compile(r"^([一二两三四五六七八九])([二三四五六七八九])([十百千万亿]*)$")
_FRACTION_RE = re.compile(r"^(.+?)分之(.+)$")


class NumberError(ValueError):
    """The text is not a well-formed number."""


def parse_number(text: str) -> Decimal:
    """Exact value of a numeral: '1,234.5' → 1234.5, '一百二十亿' → 12000000000, '1.15万亿' → 1.15e12."""
    s = text.replace(",", "").replace(" ", "")
    if not s:
        raise NumberError("empty number")
    if s.replace(".", "", 1).isdigit():
        return Decimal(s)
    if _FRACTION_RE.match(s):
        return parse_fraction(s)
    if "点" in s:  # 三十五点五: Chinese decimal point, digits after it are read one by one
        whole, _, decimals = s.partition("点")
        digits = "".join(str(CN_DIGITS.get(ch, ch)) for ch in decimals)
        if not digits.isdigit():
            raise NumberError(f"bad decimals: {text!r}")
        return parse_number(whole) + Decimal("0." + digits)
    tokens = _TOKEN_RE.findall(s)
    if "".join(tokens) != s:
        raise NumberError(f"not a number: {text!r}")
    return _fold_tokens(tokens, text)


def _fold_tokens(tokens: list[str], text: str) -> Decimal:
    """Positional fold: 亿 closes everything before it, 万 closes the group below 亿."""
    total = Decimal(0)  # completed 亿 groups
    wan = Decimal(0)  # completed 万 group below the current 亿
    small = Decimal(0)  # 十/百/千 group below 万
    digit: Decimal | None = None  # last digit or Arabic literal not yet multiplied
    digits_in_row = 0
    for tok in tokens:
        if tok in CN_DIGITS:
            if tok in "零〇" and digits_in_row == 0:
                continue  # placeholder zero: 一百零五
            digit = Decimal(CN_DIGITS[tok]) if digit is None else digit * 10 + CN_DIGITS[tok]
            digits_in_row += 1
        elif tok[0].isdigit():
            if digit is not None:
                raise NumberError(f"two literals in a row: {text!r}")
            digit = Decimal(tok)
            digits_in_row = 1
        elif tok in SMALL_UNITS:
            if digits_in_row > 1:
                raise NumberError(f"digit run before a unit (a range like 三四百?): {text!r}")
            small += (digit if digit is not None else Decimal(1)) * SMALL_UNITS[tok]
            digit, digits_in_row = None, 0
        else:  # 万 or 亿 closes the groups below it
            group = small + (digit or 0)
            if tok == "万":
                wan = wan * BIG_UNITS["万"] if (group == 0 and wan) else wan + (group or 1) * BIG_UNITS["万"]
            else:
                total = ((total + wan + group) or 1) * BIG_UNITS["亿"]
                wan = Decimal(0)
            small, digit, digits_in_row = Decimal(0), None, 0
    return total + wan + small + (digit or 0)


def parse_fraction(text: str) -> Decimal:
    """'三分之一' → 1/3, '百分之三十' → 0.30 (a plain ratio; callers scale to percent)."""
    m = _FRACTION_RE.match(text.replace(" ", ""))
    if not m:
        raise NumberError(f"not a fraction: {text!r}")
    denominator, numerator = m.group(1), m.group(2)
    den = Decimal(100) if denominator == "百" else Decimal(1000) if denominator == "千" else parse_number(denominator)
    if den == 0:
        raise NumberError("zero denominator")
    return parse_number(numerator) / den


def consecutive_range(text: str) -> tuple[Decimal, Decimal] | None:
    """'三四百' → (300, 400), '七八' → (7, 8): two adjacent digits mean 'between'."""
    m = _CONSECUTIVE_RANGE_RE.match(text)
    if not m:
        return None
    a, b = CN_DIGITS[m.group(1)], CN_DIGITS[m.group(2)]
    if b != a + 1 and not (m.group(1) == "两" and b == 3):
        return None
    scale = parse_number("一" + m.group(3)) if m.group(3) else Decimal(1)
    return Decimal(a) * scale, Decimal(b) * scale


def split_magnitude(text: str) -> tuple[str, str]:
    """Split a trailing magnitude word off a simple numeral: '140亿' → ('140', '亿'),
    '1.15万亿' → ('1.15', '万亿'), '5千万' → ('5', '千万'); compound numerals stay whole."""
    s = text.replace(" ", "")
    m = re.match(r"^(\d+(?:,\d{3})*(?:\.\d+)?)([十百千]?[万亿]+|[十百千])$", s)
    if m:
        return m.group(1), m.group(2)
    m = re.match(r"^(.*[^万亿])([万亿]+)$", s)
    if m and not re.search(r"[万亿]", m.group(1)):
        return m.group(1), m.group(2)
    return s, ""


def magnitude_factor(word: str) -> Decimal:
    """'万亿' → 1e12, '千万' → 1e7, '' → 1."""
    factor = Decimal(1)
    for ch in word:
        factor *= BIG_UNITS.get(ch) or SMALL_UNITS.get(ch) or 1
    return factor


def to_chinese(n: int) -> str:
    """Standard Chinese numeral for a non-negative integer (used by the property tests)."""
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"
    parts = []
    for big, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        group, n = divmod(n, big)
        if group:
            if parts and group < 1000:
                parts.append("零")
            parts.append(_chinese_below_10000(int(group), digits) + unit)
        elif parts and n:
            parts.append("零")
    text = "".join(parts)
    return re.sub("零+", "零", text).rstrip("零")


def _chinese_below_10000(n: int, digits: str) -> str:
    if n >= 10**4:  # only for the 亿 group, which may exceed 9999
        return to_chinese(n)
    out, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                out.append("零")
            out.append(digits[d] + unit)
            zero = False
        elif out:
            zero = True
    return "".join(out)


def safe_parse(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except (NumberError, InvalidOperation):
        return None
