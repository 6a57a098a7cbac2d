"""stage_file: one input file → document rows and quarantine rows (schemas.DOCUMENTS / QUARANTINE).

Accounting: a .txt/.html file yields exactly one row (document or quarantine); a JSON-lines file
one row per non-blank line. Nothing raises for bad input: every problem becomes a quarantine row.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from itertools import islice
from datetime import date, datetime, timezone
from pathlib import Path

from .. import schemas
from ..regions import gazetteer
from .cleaning import analyse_layout
from .metadata import (
    find_author,
    find_outlet,
    find_page_date,
    find_title,
    header_text_lines,
    labelled_source,
    copyright_owner,
    parse_date,
    resolve_published,
    strip_site_suffix,
)
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
)

log = logging.getLogger(__name__)
STAGE = "stage"
MIN_BODY_CJK = 20  # a body with fewer Chinese characters is navigation, not an article
TEXT_FIELDS = ("text", "content", "body")
DATE_FIELDS = ("published", "date", "pub_date", "publish_time")
OUTLET_FIELDS = ("outlet", "source", "site")


@dataclass
class Article:
    text: str
    title: str | None
    published: date | None
    outlet: str | None
    author: str | None
    script: str


# ---------------------------------------------------------------- text → article

def analyse_text(
    raw: str,
    today: date | None = None,
    title: str | None = None,
    page_date: date | None = None,
    outlet: str | None = None,
) -> Article:
    """Clean body and metadata of one decoded article. Known values (JSON fields, HTML metadata)
    win over what the page layout suggests."""
    today = today or date.today()
    script = detect_script(raw)
    normalized = normalize_chars(raw, script)
    title = normalize_chars(title, script).strip() if title else None
    layout = analyse_layout(split_lines(normalized), title=title)
    header = header_text_lines(layout)
    title = title or find_title(layout)
    page_date = page_date or find_page_date(layout)
    if page_date and page_date > today:
        page_date = None  # a date in the future is not the page's date
    return Article(
        text=layout.body,
        title=title,
        published=resolve_published(layout.first_paragraph, page_date, normalized, today),
        outlet=outlet or find_outlet(layout, header),
        author=find_author(layout, header),
        script=script,
    )


def analyse_html(html: str, today: date) -> Article:
    """trafilatura finds the main content and page metadata; the line rules then drop the
    related lists and footers it keeps."""
    import trafilatura  # heavy import, only for HTML input

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True)
    if extracted is None or not (extracted.text or "").strip():
        raise StagingProblem("no_body", "No article text was found in the HTML page; check that it is not a list or index page.")
    page_text = trafilatura.html2txt(html) or ""
    page_lines = split_lines(page_text)
    outlet = labelled_source(page_lines) or None
    article = analyse_text(
        extracted.text,
        today=today,
        title=strip_site_suffix(extracted.title) if extracted.title else None,
        page_date=parse_date(extracted.date or ""),
    )
    article.outlet = article.outlet or outlet or copyright_owner(page_lines) or extracted.sitename
    article.author = article.author or extracted.author
    if article.script == "traditional" and article.outlet:
        article.outlet = normalize_chars(article.outlet, "traditional")
    return article


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
        "outlet": article.outlet,
        "author": article.author,
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
        if path.suffix.lower() in (".html", ".htm"):
            article = analyse_html(decoded.text, today)
        else:
            article = analyse_text(decoded.text, today)
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
        if value not in (None, ""):
            return value
    return None


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
    text = _field(item, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        raise StagingProblem("missing_text", "The item has no non-empty 'text' (or 'content'/'body') string field.")
    return item, decoded


def _stage_item(item: dict, decoded: Decoded, today: date) -> tuple[Article, Decoded]:
    text = _field(item, TEXT_FIELDS)
    if not has_cjk(text):
        raise StagingProblem("no_chinese", "The item's text holds no Chinese characters; this pipeline reads Chinese news only.")
    title, outlet = _field(item, ("title", "headline")), _field(item, OUTLET_FIELDS)
    article = analyse_text(
        text,
        today=today,
        title=str(title) if title else None,
        page_date=parse_date(str(_field(item, DATE_FIELDS) or "")),
        outlet=str(outlet) if outlet else None,
    )
    _check_article(article, Decoded(text, decoded.encoding))
    return article, Decoded(text, decoded.encoding)  # raw_text: the item's text as given


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
                doc = str(_field(item, ("id", "doc", "doc_id")) or f"{path.name}#L{number}")
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
