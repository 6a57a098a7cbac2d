"""The dbt seeds (dbt_project/seeds/*.csv) as Python data: the one reader of the reference tables
that the extractor, the gazetteer and the quality gate share with the warehouse."""
from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

from chanye.config import settings


def seeds_dir() -> str:
    """The current CHANYE_HOME's seeds folder; cheap to call per claim (resolving paths is not)."""
    return _seeds_dir_for(os.environ.get("CHANYE_HOME"))


@lru_cache(maxsize=8)
def _seeds_dir_for(home: str | None) -> str:
    return str(settings().seeds_dir)


def read_seed(name: str, seeds_dir: Path | None = None) -> list[dict]:
    """Rows of seeds/<name>.csv as dicts of strings (the current CHANYE_HOME's seeds by default)."""
    path = Path(seeds_dir or settings().seeds_dir) / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=4)
def gate_parameters(seeds_dir: Path | None = None) -> dict[str, list]:
    """The value sets the expectation suites name as {"$PARAMETER": NAME}."""
    metrics = read_seed("metrics", seeds_dir)
    # Allowed units come from unit_dimensions, not from the units table the extractor uses, so a
    # wrong row in `units` (亩 -> CNY) is caught by the gate instead of legitimised by it.
    base_units: dict[str, set[str]] = {}
    for u in read_seed("unit_dimensions", seeds_dir):
        base_units.setdefault(u["dimension"], set()).add(u["base_unit"])
    return {
        "metric_ids": sorted(m["metric_id"] for m in metrics),
        "metric_units": sorted([m["metric_id"], unit] for m in metrics for unit in base_units.get(m["dimension"], ())),
        "money_units": sorted(base_units.get("money", ())),
        "region_codes": sorted({r["region_code"] for r in read_seed("regions", seeds_dir)}),
    }
