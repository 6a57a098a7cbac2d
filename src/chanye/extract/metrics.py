"""Which metric a number measures: the nearest cue word in its clause, filtered by the unit.

A cue counts when it sits before the number in the same clause (总投资140亿元, 项目28个) or,
for cues listed in `cues_after`, shortly after the unit (25家企业, 设立50亿元产业基金). The unit's
dimension and measure word narrow the candidates first (家 can be firms, never patents). No cue,
no metric — and then no fact."""
from __future__ import annotations

import re
from dataclasses import dataclass

from chanye.extract.refdata import Metric, RefData

AFTER_WINDOW = 24  # characters after the unit in which a trailing cue may sit
NO_CUE_DISTANCE = 10_000
_LEVEL_MARKER_RE = re.compile(r"(?:到|至)(?![少多今])")  # 比重提高到35.6%: a level reached, not a change (至少 is no level)
# A trailing cue must belong to the noun phrase right after the measure word: a verb or
# preposition ends that phrase (5个场馆承办冰上项目 is about venues, not projects).
_PHRASE_END_RE = re.compile(
    r"正在|在|将|已|被|是|为(?!主)|承办|举办|参加|开展|进行|完成|实现|达到|获得(?!者)|参与|成为|带动|提供|覆盖|涉及|包括|拥有"
)


@dataclass(frozen=True)
class MetricChoice:
    metric: Metric
    cue: str
    distance: int


def choose_metric(
    ref: RefData,
    dimension: str,
    unit_text: str,
    before: str,
    after: str,
    sentence: str,
) -> MetricChoice | None:
    """The best metric for a number, given its clause text before and after it."""
    best: tuple | None = None
    after = _noun_phrase(after[:AFTER_WINDOW])
    for metric in ref.by_dimension.get(dimension, ()):
        if metric.measures and unit_text not in metric.measures:
            continue
        if metric.context and not any(c in sentence for c in metric.context):
            continue
        cue, distance = _nearest_cue(metric, before, after)
        if cue is not None and dimension == "money" and distance > 0 and cue in metric.cues_after and after.find(cue) == distance:
            distance = 0  # 50亿元的产业投资基金: a noun phrase after an amount names what it measures
        if cue is None and unit_text in metric.default_units:
            cue, distance = unit_text, NO_CUE_DISTANCE
        if cue is None:
            continue
        key = (distance, -metric.priority, -len(cue))
        if best is None or key < best[0]:
            best = (key, MetricChoice(metric, cue, distance))
    return best[1] if best else None


def _noun_phrase(after: str) -> str:
    m = _PHRASE_END_RE.search(after)
    phrase = after[: m.start()] if m else after
    return phrase[1:] if phrase.startswith("的") else phrase  # 50亿元的基金 reads like 50亿元基金


def _nearest_cue(metric: Metric, before: str, after: str) -> tuple[str | None, int]:
    best_cue, best_distance, n = None, NO_CUE_DISTANCE + 1, len(before)
    for cue in metric.cues:
        i = before.rfind(cue)
        if i >= 0 and not _LEVEL_MARKER_RE.match(before, i + len(cue)):
            d = n - (i + len(cue))
            if d < best_distance or (d == best_distance and len(cue) > len(best_cue)):
                best_cue, best_distance = cue, d
    for cue in metric.cues_after:
        i = after.find(cue)
        if i >= 0:
            if i < best_distance or (i == best_distance and len(cue) > len(best_cue)):
                best_cue, best_distance = cue, i
    return best_cue, best_distance
