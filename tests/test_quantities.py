"""Where a quantity's span starts and ends, and what it reads: the number with its unit, currency,
range and qualifier — or nothing, reported as unreadable, when the number is not read in full."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chanye.extract.quantities import find_quantities, scan_quantities, unreadable_spans
from chanye.extract.refdata import refdata
from test_numbers import FINANCIAL, STANDARD, TRADITIONAL, to_chinese, to_mixed


def quantities(text: str):
    return list(find_quantities(text, refdata()))


def one(text: str):
    found = quantities(text)
    assert len(found) == 1, found
    q = found[0]
    return text[q.start:q.end], q


@pytest.mark.parametrize(
    ("text", "span", "value", "high", "unit"),
    [
        ("收入二点五亿元。", "二点五亿元", "2.5e8", None, "CNY"),
        ("收入一点五万美元。", "一点五万美元", "15000", None, "USD"),
        ("投资5億1萬4千6百元。", "5億1萬4千6百元", "500014600", None, "CNY"),
        ("融资100万三千元。", "100万三千元", "1003000", None, "CNY"),
        ("产值壹万二千三百四十五元。", "壹万二千三百四十五元", "12345", None, "CNY"),
        ("收入123元1角1分。", "123元1角1分", "123.11", None, "CNY"),
        ("收入十块三毛。", "十块三毛", "10.3", None, "CNY"),
        ("收入一百三十五块六角七分钱。", "一百三十五块六角七分钱", "135.67", None, "CNY"),
        ("收入最多一块二。", "一块二", "1.2", None, "CNY"),
        ("收入至少三块零四。", "三块零四", "3.04", None, "CNY"),
        ("税收肆佰叁拾萬圆整。", "肆佰叁拾萬圆整", "4300000", None, "CNY"),
        ("增长百分之一百二十点五。", "百分之一百二十点五", "120.5", None, "percent"),
        ("占比百分之百。", "百分之百", "100", None, "percent"),
        ("占比一万分之三。", "一万分之三", "0.03", None, "percent"),
        ("占比三成半。", "三成半", "35", None, "percent"),
        ("收入港币两千九百六十元。", "港币两千九百六十元", "2960", None, "HKD"),
        ("注册资本新台币 177.1 亿元。", "新台币 177.1 亿元", "1.771e10", None, "TWD"),
        ("收入港幣3.14。", "港幣3.14", "3.14", None, "HKD"),
        ("收入$1.5万。", "$1.5万", "15000", None, "USD"),
        ("收入￥300。", "￥300", "300", None, "CNY"),
        ("收入€5-10。", "€5-10", "5", "10", "EUR"),
        ("收入£100到300。", "£100到300", "100", "300", "GBP"),
        ("投资两个亿卢布。", "两个亿卢布", "2e8", None, "RUB"),
        ("投资两个多亿元。", "两个多亿元", "2e8", None, "CNY"),
        ("产值2——3万港币。", "2——3万港币", "20000", "30000", "HKD"),
        ("收入1万元--5万元。", "1万元--5万元", "10000", "50000", "CNY"),
        ("收入从8500到3万港元。", "8500到3万港元", "8500", "30000", "HKD"),
        ("收入1万(含)-5万元。", "1万(含)-5万元", "10000", "50000", "CNY"),
        ("收入五元六角-五元七毛八分。", "五元六角-五元七毛八分", "5.6", "5.78", "CNY"),
        ("收入五块六到五块七毛八。", "五块六到五块七毛八", "5.6", "5.78", "CNY"),
        ("基金规模一千到两千万元。", "一千到两千万元", "1e7", "2e7", "CNY"),
        ("基金规模十八至三十万日元。", "十八至三十万日元", "180000", "300000", "JPY"),
        ("投资1-2千万元。", "1-2千万元", "1e7", "2e7", "CNY"),
        ("签约项目一到五个。", "一到五个", "1", "5", "count"),
        ("带动就业在10000与20000人之间。", "10000与20000人之间", "10000", "20000", "count"),
        ("收入三五百块。", "三五百块", "300", "500", "CNY"),
        ("增长8%-10%。", "8%-10%", "8", "10", "percent"),
        ("企业二十几万家。", "二十几万家", "200000", None, "count"),
        ("收入3000多欧元。", "3000多欧元", "3000", None, "EUR"),
        ("用地4.800公顷。", "4.800公顷", "48000", None, "m2"),
        ("产值82，225.00元。", "82，225.00元", "82225", None, "CNY"),
        ("融资金额三百万。", "三百万", "3e6", None, "CNY"),  # a bare amount right after a money cue
        ("营业收入三万五。", "三万五", "35000", None, "CNY"),
    ],
)
def test_spans_and_values(text, span, value, high, unit):
    got, q = one(text)
    assert got == span
    assert q.value == Decimal(value)
    assert q.value_high == (Decimal(high) if high is not None else None)
    assert q.unit.base == unit
    assert q.value == q.raw_value * q.unit_factor


def test_negative_signs():
    _, q = one("增速为负1.1%。")
    assert q.negative and q.value == Decimal("1.1")
    _, q = one("同比增长-3.2%。")
    assert q.negative
    _, q = one("区间2-3%。")
    assert not q.negative and q.value_high == 3


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [("企业3.2万余家。", "lower_bound"), ("企业十几家。", "lower_bound"), ("项目五百家以上。", "lower_bound"),
     ("收入50万元（含）以上。", "lower_bound"), ("项目3-5个。", "range"), ("上百家企业。", "lower_bound")],
)
def test_qualifiers_glued_to_the_number(text, qualifier):
    assert one(text)[1].qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "skipped"),
    [
        ("几十万元资金。", "十万元"),  # 几十万 is vague: 十万元 is not the number
        ("数十亿元投资。", "十亿元"),
        ("唯一一个项目。", "一一个"),  # 唯一 + 一个: read from the first 一, not a number
        ("近5年零9个月。", "零9个月"),
        ("距今10万至1万年。", "10万至1万年"),
    ],
)
def test_numbers_not_read_in_full_give_nothing_and_are_counted(text, skipped):
    found, unreadable = scan_quantities(text, refdata())
    assert [q for q in found if q.unit.dimension in ("money", "count")] == []
    assert [u.text for u in unreadable] == [skipped]
    assert unreadable_spans(text, refdata()) == unreadable


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("获得5块金牌。", []),  # 块 counting pieces
        ("45家整车企业。", ["45家"]),  # 整 belongs to 整车
        ("入伍15年来。", ["15年"]),  # 伍 is not a number here
        ("协调陆家嘴论坛。", []),
        ("统一至15%。", ["15%"]),  # a number after 统一, not a range from 一
        ("三五成群。", []),
        ("收入增长，共计3亿美元5000万。", ["3亿美元"]),
        ("用时两个多月。", []),  # not a count of 2
        ("增长3个多百分点。", []),
    ],
)
def test_words_that_look_like_numbers(text, spans):
    assert [text[q.start:q.end] for q in quantities(text)] == spans


def test_a_change_from_one_amount_to_another_is_two_amounts():
    found = quantities("规模从十多亿元到1万亿元用了多年。")
    assert [(q.value, q.qualifier) for q in found] == [(Decimal(10**9), "lower_bound"), (Decimal(10**12), None)]
    found = quantities("下调0.3个百分点至1.5%。")
    assert [q.value for q in found if q.unit.base == "percent"] == [Decimal("1.5")]


@given(st.integers(min_value=2, max_value=10**12),
       st.sampled_from(["standard", "financial", "traditional", "mixed", "arabic", "grouped"]),
       st.sampled_from(["元", "万元", "亿元", "美元", "家", "平方米", "%"]))
def test_rendered_numbers_are_read_with_their_whole_span(n, form, unit):
    written = {
        "standard": lambda: to_chinese(n, STANDARD),
        "financial": lambda: to_chinese(n, FINANCIAL),
        "traditional": lambda: to_chinese(n, TRADITIONAL),
        "mixed": lambda: to_mixed(n),
        "arabic": lambda: str(n),
        "grouped": lambda: f"{n:,}",
    }[form]()
    if form not in ("arabic", "grouped") and n >= {"万元": 10**4, "亿元": 10**8}.get(unit, 10**16):
        return  # 一万万元 is not how anyone writes 1亿元
    if form == "financial" and len(written) == 1 and not unit.startswith("元"):
        return  # a lone 贰/伍/陆 is a word (队伍, 大陆) unless 元 follows: 伍元
    text = f"该项目总投资{written}{unit}，同比增长。"
    found = quantities(text)
    assert len(found) == 1
    q = found[0]
    assert text[q.start:q.end] == written + unit
    factor = {"万元": 10**4, "亿元": 10**8}.get(unit, 1)
    assert q.value == n * factor * q.unit.factor


_ALPHABET = list("0123456789.,，零〇一二两兩三四五六七八九壹贰叁肆伍陆柒捌玖拾佰仟十百千万萬亿億点點几多余个来半整钱"
                 "数上近负-—~至到与和之间以上下左右（含）%分之成元块毛角圆美港币$￥€家人亩平方米年月，。的企业投资收入")


@given(st.lists(st.sampled_from(_ALPHABET), max_size=16).map("".join))
def test_any_text_gives_consistent_quantities_or_none(text):
    found, unreadable = scan_quantities(text, refdata())
    for q in found:
        assert 0 <= q.start < q.end <= len(text)
        assert abs(q.value - q.raw_value * q.unit_factor) <= Decimal("1e-20") * abs(q.value)  # 28-digit Decimal
        assert q.value_high is None or q.value_high > q.value
    for u in unreadable:
        assert text[u.start:u.end] == u.text
