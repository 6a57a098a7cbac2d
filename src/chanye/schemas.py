"""The lake's data contracts, declared once. Every Parquet file the pipeline writes uses one of
these schemas; dbt sources and the GX suites read the same column names."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pyarrow as pa

DOCUMENTS = pa.schema(
    [
        pa.field("document_id", pa.string(), nullable=False),  # content-addressed: sha256(raw bytes)[:16]
        pa.field("doc", pa.string(), nullable=False),  # contract id: file basename, or JSON-lines item id
        pa.field("title", pa.string()),
        pa.field("published", pa.date32()),  # the article's own date (a repost keeps the wire date)
        # where `published` came from: field | header | meta | byline | url | markup | dateline | lead
        # (staging.metadata.PUBLISHED_SOURCES)
        pa.field("published_source", pa.string()),
        pa.field("outlet", pa.string()),  # the organisation that wrote it (新华社, 杭州日报)
        pa.field("author", pa.string()),
        pa.field("url", pa.string()),  # the page's address: the record's url, else canonical/og:url
        pa.field("fetched_at", pa.timestamp("us", tz="UTC")),  # when the crawler fetched the page, if it says
        pa.field("region_code", pa.string()),  # the article's main GB/T 2260 division
        pa.field("script", pa.string()),  # simplified | traditional (of the raw text)
        pa.field("encoding", pa.string()),  # as detected on the raw bytes
        pa.field("text", pa.string(), nullable=False),  # clean body; fact offsets point into it
        pa.field("raw_text", pa.string(), nullable=False),  # decoded input, before any cleaning
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_line", pa.int32()),  # 1-based line for JSON-lines items, else null
        pa.field("content_hash", pa.string(), nullable=False),  # sha256 of the raw bytes
        pa.field("byte_size", pa.int64(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)

FACTS = pa.schema(
    [
        pa.field("fact_id", pa.string(), nullable=False),  # see fact_id()
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("doc", pa.string(), nullable=False),
        pa.field("metric", pa.string(), nullable=False),  # metrics seed: metric_id
        pa.field("value", pa.float64(), nullable=False),  # in the base unit
        pa.field("value_high", pa.float64()),  # upper end of a range, else null
        pa.field("unit", pa.string(), nullable=False),  # base unit: CNY/USD/…, m2, count, percent, year
        pa.field("raw_value", pa.float64(), nullable=False),  # the number as written (140 in 140亿元)
        pa.field("raw_unit", pa.string(), nullable=False),  # the unit as written (亿元)
        pa.field("unit_factor", pa.float64(), nullable=False),  # value = raw_value * unit_factor
        pa.field("qualifier", pa.string(), nullable=False),  # exact|approx|lower_bound|upper_bound|range
        pa.field("modality", pa.string(), nullable=False),  # actual|target|forecast
        pa.field("year", pa.int32()),
        pa.field("region_code", pa.string()),
        pa.field("subject", pa.string()),  # what is measured, as the text names it: 生物医药企业, 签约项目
        pa.field("scope", pa.string()),  # stock | flow | new | cumulative
        pa.field("period_start", pa.int32()),  # first year of a cumulative period (2022年以来 → 2022)
        pa.field("period_end", pa.int32()),  # last year of the period where the text gives one
        pa.field("industry_id", pa.string()),  # industries seed, when the subject or its clause names one
        pa.field("population", pa.string()),  # a class narrowing the subject: 规上, 营收超百亿元, 专精特新
        pa.field("value_display", pa.string()),  # the value as an analyst reads it: 140亿元, 7500亩, 12.5%
        pa.field("evidence", pa.string(), nullable=False),  # the sentence
        pa.field("span_text", pa.string(), nullable=False),  # the matched text, e.g. 超30个
        pa.field("char_start", pa.int32(), nullable=False),  # offsets of span_text in documents.text
        pa.field("char_end", pa.int32(), nullable=False),
        pa.field("extractor_version", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("extracted_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)

QUARANTINE = pa.schema(
    [
        pa.field("stage", pa.string(), nullable=False),  # stage | extract | validate
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_line", pa.int32()),
        pa.field("reason", pa.string(), nullable=False),  # short code: empty_file, bad_json, ...
        pa.field("detail", pa.string(), nullable=False),  # a sentence a person can act on
        pa.field("raw_hash", pa.string()),  # sha256 of the offending bytes
        pa.field("byte_size", pa.int64()),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("quarantined_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)

# What the pipeline has ingested, one row per input file: a later run skips a file whose
# path and hash are already here (incremental, and idempotent when re-run on the same input).
MANIFEST = pa.schema(
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("file_hash", pa.string(), nullable=False),
        pa.field("byte_size", pa.int64(), nullable=False),
        pa.field("documents", pa.int32(), nullable=False),
        pa.field("quarantined", pa.int32(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)

# MinHash signatures of committed documents (chanye.dedup), so a later run can recognise a
# syndicated copy of a document it has not seen in this run, and the dedupe verdict: one row per
# document_id, whose duplicate_of is what the warehouse reads. The extract task writes the run's
# rows to pending `signatures/` (duplicate_of still null); dedupe writes the ones to commit.
MINHASH_PERMUTATIONS = 128
MINHASH = pa.schema(
    [
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("duplicate_of", pa.string()),  # document_id of the canonical copy, else null
        pa.field("published", pa.date32()),  # copies published far apart are different stories
        pa.field("signature", pa.list_(pa.uint32(), MINHASH_PERMUTATIONS), nullable=False),
        pa.field("bands", pa.list_(pa.uint64()), nullable=False),  # LSH band keys; none for an empty text
    ]
)

# Organisations and people named in documents (chanye.extract.entities), one row per mention,
# with the same provenance as FACTS.
MENTIONS = pa.schema(
    [
        pa.field("mention_id", pa.string(), nullable=False),  # see mention_id()
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("doc", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),  # organization | person
        pa.field("name", pa.string(), nullable=False),  # normalised surface form
        pa.field("org_type", pa.string()),  # organizations: company|university|hospital|research_institute|government|association|park_operator|investor|other
        pa.field("title", pa.string()),  # people: 院士, 校长, 董事长 … (null if none)
        pa.field("affiliation", pa.string()),  # people: the organisation the title belongs to
        pa.field("region_code", pa.string()),
        pa.field("evidence", pa.string(), nullable=False),  # the sentence
        pa.field("char_start", pa.int32(), nullable=False),  # offsets of the name in documents.text
        pa.field("char_end", pa.int32(), nullable=False),
        pa.field("extractor_version", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("extracted_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)

# Events named in documents (chanye.extract.events): conferences, forums, summits, seminars,
# signing ceremonies, openings, expos, competitions; one row per event and document.
EVENTS = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),  # mention_id(document_id, start, end, "event")
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("doc", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),  # as written, without outer quotes
        pa.field("event_type", pa.string(), nullable=False),  # conference|forum|summit|seminar|signing|opening|expo|competition|other
        pa.field("edition", pa.int32()),  # 首届 → 1, 第二届 → 2
        pa.field("year", pa.int32()),  # from the name, else the event date, else the article date
        pa.field("event_date", pa.date32()),  # month/day in the text, resolved against the published date
        pa.field("region_code", pa.string()),
        pa.field("attendance", pa.int32()),  # N名/位 … 出席/参加/与会/齐聚
        pa.field("evidence", pa.string(), nullable=False),
        pa.field("char_start", pa.int32(), nullable=False),  # offsets of the first mention in documents.text
        pa.field("char_end", pa.int32(), nullable=False),
        pa.field("extractor_version", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("extracted_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)

# Not a lake dataset: analysts' corrections, one JSON line per entry in an append-only log beside
# the lake (chanye.corrections). dbt's source `corrections.log` reads the file with these columns.
CORRECTIONS = pa.schema(
    [
        pa.field("correction_id", pa.string(), nullable=False),
        pa.field("fact_id", pa.string(), nullable=False),
        pa.field("action", pa.string(), nullable=False),  # correct | reject (the fact is wrong) | revert
        # what the analyst sets (null: unchanged); a value comes with its unit, range and reading
        pa.field("value", pa.float64()),
        pa.field("value_high", pa.float64()),
        pa.field("qualifier", pa.string()),
        pa.field("unit", pa.string()),
        pa.field("value_display", pa.string()),
        pa.field("metric_id", pa.string()),
        pa.field("region_code", pa.string()),
        pa.field("year", pa.int32()),
        pa.field("modality", pa.string()),
        pa.field("note", pa.string(), nullable=False),
        pa.field("corrected_by", pa.string(), nullable=False),
        pa.field("corrected_at", pa.timestamp("us", tz="UTC"), nullable=False),
        # the fact as the analyst saw it: names a correction whose fact later disappears
        pa.field("document_id", pa.string()),
        pa.field("evidence", pa.string()),
        pa.field("span_text", pa.string()),
    ]
)

DATASETS = {
    "documents": DOCUMENTS,
    "facts": FACTS,
    "mentions": MENTIONS,
    "events": EVENTS,
    "quarantine": QUARANTINE,
    "manifest": MANIFEST,
    "minhash": MINHASH,
}


def quarantine_row(
    stage: str, reason: str, detail: str, *, source_path: str, source_line: int | None, raw_hash: str | None,
    byte_size: int | None, run_id: str, at: datetime,
) -> dict:
    """A QUARANTINE row: what was set aside, by which step, why, and how to find the input again."""
    return {
        "stage": stage,
        "source_path": str(source_path),
        "source_line": source_line,
        "reason": reason,
        "detail": detail,
        "raw_hash": raw_hash,
        "byte_size": byte_size,
        "run_id": run_id,
        "quarantined_at": at if at.tzinfo else at.replace(tzinfo=timezone.utc),
    }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_id(content_hash: str) -> str:
    return content_hash[:16]


def fact_id(document_id: str, char_start: int, char_end: int, metric: str) -> str:
    """One fact per span and metric: re-extracting the same document yields the same ids."""
    key = f"{document_id}:{char_start}:{char_end}:{metric}".encode()
    return hashlib.sha256(key).hexdigest()[:20]


def mention_id(document_id: str, char_start: int, char_end: int, kind: str) -> str:
    """One mention per span and kind (organization | person | event): stable across re-extraction."""
    key = f"{document_id}:{char_start}:{char_end}:{kind}".encode()
    return hashlib.sha256(key).hexdigest()[:20]
