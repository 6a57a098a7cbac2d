"""stage_file: one input file → document rows and quarantine rows (schemas.DOCUMENTS / QUARANTINE).

Accounting: a .txt/.html file yields exactly one row (document or quarantine); a JSON-lines file
one row per non-blank line. Nothing raises for bad input: every problem becomes a quarantine row.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, replace
from itertools import islice
from datetime import date, datetime, timezone
from pathlib import Path

from .. import schemas
from ..regions import gazetteer
from .cleaning import analyse_layout
from .metadata import Clues, china_date, clean_title, clean_url, parse_moment, read_metadata
from .normalize import detect_script, has_cjk, normalize_chars, split_lines
from .reading import (
    ARTICLE_SUFFIXES,
    JSONL_SUFFIXES,
    MAX_ARTICLE_BYTES,
    Decoded,
    FilePart,
    StagingProblem,
    decode_bytes,
    read_article_bytes,
    repair_mojibake,
)

log = logging.getLogger(__name__)
STAGE = "stage"
MIN_BODY_CJK = 20  # a body with fewer Chinese characters is navigation, not an article

# A crawler record's fields, by what they hold, each under the spellings crawlers use (first wins).
TEXT_FIELDS = ("text", "content", "body", "article", "maintext")
HTML_FIELDS = ("html", "raw_html", "page_html", "html_content", "content_html")
TITLE_FIELDS = ("title", "headline", "news_title")
DATE_FIELDS = ("published", "date", "pub_date", "publish_time", "pub_time", "publish_date", "pubdate",
               "published_at", "publishtime", "release_time", "time", "datetime")
OUTLET_FIELDS = ("outlet", "source", "media", "publisher", "source_name")
SITE_FIELDS = ("site", "site_name", "sitename", "website")
URL_FIELDS = ("url", "link", "href", "source_url", "page_url", "canonical_url", "article_url")
AUTHOR_FIELDS = ("author", "authors", "byline", "reporter")
FETCHED_FIELDS = ("fetched_at", "crawl_time", "crawled_at", "fetch_time", "crawl_date", "scraped_at",
                  "download_time", "crawled")
ID_FIELDS = ("id", "doc", "doc_id")
_HTML_TAG = re.compile(r"<(?:html|body|div|p|article|section|span|br|h1|table)\b[^>]*>", re.IGNORECASE)


@dataclass
class Article:
    text: str
    title: str | None
    published: date | None
    outlet: str | None
    author: str | None
    script: str
    published_source: str | None = None  # metadata.PUBLISHED_SOURCES
    url: str | None = None
    fetched_at: datetime | None = None


# ---------------------------------------------------------------- text → article

def analyse_text(raw: str, today: date | None = None, clues: Clues | None = None) -> Article:
    """Clean body and metadata of one decoded article. `clues` is what the input says about itself
    (a record's fields, an HTML page's tags and whole text); it wins over what the layout suggests."""
    today = today or date.today()
    script = detect_script(raw)
    normalized = normalize_chars(raw, script)
    clues = _normalized(clues or Clues(), script)
    title_hint = clean_title(clues.titles[0])[0] if clues.titles else None
    body = analyse_layout(split_lines(normalized), title=title_hint)
    page = analyse_layout(split_lines(clues.page_text), title=title_hint) if clues.page_text else body
    meta = read_metadata(clues, body, page, normalized, today)
    return Article(
        text=body.body,
        title=meta.title,
        published=meta.published,
        outlet=meta.outlet,
        author=meta.author,
        script=script,
        published_source=meta.published_source,
        url=meta.url,
        fetched_at=clues.fetched_at,
    )


def _normalized(clues: Clues, script: str) -> Clues:
    """The clues' texts in the document's script and width (a Traditional page's 人民網 → 人民网)."""
    def norm(value):
        return normalize_chars(str(value), script).strip() if value else None

    return replace(
        clues,
        titles=[norm(t) for t in clues.titles if norm(t)],
        outlet=norm(clues.outlet),
        source_label=norm(clues.source_label),
        site_name=norm(clues.site_name),
        author=norm(clues.author),
        page_text=normalize_chars(clues.page_text, script) if clues.page_text else None,
    )


def analyse_html(html: str, today: date, clues: Clues | None = None) -> Article:
    """trafilatura finds the main content, htmldate and the tags the page metadata; the line rules
    then drop the related lists and footers trafilatura keeps, and read the page's header lines.
    `clues` (a crawler record's fields) win over the page's own."""
    from .webpage import read_webpage  # trafilatura: a heavy import, only for HTML input

    given = clues or Clues()
    limit = min(today, china_date(given.fetched_at)) if given.fetched_at else today
    page = read_webpage(html, limit)
    found = page.clues
    merged = Clues(
        titles=given.titles + found.titles,
        dates=given.dates + found.dates,
        outlet=given.outlet,
        source_label=found.source_label,
        site_name=given.site_name or found.site_name,
        author=given.author or found.author,
        urls=list(dict.fromkeys(given.urls + found.urls)),
        fetched_at=given.fetched_at,
        page_text=found.page_text,
    )
    return analyse_text(page.body, today=today, clues=merged)


# ---------------------------------------------------------------- rows

def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def document_row(
    article: Article, *, doc: str, raw: bytes, decoded: Decoded, path: Path, line: int | None,
    run_id: str, ingested_at: datetime,
) -> dict:
    content_hash = schemas.sha256(raw)
    return {
        "document_id": schemas.document_id(content_hash),
        "doc": doc,
        "title": article.title,
        "published": article.published,
        "published_source": article.published_source,
        "outlet": article.outlet,
        "author": article.author,
        "url": article.url,
        "fetched_at": _utc(article.fetched_at) if article.fetched_at else None,
        "region_code": gazetteer().main_region(article.text, title=article.title, outlet=article.outlet),
        "script": article.script,
        "encoding": decoded.encoding,
        "text": article.text,
        "raw_text": decoded.text,
        "source_path": str(path),
        "source_line": line,
        "content_hash": content_hash,
        "byte_size": len(raw),
        "run_id": run_id,
        "ingested_at": _utc(ingested_at),
    }


def quarantine_row(reason: str, detail: str, *, path: Path, line: int | None, raw_hash: str | None,
                   byte_size: int | None, run_id: str, ingested_at: datetime) -> dict:
    return schemas.quarantine_row(STAGE, reason, detail, source_path=str(path), source_line=line, raw_hash=raw_hash,
                                  byte_size=byte_size, run_id=run_id, at=_utc(ingested_at))


def _check_article(article: Article, decoded: Decoded) -> None:
    if not has_cjk(decoded.text):
        raise StagingProblem("no_chinese", "The text holds no Chinese characters; this pipeline reads Chinese news only.")
    if not has_cjk(article.text, MIN_BODY_CJK):
        raise StagingProblem(
            "no_body",
            "No article body was found (only navigation, lists or footer lines); check that the file is an article page.",
        )


# ---------------------------------------------------------------- one-article files

def _stage_article(path: Path, run_id: str, ingested_at: datetime) -> tuple[list[dict], list[dict]]:
    raw_hash = byte_size = None
    try:
        raw = read_article_bytes(path)
        raw_hash, byte_size = schemas.sha256(raw), len(raw)
        decoded = decode_bytes(raw)
        if not has_cjk(decoded.text):
            raise StagingProblem("no_chinese", "The text holds no Chinese characters; this pipeline reads Chinese news only.")
        today = _utc(ingested_at).date()
        text = repair_mojibake(decoded.text)  # a page saved after a wrong decoding
        if path.suffix.lower() in (".html", ".htm"):
            article = analyse_html(text, today)
        else:
            article = analyse_text(text, today)
        _check_article(article, decoded)
        row = document_row(article, doc=path.name, raw=raw, decoded=decoded, path=path, line=None,
                           run_id=run_id, ingested_at=ingested_at)
        return [row], []
    except StagingProblem as problem:
        if problem.reason == "too_large":
            raw_hash, byte_size = _hash_file(path)
        return [], [quarantine_row(problem.reason, problem.detail, path=path, line=None, raw_hash=raw_hash,
                                   byte_size=byte_size, run_id=run_id, ingested_at=ingested_at)]


def _hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# ---------------------------------------------------------------- JSON-lines

def _jsonl_lines(path: Path, offset: int = 0, first_line: int = 1, max_lines: int | None = None):
    """(line number, raw bytes without the line break, codec or None) of the lines from byte
    `offset` (line `first_line`) on, at most `max_lines`. UTF-16 files are decoded whole (they
    cannot be split on b"\\n", so they are never planned in parts); others are streamed."""
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(0)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = fh.read().decode("utf-16")
            codec = "utf-16-be" if head.startswith(b"\xfe\xff") else "utf-16-le"
            for number, line in enumerate(text.splitlines(), 1):
                yield number, line.encode(codec), codec
            return
        fh.seek(offset)
        for number, line in enumerate(islice(fh, max_lines), first_line):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            yield number, line.rstrip(b"\r\n"), None


def _decode_line(raw: bytes, codec: str | None) -> Decoded:
    if codec:
        return Decoded(raw.decode(codec), codec)
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return decode_bytes(raw)


def _field(item: dict, names: tuple[str, ...]):
    for name in names:
        value = item.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _text_field(item: dict, names: tuple[str, ...]) -> str | None:
    value = _field(item, names)
    if isinstance(value, list):  # authors: ["张三", "李四"]
        value = "、".join(str(v) for v in value if v)
    return str(value).strip() if isinstance(value, (str, int, float, list)) and str(value).strip() else None


def looks_like_html(text: str) -> bool:
    return len(_HTML_TAG.findall(text[:5000])) >= 2


def _parse_item(raw: bytes, codec: str | None) -> tuple[dict, Decoded]:
    if len(raw) > MAX_ARTICLE_BYTES:
        raise StagingProblem("too_large", f"The line has {len(raw):,} bytes, over the {MAX_ARTICLE_BYTES:,}-byte limit for one article.")
    decoded = _decode_line(raw, codec)
    try:
        item = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        raise StagingProblem("bad_json", f"The line is not valid JSON ({exc.msg} at column {exc.colno}); fix or remove it.") from exc
    if not isinstance(item, dict):
        raise StagingProblem("bad_json", f"The line holds a JSON {type(item).__name__}, not an object with id/title/text fields.")
    if not any(isinstance(_field(item, names), str) and _field(item, names).strip() for names in (TEXT_FIELDS, HTML_FIELDS)):
        raise StagingProblem("missing_text", "The item has no non-empty 'text' (or 'content'/'body'/'html') string field.")
    return item, decoded


def record_clues(item: dict) -> Clues:
    """What a crawler record says about its page, in the fields' common spellings. A `source` or
    `site` holding a URL is the page's address, not its outlet; times without a zone are China's."""
    fetched = parse_moment(_field(item, FETCHED_FIELDS))
    published = parse_moment(_field(item, DATE_FIELDS), reference=fetched)
    outlet, site = _text_field(item, OUTLET_FIELDS), _text_field(item, SITE_FIELDS)
    urls = [clean_url(_field(item, URL_FIELDS)), clean_url(outlet), clean_url(site)]
    title = repair_mojibake(_text_field(item, TITLE_FIELDS) or "") or None
    return Clues(
        titles=[title] if title else [],
        dates=[(china_date(published), "field")] if published else [],
        outlet=None if clean_url(outlet) else outlet,
        site_name=None if clean_url(site) or (site and not has_cjk(site)) else site,
        author=_text_field(item, AUTHOR_FIELDS),
        urls=[u for u in dict.fromkeys(urls) if u],
        fetched_at=fetched,
    )


def _stage_item(item: dict, decoded: Decoded, today: date) -> tuple[Article, Decoded]:
    """A record with an `html` field (or a text field holding HTML) goes through the HTML path, like
    an .html file; its other fields win over what the page says."""
    text, html = _field(item, TEXT_FIELDS), _field(item, HTML_FIELDS)
    text, html = (repair_mojibake(v) if isinstance(v, str) else v for v in (text, html))
    if not isinstance(html, str) and isinstance(text, str) and looks_like_html(text):
        html, text = text, None
    raw = html if isinstance(html, str) else text
    if not has_cjk(raw):
        raise StagingProblem("no_chinese", "The item's text holds no Chinese characters; this pipeline reads Chinese news only.")
    clues = record_clues(item)
    if isinstance(html, str):
        article = analyse_html(html, today, clues)
    else:
        article = analyse_text(text, today=today, clues=clues)
    _check_article(article, Decoded(raw, decoded.encoding))
    return article, Decoded(raw, decoded.encoding)  # raw_text: the item's text (or HTML) as given


def _stage_jsonl(path: Path, run_id: str, ingested_at: datetime, part: FilePart | None = None) -> tuple[list[dict], list[dict]]:
    documents, quarantined = [], []
    today = _utc(ingested_at).date()
    part = part or FilePart(str(path))
    try:
        for number, raw, codec in _jsonl_lines(path, part.offset, part.first_line, part.lines):
            if not raw.strip():
                continue  # blank lines are not items
            try:
                item, decoded = _parse_item(raw, codec)
                article, decoded = _stage_item(item, decoded, today)
                doc = str(_field(item, ID_FIELDS) or f"{path.name}#L{number}")
                documents.append(document_row(article, doc=doc, raw=raw, decoded=decoded, path=path, line=number,
                                              run_id=run_id, ingested_at=ingested_at))
            except StagingProblem as problem:
                quarantined.append(quarantine_row(problem.reason, problem.detail, path=path, line=number,
                                                  raw_hash=schemas.sha256(raw), byte_size=len(raw),
                                                  run_id=run_id, ingested_at=ingested_at))
            except Exception as exc:  # noqa: BLE001 - one bad item must not lose the rest of the file
                log.exception("staging %s line %s failed", path, number)
                quarantined.append(quarantine_row("internal_error", f"Staging failed unexpectedly ({exc!r}); report this line to the maintainers.",
                                                  path=path, line=number, raw_hash=schemas.sha256(raw), byte_size=len(raw),
                                                  run_id=run_id, ingested_at=ingested_at))
    except (OSError, UnicodeDecodeError) as exc:
        quarantined.append(quarantine_row("unreadable", f"The file could not be read to the end ({exc}); items before this point were staged.",
                                          path=path, line=None, raw_hash=None, byte_size=None,
                                          run_id=run_id, ingested_at=ingested_at))
    if not documents and not quarantined and part.offset == 0:
        quarantined.append(quarantine_row("empty_file", "The JSON-lines file holds no items; re-export the source.",
                                          path=path, line=None, raw_hash=schemas.sha256(b""), byte_size=path.stat().st_size,
                                          run_id=run_id, ingested_at=ingested_at))
    return documents, quarantined


# ---------------------------------------------------------------- entry point

def stage_file(path: Path, run_id: str, ingested_at: datetime, part: FilePart | None = None) -> tuple[list[dict], list[dict]]:
    """Document rows and quarantine rows for one input file, or for the part of a JSON-lines file
    that `part` names; never raises for bad input."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            return _stage_jsonl(path, run_id, ingested_at, part)
        if suffix in ARTICLE_SUFFIXES:
            return _stage_article(path, run_id, ingested_at)
        reason, detail = "unsupported_type", (
            f"Files of type '{suffix or '(none)'}' are not read; supply .txt, .html/.htm or .jsonl."
        )
    except OSError as exc:
        reason, detail = "unreadable", f"The file could not be read ({exc.strerror or exc}); check that it exists and is readable."
    except Exception as exc:  # noqa: BLE001 - never lose an input to a bug: quarantine it visibly
        log.exception("staging %s failed", path)
        reason, detail = "internal_error", f"Staging failed unexpectedly ({exc!r}); report this file to the maintainers."
    raw_hash, byte_size = _safe_hash(path)
    return [], [quarantine_row(reason, detail, path=path, line=None, raw_hash=raw_hash, byte_size=byte_size,
                               run_id=run_id, ingested_at=ingested_at)]


def _safe_hash(path: Path) -> tuple[str | None, int | None]:
    try:
        return _hash_file(path)
    except OSError:
        return None, None
