"""Web pages as a crawler delivers them: JSON-lines records (text or HTML, the fields' common
spellings), HTML pages and page dumps; the URL kept; title, published (with its source) and outlet
read from each source they can come from. Every page here is written for these tests; places are
real, numbers illustrative."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from chanye.staging import stage_file
from chanye.staging.metadata import china_date, clean_outlet, clean_title, parse_moment, url_date

NOW = datetime(2025, 7, 1, 8, 0, tzinfo=timezone.utc)
BODY = (
    "记者从湖州市德清县获悉，今年以来，德清地理信息产业加速集聚，新引进项目23个，总投资约86亿元，"
    "规上企业营业收入同比增长14.2%，产业园区已入驻企业超过400家。"
)
SECOND = "下一步，德清将继续完善产业生态，力争到2027年地理信息产业规模突破1000亿元。"


def stage_records(tmp_path: Path, *records: dict) -> dict[str, dict]:
    path = tmp_path / "crawl.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    docs, quarantined = stage_file(path, "run-web", NOW)
    assert quarantined == [], quarantined
    return {d["doc"]: d for d in docs}


def stage_one(tmp_path: Path, record: dict) -> dict:
    return stage_records(tmp_path, {"id": "r1", **record})["r1"]


def stage_page(tmp_path: Path, name: str, content: str) -> dict:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    docs, quarantined = stage_file(path, "run-web", NOW)
    assert quarantined == [] and len(docs) == 1, quarantined
    return docs[0]


def html_page(*, head: str = "", title_tag: str = "德清地理信息产业加速集聚", h1: str = "德清地理信息产业加速集聚",
              info: str = "", first: str = BODY, footer: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title_tag}</title>{head}</head>
<body><div class="nav"><a href="/">首页</a> &gt; <a href="/news/">县域动态</a> &gt; 正文</div>
<div class="article"><h1>{h1}</h1><div class="info">{info}</div>
<div class="content"><p>{first}</p><p>{SECOND}</p>
<p>德清县相关负责人表示，将进一步加大招商引资力度，围绕遥感、导航、测绘等细分领域引进一批龙头企业和配套项目。</p></div></div>
<div class="related"><h3>相关文章</h3><ul><li><a href="/a/1.html">湖州市召开一季度经济形势分析会 2025-04-12</a></li></ul></div>
<div class="footer"><p>{footer}</p><p>联系电话：0572-8888888</p></div></body></html>"""


# ---------------------------------------------------------------- records: fields and spellings

def test_a_text_record_keeps_its_url_and_its_fields(tmp_path):
    doc = stage_one(tmp_path, {"url": "https://www.example.cn/news/a1.html", "title": "德清地理信息产业加速集聚",
                               "text": BODY + "\n" + SECOND, "published": "2025-04-20", "outlet": "湖州日报",
                               "author": "沈一帆", "fetched_at": "2025-05-01T02:00:00Z"})
    assert doc["url"] == "https://www.example.cn/news/a1.html"
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "field")
    assert (doc["title"], doc["outlet"], doc["author"]) == ("德清地理信息产业加速集聚", "湖州日报", "沈一帆")
    assert doc["fetched_at"] == datetime(2025, 5, 1, 2, 0, tzinfo=timezone.utc)


def test_common_spellings_of_crawler_fields(tmp_path):
    doc = stage_one(tmp_path, {"link": "http://www.example.cn/2025/0420/a1.html", "headline": "德清地理信息产业加速集聚",
                               "content": BODY, "pub_time": 1745114400, "source": "湖州日报",
                               "crawl_time": "2025-04-21 09:00:00"})
    assert doc["url"] == "http://www.example.cn/2025/0420/a1.html"
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "field")  # epoch, China's calendar
    assert doc["outlet"] == "湖州日报"
    assert doc["fetched_at"] == datetime(2025, 4, 21, 1, 0, tzinfo=timezone.utc)  # a crawl time without zone is China's


def test_a_source_field_holding_a_url_is_the_address_not_the_outlet(tmp_path):
    doc = stage_one(tmp_path, {"source": "https://www.example.cn/a/2.html", "body": "来源：湖州日报\n" + BODY})
    assert doc["url"] == "https://www.example.cn/a/2.html" and doc["outlet"] == "湖州日报"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-04-20", date(2025, 4, 20)),
        ("2025/4/20 10:30", date(2025, 4, 20)),
        ("2025年4月20日", date(2025, 4, 20)),
        ("2025-04-19T18:30:00Z", date(2025, 4, 20)),  # 02:30 in China
        (1745114400, date(2025, 4, 20)),
        ("1745114400000", date(2025, 4, 20)),
        ("20250420", date(2025, 4, 20)),
        ("3小时前", date(2025, 4, 21)),
        ("昨天 10:20", date(2025, 4, 20)),
        ("04-20 10:20", date(2025, 4, 20)),
        ("未知", None),
    ],
)
def test_date_fields_in_the_forms_crawlers_write(value, expected):
    fetched = datetime(2025, 4, 21, 4, 0, tzinfo=timezone.utc)  # 12:00 in China
    assert china_date(parse_moment(value, reference=fetched)) == expected


def test_a_record_with_html_goes_through_the_html_path(tmp_path):
    html = html_page(head='<link rel="canonical" href="https://www.example.gov.cn/art/2025/4/20/art_1_1.html">',
                     title_tag="德清地理信息产业加速集聚_德清县人民政府",
                     info="发布日期：2025-04-20 来源：德清县经信局")
    doc = stage_one(tmp_path, {"html": html, "crawl_time": "2025-04-22 08:00"})
    assert doc["url"] == "https://www.example.gov.cn/art/2025/4/20/art_1_1.html"  # the canonical link
    assert (doc["title"], doc["outlet"]) == ("德清地理信息产业加速集聚", "德清县经信局")
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "header")
    assert doc["text"].startswith("记者从湖州市德清县获悉") and "相关文章" not in doc["text"] and "0572" not in doc["text"]
    assert doc["raw_text"] == html


def test_a_text_field_holding_html_is_read_as_html(tmp_path):
    content = "<div><p>发布时间：2025-04-20</p><p>" + BODY + "</p><p>" + SECOND + "</p></div>"
    doc = stage_one(tmp_path, {"url": "https://www.example.cn/a/3.html", "title": "德清地理信息产业加速集聚", "content": content})
    assert "<p>" not in doc["text"] and "400家" in doc["text"]
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "header")


def test_the_records_url_beats_the_pages_canonical_link(tmp_path):
    html = html_page(head='<link rel="canonical" href="https://m.example.cn/a/9.html">')
    doc = stage_one(tmp_path, {"url": "https://www.example.cn/a/9.html", "html": html})
    assert doc["url"] == "https://www.example.cn/a/9.html"


# ---------------------------------------------------------------- HTML pages

def test_og_url_site_name_and_meta_date_of_an_html_page(tmp_path):
    head = ('<meta property="og:url" content="https://www.example.cn/news/deqing.html">'
            '<meta property="og:site_name" content="湖州产业网">'
            '<meta property="article:published_time" content="2025-04-20T09:00:00+08:00">')
    doc = stage_page(tmp_path, "page.html", html_page(head=head))
    assert doc["url"] == "https://www.example.cn/news/deqing.html"
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "meta")
    assert doc["outlet"] == "湖州产业网"  # the site's name: nothing better is given


def test_government_site_meta_names(tmp_path):
    head = ('<meta name="SiteName" content="德清县人民政府"><meta name="ArticleTitle" content="德清地理信息产业加速集聚">'
            '<meta name="PubDate" content="2025-04-20 10:05"><meta name="ContentSource" content="德清新闻网">'
            '<meta name="Url" content="https://www.example.gov.cn/art/2025/4/20/art_9_9.html">')
    doc = stage_page(tmp_path, "gov.html", html_page(head=head, title_tag="德清县人民政府 德清地理信息产业加速集聚"))
    assert (doc["title"], doc["outlet"]) == ("德清地理信息产业加速集聚", "德清新闻网")
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "meta")
    assert doc["url"] == "https://www.example.gov.cn/art/2025/4/20/art_9_9.html"


def test_an_html_page_without_an_article_block_is_read_by_the_line_rules(tmp_path):
    page = "<html><body><div>德清地理信息产业加速集聚</div><div>2025-04-20</div><div>" + BODY + "</div></body></html>"
    doc = stage_page(tmp_path, "bare.html", page)
    assert "400家" in doc["text"] and doc["published"] == date(2025, 4, 20)


# ---------------------------------------------------------------- published: each source

DUMP = """首页 > 县域动态 > 正文
德清地理信息产业加速集聚
{info}
{first}
{second}
{tail}
"""


def dump(tmp_path, info="", first=BODY, tail="", name="page.txt", second=SECOND) -> dict:
    return stage_page(tmp_path, name, DUMP.format(info=info, first=first, second=second, tail=tail))


@pytest.mark.parametrize(
    "info",
    ["发布时间：2025-04-20 09:30 来源：湖州日报", "来源：湖州日报 2025-04-20", "日期：2025年4月20日 浏览次数：128",
     "2025-04-20 09:30:12     来源：湖州日报"],
)
def test_published_from_the_header_line(tmp_path, info):
    doc = dump(tmp_path, info=info)
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "header")


def test_a_portal_clock_is_not_the_article_date(tmp_path):
    page = "今天是2025年6月30日 星期一\n" + DUMP.format(info="发布时间：2025-04-20", first=BODY, second=SECOND, tail="")
    doc = stage_page(tmp_path, "clock.txt", page)
    assert doc["published"] == date(2025, 4, 20)
    page = "今天是2025年6月30日 星期一\n" + DUMP.format(info="", first=BODY, second=SECOND, tail="")
    assert stage_page(tmp_path, "clock2.txt", page)["published"] is None


def test_published_from_a_byline_under_the_body(tmp_path):
    doc = dump(tmp_path, tail="发布日期：2025-04-20\n【打印本页】【关闭窗口】")
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "byline")
    doc = dump(tmp_path, tail="德清县经济和信息化局\n2025年4月20日", name="gov.txt")
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "byline")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.example.cn/2022-11/20/c_1129.htm", date(2022, 11, 20)),
        ("http://www.example.gov.cn/xinwen/20220224/abc.htm", date(2022, 2, 24)),
        ("http://www.example.gov.cn/zwgk/202312/t20231228_4821.html", date(2023, 12, 28)),
        ("http://www.example.cn/n1/2023/1228/c1004-4012.html", date(2023, 12, 28)),
        ("http://www.example.cn/cj/2023/12-28/10137.shtml", date(2023, 12, 28)),
        ("https://www.example.gov.cn/art/2024/5/20/art_1229_5.html", date(2024, 5, 20)),
    ],
)
def test_published_from_the_url(tmp_path, url, expected):
    assert url_date(url)[0] == expected
    doc = stage_one(tmp_path, {"url": url, "title": "德清地理信息产业加速集聚", "text": BODY})
    assert (doc["published"], doc["published_source"]) == (expected, "url")


def test_a_month_only_url_takes_the_day_of_the_lead(tmp_path):
    assert url_date("http://www.example.gov.cn/zwgk/202312/abc.html") == (None, (2023, 12))
    assert url_date("http://www.example.cn/a/1703750400000.html") == (None, None)  # a timestamp id is no date
    lead = "12月27日，" + BODY
    doc = stage_one(tmp_path, {"url": "http://www.example.gov.cn/zwgk/202312/abc.html", "text": lead})
    assert (doc["published"], doc["published_source"]) == (date(2023, 12, 27), "url")


def test_a_dateline_takes_its_year_from_the_url(tmp_path):
    doc = stage_one(tmp_path, {"url": "http://www.example.gov.cn/zwgk/202312/abc.html",
                               "text": "新华社杭州12月27日电（记者 周海）" + BODY, "crawl_time": "2025-06-01"})
    assert (doc["published"], doc["published_source"], doc["outlet"]) == (date(2023, 12, 27), "dateline", "新华社")


def test_a_repost_keeps_the_wire_date(tmp_path):
    doc = dump(tmp_path, info="发布时间：2025-05-06 来源：新华网", first="新华社杭州4月29日电（记者 周海）" + BODY)
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 29), "dateline")
    assert doc["outlet"] == "新华社"  # the agency that wrote it, not the site that reposted it


def test_a_dateline_on_the_page_date_keeps_the_header_as_source(tmp_path):
    doc = dump(tmp_path, info="发布时间：2025-04-20", first="中新网湖州4月20日电 " + BODY)
    assert (doc["published"], doc["published_source"], doc["outlet"]) == (date(2025, 4, 20), "header", "中新网")


def test_a_dateline_alone_takes_its_year_from_the_fetch_date(tmp_path):
    doc = stage_one(tmp_path, {"text": "新华社杭州12月27日电 " + BODY, "crawl_time": "2025-02-03 10:00"})
    assert (doc["published"], doc["published_source"]) == (date(2024, 12, 27), "dateline")


def test_never_a_date_after_the_fetch(tmp_path):
    # a field and a URL dated after the crawl (a template's date, a typo) give way to the header
    doc = stage_one(tmp_path, {"url": "http://www.example.cn/2025-06/30/a.htm", "published": "2025-06-30",
                               "crawl_time": "2025-05-01 08:00", "text": "发布时间：2025-04-20\n" + BODY})
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "header")


def test_the_lead_dates_a_page_nothing_else_dates(tmp_path):
    doc = stage_one(tmp_path, {"text": "4月18日，" + BODY, "crawl_time": "2025-04-25 10:00"})
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 18), "lead")


# ---------------------------------------------------------------- title

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("德清地理信息产业加速集聚 - 湖州产业网", "德清地理信息产业加速集聚"),
        ("德清地理信息产业加速集聚_德清县人民政府", "德清地理信息产业加速集聚"),
        ("德清地理信息产业加速集聚_湖州市经济和信息化局", "德清地理信息产业加速集聚"),
        ("德清地理信息产业加速集聚--浙江频道--人民网", "德清地理信息产业加速集聚"),
        ("德清地理信息产业加速集聚|网易订阅", "德清地理信息产业加速集聚"),
        ("德清地理信息产业加速集聚_手机搜狐网", "德清地理信息产业加速集聚"),
        ("德清地理信息产业加速集聚-The Paper", "德清地理信息产业加速集聚"),
        ("时政|德清地理信息产业加速集聚", "德清地理信息产业加速集聚"),
        ("【要闻】德清地理信息产业加速集聚", "德清地理信息产业加速集聚"),
        ("开云体育官方网站-德清地理信息产业加速集聚", "德清地理信息产业加速集聚"),
        # parts of a real headline stay
        ("【新征程】德清地理信息产业加速集聚", "【新征程】德清地理信息产业加速集聚"),
        ("做强数字底座|德清地理信息产业加速集聚", "做强数字底座|德清地理信息产业加速集聚"),
        ("德清加快建设工业互联网 - 湖州在线", "德清加快建设工业互联网"),
        ("3-5亿元项目落地德清", "3-5亿元项目落地德清"),
        # furniture and spam are no title
        ("查看原文", None),
        ("九游娱乐官网登录入口", None),
    ],
)
def test_title_cleaning(raw, expected):
    assert clean_title(raw)[0] == expected


def test_a_browser_title_gives_way_to_the_headline_it_contains(tmp_path):
    doc = stage_one(tmp_path, {"title": "时政|德清地理信息产业加速集聚_湖州产业网",
                               "text": "德清地理信息产业加速集聚\n发布时间：2025-04-20\n" + BODY})
    assert doc["title"] == "德清地理信息产业加速集聚"
    assert doc["outlet"] == "湖州产业网"  # the site's name, cut from the browser title: nothing better


def test_link_labels_and_banners_are_not_the_headline(tmp_path):
    page = "欢迎访问湖州产业网\n首页 > 县域动态\n德清地理信息产业加速集聚\n查看原文\n发布时间：2025-04-20\n" + BODY + "\n" + SECOND
    doc = stage_page(tmp_path, "a.txt", page)
    assert doc["title"] == "德清地理信息产业加速集聚" and "查看原文" not in doc["text"]


SPAM = "开云体育(kaiyun)官方网站-登录入口"


def test_a_page_framed_by_spam(tmp_path):
    page = f"{SPAM}\n德清地理信息产业加速集聚\n发布时间：2025-04-20 来源：湖州日报\n{BODY}\n九游娱乐APP下载\n{SECOND}\n{SPAM}\n"
    doc = stage_page(tmp_path, "spam.txt", page)
    assert (doc["title"], doc["outlet"], doc["published"]) == ("德清地理信息产业加速集聚", "湖州日报", date(2025, 4, 20))
    assert "官方网站" not in doc["text"] and "APP" not in doc["text"] and "1000亿元" in doc["text"]


def test_a_spam_browser_title_of_an_html_page(tmp_path):
    doc = stage_page(tmp_path, "spam.html", html_page(title_tag=f"{SPAM}-德清地理信息产业加速集聚", h1="德清地理信息产业加速集聚"))
    assert doc["title"] == "德清地理信息产业加速集聚"


# ---------------------------------------------------------------- outlet

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("湖州日报返回搜狐，查看更多", "湖州日报"),
        ("【湖州日报】", "湖州日报"),
        ("湖州日报编辑", "湖州日报"),
        ("来源：《湖州日报》", "湖州日报"),
        ("人民网－人民日报", "人民日报"),
        ("新华社客户端", "新华社"),
        ("网络", None),
        ("http", None),
    ],
)
def test_outlet_cleaning(raw, expected):
    assert clean_outlet(raw) == expected


def test_outlet_from_the_source_label_with_trailing_furniture(tmp_path):
    doc = dump(tmp_path, info="2025-04-20 来源：湖州日报返回搜狐，查看更多 编辑：王敏")
    assert doc["outlet"] == "湖州日报"


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("大河网讯（记者 王磊）" + BODY, "大河网"),
        ("央视网消息：" + BODY, "央视网"),
        ("新华社杭州4月19日电（记者 周海）" + BODY, "新华社"),
        ("中新网湖州4月19日电（沈一帆）" + BODY, "中新网"),
        ("据新华社消息，" + BODY, "新华社"),
    ],
)
def test_outlet_from_the_byline_agency(tmp_path, first, expected):
    doc = dump(tmp_path, info="发布时间：2025-04-20 来源：德清新闻网", first=first)
    assert doc["outlet"] == expected


def test_benbao_is_the_sites_paper(tmp_path):
    first = "本报讯（记者 沈一帆）" + BODY
    # the host is a paper group's site: 本报 is its paper
    doc = stage_one(tmp_path, {"url": "https://zjrb.zjol.com.cn/html/2025-04/20/content_1.htm", "text": first})
    assert doc["outlet"] == "浙江日报"
    doc = stage_one(tmp_path, {"url": "https://www.zjol.com.cn/a/2.html", "text": first})
    assert doc["outlet"] == "浙江日报"
    # a paper named by the 来源 label
    doc = stage_one(tmp_path, {"text": "来源：湖州日报\n" + first})
    assert doc["outlet"] == "湖州日报"
    # an HTML page declaring a paper as its site
    page = html_page(head='<meta property="og:site_name" content="湖州日报">', first=first)
    assert stage_page(tmp_path, "benbao.html", page)["outlet"] == "湖州日报"


def test_benwang_and_benzhan_are_the_site(tmp_path):
    page = html_page(head='<meta property="og:site_name" content="德清新闻网">', info="来源：本站", first="本网讯 " + BODY)
    assert stage_page(tmp_path, "benwang.html", page)["outlet"] == "德清新闻网"


def test_an_aggregator_is_the_outlet_only_when_nothing_better_is_given(tmp_path):
    doc = stage_one(tmp_path, {"source": "搜狐", "url": "https://www.sohu.com/a/1_2", "text": "来源：湖州晚报\n" + BODY})
    assert doc["outlet"] == "湖州晚报"
    doc = stage_one(tmp_path, {"source": "搜狐", "url": "https://www.sohu.com/a/1_3", "text": BODY})
    assert doc["outlet"] == "搜狐"


def test_explicit_outlet_field_wins(tmp_path):
    doc = stage_one(tmp_path, {"outlet": "湖州日报", "text": "来源：德清新闻网\n新华社杭州4月19日电 " + BODY})
    assert doc["outlet"] == "湖州日报"


# ---------------------------------------------------------------- Traditional pages, URLs in dumps

TRADITIONAL = (
    "記者從湖州市德清縣獲悉，今年以來，德清地理信息產業加速集聚，新引進項目23個，總投資約86億元，"
    "規上企業營業收入同比增長14.2%，產業園區已入駐企業超過400家。"
)


def test_a_traditional_html_page(tmp_path):
    page = html_page(title_tag="德清地理信息產業加速集聚 - 湖州產業網", h1="德清地理信息產業加速集聚",
                     info="發布時間：2025-04-20 來源：經濟日報", first=TRADITIONAL,
                     head='<link rel="canonical" href="https://www.example.hk/news/2025/04/20/a.html">')
    doc = stage_page(tmp_path, "trad.html", page)
    assert doc["script"] == "traditional"
    assert (doc["title"], doc["outlet"]) == ("德清地理信息产业加速集聚", "经济日报")
    assert (doc["published"], doc["url"]) == (date(2025, 4, 20), "https://www.example.hk/news/2025/04/20/a.html")
    assert "德清地理信息产业加速集聚" in doc["text"] or "产业园区" in doc["text"]


def test_a_traditional_record(tmp_path):
    doc = stage_one(tmp_path, {"title": "德清地理信息產業加速集聚 - 湖州產業網", "text": TRADITIONAL,
                               "source": "經濟日報", "date": "2025-04-20"})
    assert (doc["title"], doc["outlet"], doc["published"]) == ("德清地理信息产业加速集聚", "经济日报", date(2025, 4, 20))


def test_a_page_dump_keeps_its_labelled_url(tmp_path):
    doc = dump(tmp_path, info="发布时间：2025-04-20", tail="原文链接：https://www.example.cn/2025-04/20/c_77.htm")
    assert doc["url"] == "https://www.example.cn/2025-04/20/c_77.htm"
    assert "example" not in doc["text"]


# ---------------------------------------------------------------- garbled, official documents, label forms

@pytest.mark.parametrize(("wrong", "right"), [("latin-1", "gb18030"), ("latin-1", "utf-8")])
def test_a_record_a_crawler_decoded_with_the_wrong_codec_is_repaired(tmp_path, wrong, right):
    garbled = ("发布时间：2025-04-20 来源：湖州日报\n" + BODY).encode(right).decode(wrong)
    doc = stage_one(tmp_path, {"title": "德清地理信息产业加速集聚".encode(right).decode(wrong), "text": garbled})
    assert (doc["title"], doc["outlet"], doc["published"]) == ("德清地理信息产业加速集聚", "湖州日报", date(2025, 4, 20))
    assert "86亿元" in doc["text"]


def test_utf8_shown_as_gbk_is_mostly_repaired(tmp_path):
    garbled = ("来源：湖州日报\n" + BODY + "\n" + SECOND).encode("utf-8").decode("gbk", errors="replace")
    doc = stage_one(tmp_path, {"text": garbled})
    assert "德清地理信息产业" in doc["text"] and "湖州市德清县" in doc["text"]  # what the crawler lost stays lost


def test_a_clean_record_is_left_as_it_is(tmp_path):
    from chanye.staging.reading import repair_mojibake

    for text in (BODY, TRADITIONAL, "Café 2025 résumé: 德清"):
        assert repair_mojibake(text) is text


def test_an_official_document_dated_in_chinese_numerals(tmp_path):
    doc = dump(tmp_path, tail="德清县经济和信息化局\n二〇二五年四月二十日", name="official.txt")
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "byline")


@pytest.mark.parametrize(
    ("info", "expected"),
    [("2025-04-20 来源 湖州日报 作者 沈一帆", "湖州日报"), ("2025-04-20 来源：  作者：沈一帆", None),
     ("2025-04-20 稿源：湖州日报", "湖州日报"), ("2025-04-20 来源：网络", None)],
)
def test_source_label_forms(tmp_path, info, expected):
    assert dump(tmp_path, info=info)["outlet"] == expected


def test_a_logo_in_h1_is_not_the_headline(tmp_path):
    page = html_page(h1="湖州产业网", title_tag="德清地理信息产业加速集聚_湖州产业网", info="发布时间：2025-04-20")
    doc = stage_page(tmp_path, "logo.html", page)
    assert (doc["title"], doc["outlet"]) == ("德清地理信息产业加速集聚", "湖州产业网")


# ---------------------------------------------------------------- aggregators, WeChat, paper editions

def test_an_aggregator_account_printed_between_headline_and_date(tmp_path):
    text = "德清地理信息产业加速集聚\n湖州日报\n2025-04-20 09:12·浙江\n" + BODY + "\n" + SECOND
    doc = stage_one(tmp_path, {"url": "https://www.toutiao.com/article/7490000000000000000/", "text": text})
    assert (doc["title"], doc["outlet"], doc["published"]) == ("德清地理信息产业加速集聚", "湖州日报", date(2025, 4, 20))


def test_a_wechat_article_dump(tmp_path):
    text = "德清地理信息产业加速集聚\n原创 沈一帆 湖州发布 2025-04-20 18:30 浙江\n" + BODY + "\n" + SECOND
    doc = stage_one(tmp_path, {"url": "https://mp.weixin.qq.com/s/AbCdEf123", "text": text})
    assert (doc["title"], doc["outlet"], doc["published"]) == ("德清地理信息产业加速集聚", "湖州发布", date(2025, 4, 20))


def test_a_wechat_page_names_its_account(tmp_path):
    page = html_page(info='<span>原创</span> <a id="js_name">湖州发布</a> <em>2025-04-20 18:30</em>',
                     head='<meta property="og:site_name" content="微信公众平台">')
    assert stage_page(tmp_path, "wechat.html", page)["outlet"] == "湖州发布"


def test_a_papers_own_dateline_keeps_the_issue_date(tmp_path):
    text = "《人民日报》（2025年04月21日 第 02 版）\n本报杭州4月20日电（记者 沈一帆）" + BODY
    doc = stage_one(tmp_path, {"url": "http://paper.people.com.cn/rmrb/html/2025-04/21/nw.D110000renmrb_20250421_1-02.htm",
                               "title": "德清地理信息产业加速集聚", "text": text})
    assert (doc["published"], doc["outlet"]) == (date(2025, 4, 21), "人民日报")


# ---------------------------------------------------------------- page dumps of common site layouts

LAYOUTS = {
    "paper_site": (f"人民网>>浙江频道>>浙江要闻\n德清地理信息产业加速集聚\n2025年04月20日09:12 | 来源：人民网－浙江频道\n小字号\n"
                   f"人民网杭州4月20日电 （记者 沈一帆）{BODY}\n{SECOND}\n(责编：王敏、李华)\n分享让更多人看到\n推荐阅读\n湖州召开经济形势分析会\n",
                   ("2025-04-20", "header", "人民网")),
    "wire_site": (f"新华网 > > 正文\n德清地理信息产业加速集聚\n2025-04-20 09:12:30 来源：新华网\n新华社杭州4月20日电（记者沈一帆）{BODY}\n"
                  f"{SECOND}\n【纠错】 【责任编辑：王敏】\n", ("2025-04-20", "header", "新华社")),
    "aggregator": (f"德清地理信息产业加速集聚\n2025-04-20 09:12 发布于：浙江省\n来源：湖州日报\n{BODY}\n{SECOND}\n返回搜狐，查看更多\n"
                   "平台声明：该文观点仅代表作者本人，搜狐号系信息发布平台，搜狐仅提供信息存储空间服务。\n阅读 (1234)\n",
                   ("2025-04-20", "header", "湖州日报")),
    "self_media": (f"德清地理信息产业加速集聚\n湖州日报\n2025年04月20日 09:12:30 来自浙江\n{BODY}\n{SECOND}\n"
                   "特别声明：以上文章内容仅代表作者本人观点，不代表本平台观点或立场。如有关于作品内容、版权或其它问题请与本平台联系。\n",
                   ("2025-04-20", "header", "湖州日报")),
    "government": ("无障碍 | 长者模式\n德清县人民政府\n首页 > 政务公开 > 部门动态\n德清地理信息产业加速集聚\n"
                   f"发布日期：2025-04-20 10:15 信息来源：县经信局 浏览次数：321\n字号：[ 大 中 小 ]\n{BODY}\n{SECOND}\n"
                   "【打印本页】 【关闭窗口】\n主办单位：德清县人民政府办公室 承办：德清县大数据发展管理局\n", ("2025-04-20", "header", "县经信局")),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_page_dumps_of_common_site_layouts(tmp_path, layout):
    text, (published, source, outlet) = LAYOUTS[layout]
    doc = stage_one(tmp_path, {"url": f"https://www.example.cn/{layout}.html", "text": text})
    assert (doc["title"], doc["published"].isoformat(), doc["published_source"], doc["outlet"]) == (
        "德清地理信息产业加速集聚", published, source, outlet)
    assert doc["text"].endswith("1000亿元。")  # share widgets, statements, counters and lists are furniture
    assert "1000亿元" in doc["text"] and "23个" in doc["text"]


PDF_DUMP = """德清县经济和信息化局文件
德经信〔2025〕12号
关于德清地理信息产业发展情况的报告
县政府：
今年以来，德清地理信息产业加速集聚，新引进项目23个，总投资约86亿元，规上企
业营业收入同比增长14.2%，产业园区已入驻企业超过400家。下一步，德清将继续完善
产业生态，力争到2027年地理信息产业规模突破1000亿元。
特此报告。
德清县经济和信息化局
2025年4月20日
- 1 -
"""


def test_a_pdf_dumped_official_document(tmp_path):
    doc = stage_page(tmp_path, "report.txt", PDF_DUMP)
    assert doc["title"] == "关于德清地理信息产业发展情况的报告"  # not the red head, not the document number
    assert (doc["published"], doc["published_source"]) == (date(2025, 4, 20), "byline")
    assert doc["outlet"] == "德清县经济和信息化局"  # the organisation that signs it
    assert "规上企业营业收入同比增长14.2%" in doc["text"]  # lines the page width broke are joined
    assert doc["text"].startswith("今年以来") and "- 1 -" not in doc["text"]


def test_headings_of_one_width_are_not_page_wrapping():
    from chanye.staging.cleaning import unwrap_lines

    lines = ["一、坚持创新驱动，加快培育地理信息产业新质生产力", "德清把科技创新作为第一动力，" + BODY,
             "二、坚持开放合作，持续优化地理信息产业发展环境", "德清持续推进营商环境改革，" + SECOND * 2]
    assert unwrap_lines(lines) is lines


def test_a_taiwan_style_dateline_with_the_day_only(tmp_path):
    text = "（中央社記者王小明台北18日電）德清地理資訊產業加速集聚，今年以來新引進項目23個，總投資約86億元，園區已入駐企業超過400家。"
    doc = stage_one(tmp_path, {"url": "https://www.cna.com.tw/news/afe/202504180123.aspx", "text": text,
                               "published": "2025-04-19 10:00"})
    assert (doc["published"], doc["published_source"], doc["outlet"]) == (date(2025, 4, 18), "dateline", "中央社")


def test_a_papers_own_reporter_line(tmp_path):
    text = "德清地理信息产业加速集聚\n本报记者 沈一帆 通讯员 陆晓\n" + BODY
    doc = stage_one(tmp_path, {"url": "https://zjrb.zjol.com.cn/html/2025-04/20/content_9.htm", "text": text})
    assert (doc["outlet"], doc["published"], doc["published_source"]) == ("浙江日报", date(2025, 4, 20), "url")
