"""An HTML page read for staging: its article text (trafilatura), its whole text as lines (where
the header's date and 来源 lines and the footer are), and what its tags say about it (`Clues`).

Dates come from htmldate: `meta` from the page's <head> alone (meta tags, JSON-LD), `markup` from
the whole page's markup (time elements, date classes) as a last resort. The URL is the canonical
link or og:url (trafilatura), the site name og:site_name / publisher (trafilatura). Chinese
government sites declare their own meta names (GB/T 政府网站 metadata: ArticleTitle, SiteName,
ContentSource), which trafilatura does not know; they are read here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .metadata import Clues, clean_url, parse_date
from .reading import StagingProblem

_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "table", "tr", "ul",
)
_DROPPED_TAGS = ("script", "style", "noscript", "template", "head", "select", "button", "iframe")
_GOV_META = {"articletitle": "title", "sitename": "site_name", "contentsource": "source_label", "url": "url"}


@dataclass
class WebPage:
    body: str  # the article text trafilatura found
    clues: Clues


def read_webpage(html: str, limit: date) -> WebPage:
    """Body and clues of one HTML page; dates after `limit` (the fetch or ingest date) are ignored.
    A page trafilatura finds no article in (a fragment, an odd layout) is read by the line rules,
    as a text dump would be."""
    import trafilatura  # heavy import, only for HTML input

    tree = trafilatura.load_html(html)
    if tree is None:
        raise StagingProblem("no_body", "The HTML page could not be parsed; check that the file is an HTML page.")
    extracted = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False, include_tables=True)
    tree = trafilatura.load_html(html)  # bare_extraction prunes the tree it is given
    gov = _gov_meta(tree)
    account = tree.find('.//*[@id="js_name"]')  # a WeChat article's account (湖州发布)
    headings = [h.text_content().strip() for h in tree.iter("h1")]
    title_tag = (tree.findtext(".//title") or "").strip()
    found_title, found_url, found_site, found_author = (
        (extracted.title, extracted.url, extracted.sitename, extracted.author) if extracted else (None,) * 4
    )
    titles = [gov.get("title"), *(headings if len(headings) == 1 else []), found_title, title_tag]
    urls = [clean_url(gov.get("url")), clean_url(found_url)]
    dates = _dates(html, tree, limit)
    text = page_text(tree)  # last: it rewrites the tree
    clues = Clues(
        titles=[t for t in dict.fromkeys(titles) if t],
        dates=dates,
        source_label=gov.get("source_label"),
        site_name=gov.get("site_name") or (account.text_content().strip() if account is not None else None)
        or _site_name(found_site),
        author=found_author,
        urls=[u for u in dict.fromkeys(urls) if u],
        page_text=text,
    )
    body = extracted.text if extracted and (extracted.text or "").strip() else text
    return WebPage(body, clues)


def page_text(tree) -> str:
    """The page's visible text, one line per block element (a paragraph, a heading, a list item, a
    table row), as a text dump of the page would have it."""
    for element in list(tree.iter(*_DROPPED_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter(*_BLOCK_TAGS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    for cell in tree.iter("td", "th"):
        cell.tail = " " + (cell.tail or "")
    return tree.text_content()


def _gov_meta(tree) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iterfind(".//meta[@name][@content]"):
        key = _GOV_META.get(meta.get("name", "").strip().lower())
        value = meta.get("content", "").strip()
        if key and value:
            found.setdefault(key, value)
    return found


def _site_name(value: str | None) -> str | None:
    """trafilatura falls back on the host name when a page declares no site name: not a name."""
    return value if value and not ("." in value and value.isascii()) else None


def _dates(html: str, tree, limit: date) -> list[tuple[date, str]]:
    from htmldate import find_date
    from lxml import html as lxml_html

    found = []
    options = {"extensive_search": False, "original_date": True, "url": "", "max_date": limit.isoformat()}
    head = tree.find(".//head")
    if head is not None:
        head_only = "<html>" + lxml_html.tostring(head, encoding="unicode") + "</html>"
        if when := parse_date(find_date(head_only, **options) or ""):
            found.append((when, "meta"))
    if when := parse_date(find_date(html, **options) or ""):
        found.append((when, "markup"))
    return found
