"""Separating an article body from page furniture, line by line.

Plain-text page dumps keep the page's reading order: header (slogan, breadcrumbs, title, date and
source line), body, then tail (tags, related-article lists, share widgets, contact and copyright
blocks). Classify each line:
- hard furniture (breadcrumbs, section markers such as 相关文章/猜你喜欢/上一篇/标签, copyright,
  site footer) is dropped and splits the page into blocks;
- soft furniture (contact lines with phone numbers, 微信/热线 blocks, editor and meta lines) is
  dropped without splitting, so a stray contact line inside an article does not cut it in two;
- body-like lines carry clause punctuation and some length.
The body is the block with the most body-like text, teasers (lines ending in "…") not counted, so
a related-article list with long previews does not outweigh the article. Photo captions and short
headings inside that block are kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import lexicon
from .normalize import cjk_count, has_cjk

_BREADCRUMB = re.compile(
    r"^(当前位置|您现在的位置|你现在的位置|您的位置|你的位置|现在位置|所在位置|位置)\s*[:：]"
    r"|(首页|主页|网站首页|返回首页)\s*[>›»＞/→]"
    r"|^[^。，！？]{0,40}(\s[>›»＞]\s?|[>›»＞]\s){2,}"
)
_SECTION_MARKER = re.compile(
    r"^[【\[]?(相关文章|相关阅读|相关新闻|相关推荐|相关链接|相关报道|猜你喜欢|推荐阅读|热门推荐|热门文章|"
    r"热点推荐|热点新闻|延伸阅读|精彩推荐|精彩阅读|更多阅读|更多新闻|最新文章|最新资讯|热门排行|阅读排行|"
    r"点击排行|排行榜|图片新闻|热门标签|为你推荐|编辑推荐|往期回顾|本周热点|今日推荐)[】\]]?\s*[:：>]?\s*(更多)?\s*$"
)
_PREV_NEXT = re.compile(r"^[【\[]?(上一条|下一条|上一篇|下一篇|上篇|下篇|前一篇|后一篇)[】\]]?\s*[:：]?")
_TAGS = re.compile(r"^[【\[]?(标签|关键词|关键字|tags?)[】\]]?\s*[:：]?", re.IGNORECASE)
_SHARE = re.compile(r"^[【\[]?(分享到|分享给朋友|分享至|分享让更多人看到|一键分享|关注我们|扫一扫|扫码关注|点击关注|返回顶部|打印本页|关闭窗口|【打印】|【关闭】)")
_COPYRIGHT = re.compile(
    r"(版权所有|版权声明|版权归|copyright|©|all rights reserved|备案号|icp备|icp证|公网安备|网安备|"
    r"未经授权|不得转载|转载请注明|免责声明|违法和不良信息举报)",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^[【\[]?(主办单位|承办单位|主办|承办|协办单位|地址|通讯地址|邮编|邮政编码|联系我们|与我们联系|关于我们|"
    r"网站地图|联系方式|技术支持|网站声明|投稿邮箱|投稿|广告服务|广告合作|意见反馈|友情链接|网站导航|"
    r"客服热线|服务热线|举报电话|平台声明|特别声明|免责声明)[】\]]?\s*[:：\-—|]?"
)
_PHONE = re.compile(r"(?<!\d)(\+?86[- ]?)?(0\d{2,3}[- ]?\d{7,8}|1[3-9]\d{9}|400[- ]?\d{3,4}[- ]?\d{3,4})(?!\d)")
_CONTACT = re.compile(
    r"(微信号?|公众号|热线|电话|手机号?|传真|邮箱|e-?mail|qq|联系人)\s*[:：]|扫码|长按|扫一扫|二维码", re.IGNORECASE
)
_META_LABEL = re.compile(
    r"(来源|来自|作者|记者|编辑|责任编辑|责编|审核|校对|发布时间|发布日期|更新时间|时间|日期|浏览|阅读|点击|字号|"
    r"发布者|发布开发区|供稿|稿源|信息来源|文章来源)\s*[:：]"
)
_EDITOR = re.compile(r"^[(（【\[]?\s*(责任编辑|责编|编辑|审核|校对|签发|审校|值班编辑)\s*[:：]")
DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)")
# 二〇二三年六月十九日: the date under an official document
CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_LINK_ONLY = re.compile(r"^\s*(\[[^\]]*\]\(\S+\)|(https?://|www\.)\S+|(原文|原文链接|链接|网址)\s*[:：]\s*\S+)\s*$", re.IGNORECASE)
_CLAUSE = re.compile(r"[，。；！？,;]")
_COUNTER = re.compile(r"^(阅读|浏览|点击|点赞|评论|收藏|转发|在看|赞)\s*[(（:：]?\s*[\d.万wk+]+\s*[)）]?(\s|$)", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^[-—–_\s第]*\d{1,3}[-—–_\s页]*$|^第\s*\d{1,3}\s*页(\s*[/／共]\s*\d{1,3}\s*页?)?$")
_WRAP_END = re.compile(r"[。！？；：:…”’」』）)】》!?;]\s*$")  # a line ending so was not cut by a page width
_SENTENCE_END = re.compile(r"[。；;…]\s*[”’」』)）]*\s*$|(\.{3,}|…+)\s*$")
_TEASER_END = re.compile(r"(\.{3,}|…+|。。。)\s*$")
_CLOSED_SENTENCE = re.compile(r"[。；;]\s*[”’」』)）]*\s*$")  # not …: a teaser or a truncated link

HARD, SOFT, BODY, OTHER, BLANK = "hard", "soft", "body", "other", "blank"


def is_hard_furniture(line: str) -> bool:
    if _BREADCRUMB.search(line) or _SECTION_MARKER.match(line) or _PREV_NEXT.match(line):
        return True
    short = len(line) <= 150
    if _TAGS.match(line) and len(line) <= 80:
        return True
    if (_SHARE.match(line) and len(line) <= 40) or (short and _COPYRIGHT.search(line)):
        return True
    return short and bool(_FOOTER.match(line))


def is_meta_line(line: str) -> bool:
    """Date/source/author/editor lines of the page header, and editor lines after the body."""
    if _EDITOR.match(line):
        return True
    if len(line) > 120 or _CLAUSE.search(_META_LABEL.sub("", line).replace(",", "")) and len(line) > 60:
        return False
    return bool(_META_LABEL.search(line))


def is_spam(line: str) -> bool:
    """An advertising line injected into a hijacked page (葡京官网, XX体育APP下载): a gambling brand,
    or a lure (娱乐, 体育, 澳门) with a hook (官网, 登录入口, APP下载). Paragraphs are never spam."""
    if len(line) > 80:
        return False
    spam = _any_word("spam_brand").search(line) or (_any_word("spam_lure").search(line) and _any_word("spam_hook").search(line))
    return bool(spam) and not is_body_like(line)


@lru_cache(maxsize=None)
def _any_word(list_name: str) -> re.Pattern:
    return re.compile("|".join(map(re.escape, lexicon.words(list_name))), re.IGNORECASE)


def is_link_label(line: str) -> bool:
    """A link or page tool printed as a line of its own (查看原文, 打印本页 关闭窗口, 欢迎访问…)."""
    return len(line) <= 30 and line.lstrip("【[").startswith(lexicon.words("title_furniture"))


def is_soft_furniture(line: str) -> bool:
    if is_spam(line) or is_link_label(line) or _COUNTER.match(line) or _PAGE_NUMBER.match(line):
        return True
    if _LINK_ONLY.match(line) and cjk_count(_URL.sub("", line)) <= 10:
        return True
    if len(line) <= 100 and _PHONE.search(line):
        return True
    if len(line) <= 60 and _CONTACT.search(line):
        return True
    return is_meta_line(line)


def is_date_line(line: str) -> bool:
    """A page's date/time line (2024-09-29 16:57:34, admin1年前 (2024-09-26)…), not a heading that
    happens to contain a date (2023年1月1日起 我国调整…)."""
    if not (DATE.search(line) or CN_DATE.search(line)) or len(line) > 80:
        return False
    rest = CN_DATE.sub("", DATE.sub("", _META_LABEL.sub("", line)))
    return cjk_count(rest) < 8


def is_body_like(line: str) -> bool:
    """A paragraph: clause punctuation, and either long or closed like a sentence. Headlines may
    carry a comma (向“新”而行,上虞…) but are short and end without 。"""
    if len(line) < 20 or not _CLAUSE.search(line) or not has_cjk(line, 10):
        return False
    return len(line) >= 50 or bool(_SENTENCE_END.search(line))


def is_teaser(line: str) -> bool:
    return bool(_TEASER_END.search(line))


def classify(line: str) -> str:
    if not line:
        return BLANK
    if is_hard_furniture(line):
        return HARD
    if is_body_like(line) and not is_meta_line(line):
        return BODY
    if is_soft_furniture(line):
        return SOFT
    return OTHER


@dataclass
class Layout:
    lines: list[str]
    kinds: list[str]
    body_start: int | None = None  # first body-like line of the main block
    block: tuple[int, int] | None = None  # main block [start, end)
    body_lines: list[int] = field(default_factory=list)

    @property
    def header(self) -> list[int]:
        """Indices of lines before the body: where titles, dates and sources are printed."""
        end = self.body_start if self.body_start is not None else len(self.lines)
        return [i for i in range(end) if self.lines[i]]

    @property
    def body(self) -> str:
        return "\n".join(self.lines[i] for i in self.body_lines)

    @property
    def first_paragraph(self) -> str:
        return self.lines[self.body_start] if self.body_start is not None else ""


def _blocks(kinds: list[str]) -> list[tuple[int, int]]:
    blocks, start = [], 0
    for i, kind in enumerate(kinds + [HARD]):
        if kind == HARD:
            if i > start:
                blocks.append((start, i))
            start = i + 1
    return blocks


def _score(lines: list[str], kinds: list[str], block: tuple[int, int]) -> int:
    return sum(
        len(lines[i]) for i in range(*block) if kinds[i] == BODY and not is_teaser(lines[i])
    )


def display_width(line: str) -> int:
    """Columns a line takes on a page: Chinese characters and full-width signs count two."""
    return len(line) + sum(1 for ch in line if ord(ch) >= 0x2E80)


def unwrap_lines(lines: list[str]) -> list[str]:
    """Text copied from a PDF (or a fixed-width dump) breaks paragraphs at the page width: lines
    of (nearly) the same width that do not end a sentence, and hardly any line wider. When at
    least two lines show that width, join each such line with the next one; other texts are
    returned unchanged."""
    widths = [display_width(line) for line in lines]
    cut = [w for line, w in zip(lines, widths) if w >= 40 and not _WRAP_END.search(line)]
    if len(cut) < 2:
        return lines
    width = max(set(cut), key=lambda w: sum(abs(w - other) <= 2 for other in cut))
    if sum(w > width + 2 for w in widths) > sum(w >= 40 for w in widths) // 10:
        return lines  # paragraphs run past that width: not a page's wrapping (headings of one length)
    wrapped = [abs(w - width) <= 2 and w >= 40 and not _WRAP_END.search(line) and _CLAUSE.search(line) is not None
               for line, w in zip(lines, widths)]
    if sum(wrapped) < 2:
        return lines
    out: list[str] = []
    joining = False
    for line, is_wrapped in zip(lines, wrapped):
        if joining and line and not is_hard_furniture(line):
            out[-1] += line
        else:
            out.append(line)
        joining = is_wrapped or (joining and bool(line) and display_width(line) >= width - 2 and not _WRAP_END.search(line))
    return out


def analyse_layout(lines: list[str], title: str | None = None) -> Layout:
    """Pick the main block and the body lines in it. `title`, when known (JSON-lines, HTML), is
    dropped from the top of the body. Lines a page width broke are joined first."""
    lines = unwrap_lines(lines)
    kinds = [classify(line) for line in lines]
    layout = Layout(lines, kinds)
    scored = [(_score(lines, kinds, b), -b[0], b) for b in _blocks(kinds)]
    if not scored or max(scored)[0] == 0:
        return layout
    block = max(scored)[2]
    layout.block = block
    layout.body_start = next(i for i in range(*block) if kinds[i] == BODY and not is_teaser(lines[i]))
    keep = []
    for i in range(block[0], block[1]):
        if kinds[i] in (BLANK, SOFT) or is_date_line(lines[i]):
            continue
        if i < layout.body_start and not _keep_before_body(lines[i], title):
            continue
        keep.append(i)
    layout.body_lines = keep
    return layout


def _keep_before_body(line: str, title: str | None) -> bool:
    """Lines between the block start and the first paragraph: headline and date lines go (page
    furniture such as navigation, share widgets and meta lines never reaches here). With a known
    title, other lines stay unless they repeat it; without one, a line stays when it is closed like
    a sentence (某县一季度签约项目12个。: the lead of a short brief) — a headline or subtitle is not."""
    if title and _same_text(line, title):
        return False
    if is_date_line(line):
        return False
    if title is None:
        return bool(_CLOSED_SENTENCE.search(line))
    return not _looks_like_title_of(line, title)


def _looks_like_title_of(line: str, title: str) -> bool:
    return _same_text(line, title) or (len(line) > 8 and (line in title or title in line))


def _same_text(a: str, b: str) -> bool:
    strip = lambda s: "".join(ch for ch in s if ch.isalnum())  # noqa: E731
    return strip(a) == strip(b)
