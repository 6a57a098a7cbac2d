"""Title, date, outlet, author and URL of an article.

What an input says about itself outside its text (a crawler record's fields, an HTML page's tags)
arrives as `Clues`; the page layout (header lines, date and source lines, footer) and the first
paragraph (dateline, 本报讯) give the rest. `read_metadata` decides, field by field, in order of
trust.

- published: the record's date field; a date in the page header (the line under the headline:
  发布时间, 来源：… 2023-06-19); the page's meta tags; a labelled date elsewhere on the page (or a
  bare date line under the body); the URL (/2022-11/20/, /20220224/, t20231228_; a month-only
  /202312/ takes the day of the lead); other markup htmldate finds. A wire dateline (杭州10月18日电)
  then wins: a repost keeps the wire date, its year from those dates (never after them: a
  month/day later than the page date belongs to the previous year) or, when the page is a late
  repost or has no date, from the years the text mentions. With nothing else, a date the lead
  starts with (6月18日，…). Nothing after the fetch (or ingest) date. `published_source` says which.
- title: the record's title, the page's headline tags, else the headline line above the page's
  date line; without furniture: a site suffix (` - 网站名`, `_网站名`), a channel label (`时政|`),
  spam segments, link labels (查看原文).
- outlet: the organisation that wrote it: the record's outlet; the dateline's agency (新华社,
  中新网) or an `X讯` byline (本报讯 → the site's paper); the 来源 label; a reporter credit
  (（大众日报记者 …）); the copyright owner; the site's own name only when nothing better is given.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache, lru_cache
from urllib.parse import urlsplit

from . import lexicon
from .cleaning import CN_DATE, DATE, HARD, SOFT, Layout, is_body_like, is_date_line, is_link_label, is_meta_line, is_spam
from .normalize import cjk_count

CHINA = timezone(timedelta(hours=8))  # dates are the publisher's calendar dates
# The sources of `published`, in order of trust (dateline and lead are resolved after the others).
PUBLISHED_SOURCES = ("field", "header", "meta", "byline", "url", "markup", "dateline", "lead")


@dataclass
class Clues:
    """What an input says about itself outside its text: a crawler record's fields, an HTML page's tags."""

    titles: list[str] = field(default_factory=list)  # best first: the record's, the page's headline tags
    dates: list[tuple[date, str]] = field(default_factory=list)  # (date, source): field, meta, markup
    outlet: str | None = None  # the record's outlet (or source) field
    source_label: str | None = None  # a page's ContentSource meta: what 来源：X would say
    site_name: str | None = None  # the site's own name: the record's site field, og:site_name
    author: str | None = None
    urls: list[str] = field(default_factory=list)  # best first: the record's url, canonical/og:url
    fetched_at: datetime | None = None
    page_text: str | None = None  # the whole page as lines (HTML), where header and footer are


@dataclass
class Metadata:
    title: str | None
    published: date | None
    published_source: str | None
    outlet: str | None
    author: str | None
    url: str | None


# ---------------------------------------------------------------- patterns

_DATELINE = re.compile(  # 新华社杭州4月18日电, 本报北京2023年5月4日电, （中央社记者王小明台北18日电）
    r"^[【\[（(]?(?P<pre>[^\d，。：:（(]{0,30}?)(?:(?P<y>(?:19|20)\d{2})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日\s*(?:电|讯|报道|消息)"
)
_OUTLET_END = r"(?:网|报|社|台|新闻|在线|客户端|融媒)"
_AGENCY_BYLINE = re.compile(  # 大河网讯, 本报讯, 央视网消息：, 据新华社消息，  (no date)
    rf"^[【\[（(]?\s*据?(?P<org>本报|本网|本台|本刊|本站|[\u4e00-\u9fffA-Za-z0-9]{{1,14}}?{_OUTLET_END})"
    r"(?:讯|消息)(?=[\s:：（(【】\]，,]|$)"
)
_AFTER_BYLINE = set("讯消记报电（(【]】 :：")
_OWN_REPORTER = re.compile(r"^[【\[（(]?\s*(本报|本网|本台|本刊)(?:记者|特约记者|评论员|通讯员)")
_GENERIC_AGENCY = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:社|网|报|台))")
_LEAD_DATE = re.compile(r"^[^。！？\d]{0,12}?(?<!\d)(\d{1,2})月(\d{1,2})日")
_SOURCE = re.compile(  # on header and meta lines only, where 来源 新华网 (no colon) is a label too
    r"(?:来源|稿源|出处)(?:\s*[:：]\s*|\s+)(?P<v>[^\s|｜/,，。:：()（）]{2,30})|来自\s*[:：]\s*(?P<w>[^\s|｜/,，。:：()（）]{2,30})"
)
_AUTHOR_LABEL = re.compile(
    r"(?:作者|记者|撰文|文)\s*[:：]\s*(?P<v>[\u4e00-\u9fff·]{2,8}(?:[ 、，,][\u4e00-\u9fff·]{2,4}(?![:：\u4e00-\u9fff])){0,3})"
)
_BYLINE_PARENS = re.compile(r"^[(（]\s*(?P<v>[^()（）]{2,30}?)\s*[)）]")
_CREDIT = re.compile(r"[(（](?P<org>[^()（）\d]{0,12}?)\s*记者\s*(?P<names>[^()（）]{2,30}?)\s*[)）]")
_TRAILING_BYLINE = re.compile(r"[(（](?P<names>(?!完|图|摄)[\u4e00-\u9fff·]{2,4}(?:[ 、][\u4e00-\u9fff·]{2,4}){0,2})[)）]\s*$")
_REPORTER = re.compile(r"(?:记者|通讯员|实习生|摄影)\s*")
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}")
_COPYRIGHT_OWNER = (
    re.compile(r"版权所有\s*[:：]\s*(?P<v>[^\s,，。|]{2,24})"),
    re.compile(r"(?P<v>[\u4e00-\u9fffA-Za-z]{2,24}?)\s*版权所有"),
    re.compile(r"本文由\s*(?P<v>[^\s,，。]{2,20}?)\s*(?:发布|原创|编辑)"),
)
_YEAR = re.compile(r"(?<![\d.\-/])((?:19|20)\d{2})(?![\d%.\-/]|\s*(?:亿|万|元|个|家|人|名|项|件|吨|亩|米|平方|%))")
_LABEL_YEAR = re.compile(r"(?<![\d.\-/])((?:19|20)\d{2})(?=首届|第[一二三四五六七八九十\d]+届|[\u4e00-\u9fff](?<!年))")
_TARGET_BEFORE = re.compile(r"(到|至|力争|预计|计划|规划|目标|将于|将在|届时|截至)\s*$")
_CLOCK_LINE = re.compile(r"今天是|今日是|现在是|当前时间")  # a portal's clock, not the article's date
_URL_DATE = re.compile(  # /2024/5/20/, /2022-11/20/, /2023/12-28/ | /20220224/, t20231228_, /2023/1228/
    r"(?<!\d)((?:19|20)\d{2})(?:[-/_](1[0-2]|0?[1-9])[-/_](3[01]|[12]\d|0?[1-9])|[-/_]?(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))(?!\d)"
)
_URL_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-/_](1[0-2]|0?[1-9])|(0[1-9]|1[0-2]))(?!\d)")  # /202312/, /2024/5/
_URL_IN_TEXT = re.compile(
    r"^(?:原文链接|原文地址|本文链接|文章链接|原文网址|网址|链接|URL|url)?\s*[:：]?\s*(?P<u>(?:https?:)?//[^\s<>\"'，。]+)\s*$"
)
_TITLE_SEPARATOR = re.compile(
    r"(\s+[-–—|｜·•]\s+|\s*(?:_+|｜|\||——|－－|--|—)\s*|(?<=[\u4e00-\u9fff)）》”])[-－](?=[^\d\s]))"
)
# an official document's red head (德清县经济和信息化局文件) and number (德经信〔2025〕12号): not its title
_DOCUMENT_HEAD = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}文件$|[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*号")
_SIGNATURE = re.compile(r"^[\u4e00-\u9fff（）()]{3,30}(?:局|委员会|委|人民政府|政府|办公室|办公厅|厅|管委会|中心|公司|集团|协会|联合会|商会|研究院|管理处|调查队)$")
_CHANNEL_BRACKET = re.compile(r"^[【\[](?P<c>[^】\]]{1,8})[】\]]\s*")
_WEAK_SEPARATORS = ("|", "｜", "·", "•")  # also inside real headlines: only a sure site name is cut there
_ORG_SUFFIXES = ("人民政府", "政府", "委员会", "管委会", "局", "厅", "办公室", "中心")
_RELATIVE = re.compile(r"(\d+)\s*(秒|分钟|小时|天|日)前")
_MONTH_DAY = re.compile(r"^(\d{1,2})[-/月](\d{1,2})日?(?:\s|$)")


# ---------------------------------------------------------------- dates of fields and URLs

def parse_date(text: str) -> date | None:
    match = DATE.search(text or "")
    if match:
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    match = CN_DATE.search(text or "")
    if match:
        year = int("".join(str(_CN_DIGITS[ch]) for ch in match[1]))
        return _safe_date(year, _cn_number(match[2]), _cn_number(match[3]))
    return None


_CN_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}


def _cn_number(text: str) -> int:
    """一 … 三十一 (a month or a day)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def parse_moment(value, reference: datetime | None = None) -> datetime | None:
    """A record's date or time field as an aware datetime: ISO strings (2023-06-19T10:00:00+08:00,
    2023-06-19 10:00), Chinese dates (2023年6月19日), epoch seconds or milliseconds, 20230619,
    and, against `reference` (the fetch time), 3小时前, 昨天, 06-19 10:00. A time without zone is
    China's."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=CHINA)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=CHINA)
    if isinstance(value, (int, float)):
        return _epoch(float(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{10}(\.\d+)?|\d{13}", text):
        return _epoch(float(text))
    if re.fullmatch(r"(?:19|20)\d{6}", text):
        found = _safe_date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return parse_moment(found)
    try:
        return parse_moment(datetime.fromisoformat(text.replace("/", "-")))
    except ValueError:
        pass
    if found := parse_date(text):
        return parse_moment(found)
    return _relative_moment(text, reference)


def _epoch(seconds: float) -> datetime | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    moment = datetime.fromtimestamp(seconds, timezone.utc) if 0 < seconds < 4.1e9 else None
    return moment if moment and moment.year >= 1990 else None


def _relative_moment(text: str, reference: datetime | None) -> datetime | None:
    if reference is None:
        return None
    now = reference.astimezone(CHINA)
    if text.startswith(("刚刚", "今天")):
        return now
    if text.startswith("昨天"):
        return now - timedelta(days=1)
    if text.startswith("前天"):
        return now - timedelta(days=2)
    if match := _RELATIVE.match(text):
        unit = {"秒": "seconds", "分钟": "minutes", "小时": "hours", "天": "days", "日": "days"}[match[2]]
        return now - timedelta(**{unit: int(match[1])})
    if match := _MONTH_DAY.match(text):
        found = _before(now.date(), int(match[1]), int(match[2]))
        return parse_moment(found) if found else None
    return None


def china_date(moment: datetime | None) -> date | None:
    return moment.astimezone(CHINA).date() if moment else None


def clean_url(value) -> str | None:
    """An absolute http(s) URL, or None (a protocol-relative //host/path gets https:)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc:
        return None
    return url


def host_of(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def url_date(url: str | None) -> tuple[date | None, tuple[int, int] | None]:
    """The date a URL's path carries: /2022-11/20/, /2023/1228/, /20220224/, t20231228_,
    /2023/12-28/ → a date; /202312/, /2023-12/ → only (year, month)."""
    if not url:
        return None, None
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    for match in _URL_DATE.finditer(path):
        if found := _safe_date(int(match[1]), int(match[2] or match[4]), int(match[3] or match[5])):
            return found, (found.year, found.month)
    for match in _URL_MONTH.finditer(path):
        return None, (int(match[1]), int(match[2] or match[3]))
    return None, None


def url_in_text(lines: list[str]) -> str | None:
    """A page dump's own address: a labelled link line (原文链接：…), or a bare URL as its first line."""
    first = next((line for line in lines if line), "")
    for line in lines:
        match = _URL_IN_TEXT.match(line)
        if match and (line is first or not line.lstrip().startswith(("http", "//"))):
            return clean_url(match["u"])
    return None


# ---------------------------------------------------------------- titles

def is_title_like(line: str) -> bool:
    return (
        4 <= len(line) <= 90
        and cjk_count(line) >= 4
        and not line.endswith(("。", "：", ":"))
        and not _DOCUMENT_HEAD.search(line)
        and not is_meta_line(line)
        and not DATE.search(line)
        and not is_spam(line)
        and not is_link_label(line)
    )


@lru_cache(maxsize=4096)  # a record's title is cleaned for the layout, then for the metadata
def clean_title(title: str | None, sites: tuple[str, ...] = ()) -> tuple[str | None, str | None]:
    """A headline without its furniture, and the site name cut from it (or None): the browser
    title's site suffix (` - 网站名`, `_网站名`), a channel label before it (`时政|`, `【要闻】`),
    spam segments (开云体育官网-…); furniture and spam alone give no title."""
    if not title:
        return None, None
    text = re.sub(r"\s+", " ", title).strip()
    if channel := _CHANNEL_BRACKET.match(text):
        if channel["c"].strip() in lexicon.words("channel"):
            text = text[channel.end():]
    pieces = _TITLE_SEPARATOR.split(text)
    segments, separators = pieces[0::2], pieces[1::2]
    site = None
    while len(segments) > 1 and _is_site_segment(segments[-1], separators[-1], sites):
        site = site or segments[-1].strip() or None
        segments.pop()
        separators.pop()
    while len(segments) > 1 and (
        segments[0].strip() in lexicon.words("channel") or _is_site_segment(segments[0], separators[0], sites, strict=True)
    ):
        segments.pop(0)
        separators.pop(0)
    kept = [(seg, separators[i - 1] if i else "") for i, seg in enumerate(segments)]
    if len(kept) > 1:
        kept = [(seg, sep) for seg, sep in kept if not is_spam(seg.strip())] or kept[-1:]
    cleaned = "".join(sep + seg for seg, sep in kept).strip(" -_|｜—").strip()
    if cjk_count(cleaned) < 4 or is_spam(cleaned) or is_link_label(cleaned):
        return None, site
    if len(cleaned) <= 12 and _is_site_segment(cleaned, "_", sites):
        return None, cleaned  # a site's name (a logo in <h1>, a banner): not a headline
    return cleaned, site


def _is_site_segment(segment: str, separator: str, sites: tuple[str, ...], strict: bool = False) -> bool:
    s = segment.strip()
    if not s:
        return True
    names = lexicon.outlet_names()
    if s in sites or s in names:
        return True
    if strict:
        return False
    if not cjk_count(s):
        return len(s) <= 40  # a Latin site name or a domain: The Paper, www.example.gov.cn
    if len(s) > 20:
        return False
    if len(s) <= 12 and _outlet_prefix().match(s):
        return True  # 网易财经, 凤凰网资讯
    if s.endswith(lexicon.words("not_site_ending")):
        return False
    weak_separator = separator.strip() in _WEAK_SEPARATORS
    if weak_separator and len(s) > 10:
        return False
    if len(s) >= 3 and s.endswith(lexicon.words("site_suffix")):
        return True
    return not weak_separator and s.endswith(_ORG_SUFFIXES)


@cache
def _outlet_prefix() -> re.Pattern:
    return re.compile("|".join(map(re.escape, lexicon.outlet_names())))


def find_title(layout: Layout) -> str | None:
    """The headline line of a page: the title-like line just above the first date/source line of
    the header, else the first title-like line of the main block, else of the header."""
    index = title_index(layout)
    return layout.lines[index] if index is not None else None


def title_index(layout: Layout) -> int | None:
    header = [i for i in layout.header if layout.kinds[i] != HARD]
    for pos, i in enumerate(header):
        line = layout.lines[i]
        if (DATE.search(line) or is_meta_line(line)) and not _CLOCK_LINE.search(line):
            above = [j for j in header[:pos] if _is_headline(layout.lines[j])]
            if above:
                return above[-1]
            break
    block_start = layout.block[0] if layout.block else 0
    candidates = [i for i in header if i >= block_start] + [i for i in header if i < block_start]
    for i in candidates:
        if _is_headline(layout.lines[i]) and layout.kinds[i] != SOFT:
            return i
    return None


def _is_headline(line: str) -> bool:
    """Title-like, and not only furniture, a site's name (湖州日报 printed between a headline and
    its date line is the account that posted it) or an issuing body (某市统计局 above a bulletin's date)."""
    return is_title_like(line) and clean_title(line)[0] is not None and not _SIGNATURE.match(line.strip())


def resolve_title(clues: Clues, page: Layout, headline: int | None, sites: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(headline, site name cut from a browser title). The page's own headline line (at index
    `headline`) wins over a browser title it is part of (宁波…1000亿元 within
    时政|宁波…1000亿元_甬城产业网)."""
    on_page, on_page_site = clean_title(page.lines[headline], sites) if headline is not None else (None, None)
    site = None
    for candidate in clues.titles:
        cleaned, cut = clean_title(candidate, sites)
        site = site or cut
        if not cleaned:
            continue
        if on_page and on_page != cleaned and len(on_page) >= 6 and on_page in cleaned:
            return on_page, site
        return cleaned, site
    return on_page, site or on_page_site


# ---------------------------------------------------------------- dates on the page

def page_dates(layout: Layout, headline: int | None) -> list[tuple[date, str]]:
    """Dates the page prints: in its header (from the headline down first: a sidebar above it may
    list other articles' dates) and, as `byline`, a labelled date line elsewhere or a bare date
    line under the body."""
    found: list[tuple[date, str]] = []
    header = [i for i in layout.header if len(layout.lines[i]) <= 120 and not _CLOCK_LINE.search(layout.lines[i])]
    start = headline
    below = [i for i in header if start is None or i >= start]
    above = [i for i in header if start is not None and i < start]
    for lines, loose in ((below, False), (below, True), (above, False)):
        for i in lines:
            line = layout.lines[i]
            if (loose or is_date_line(line) or is_meta_line(line)) and (when := parse_date(line)):
                found.append((when, "header"))
                break
        if found:
            break
    for line in layout.lines:
        if is_meta_line(line) and re.search(r"(发布|日期|时间)", line) and (when := parse_date(line)):
            found.append((when, "byline"))
            break
    else:
        for line in layout.lines:  # a bare date line under the body (common on government sites)
            if is_date_line(line) and not _CLOCK_LINE.search(line) and (when := parse_date(line)):
                found.append((when, "byline"))
                break
    return found


def mentioned_years(text: str, latest: int) -> list[int]:
    """Years the text talks about (2023首届, 2022年以来), not plans (到2027年) nor amounts (2000亿)."""
    years = []
    for match in _YEAR.finditer(text):
        year = int(match[1])
        if year <= latest and not _TARGET_BEFORE.search(text[max(0, match.start() - 4) : match.start()]):
            years.append(year)
    return years


def label_years(text: str, latest: int) -> list[int]:
    """Years written as part of a name (2023首届…峰会, 2024上虞发展大会): the event's own year."""
    return [int(m[1]) for m in _LABEL_YEAR.finditer(text) if int(m[1]) <= latest]


def dateline(first_paragraph: str) -> re.Match | None:
    return _DATELINE.match(first_paragraph)


def dateline_date(first_paragraph: str, anchor: date | None, raw_text: str, today: date) -> date | None:
    """The wire date of a dateline (新华社成都3月12日电), or None without one. Its year: written,
    else the anchor's (the page's date; a month/day after it is the year before), moved back for a
    late repost only by an event named with its year; without an anchor, the latest year the text
    mentions up to `today`."""
    match = dateline(first_paragraph)
    if not match:
        return None
    if match["m"] is None:  # day only (台北18日电): the anchor's month, or the one before
        base = anchor or today
        day = int(match["d"])
        month_start = base.replace(day=1) if day <= base.day else (base.replace(day=1) - timedelta(days=1)).replace(day=1)
        return _safe_date(month_start.year, month_start.month, day)
    return _month_day_date(int(match["m"]), int(match["d"]), match["y"], anchor, raw_text, today)


def _month_day_date(month: int, day: int, written_year: str | None, anchor: date | None, raw_text: str,
                    today: date) -> date | None:
    if written_year:
        return _safe_date(int(written_year), month, day)
    wire = _before(anchor or today, month, day)
    if wire is None:
        return None
    if anchor is None:
        evidence = mentioned_years(raw_text, wire.year)  # no page date: the latest year the page talks about
    elif anchor - wire > timedelta(days=31):
        # a late repost: only an event named with its year (2023首届…峰会) moves the wire date back;
        # "2024年产业规模…" is a reporting period, published in that year or the next
        evidence = [y for y in label_years(raw_text, wire.year) if y >= wire.year - 2]
    else:
        evidence = []
    if evidence and max(evidence) < wire.year:
        wire = _safe_date(max(evidence), month, day) or wire
    return wire


def _before(anchor: date, month: int, day: int) -> date | None:
    """month/day in the anchor's year, or the year before when it would fall after the anchor."""
    year = anchor.year if (month, day) <= (anchor.month, anchor.day) else anchor.year - 1
    return _safe_date(year, month, day)


def resolve_published(clues: Clues, body: Layout, page: Layout, headline: int | None, text: str,
                      limit: date) -> tuple[date | None, str | None]:
    """(published, its source). `limit`: the fetch date (else the ingest date); no date after it counts."""
    def usable(found):
        return [(when, source) for when, source in found if when <= limit and when.year >= 1990]

    candidates = usable(c for c in clues.dates if c[1] == "field")
    url_month = None
    if not candidates:  # the record's own date is the first in trust: the page need not be searched
        candidates = usable(list(clues.dates) + page_dates(page, headline))
        for url in clues.urls:
            full, month = url_date(url)
            candidates += usable([(full, "url")] if full else [])
            url_month = url_month or month
    candidates.sort(key=lambda c: PUBLISHED_SOURCES.index(c[1]))
    best = candidates[0] if candidates else None
    anchor = best[0] if best else _month_end(url_month, limit)
    first = body.first_paragraph if dateline(body.first_paragraph) else page.first_paragraph
    wire = dateline_date(first, anchor, text, limit)
    if wire and best and _own_dateline(first) and timedelta(0) <= best[0] - wire <= timedelta(days=3):
        return best  # 本报杭州4月19日电 in the 4月20日 paper: the paper's own story, dated by its issue
    if wire and wire <= limit:
        return (best if best and best[0] == wire else (wire, "dateline"))
    if best:
        return best
    lead = _LEAD_DATE.match(body.first_paragraph)
    if lead:
        when = _month_day_date(int(lead[1]), int(lead[2]), None, anchor, text, limit)
        if when and (url_month is None or (when.year, when.month) == url_month):
            return when, ("url" if url_month else "lead")
    return None, None


def _own_dateline(first_paragraph: str) -> bool:
    match = dateline(first_paragraph)
    return bool(match) and match["pre"].lstrip("【[（( ").startswith(lexicon.words("own_site"))


def _month_end(month: tuple[int, int] | None, limit: date) -> date | None:
    if not month:
        return None
    first_next = date(month[0] + month[1] // 12, month[1] % 12 + 1, 1)
    return min(first_next - timedelta(days=1), limit)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- outlet

def clean_outlet(value: str | None) -> str | None:
    """An outlet name without the furniture run into it: 来源： labels, brackets, 返回搜狐, 编辑,
    客户端; 人民网－人民日报 → 人民日报 (the paper wrote it). None for names that name nobody."""
    if not value:
        return None
    text = re.sub(r"^(?:来源|稿源|信息来源|文章来源|来自|出处)\s*[:：]\s*", "", str(value).strip())
    text = re.split(r"[\s|｜/,，;；、]", text, maxsplit=1)[0]
    if text.startswith(lexicon.words("outlet_tail")):
        return None  # 来源：  作者：… – the label was empty
    for tail in lexicon.words("outlet_tail"):
        cut = text.find(tail)
        if cut >= 2:
            text = text[:cut]
    text = text.strip("【】[]《》<>〈〉“”\"'「」『』()（）:：-—－·.。 ")
    parts = [p for p in re.split(r"[-—－]+", text) if p]
    if len(parts) > 1:
        known = [p for p in parts if (o := lexicon.outlet(p)) and o.kind in ("paper", "agency")]
        text = known[-1] if known else parts[0]
    if len(text) < 2 or len(text) > 30 or text in lexicon.words("generic_source") or DATE.search(text):
        return None
    if cjk_count(text) < 2 and not re.fullmatch(r"[A-Z]{3,8}", text):  # CCTV, CGTN; not http, www
        return None
    return text


def dateline_outlet(first_paragraph: str) -> str | None:
    """The organisation a paragraph's byline names: a dateline's agency (新华社北京…电 → 新华社,
    中新网浙江新闻…电 → 中新网), an X讯 / X消息 byline (大河网讯, 央视网消息); 本报/本网 as written
    (the caller resolves them to the site)."""
    match = dateline(first_paragraph)
    head = (match["pre"] if match else first_paragraph[:16]).lstrip("【[（( ")
    for name in lexicon.outlet_names():
        # without a dateline, only as a byline (新华社记者…, 人民网讯): 中国网络…, 百度智能云… are subjects
        if head.startswith(name) and not _is_aggregator(name) and (match or head[len(name):][:1] in _AFTER_BYLINE):
            return name
    if match:
        own = next((w for w in lexicon.words("own_site") if head.startswith(w)), None)
        if own:
            return own
        generic = _GENERIC_AGENCY.match(head)
        if generic:
            return generic[1]
        return None
    byline = _AGENCY_BYLINE.match(first_paragraph)
    return byline["org"] if byline else None


def labelled_source(lines: list[str]) -> str | None:
    """The value of the first 来源/稿源 label that names somebody (本站 included: the caller
    resolves it to the site)."""
    for line in lines:
        for match in _SOURCE.finditer(line):
            value = clean_outlet(match["v"] or match["w"])
            if value:
                return value
    return None


def copyright_owner(lines: list[str]) -> str | None:
    for line in lines:
        for pattern in _COPYRIGHT_OWNER:
            match = pattern.search(line)
            if match:
                value = re.sub(r"^(copyright|©|\(c\)|[\d\s\-©])+", "", match["v"], flags=re.IGNORECASE).strip()
                if cjk_count(value) >= 2:
                    return value
    return None


def header_outlet(layout: Layout, headline: int | None) -> str | None:
    """A name printed in the byline lines between the headline and the body, without a label: an
    account on an aggregator or WeChat (湖州日报 / 原创 沈一帆 湖州发布 2025-04-20 18:30 浙江)."""
    start = headline
    if start is None or layout.body_start is None:
        return None
    for i in range(start + 1, layout.body_start):
        line = layout.lines[i]
        if not line or len(line) > 60 or _SOURCE.search(line) or re.search("[，。；！？]", line) or line.endswith(("：", ":")):
            continue
        if len(line) > 16 and not DATE.search(line):
            continue
        tokens = re.split(r"[\s|｜·•]+", re.sub(r"\d{1,2}:\d{2}(:\d{2})?", " ", DATE.sub(" ", line)))
        for token in reversed([t for t in tokens if t]):
            name = clean_outlet(token)
            if (name and len(name) <= 12 and _is_site_segment(name, "_", ()) and not _is_aggregator(name)
                    and not _DOCUMENT_HEAD.search(token)):
                return name
    return None


def signature_outlet(layout: Layout) -> str | None:
    """The organisation that signs an official document: the name line above its closing date
    (德清县经济和信息化局 / 2025年4月20日)."""
    lines = [line for line in layout.lines if line]
    for pos in range(len(lines) - 1, max(0, len(lines) - 6), -1):
        if is_date_line(lines[pos]) and len(lines[pos]) <= 20:
            above = lines[pos - 1] if pos else ""
            return above if _SIGNATURE.match(above) else None
    return None


def credited_outlet(body: str) -> str | None:
    """The organisation in a reporter credit: （大众日报记者 孙立群）."""
    match = _CREDIT.search(body)
    org = match["org"].strip() if match and match["org"] else ""
    return org if re.search(r"(网|报|社|台|在线|新闻|电视|广播)$", org) else None


@dataclass
class Site:
    """The site a page lives on: its own name and, from its host, a known outlet."""

    name: str | None
    host_outlet: lexicon.Outlet | None

    def paper(self) -> str | None:
        """The paper a 本报 byline on this site means."""
        for known in (self.host_outlet, lexicon.outlet(self.name)):
            if known and (known.paper or known.kind == "paper"):
                return known.paper or known.name
        return self.name if self.name and self.name.endswith("报") else None


def resolve_site(clues: Clues, title_site: str | None, page: Layout) -> Site:
    """The site's own name: its og:site_name (or the record's site field), the outlet its host
    belongs to, the name cut from its browser title, its copyright owner."""
    host_outlet = next((o for url in clues.urls if (o := lexicon.outlet_of_host(host_of(url)))), None)
    declared = clean_outlet(clues.site_name) if clues.site_name and cjk_count(clues.site_name) else None
    name = declared or (host_outlet.name if host_outlet else None) or clean_outlet(title_site) or copyright_owner(page.lines)
    return Site(name, host_outlet)


def _own_site(word: str, label: str | None, site: Site) -> str | None:
    """本报 → the site's paper (or a paper the 来源 label names); 本网/本站/本台 → the site's name."""
    if word in ("本报", "本刊"):
        if label and label not in lexicon.words("own_site") and (
            label.endswith(("报", "刊")) or ((o := lexicon.outlet(label)) is not None and o.kind == "paper")
        ):
            return label
        return site.paper()
    return site.name


def _own_reporter(layout: Layout) -> str | None:
    """本报/本网 of a reporter line above the body (本报记者 沈一帆 通讯员 陆晓): the site's own story."""
    for i in layout.header:
        match = _OWN_REPORTER.match(layout.lines[i])
        if match:
            return match[1]
    return None


def _is_aggregator(name: str | None) -> bool:
    known = lexicon.outlet(name)
    return bool(known and known.kind == lexicon.AGGREGATOR)


def resolve_outlet(clues: Clues, body: Layout, page: Layout, headline: int | None, site: Callable[[], Site]) -> str | None:
    """The organisation that wrote it, in order of trust (module doc); `site` is asked only when the
    page itself names nobody better."""
    own_words = lexicon.words("own_site")
    explicit = clean_outlet(clues.outlet)
    if explicit and explicit not in own_words and not _is_aggregator(explicit):
        return explicit
    label = clean_outlet(clues.source_label) or labelled_source(header_text_lines(page)) or labelled_source(
        [line for line in page.lines if is_meta_line(line)]
    )
    byline = dateline_outlet(body.first_paragraph) or _own_reporter(page)
    if byline and byline not in own_words:
        return byline
    for word in (byline, explicit, label):
        if word in own_words and (resolved := _own_site(word, label, site())):
            return resolved
    if label and label not in own_words and not _is_aggregator(label):
        return label
    return (
        header_outlet(page, headline)
        or signature_outlet(page)
        or credited_outlet(body.body)
        or copyright_owner(page.lines)
        or site().name
        or (explicit if _is_aggregator(explicit) else None)
        or (label if _is_aggregator(label) else None)
    )


# ---------------------------------------------------------------- author

def find_author(layout: Layout, header_lines: list[str]) -> str | None:
    for line in header_lines:
        match = _AUTHOR_LABEL.search(line)
        if match:
            return _names(match["v"])
    first = layout.first_paragraph
    match = dateline(first)
    if match:
        byline = _BYLINE_PARENS.match(first[match.end() :].lstrip())
        if byline:
            return _names(byline["v"])
    match = _CREDIT.search(layout.body) or _TRAILING_BYLINE.search(layout.body)
    return _names(match["names"]) if match else None


def _names(value: str) -> str | None:
    names = _NAME.findall(_REPORTER.sub(" ", value))
    return "、".join(names) if names else None


def header_text_lines(layout: Layout) -> list[str]:
    return [layout.lines[i] for i in layout.header if not is_body_like(layout.lines[i]) or is_meta_line(layout.lines[i])]


# ---------------------------------------------------------------- everything

def read_metadata(clues: Clues, body: Layout, page: Layout, text: str, today: date) -> Metadata:
    """Title, published (with its source), outlet, author and URL of one article. `body` is the
    layout of the article text, `page` of the whole page (the same for a text dump)."""
    limit = min(today, china_date(clues.fetched_at)) if clues.fetched_at else today
    sites = tuple(s for s in (clues.site_name,) if s)
    headline = title_index(page)
    title, title_site = resolve_title(clues, page, headline, sites)
    published, source = resolve_published(clues, body, page, headline, text, limit)
    urls = clues.urls or [u for u in (url_in_text(page.lines),) if u]
    site = cache(lambda: resolve_site(clues, title_site, page))
    return Metadata(
        title=title,
        published=published,
        published_source=source,
        outlet=resolve_outlet(clues, body, page, headline, site),
        author=find_author(page, header_text_lines(page)) or (find_author(body, []) if body is not page else None)
        or clues.author,
        url=urls[0] if urls else None,
    )
