"""Which calendar year a claim refers to, read from the words before it in its sentence.

The nearest time expression before the number wins: a stated year (2022年), a deadline (到2027年),
a relative year resolved against the article date (去年, 明年, 3年内), a cumulative period
(2022年以来, 近两年 → the article's year) or a five-year plan (十四五 → 2025). Comparison bases
(比2020年增长) are skipped: they are not the year of the value."""
from __future__ import annotations

import re
from dataclasses import dataclass

from chanye.extract.numbers import safe_parse

_YEAR = r"(?:19|20)\d{2}"
_SMALL_N = r"[\d一二两三四五六七八九十]{1,3}"

TIME_RE = re.compile(
    rf"(?P<since>(?:自|从)?(?P<sy>{_YEAR})年[^，,。；;！？]{{0,10}}?以来)"
    rf"|(?P<cmp>(?:比|较|相比|相较于?|与|同|对比|超过|高于|低于)[^，,。；;\d]{{0,6}}?(?:{_YEAR})年)"
    rf"|(?P<deadline>(?:到|至|截至|截止到?|力争到?|预计到?|计划到?|争取到?)(?P<dy>{_YEAR})年)"
    rf"|(?P<abs>(?P<y>{_YEAR})年(?!同期))"
    r"|(?P<rel>今年|本年度|本年|去年|上年|上一年|前年|明年|后年|来年|次年)"
    rf"|(?P<within>(?:未来|今后)(?P<n1>{_SMALL_N})年|(?P<n2>{_SMALL_N})年(?:内|之内|后|以后|时间里?))"
    rf"|(?P<recent>近(?:{_SMALL_N}|几)年|近年来?|这(?:两|几|些)年|多年来|年来)"
    r"|(?P<plan>十(?P<pn>[二三四五])五)"
)

_RELATIVE = {"今年": 0, "本年度": 0, "本年": 0, "去年": -1, "上年": -1, "上一年": -1, "前年": -2,
             "明年": 1, "后年": 2, "来年": 1, "次年": 1}
_PLAN_END = {"二": 2015, "三": 2020, "四": 2025, "五": 2030}


@dataclass(frozen=True)
class YearRef:
    year: int | None
    kind: str  # stated | deadline | relative | within | cumulative | plan | default
    position: int  # where the expression ends in the searched text (-1 for default)


def resolve_year(before: str, published_year: int | None) -> YearRef:
    """The year of a claim whose sentence, up to the number, is `before`."""
    found = None
    for m in TIME_RE.finditer(before):
        if m.group("cmp"):
            continue
        found = m
    if found is None:
        return YearRef(published_year, "default", -1)
    return _year_of(found, published_year)


def _year_of(m: re.Match, published_year: int | None) -> YearRef:
    end = m.end()
    if m.group("since") or m.group("recent"):
        return YearRef(published_year, "cumulative", end)
    if m.group("deadline"):
        return YearRef(int(m.group("dy")), "deadline", end)
    if m.group("abs"):
        return YearRef(int(m.group("y")), "stated", end)
    if m.group("plan"):
        return YearRef(_PLAN_END[m.group("pn")], "plan", end)
    if published_year is None:
        return YearRef(None, "relative", end)
    if m.group("rel"):
        return YearRef(published_year + _RELATIVE[m.group("rel")], "relative", end)
    n = safe_parse(m.group("n1") or m.group("n2") or "")
    if n is None or n > 50:
        return YearRef(published_year, "default", -1)
    return YearRef(published_year + int(n), "within", end)
