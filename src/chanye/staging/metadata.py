"""Title, date, outlet and author of an article, read from its page layout and first paragraph.

The article's own date: a repost keeps the wire date of its dateline (杭州10月18日电); the
dateline's year comes from the page date (never after it: a month/day later than the page date
belongs to the previous year) or, when the page is a late repost or has no date, from the years
the text mentions (the latest one not after the page date).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from .cleaning import DATE, HARD, SOFT, Layout, is_body_like, is_date_line, is_meta_line
from .normalize import cjk_count

KNOWN_OUTLETS = sorted(
    """新华社 新华网 人民网 人民日报 人民日报海外版 中新网 中新社 中国新闻网 中国新闻社 央视网 央视新闻 央广网
    中央广播电视总台 国际在线 光明网 光明日报 经济日报 经济参考报 中国经济网 中国日报网 中国日报 中国青年报 中国青年网
    中青网 环球网 环球时报 澎湃新闻 界面新闻 第一财经 财新网 每日经济新闻 证券时报 中国证券报 上海证券报 21世纪经济报道
    科技日报 工人日报 法治日报 农民日报 中国网 东方网 新京报 北京日报 北京青年报 解放日报 文汇报 新民晚报 浙江日报
    浙江在线 潮新闻 钱江晚报 杭州日报 杭州网 宁波日报 南方日报 南方网 南方都市报 羊城晚报 深圳特区报 广州日报 大众日报
    大众网 齐鲁晚报 新华日报 交汇点 扬子晚报 安徽日报 河南日报 大河网 湖北日报 长江日报 湖南日报 红网 四川日报
    川观新闻 重庆日报 华龙网 天津日报 北方网 河北日报 长城网 山西日报 陕西日报 福建日报 东南网 江西日报 贵州日报
    云南日报 广西日报 海南日报 辽宁日报 吉林日报 黑龙江日报 东北网 内蒙古日报 宁夏日报 甘肃日报 青海日报 新疆日报
    西藏日报 天山网 人民政协报 学习强国 中国经济时报 经济观察报 中国证券网 金融时报""".split(),
    key=len,
    reverse=True,
)
_GENERIC_SOURCES = {"网络", "互联网", "本站", "本网", "原创", "网友投稿", "未知", "综合", "转载", "网站"}

_DATELINE = re.compile(
    r"^[【\[]?(?P<pre>[^\d，。：:（(]{0,24}?)(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?:电|讯|报道|消息)"
)
_SOURCE = re.compile(r"(?:来源|稿源|信息来源|文章来源|来自)\s*[:：]\s*(?P<v>[^\s|｜/,，。:：()（）]{2,24})")
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
_TITLE_SUFFIX = re.compile(r"\s*(?:[_｜]|\s[-—|]\s)\s*[^_｜|\-—]{2,20}(?:网|报|网站|频道|新闻|在线|门户)$")


# ---------------------------------------------------------------- titles

def is_title_like(line: str) -> bool:
    return (
        4 <= len(line) <= 90
        and cjk_count(line) >= 4
        and not line.endswith(("。", "：", ":"))
        and not is_meta_line(line)
        and not DATE.search(line)
    )


def strip_site_suffix(title: str) -> str:
    return _TITLE_SUFFIX.sub("", title).strip()


def find_title(layout: Layout) -> str | None:
    """The headline: the title-like line just above the first date/source line of the header, else
    the first title-like line of the main block, else of the header."""
    header = [i for i in layout.header if layout.kinds[i] != HARD]
    for pos, i in enumerate(header):
        line = layout.lines[i]
        if DATE.search(line) or is_meta_line(line):
            above = [j for j in header[:pos] if is_title_like(layout.lines[j])]
            if above:
                return strip_site_suffix(layout.lines[above[-1]])
            break
    block_start = layout.block[0] if layout.block else 0
    candidates = [i for i in header if i >= block_start] + [i for i in header if i < block_start]
    for i in candidates:
        if is_title_like(layout.lines[i]) and layout.kinds[i] != SOFT:
            return strip_site_suffix(layout.lines[i])
    return None


# ---------------------------------------------------------------- dates

def parse_date(text: str) -> date | None:
    match = DATE.search(text or "")
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def find_page_date(layout: Layout) -> date | None:
    """The page's own date: in the header, else a labelled 发布时间/日期 line anywhere."""
    for i in layout.header:
        if len(layout.lines[i]) <= 120 and (found := parse_date(layout.lines[i])):
            return found
    for line in layout.lines:
        if is_meta_line(line) and re.search(r"(发布|日期|时间)", line) and (found := parse_date(line)):
            return found
    for line in layout.lines:  # a bare date line under the body (common on government sites)
        if is_date_line(line) and (found := parse_date(line)):
            return found
    return None


def mentioned_years(text: str, latest: int) -> list[int]:
    """Years the text talks about (2023首届, 2022年以来), not plans (到2027年) nor amounts (2000亿)."""
    years = []
    for match in _YEAR.finditer(text):
        year = int(match[1])
        if year <= latest and not _TARGET_BEFORE.search(text[max(0, match.start() - 4) : match.start()]):
            years.append(year)
    return years


def dateline(first_paragraph: str) -> re.Match | None:
    return _DATELINE.match(first_paragraph)


def resolve_published(first_paragraph: str, page_date: date | None, raw_text: str, today: date) -> date | None:
    match = dateline(first_paragraph)
    if not match:
        return page_date
    month, day = int(match["m"]), int(match["d"])
    if match["y"]:
        return _safe_date(int(match["y"]), month, day) or page_date
    anchor = page_date or today
    year = anchor.year if (month, day) <= (anchor.month, anchor.day) else anchor.year - 1
    wire = _safe_date(year, month, day)
    if wire is None:
        return page_date
    if page_date is None:
        evidence = mentioned_years(raw_text, year)  # no page date: the latest year the page talks about
    elif anchor - wire > timedelta(days=31):
        # a late repost: only an event named with its year (2023首届…峰会) moves the wire date back;
        # "2024年产业规模…" is a reporting period, published in that year or the next
        evidence = [y for y in label_years(raw_text, year) if y >= year - 2]
    else:
        evidence = []
    if evidence and max(evidence) < year:
        wire = _safe_date(max(evidence), month, day) or wire
    return wire


def label_years(text: str, latest: int) -> list[int]:
    """Years written as part of a name (2023首届…峰会, 2024上虞发展大会): the event's own year."""
    return [int(m[1]) for m in _LABEL_YEAR.finditer(text) if int(m[1]) <= latest]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- outlet and author

def dateline_outlet(first_paragraph: str) -> str | None:
    match = dateline(first_paragraph)
    head = match["pre"] if match else first_paragraph[:12]
    for name in KNOWN_OUTLETS:
        if head.startswith(name) or head.lstrip("【[").startswith(name):
            return name
    if match:
        generic = re.match(r"([\u4e00-\u9fff]{2,8}?(?:社|网|报|台))", match["pre"])
        if generic and not generic[1].startswith(("本报", "本网", "本台", "本刊")):
            return generic[1]
    return None


def labelled_source(lines: list[str]) -> str | None:
    for line in lines:
        match = _SOURCE.search(line)
        if match:
            value = match["v"].strip()
            if value not in _GENERIC_SOURCES and not DATE.search(value):
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


def find_outlet(layout: Layout, header_lines: list[str]) -> str | None:
    """The news organisation: the dateline's agency, a 来源 label, the copyright owner."""
    return (
        dateline_outlet(layout.first_paragraph)
        or labelled_source(header_lines)
        or labelled_source([line for line in layout.lines if is_meta_line(line)])
        or credited_outlet(layout.body)
        or copyright_owner(layout.lines)
    )


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


def credited_outlet(body: str) -> str | None:
    """The organisation in a reporter credit: （大众日报记者 孙立群）."""
    match = _CREDIT.search(body)
    org = match["org"].strip() if match and match["org"] else ""
    return org if re.search(r"(网|报|社|台|在线|新闻|电视|广播)$", org) else None


def _names(value: str) -> str | None:
    names = _NAME.findall(_REPORTER.sub(" ", value))
    return "、".join(names) if names else None


def header_text_lines(layout: Layout) -> list[str]:
    return [layout.lines[i] for i in layout.header if not is_body_like(layout.lines[i]) or is_meta_line(layout.lines[i])]
