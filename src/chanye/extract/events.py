"""Events named in an article body (conferences, forums, summits, seminars, signing ceremonies,
openings, expos, competitions): `extract_events(document) -> list[dict]`.

A name ends with an event word (研讨会, 论坛, 峰会, 大会, 博览会, 大赛, 仪式, 活动 …) and is accepted when
- it is quoted: “…论坛”, 《…大会》, or “…” followed by at most four characters and the event word
  (“生物医药产业高质量发展”主题座谈活动);
- or it starts with a year and/or an edition (2023第二届…研讨会, 首届…峰会, 2021生命健康天目荟活动);
- or (strong event words only: 论坛, 峰会, 研讨会, 博览会, 大赛, 签约/揭牌/启用…仪式 …) it fills a whole
  clause or follows 举行/举办/召开 directly and is at least four characters before the event word.
The same name twice in a document is one event (its first mention; date and attendance are taken
from any mention that has them). Dates: the nearest 7月4日 in the sentence, in the article's year
(a month after the publication date belongs to the year before); attendance: N名/位/人 before
出席/参加/与会/齐聚/云集 in the sentence (or the next, when it begins 来自/共有 …)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Mapping

from chanye.extract import budget
from chanye.extract.entities import (
    ENTITIES_VERSION,
    CUT_RE,
    clause_start,
    mention_id,
    normalise,
)
from chanye.extract.numbers import safe_parse

EVENT_TYPES = ("conference", "forum", "summit", "seminar", "signing", "opening", "expo", "competition", "other")

_EVENT_WORDS = (
    "研讨会|座谈会|论坛|峰会|大会|年会|博览会|展览会|交易会|洽谈会|推介会|发布会|对接会|交流会|报告会|"
    "展会|大赛|竞赛|挑战赛|比赛|仪式|典礼|活动|沙龙|会议|嘉年华|开幕式|闭幕式|文化节|艺术节|旅游节|"
    "购物节|电影节|音乐节|博览节"
)
_STRONG = ("研讨会", "座谈会", "论坛", "峰会", "博览会", "展览会", "交易会", "洽谈会", "推介会", "大赛",
           "挑战赛", "仪式", "典礼", "嘉年华")
_EVENT_RE = re.compile(_EVENT_WORDS)
_QUOTED_RE = re.compile(rf"[“《「]([^“”《》「」\n]{{2,40}}?)[”》」](主题|专题)?([\u4e00-\u9fff]{{0,4}}?)({_EVENT_WORDS})")
_QUOTED_WHOLE_RE = re.compile(rf"[“《「]([^“”《》「」\n]{{1,40}}?(?:{_EVENT_WORDS}))[”》」]")
_CN_NUM = "一二两三四五六七八九十百零〇"
_PREFIX_RE = re.compile(rf"(?P<year>(?:19|20)\d{{2}})(?:年度?)?(?P<ed1>第[{_CN_NUM}\d]+届|首届)?|(?P<ed2>第[{_CN_NUM}\d]+届|首届)")
_EDITION_RE = re.compile(rf"第([{_CN_NUM}\d]+)届|(首)届")
_YEAR_IN_NAME = re.compile(r"^(?:19|20)\d{2}")
_AFTER_VERB_RE = re.compile(r"(?:举行|举办|召开|开展|启动)了?$")
_GENERIC_EVENT = re.compile(r"本届|部分|主持|出席|参加|讲话|会见|本次|此次|这次|这场|该|各类|相关|系列|一场|专题|主旨|圆桌|多场|一系列|各项|有关|上述|高规格")
_OPENING = ("开幕", "揭牌", "开园", "启用", "开业", "发布", "启动", "开工", "奠基", "投产", "竣工", "开馆", "开通")
_TYPE_KEYS = [
    ("峰会", "summit"), ("论坛", "forum"), ("研讨会", "seminar"), ("座谈", "seminar"), ("沙龙", "seminar"),
    ("博览会", "expo"), ("展览会", "expo"), ("交易会", "expo"), ("展会", "expo"), ("洽谈会", "expo"),
    ("博览节", "expo"), ("大赛", "competition"), ("竞赛", "competition"), ("比赛", "competition"),
    ("挑战赛", "competition"), ("签约", "signing"), ("大会", "conference"), ("年会", "conference"),
    ("会议", "conference"), ("交流会", "conference"), ("报告会", "conference"), ("推介会", "conference"),
    ("对接会", "conference"), ("发布会", "opening"),
] + [(w, "opening") for w in _OPENING]
_DATE_RE = re.compile(r"(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>1[0-2]|0?[1-9])月(?P<d>3[01]|[12]\d|0?[1-9])[日号](?!电)")
_COUNT_RE = re.compile(rf"(?P<n>\d+|[{_CN_NUM}千万]+)(?P<q>余|多)?(?:名|位|人)")
_ATTEND_VERB_RE = re.compile(r"出席|参加|与会|齐聚|云集|参会|到场|莅临|参与|共聚")
_BODY_STOP_RE = re.compile(r"在|举行|举办|召开|开展|的|了|是|由|被|将|已|表示|说|以来|期间|之际")
_CEREMONY_VERB_RE = re.compile(r"(?:签约|揭牌|启用|开园|开业|发布|启动|开工|奠基|投产|竣工|开馆|开通|聘任|颁奖|授牌|发起)$")
_NEXT_SENTENCE_ATTEND = re.compile(rf"^\s*(?:来自|共有|约|近|超过|逾|有|\d|[{_CN_NUM}])")


def extract_events(document: Mapping, ctx=None) -> list[dict]:
    """EVENTS rows (without run_id/extracted_at) for one staged document."""
    from chanye.extract.context import DocumentContext

    text = document.get("text") or ""
    if not text or not _EVENT_RE.search(text):
        return []
    spans = _find_events(text)
    if not spans:
        return []
    published = document.get("published")
    ctx = ctx or DocumentContext(document)
    sents = ctx.model
    rows: dict[str, dict] = {}
    for start, end, name in spans:
        budget.check()
        s_start, s_end = sents.sentence_at(start)
        sentence = text[s_start:s_end]
        event_date = _event_date(sentence, start - s_start, published)
        attendance = _attendance(text, sents, start)
        if name in rows:  # the same event again: fill what the first mention lacked
            row = rows[name]
            row["event_date"] = row["event_date"] or event_date
            row["attendance"] = row["attendance"] or attendance
            continue
        rows[name] = {
            "event_id": mention_id(document["document_id"], start, end, "event"),
            "document_id": document["document_id"],
            "doc": document["doc"],
            "name": name,
            "event_type": event_type(name),
            "edition": edition(name),
            "year": None,
            "event_date": event_date,
            "region_code": ctx.places.region_of(start),
            "attendance": attendance,
            "evidence": sentence.strip(),
            "char_start": start,
            "char_end": end,
            "extractor_version": ENTITIES_VERSION,
        }
    for row in rows.values():
        m = _YEAR_IN_NAME.match(row["name"])
        if m:
            row["year"] = int(m.group())
        elif row["event_date"] is not None:
            row["year"] = row["event_date"].year
        else:
            row["year"] = getattr(published, "year", None)
    return sorted(rows.values(), key=lambda r: r["char_start"])


def _find_events(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for m in _QUOTED_WHOLE_RE.finditer(text):
        name = _clean(m.group(1))
        if _acceptable(name):
            found.append((m.start(), m.end(), name))
    for m in _QUOTED_RE.finditer(text):
        filler = (m.group(2) or "") + m.group(3)
        if CUT_RE.search(filler):
            continue
        name = _clean(m.group(1) + filler + m.group(4))
        if _acceptable(name):
            found.append((m.start(), m.end(), name))
    for m in _EVENT_RE.finditer(text):
        span = _unquoted(text, m)
        if span is not None:
            found.append(span)
    # one name per stretch of text: the longest of overlapping candidates
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    for f in found:
        if kept and f[0] < kept[-1][1]:
            if f[1] > kept[-1][1] and f[0] == kept[-1][0]:
                kept[-1] = f
            continue
        kept.append(f)
    return kept


def _unquoted(text: str, m: re.Match) -> tuple[int, int, str] | None:
    word = m.group()
    floor = max(0, m.start() - 60)
    cs = clause_start(text, m.start(), floor, allow_quotes=True)
    chunk = text[cs:m.start()]
    for p in _PREFIX_RE.finditer(chunk):  # 2023第二届…, 首届…, 2021生命健康天目荟活动
        before = chunk[:p.start()]
        if before and not (_opens_name(before) or p.group("year")):
            continue  # 中国人民政治协商会议第十四届…: an edition inside a name is not its start
        body = chunk[p.end():]
        if _BODY_STOP_RE.search(re.sub(r"[“”‘’][^“”‘’]*[“”‘’]", "", body)):
            continue
        name = _clean(chunk[p.start():] + word)
        if len(body) >= 2 and _acceptable(name, generic_ok=True):
            return cs + p.start(), m.end(), _strip_ceremony(name)
        break
    if word not in _STRONG and not word.endswith("仪式"):
        return None
    strict = clause_start(text, m.start(), floor)
    chunk = text[strict:m.start()]
    before = text[strict - 1] if strict > 0 else "\n"
    cut = None
    searched = _CEREMONY_VERB_RE.sub("", chunk) if word == "仪式" else chunk  # 签约仪式: 签约 is the name
    for c in CUT_RE.finditer(searched):
        cut = c
    if cut is not None:
        if not _AFTER_VERB_RE.search(chunk[:cut.end()] + ("了" if chunk[cut.end():cut.end() + 1] == "了" else "")):
            return None
        start = strict + cut.end() + (1 if chunk[cut.end():cut.end() + 1] == "了" else 0)
    elif before in "，,、：:。；;（(\n“" or strict == 0:
        start = strict
    else:
        return None
    head = text[start:m.start()]
    if len(re.sub(r"[()（）]", "", head)) < 4:
        return None
    name = _clean(text[start:m.end()])
    if not _acceptable(name) or _has_title(name):
        return None
    return start, m.end(), name


def _has_title(name: str) -> bool:
    from chanye.extract.entities import _TITLE_RE
    return _TITLE_RE.search(name) is not None


def _opens_name(before: str) -> bool:
    """Whether a name can start right after `before` (a verb, a time, a clause start)."""
    last = None
    for last in CUT_RE.finditer(before):
        pass
    return (last is not None and last.end() == len(before)) or before.endswith(("日", "上午", "下午", "晚", "期间"))


def _clean(name: str) -> str:
    return normalise(name).replace("“", "").replace("”", "") if name.count("“") != name.count("”") else normalise(name)


def _strip_ceremony(name: str) -> str:
    for tail in ("开幕式", "闭幕式"):
        if name.endswith(tail) and _EVENT_RE.search(name[:-len(tail)]):
            return name[: -len(tail)]
    return name


def _acceptable(name: str, generic_ok: bool = False) -> bool:
    if len(name) < 4 or len(name) > 60:
        return False
    if not generic_ok and _GENERIC_EVENT.search(name):
        return False
    body = _EVENT_RE.sub("", name)
    return len(body) >= 2


def event_type(name: str) -> str:
    best, pos = "other", -1
    for key, kind in _TYPE_KEYS:
        i = name.rfind(key)
        if i > pos or (i == pos and i >= 0 and kind == "signing"):
            best, pos = kind, i
    return best


def edition(name: str) -> int | None:
    m = _EDITION_RE.search(name)
    if m is None:
        return None
    if m.group(2):
        return 1
    value = safe_parse(m.group(1))
    return int(value) if value is not None and 0 < value < 1000 else None


def _event_date(sentence: str, offset: int, published) -> dt.date | None:
    """The nearest month/day before the event in its sentence, else the first after it."""
    if not isinstance(published, dt.date):
        return None
    before = [m for m in _DATE_RE.finditer(sentence) if m.start() < offset]
    after = [m for m in _DATE_RE.finditer(sentence) if m.start() >= offset]
    m = before[-1] if before else (after[0] if after else None)
    if m is None:
        return None
    year = int(m.group("y")) if m.group("y") else published.year
    try:
        date = dt.date(year, int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    if not m.group("y") and date > published + dt.timedelta(days=31):
        try:
            date = date.replace(year=year - 1)  # 12月28日 in a January article
        except ValueError:
            return None
    return date


def _attendance(text: str, sents, pos: int) -> int | None:
    s_start, s_end = sents.sentence_at(pos)
    scopes = [text[s_start:s_end]]
    i = sents.sentence_index(pos)
    starts, ends = sents.sentences
    if i + 1 < len(starts):
        nxt = text[starts[i + 1]:ends[i + 1]]
        if _NEXT_SENTENCE_ATTEND.match(nxt) and not _EVENT_RE.search(nxt):
            scopes.append(nxt)
    for scope in scopes:
        for verb in _ATTEND_VERB_RE.finditer(scope):
            window = scope[max(0, verb.start() - 40):verb.start()]
            window = re.split(r"[。！？!?；;]", window)[-1]
            counts = list(_COUNT_RE.finditer(window))
            if counts:
                value = safe_parse(counts[-1].group("n"))
                if value is not None and 1 < value < 10_000_000:
                    return int(value)
    return None
