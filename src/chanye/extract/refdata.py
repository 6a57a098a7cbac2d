"""The reference data the extractor reads: units.csv and metrics.csv from the dbt seeds folder.

Analysts extend the vocabulary there (new cue words, currencies, measure words) without touching
code; dbt loads the same files as seeds. Loaded once per process."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from chanye.seeds import read_seed, seeds_dir

FACT_DIMENSIONS = ("money", "count", "area", "percent", "duration")


@dataclass(frozen=True)
class Unit:
    text: str
    base: str
    factor: Decimal
    dimension: str  # money|count|area|percent|duration|other (other: recognised, never a fact)


@dataclass(frozen=True)
class Metric:
    metric_id: str
    dimension: str
    cues: tuple[str, ...]  # looked for before the number, in the same clause
    cues_after: tuple[str, ...]  # looked for after the unit, in the same clause
    measures: frozenset[str]  # unit words this metric accepts (empty: any unit of its dimension)
    context: tuple[str, ...]  # one of these must occur in the sentence (e.g. 出席 for attendees)
    default_units: frozenset[str]  # units that imply this metric without any cue (亩 → land)
    priority: int  # breaks ties between equally near cues
    default_scope: str  # stock | flow | new | cumulative when the clause names no scope
    cue_is_attribute: bool  # 总投资, 占地: the cue names an attribute of a thing named nearby


_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class RefData:
    """Units and metrics, and the unit roles the number scanner reads off units.csv:
    - a money unit written without Chinese characters ($, US$, ￥, €) is a symbol: it stands before
      the number, never after it;
    - a currency named in two characters or more (人民币, 港币, 美元) may stand before the number
      too (港币3.14, 新台币 177.1 亿元);
    - a money unit with a factor below 1 (角, 毛, 分) is a sub-unit: it only follows a whole unit of
      its currency (123元1角1分), never a number on its own (三分, 五角 are not money)."""

    units: dict[str, Unit]
    metrics: list[Metric]
    by_dimension: dict[str, list[Metric]] = field(default_factory=dict)
    unit_pattern: str = ""  # units written after a number
    prefix_pattern: str = ""  # currencies written before a number
    whole_pattern: str = ""  # units a sub-unit may follow (元, 块, 圆 ...)
    subunit_pattern: str = ""
    subunits: dict[str, Decimal] = field(default_factory=dict)  # 角 → 0.1 (in the base currency)

    def __post_init__(self):
        for m in self.metrics:
            self.by_dimension.setdefault(m.dimension, []).append(m)
        money = [u for u in self.units.values() if u.dimension == "money"]
        symbols = {u.text for u in money if not _CJK.search(u.text)}
        sub = {u.text: u for u in money if u.factor < 1}
        sub_bases = {u.base for u in sub.values()}
        self.subunits = {t: u.factor for t, u in sub.items()}
        after = [t for t in self.units if t not in symbols and t not in sub]
        prefix = [u.text for u in money if u.factor == 1 and (u.text in symbols or len(u.text) >= 2)]
        whole = [t for t in after if self.units[t].dimension == "money" and self.units[t].factor == 1
                 and self.units[t].base in sub_bases]
        # Longest first so 平方公里 wins over 公里 and 个百分点 over 个.
        self.unit_pattern = _alternation(after)
        self.prefix_pattern = _alternation(prefix)
        self.whole_pattern = _alternation(whole)
        self.subunit_pattern = _alternation(list(sub))


def _alternation(texts: list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True)) or "(?!)"


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (cell or "").split("|") if x.strip())


def load_refdata(seeds_dir: Path) -> RefData:
    units = {
        r["unit_text"]: Unit(r["unit_text"], r["base_unit"], Decimal(r["factor"]), r["dimension"])
        for r in read_seed("units", seeds_dir)
    }
    metrics = [
        Metric(
            metric_id=r["metric_id"],
            dimension=r["dimension"],
            cues=_split(r.get("cues")),
            cues_after=_split(r.get("cues_after")),
            measures=frozenset(_split(r.get("measures"))),
            context=_split(r.get("context")),
            default_units=frozenset(_split(r.get("default_units"))),
            priority=int(r.get("priority") or 0),
            default_scope=r.get("default_scope") or "stock",
            cue_is_attribute=(r.get("cue_is_attribute") or "").lower() == "true",
        )
        for r in read_seed("metrics", seeds_dir)
    ]
    return RefData(units=units, metrics=metrics)


@lru_cache(maxsize=4)
def _cached(seeds_dir: str) -> RefData:
    return load_refdata(Path(seeds_dir))


def refdata() -> RefData:
    """The reference data for the current CHANYE_HOME (cheap after the first call)."""
    return _cached(seeds_dir())
