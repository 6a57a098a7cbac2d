"""Quantitative facts from Chinese industry news: `extract_facts(document) -> list[dict]`.

numbers (numeral parser) → refdata (units.csv, metrics.csv) → metrics (cue matching) →
timeexpr (years) → places (regions) → facts (the extractor that ties them together)."""
from chanye.extract.facts import EXTRACTOR_VERSION, extract_facts

__all__ = ["EXTRACTOR_VERSION", "extract_facts"]
