"""The seed articles' metadata against the shared gold (skipped when the shared folder is absent)."""
from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest

from chanye.staging import stage_file
from chanye.staging.normalize import to_simplified

SEEDS = Path("/work/shared/seeds")
GOLD = Path("/work/shared/gold/seeds.docs.jsonl")
pytestmark = pytest.mark.skipif(not (SEEDS.is_dir() and GOLD.is_file()), reason="shared seeds not available")


def gold_docs() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def norm_title(title: str | None) -> str:  # as the shared scorer compares titles
    return "".join(ch for ch in to_simplified(unicodedata.normalize("NFKC", title or "")) if ch.isalnum())


def accepted(value) -> set[str]:
    return {str(v) for v in (value if isinstance(value, list) else [value])}


@pytest.mark.parametrize("gold", gold_docs() if GOLD.is_file() else [], ids=lambda g: g["doc"])
def test_seed_metadata_matches_gold(gold):
    docs, quarantined = stage_file(SEEDS / gold["doc"], "seeds", datetime.now(timezone.utc))
    assert not quarantined and len(docs) == 1
    doc = docs[0]
    assert norm_title(doc["title"]) == norm_title(gold["title"])
    assert str(doc["published"]) in accepted(gold["published"])
    if gold.get("outlet") is not None:
        assert doc["outlet"] in accepted(gold["outlet"])
    if doc["region_code"] is not None:  # None only while chanye.regions is unavailable
        assert doc["region_code"] == gold["region_code"]
    for furniture in ("版权", "Copyright", "相关文章", "猜你喜欢", "13391219793", "ICP", "上一条"):
        assert furniture not in doc["text"]
