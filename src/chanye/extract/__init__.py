"""Facts, mentions and events of one staged document.

    extract_document(document) -> {"facts": [...], "mentions": [...], "events": [...]}

One DocumentContext per document (context: text model, organisations and people, time frame,
place frame) serves the three extractors: facts (quantities → metric, qualifier, modality, year,
region, subject), entities (organisations and people), events. Word lists, units, metrics and
industries are data: the dbt seeds (cue_words, units, metrics, industries, regions, zones)."""
from __future__ import annotations

from typing import Mapping

from chanye.extract.context import DocumentContext
from chanye.extract.entities import extract_mentions
from chanye.extract.events import extract_events
from chanye.extract.facts import EXTRACTOR_VERSION, extract_facts

EXTRACTORS = {"facts": extract_facts, "mentions": extract_mentions, "events": extract_events}


def extract_document(document: Mapping) -> dict[str, list[dict]]:
    """Every extractor's rows for one document, sharing one context."""
    ctx = DocumentContext(document)
    return {name: extractor(document, ctx) for name, extractor in EXTRACTORS.items()}


__all__ = ["EXTRACTORS", "EXTRACTOR_VERSION", "DocumentContext", "extract_document", "extract_facts",
           "extract_mentions", "extract_events"]
