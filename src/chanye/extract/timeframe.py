"""Which calendar year a claim refers to, read from the whole document, not only its sentence.

The time frame of a document, computed once:
- the reference date: the article's date (staging keeps a repost's wire date);
- the document's topic year: a past year its title or lead states as what it reports on
  (2025年我国海洋生产总值… published in March 2026 reports on 2025);
- scopes: a time stated at the start of a paragraph (2023年，…) holds for the paragraphs after it
  until another one replaces it; one in a sentence's lead clause (2020年第一季度，…) holds for
  the rest of its paragraph.

Per claim, the nearest time expression before the number in its full-stop period wins (a stated
year, a deadline 到2027年, a relative year 去年/明年/3年内/5年前, a cumulative period 2022年以来
or 近两年, a five-year plan 十四五); comparison bases (比2020年增长) are skipped; enumerations
(2021年至2023年…分别为A、B、C; 2022年和2023年…分别为A和B) give each number its own year.
Without one, the scope, then the topic year, then the reference year. A period that cannot have
ended by the article's date (全年 in a February article, 12月 in a January one) is last year's,
unless the claim is a target or forecast. Taiwan's calendar (民国104年, or 104年 in a Taiwan text) is read as 2015.
When the year cannot be known (no date at all), None."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from chanye.extract.numbers import safe_parse
from chanye.extract.text import TextModel
from chanye.extract.words import words

_YEAR = r"(?:19|20|21)\d{2}"
_ROC = r"民国\s*\d{2,3}|(?<![\d.])1[01]\d(?=\s*年)"  # ROC years: 民国104年; 104年 in a Taiwan text
_SMALL_N = r"[\d一二两三四五六七八九十]{1,3}"
_Y = r"\s*年"  # 2017 年: a PDF or web dump may put a space before 年
# A part of a year right after it (2024年四季度, 今年前10个月, 2018年4月): read with the year.
_PART = (r"(?:度)?(?:\s*(?:\d{1,2}\s*[—–\-－~～至到]\s*\d{1,2}\s*月|\d{1,2}\s*月份?(?:\s*\d{1,2}\s*日)?"
         r"|前三季度|第?[一二三四1-4]季度|上半年|下半年|全年|前[\d一二三四五六七八九十]{1,3}个?月))?")

TIME_RE = re.compile(
    rf"(?P<range>(?P<ry1>{_YEAR}){_Y}?\s*(?:至|到|—|－|-|~|～)\s*(?P<ry2>{_YEAR}){_Y}(?=[^。；;]{{0,30}}?分别))"
    rf"|(?P<ylist>(?:{_YEAR}{_Y}?\s*(?:、|和|与|及)\s*)+{_YEAR}{_Y}(?=[^。；;]{{0,30}}?分别))"
    rf"|(?P<since>(?:自|从)?(?P<sy>{_YEAR}){_Y}[^，,。；;！？]{{0,10}}?以来|(?:今年|年初)以来)"
    rf"|(?P<plansince>“?十(?P<psn>[二三四五])五”?(?:规划)?(?:以来|期间以来))"
    rf"|(?P<cmp>(?:(?<!占)比(?![重例率])|较|相比|相较于?|与|同|对比|超过|高于|低于)(?:[^，,。；;\d]{{0,6}}?(?:{_YEAR}){_Y}|(?:去年|上年|前年)(?:同期)?))"
    rf"|(?P<deadline>(?:到|至|截至|截止到?|力争到?|预计到?|计划到?|争取到?)\s*(?P<dy>{_YEAR}){_Y})"
    rf"|(?P<roc>(?P<rocy>{_ROC}){_Y})"
    rf"|(?P<abs>(?P<y>{_YEAR}){_Y}{_PART}(?!同期))"
    # 达产后年产值 and 目前年 hold no 后年 or 前年
    rf"|(?P<rel>(?P<rw>今年|本年度|本年|去年|上年|上一年|过去(?:的)?一年|(?<![目提以之])前年|明年|(?<![产之以然最])后年|来年|次年"
    rf"|目前|当前|如今|现在){_PART})"
    rf"|(?P<ago>(?P<an>{_SMALL_N})年前)"
    rf"|(?P<within>(?:未来|今后)(?P<n1>{_SMALL_N})年|(?P<n2>{_SMALL_N})年(?:内|之内|后|以后|时间里?))"
    rf"|(?P<recent>近(?P<rn>{_SMALL_N}|几)年|近年来?|这(?P<zn>两|三|几|些)年|多年来|经过了?{_SMALL_N}(?:多|余)?年|(?P<yn>{_SMALL_N})(?:多|余)?年(?:来|间)|(?:一)?百(?:多|余)?年(?:来|间))"
    r"|(?P<plan>“?十(?P<pn>[二三四五])五”?)"
    r"|(?P<period>全年|上半年|下半年|前三季度|(?P<q>[一二三四1-4])季度|前(?P<fm>[\d一二三四五六七八九十]{1,3})个?月"
    r"|(?P<m1>\d{1,2})\s*[—–\-－~～至到]\s*(?P<m2>\d{1,2})月|(?P<mo>\d{1,2})月份?)"
)

_RELATIVE = {"今年": 0, "本年度": 0, "本年": 0, "去年": -1, "上年": -1, "上一年": -1, "过去一年": -1, "过去的一年": -1, "前年": -2,
             "明年": 1, "后年": 2, "来年": 1, "次年": 1, "目前": 0, "当前": 0, "如今": 0, "现在": 0}
_PLAN_END = {"二": 2015, "三": 2020, "四": 2025, "五": 2030}
_PLAN_START = {"二": 2011, "三": 2016, "四": 2021, "五": 2026}
_QUARTER_END = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}
_ENUM_SPLIT = re.compile(r"[、和及与]")
_LEAD_CHARS = 14  # a scope is stated within the first characters of its paragraph or sentence


@dataclass(frozen=True)
class YearRef:
    year: int | None
    kind: str  # stated | deadline | relative | within | cumulative | plan | period | scope | topic | default
    position: int  # where the expression ends in the searched text (-1 when none was found)
    period_start: int | None = None  # the first year of a cumulative period
    period_end_month: int | None = None  # the month a 全年/季度/前N个月 period ends, for the year shift

    @property
    def explicit(self) -> bool:
        return self.kind in ("stated", "deadline", "relative", "within", "cumulative", "plan", "roc")


class TimeFrame:
    """The time frame of one document (see the module's docstring)."""

    def __init__(self, doc: TextModel, published: date | None, title: str | None = None, roc_calendar: bool = False):
        self.doc = doc
        self.published = published
        self.reference_year = published.year if published else None
        self.title = title or ""
        self.roc = roc_calendar

    # ------------------------------------------------------------ document level

    @cached_property
    def topic_year(self) -> int | None:
        """A past year the title or the lead clause names as what the article reports on."""
        if self.reference_year is None:
            return None
        lead = self.doc.text[: self.doc.sentences[1][0]] if self.doc.sentences[0] else ""
        return self._past_year_named(self.title) or self._past_year_named(lead)

    def _story_year(self, pos: int) -> int | None:
        """A bulletin story's headline naming a past year (2022年我国文化产业营收超16万亿元)."""
        story = self.doc.story_at(pos)
        if story.headline is None or self.reference_year is None:
            return None
        return self._past_year_named(self.doc.text[story.headline[0]:story.headline[1]])

    def _past_year_named(self, text: str) -> int | None:
        for m in TIME_RE.finditer(text):
            if m.group("abs") and int(m.group("y")) < self.reference_year and not re.search(r"\d\s*月", m.group()):
                return int(m.group("y"))
            if m.group("abs") or m.group("rel") or m.group("since") or m.group("deadline"):
                return None  # the first time named decides
        return None

    @cached_property
    def _scopes(self) -> list[tuple[int, int, YearRef]]:
        """(from, to, year) of each scoping expression: a time in a sentence's lead (2023年，…;
        去年，…) holds from there to the end of its paragraph, unless a later lead replaces it.
        (Across paragraphs, figures without a time of their own are mostly the present's.)"""
        (p_starts, p_ends), (s_starts, _) = self.doc.paragraphs, self.doc.sentences
        scopes = []
        for p_start, p_end in zip(p_starts, p_ends):
            current = None
            for s_start in s_starts:
                if p_start <= s_start < p_end and (lead := self._lead_time(s_start, p_end)) is not None:
                    if current is not None:
                        scopes.append((current[0], s_start, current[1]))
                    current = (s_start, lead)
            if current is not None:
                scopes.append((current[0], p_end, current[1]))
        return scopes

    def _lead_time(self, start: int, end: int) -> YearRef | None:
        """A time stated in the lead of a paragraph or sentence (before its first comma, within
        its first characters, before any number that is not a date)."""
        head = self.doc.text[start:min(end, start + _LEAD_CHARS + 8)]
        comma = re.search(r"[，,：:]", head)
        if comma is None or comma.start() > _LEAD_CHARS + 6:
            return None
        lead = head[: comma.start()]
        if re.search(r"\d{1,2}\s*日", lead):
            return None  # 2月27日，…: the day an event happened, not the period its figures cover
        found = self.resolve(lead)
        return found if found.kind in ("stated", "relative", "period", "roc") and found.year is not None else None

    @staticmethod
    def _in_present(text: str) -> bool:
        """目前, 现有, 已: what is true now is the reference year's, whatever the article reports on."""
        return any(w in text for w in words("time_present"))

    def scope_at(self, pos: int) -> YearRef | None:
        return next((ref for start, end, ref in self._scopes if start <= pos < end), None)

    # ------------------------------------------------------------ one claim

    def year_of(self, pos: int, enumeration_index: int | None = None) -> YearRef:
        """The year of a claim whose number starts at pos."""
        period = self.doc.text[self.doc.period_start(pos):pos]
        found = self.resolve(period, enumeration_index=enumeration_index)
        if found.kind != "default" and found.kind != "period":
            return found
        month = found.period_end_month
        topic_year = self._story_year(pos) or self.topic_year
        topic = YearRef(topic_year, "topic", -1) if topic_year and not self._in_present(period) else None
        inherited = self.scope_at(pos) or topic
        if inherited is not None:
            return YearRef(inherited.year, "scope", found.position, period_end_month=month or inherited.period_end_month)
        return YearRef(self.reference_year, found.kind, found.position, period_end_month=month)

    def resolve(self, before: str, enumeration_index: int | None = None) -> YearRef:
        """The nearest time expression in `before` (the text up to the number)."""
        found = None
        for m in TIME_RE.finditer(before):
            if m.group("cmp") or (m.group("roc") and not self._roc_ok(m)):
                continue
            found = m
        if found is None or _starting_point(before, found):
            return YearRef(self.reference_year, "default", -1)
        return self._year_of(found, enumeration_index)

    def _roc_ok(self, m: re.Match) -> bool:
        return m.group("rocy").startswith("民国") or self.roc

    def _year_of(self, m: re.Match, enumeration_index: int | None) -> YearRef:
        end, ref = m.end(), self.reference_year
        if m.group("range"):
            first, last = int(m.group("ry1")), int(m.group("ry2"))
            if enumeration_index is not None and first + enumeration_index <= last:
                return YearRef(first + enumeration_index, "stated", end)
            return YearRef(last, "stated", end)
        if m.group("ylist"):
            listed = [int(y) for y in re.findall(_YEAR, m.group("ylist"))]
            i = enumeration_index if enumeration_index is not None and enumeration_index < len(listed) else -1
            return YearRef(listed[i], "stated", end)
        if m.group("since"):
            return YearRef(ref, "cumulative", end, period_start=int(m.group("sy")) if m.group("sy") else ref)
        if m.group("plansince"):
            return YearRef(ref, "cumulative", end, period_start=_PLAN_START[m.group("psn")])
        if m.group("deadline"):
            return YearRef(int(m.group("dy")), "deadline", end)
        if m.group("roc"):
            return YearRef(int(re.sub(r"\D", "", m.group("rocy"))) + 1911, "roc", end)
        if m.group("abs"):
            return YearRef(int(m.group("y")), "stated", end)
        if m.group("plan"):
            return YearRef(_PLAN_END[m.group("pn")], "plan", end)
        if m.group("period"):
            return YearRef(ref, "period", end, period_end_month=_period_end_month(m))
        if ref is None:
            return YearRef(None, "relative", end)
        if m.group("rel"):
            return YearRef(ref + _RELATIVE[m.group("rw")], "relative", end)
        if m.group("ago"):
            n = safe_parse(m.group("an"))
            return YearRef(ref - int(n), "relative", end) if n is not None and n <= 50 else YearRef(ref, "default", -1)
        if m.group("recent"):
            # 近两年 in 2024 covers 2023-2024; 十年来 / 十年间 in 2026 counts from 2016
            recent = m.group("rn") or m.group("zn")
            n = safe_parse(recent or m.group("yn") or "")
            start = (ref - int(n) + (1 if recent else 0)) if n is not None and 0 < n <= 50 else None
            return YearRef(ref, "cumulative", end, period_start=start)
        n = safe_parse(m.group("n1") or m.group("n2") or "")
        if n is None or n > 50:
            return YearRef(ref, "default", -1)
        return YearRef(ref + int(n), "within", end)

    def shift_unfinished_period(self, ref: YearRef, modality: str) -> int | None:
        """An actual figure for a period that cannot have ended at the article's date is last
        year's (全年 in a February article); targets and forecasts keep the year."""
        if (ref.year is None or ref.period_end_month is None or self.published is None or modality != "actual"
                or ref.year != self.published.year or ref.kind in ("stated", "deadline", "roc")):
            return ref.year
        return ref.year - 1 if ref.period_end_month > self.published.month else ref.year


def _period_end_month(m: re.Match) -> int:
    word = m.group("period")
    if word in ("全年", "下半年"):
        return 12
    if word == "上半年":
        return 6
    if word == "前三季度":
        return 9
    if m.group("q"):
        return _QUARTER_END[m.group("q")]
    if m.group("fm"):
        return min(12, int(safe_parse(m.group("fm")) or 12))
    if m.group("m2"):
        return min(12, int(m.group("m2")))
    return min(12, int(m.group("mo")))


def _starting_point(before: str, m: re.Match) -> bool:
    """由2020年的19%提升至38%: a year after 由/从 dates the value a change starts from; the value it
    reaches (after 提升至, a cue_words change_to word) is not of that year."""
    return (bool(m.group("abs")) and before[max(0, m.start() - 1):m.start()] in ("由", "从")
            and any(w in before[m.end():] for w in words("change_to")))


def enumeration_index(sentence_before: str) -> int | None:
    """The number's place in a list after 分别 (分别为A、B、C: 0, 1, 2), else None."""
    i = sentence_before.rfind("分别")
    if i < 0:
        return None
    return len(_ENUM_SPLIT.findall(sentence_before[i:]))
