"""The number grammar: examples of every form news uses, what it refuses, and round trips — a
random value rendered in each written form (a renderer written here, not the parser's) reads back
to the same value."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chanye.extract.numbers import (
    NumberError,
    magnitude_factor,
    money_tail,
    pair_range,
    parse_fraction,
    parse_number,
    parse_numeral,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("140", 140),
        ("1,234.5", Decimal("1234.5")),
        ("12,000,000", 12_000_000),
        ("82，225.00", 82_225),  # the Chinese comma as a thousands separator
        ("233,333，333,434.344", Decimal("233333333434.344")),
        ("0.5", Decimal("0.5")),
        ("一百二十亿", 12_000_000_000),
        ("两千万", 20_000_000),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("一百十六", 116),
        ("三千五百万", 35_000_000),
        ("一亿二千万", 120_000_000),
        ("十万零十", 100_010),
        ("一百零一億零九萬零一百", 10_100_090_100),
        ("1.15万亿", 1_150_000_000_000),
        ("4.78萬億", 4_780_000_000_000),
        ("260亿129万5千", 26_001_295_000),
        ("5億1萬4千6百", 500_014_600),
        ("100万三千", 1_003_000),
        ("2千零30万", 20_300_000),
        ("200亿零四千230", 20_000_004_230),
        ("1万600", 10_600),
        ("3万4000", 34_000),
        ("1万亿3000亿", 1_300_000_000_000),
        ("3千万亿", 3 * 10**15),
        ("十万亿", 10**13),
        ("28万", 280_000),
        ("5千", 5000),
        ("二〇二三", 2023),
        ("三十五点五", Decimal("35.5")),
        ("二点五亿", 250_000_000),
        ("一百零一点五亿", 10_150_000_000),
        ("三千点五万", 30_005_000),
        ("一點零零五億", 100_500_000),
        ("零点五", Decimal("0.5")),
        ("千", 1000),
        ("25 亿", 2_500_000_000),
        ("壹万贰仟叁佰肆拾伍", 12_345),
        ("拾万零伍拾陆", 100_056),
        ("肆佰叁拾萬", 4_300_000),
        ("壹千兩百三十四萬", 12_340_000),
        ("两个亿", 200_000_000),
        ("三万五", 35_000),  # colloquial: the last order is left unsaid
        ("两千四百五", 2450),
        ("一百二十万三", 1_203_000),
        ("3000多", 3000),
        ("十多万", 100_000),
        ("三十万多亿", 30 * 10**12),
        ("500余万", 5_000_000),
        ("1.5万多", 15_000),
        ("二十几万", 200_000),
        ("肆拾幾亿", 4_000_000_000),
        ("十几", 10),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "三四百", "三五", "1.2.3", "1万6", "二十百", "5万3万", "一千千", "一百零", "几十", "十几几",
     "2.5亿3000万", "十多几", "1,2345", "14点"],
)
def test_rejects_what_it_cannot_read_in_full(text):
    with pytest.raises((NumberError, ArithmeticError, ValueError)):
        parse_number(text)


def test_lower_bounds_and_scale():
    n = parse_numeral("500多亿")
    assert (n.value, n.mantissa, n.magnitude, n.lower_bound) == (50_000_000_000, 500, "亿", True)
    n = parse_numeral("1.15万亿")
    assert (n.mantissa, n.magnitude, n.scale) == (Decimal("1.15"), "万亿", magnitude_factor("万亿"))
    n = parse_numeral("三千五百万")
    assert (n.mantissa, n.magnitude) == (3500, "万")
    n = parse_numeral("260亿129万5千")
    assert (n.mantissa, n.magnitude) == (26_001_295_000, "")
    assert not parse_numeral("一百零五").lower_bound


def test_fractions():
    assert round(parse_fraction("三分之一") * 100, 2) == Decimal("33.33")
    assert parse_fraction("百分之三十") == Decimal("0.3")
    assert parse_fraction("千分之五") == Decimal("0.005")
    assert parse_fraction("百分之一百二十点五") == Decimal("1.205")
    assert parse_fraction("百分之百") == 1
    assert parse_fraction("一万分之三") == Decimal("0.0003")
    assert parse_fraction("百分之3,000") == 30


def test_two_digits_side_by_side_are_a_range():
    assert pair_range("三四百") == (300, 400)
    assert pair_range("七八") == (7, 8)
    assert pair_range("两三") == (2, 3)
    assert pair_range("一两") == (1, 2)
    assert pair_range("十七八") == (17, 18)
    assert pair_range("八九亿") == (800_000_000, 900_000_000)
    assert pair_range("三五百") == (300, 500)
    assert pair_range("三四十万") == (300_000, 400_000)
    assert pair_range("三七") is None
    assert pair_range("一百") is None


SUB = {"角": Decimal("0.1"), "毛": Decimal("0.1"), "分": Decimal("0.01")}


@pytest.mark.parametrize(
    ("text", "value"),
    [("1角1分", "0.11"), ("六角七分", "0.67"), ("三毛", "0.3"), ("零四", "0.04"), ("二", "0.2"),
     ("七毛八", "0.78"), ("四分", "0.04"), ("5毛5分", "0.55")],
)
def test_money_sub_units(text, value):
    assert money_tail(text, Decimal(1), SUB) == Decimal(value)


@pytest.mark.parametrize("text", ["零五角", "八一", "三分四角", "1角1分1"])
def test_money_sub_units_out_of_order_are_refused(text):
    with pytest.raises(NumberError):
        money_tail(text, Decimal(1), SUB)


# ---------------------------------------------------------------- renderers (test-only)

STANDARD = {"digits": "零一二三四五六七八九", "small": "十百千", "big": "万亿", "drop_leading_one": True}
FINANCIAL = {"digits": "零壹贰叁肆伍陆柒捌玖", "small": "拾佰仟", "big": "万亿", "drop_leading_one": False}
TRADITIONAL = {"digits": "零一二三四五六七八九", "small": "十百千", "big": "萬億", "drop_leading_one": True}


def to_chinese(n: int, style: dict = STANDARD) -> str:
    """The numeral a careful writer uses for a non-negative integer: 一百零五, 十万零十, 一亿零五百万
    (a 零 wherever zeros stand between two written digits, 五千万零六千)."""
    if n == 0:
        return style["digits"][0]
    text = _chinese(n, style)
    if style["drop_leading_one"] and text.startswith(style["digits"][1] + style["small"][0]):
        text = text[1:]  # 十二, 十万: not 一十二
    return text


def _chinese(n: int, style: dict) -> str:
    zero = style["digits"][0]
    wan, yi = style["big"]
    if n >= 10**8:
        high, low = divmod(n, 10**8)
        text = _chinese(high, style) + yi
        return text + ((zero if low < 10**7 or high % 10 == 0 else "") + _chinese(low, style) if low else "")
    if n >= 10**4:
        high, low = divmod(n, 10**4)
        text = _below_10000(high, style) + wan
        return text + ((zero if low < 1000 or high % 10 == 0 else "") + _below_10000(low, style) if low else "")
    return _below_10000(n, style)


def _below_10000(n: int, style: dict) -> str:
    digits, (ten, hundred, thousand) = style["digits"], style["small"]
    out, gap = "", False
    for value, unit in ((1000, thousand), (100, hundred), (10, ten), (1, "")):
        d, n = divmod(n, value)
        if d:
            out += (digits[0] if gap else "") + digits[d] + unit
            gap = False
        elif out:
            gap = True
    return out


def to_mixed(n: int) -> str:
    """260亿129万5千 style: each 亿/万 group in Arabic digits before its magnitude word, 零 for a gap."""
    yi, rest = divmod(n, 10**8)
    wan, ones = divmod(rest, 10**4)
    parts = []
    if yi:
        parts.append(f"{yi}亿")
    if wan:
        parts.append(("零" if parts and wan < 1000 else "") + f"{wan}万")
    if ones:
        parts.append(("零" if parts and ones < 1000 else "") + str(ones))
    return "".join(parts)


def test_renderer_examples():
    assert to_chinese(105) == "一百零五"
    assert to_chinese(100_010) == "十万零一十"
    assert to_chinese(150_006_355) == "一亿五千万零六千三百五十五"
    assert to_chinese(111_000, FINANCIAL) == "壹拾壹万壹仟"
    assert to_mixed(26_001_295_000) == "260亿零129万5000"


integers = st.integers(min_value=1, max_value=10**16 - 1)  # up to 万亿 × 9999


@given(integers, st.sampled_from([STANDARD, FINANCIAL, TRADITIONAL]))
def test_chinese_numerals_round_trip(n, style):
    assert parse_number(to_chinese(n, style)) == n


@given(integers)
def test_traditional_two_round_trips(n):
    text = to_chinese(n).replace("二千", "兩千").replace("二百", "兩百").replace("二万", "兩萬")
    assert parse_number(text) == n


@given(integers, st.sampled_from([",", "，"]))
def test_thousands_separators_round_trip(n, sep):
    assert parse_number(f"{n:,}".replace(",", sep)) == n
    assert parse_number(str(n)) == n


@given(integers)
def test_digits_mixed_with_magnitudes_round_trip(n):
    assert parse_number(to_mixed(n)) == n


@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=0, max_value=9999),
       st.sampled_from(["", "万", "亿", "万亿", "萬億", "千万"]))
def test_arabic_decimals_with_magnitude_round_trip(whole, frac, magnitude):
    written = f"{whole}.{frac:04d}"
    assert parse_number(written + magnitude) == Decimal(written) * magnitude_factor(magnitude)


@given(st.integers(min_value=0, max_value=99_999), st.lists(st.integers(0, 9), min_size=1, max_size=4),
       st.sampled_from(["", "万", "亿"]), st.sampled_from([STANDARD, FINANCIAL]))
def test_dian_decimals_round_trip(whole, decimals, magnitude, style):
    point = "点" if style is STANDARD else "點"
    text = to_chinese(whole, style) + point + "".join(style["digits"][d] for d in decimals) + magnitude
    expected = Decimal(f"{whole}." + "".join(map(str, decimals))) * magnitude_factor(magnitude)
    assert parse_number(text) == expected


@given(st.integers(min_value=1, max_value=9), st.sampled_from(["百", "千", "万", "亿"]), st.integers(1, 9))
def test_colloquial_last_order_round_trip(head, magnitude, tail):
    text = to_chinese(head) + magnitude + to_chinese(tail)  # 三万五, 两千六
    factor = magnitude_factor(magnitude)
    assert parse_number(text) == head * factor + tail * factor / 10


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=0, max_value=9))
def test_percent_words_round_trip(whole, tenth):
    value = Decimal(f"{whole}.{tenth}")
    text = "百分之" + to_chinese(whole) + ("点" + to_chinese(tenth) if tenth else "")
    assert parse_fraction(text) * 100 == value
    assert parse_fraction(f"百分之{value}") * 100 == value
