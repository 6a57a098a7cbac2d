"""The numeral parser: examples of every form news uses, and round-trip properties."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chanye.extract.numbers import (
    NumberError,
    consecutive_range,
    magnitude_factor,
    parse_fraction,
    parse_number,
    split_magnitude,
    to_chinese,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("140", 140),
        ("1,234.5", Decimal("1234.5")),
        ("12,000,000", 12_000_000),
        ("0.5", Decimal("0.5")),
        ("一百二十亿", 12_000_000_000),
        ("两千万", 20_000_000),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("三千五百万", 35_000_000),
        ("一亿二千万", 120_000_000),
        ("1.15万亿", 1_150_000_000_000),
        ("260亿129万5千", 26_001_295_000),
        ("28万", 280_000),
        ("5千", 5000),
        ("二〇二三", 2023),
        ("三十五点五", Decimal("35.5")),
        ("千", 1000),
        ("25 亿", 2_500_000_000),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "三四百", "1.2.3"])
def test_rejects_non_numbers(text):
    with pytest.raises((NumberError, ArithmeticError, ValueError)):
        parse_number(text)


def test_fractions():
    assert round(parse_fraction("三分之一") * 100, 2) == Decimal("33.33")
    assert parse_fraction("百分之三十") == Decimal("0.3")
    assert parse_fraction("千分之五") == Decimal("0.005")


def test_consecutive_digits_are_a_range():
    assert consecutive_range("三四百") == (300, 400)
    assert consecutive_range("七八") == (7, 8)
    assert consecutive_range("两三") == (2, 3)
    assert consecutive_range("三五") is None  # 三五成群 is not "between"


def test_split_magnitude():
    assert split_magnitude("140亿") == ("140", "亿")
    assert split_magnitude("1.15万亿") == ("1.15", "万亿")
    assert split_magnitude("5千万") == ("5", "千万")
    assert split_magnitude("260亿129万5千") == ("260亿129万5千", "")
    assert magnitude_factor("万亿") == Decimal(10**12)


integers = st.integers(min_value=1, max_value=10**13)


@given(integers)
def test_chinese_numerals_round_trip(n):
    assert parse_number(to_chinese(n)) == n


@given(integers)
def test_thousands_separators_round_trip(n):
    assert parse_number(f"{n:,}") == n


@given(integers)
def test_wan_yi_decomposition_round_trip(n):
    """260亿129万5千 style: each group written in Arabic digits before its magnitude word."""
    yi, rest = divmod(n, 10**8)
    wan, ones = divmod(rest, 10**4)
    text = (f"{yi}亿" if yi else "") + (f"{wan}万" if wan else "") + (str(ones) if ones else "")
    assert parse_number(text) == n


@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=0, max_value=99), st.sampled_from(["万", "亿", "万亿"]))
def test_decimal_with_magnitude(whole, frac, magnitude):
    text = f"{whole}.{frac:02d}{magnitude}"
    assert parse_number(text) == Decimal(f"{whole}.{frac:02d}") * magnitude_factor(magnitude)
