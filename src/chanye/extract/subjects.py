"""What a claim measures, read from its clause: the subject (the thing measured, as the text names
it), its scope (stock, flow, new, cumulative), the population that narrows it (规上, 专精特新) and
its industry (seed industries), so that only like can be compared with like.

- Subject: a head noun the number's measure word introduces (7500亩生命健康产业园区, 25家企业);
  else the noun phrase of the clause before the number, without the words that lead into it
  (time, 其中, 目前, 预计 …) or out of it (达到, 同比增长, 超过 …); an attribute cue left alone
  after the verb joins the agent before it (光谷光电子信息产业实现产值 → 光谷光电子信息产业产值);
  a clause with nothing else (总投资140亿元, 同比增长5%) measures the subject of the clause or
  sentence before it.
- Scope: a stock cue (集聚, 拥有, 在建) in the number's clause; a cumulative period with a known
  start (2022年以来, 近两年, 十四五以来) or 累计; another scope cue (新增 → new); else the
  metric's default (seed metrics.default_scope). A rate is always a flow.
All word lists are data (seeds cue_words, metrics, industries)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from chanye.extract.timeframe import TIME_RE
from chanye.extract.words import alternation, ordered, words
from chanye.seeds import read_seed, seeds_dir

_MAX_SUBJECT = 24
_PUNCT = re.compile(r"[“”\"'‘’《》「」『』（）()【】\s]")
_NUMBER = re.compile(r"[\d.]+\s*(?:%|％|个|家|项|名|位|件|款|所|亿|万|元|亩|多|余)+"
                     r"|[一二两三四五六七八九十百千万亿]+(?:个|家|项|名|位|件|款|所)")
# what follows a subject and is not part of it: a comparison (比上年增长), a share's denominator
# (占全国的), a change's starting point (由设立之初的 … 增至, 从 … 上升至)
_NOT_SUBJECT_TAIL = re.compile(r"(?:比|较|相比|同比|环比|占|由|从)[^，,]{0,16}$")
_CLAUSE_SEP = re.compile(r"[，,；;：:]")
_NOT_AN_EVENT = re.compile(r"设立之初|成立之初|成立以来|设立以来")  # 由设立之初的184家增至930家: no new event
_GENERIC = {"资金", "投资", "资本", "项目", "企业", "公司", "总", "其", "该", "共", "新", "全", "本", "该区", "全区", "全市", "全省"}


@dataclass(frozen=True)
class Measured:
    subject: str | None
    scope: str
    population: str | None
    industry_id: str | None


def measure(ctx, q, choice, clause_start: int, sentence_start: int, enumeration: int | None = None,
            carried_from: str | None = None) -> Measured:
    text, model = ctx.text, ctx.model
    clause_end = model.clause_end(q.end)
    before = text[clause_start:q.start]
    attribute_cues = choice.metric.cues if choice.metric.cue_is_attribute else ()
    subject = (_head_noun(text[q.end:clause_end], head_nouns()) or _share_of(text[q.end:clause_end], q)
               or _clean(before, attribute_cues))
    if not subject:
        # a yearly amount (产值, 营收) belongs to a project, a park or an industry named before it,
        # not to the firms or patents counted in between
        owners = tuple(words("subject_owner")) if attribute_cues and choice.metric.default_scope == "flow" else ()
        subject = _earlier_subject(ctx, clause_start, sentence_start, attribute_cues, owners)
    if enumeration is not None and subject:
        subject = _enumerated(subject, enumeration)
    if carried_from:  # 项目30个，建成投产12个: 建成投产 + the noun carried over (项目)
        subject = _with_carried_noun(before, carried_from)
    # the words since the last comma: 、-joined numbers share their sentence part's cues
    lead_start = max([sentence_start, *(m.end() + sentence_start for m in _CLAUSE_SEP.finditer(text[sentence_start:q.start]))])
    scoped = text[lead_start:clause_end]
    return Measured(
        subject=subject or None,
        scope=_scope(scoped, ctx, q, choice),
        population=_population(subject or scoped),
        industry_id=industry_of(subject) or industry_of(text[clause_start:clause_end]),
    )


def _clean(before: str, cues: tuple[str, ...]) -> str:
    """The clause's noun phrase: the object after its last verb (安吉经济开发区累计招引落地高端
    生命健康产业项目 → 高端生命健康产业项目), without lead-in and lead-out words and numbers. When
    the object is only the metric's attribute cue (光谷光电子信息产业实现产值), the agent before
    the verb is what it belongs to; with no agent either (项目总投资, 实现产值), empty."""
    text = _strip_tail(_strip_lead(_strip_places(_PUNCT.sub("", _NUMBER.sub("", TIME_RE.sub("", before))))))
    text = _strip_tail(_NOT_SUBJECT_TAIL.sub("", text))
    text = _modality_words_re(alternation("modality")).sub("", text)  # 园区力争生物医药产业规模
    agent, text = _split_at_last_verb(text)
    if _only_cue(text, cues):
        text = _strip_tail(agent) + text if len(_strip_tail(agent)) >= 2 else ""
    if len(text) < 2 or text in _GENERIC or _only_cue(text, cues):
        return ""
    return text[-_MAX_SUBJECT:]


def _only_cue(text: str, cues: tuple[str, ...]) -> bool:
    rest = text
    for word in sorted([*cues, *_GENERIC], key=len, reverse=True):
        rest = rest.replace(word, "")
    return len(rest) < 2 and any(cue in text for cue in cues)


def _split_at_last_verb(text: str) -> tuple[str, str]:
    """(what stands before the clause's last verb, its object); the verb stays with the object
    when the object alone is a generic word (签约项目, 落户企业)."""
    cut = None
    for m in _verbs_re(alternation("scope"), alternation("subject_verb")).finditer(text):
        if m.end(1) <= len(text) - 1:
            cut = m.span(1)
    if cut is None:
        return "", text
    obj = text[cut[1]:]
    if len(obj) < 2 or obj in _GENERIC:
        return text[:cut[0]], text[cut[0]:]
    return text[:cut[0]], obj


@lru_cache(maxsize=4)
def _modality_words_re(alternation_: str) -> re.Pattern:
    return re.compile(f"(?:{alternation_})(?!近)")


@lru_cache(maxsize=4)
def _verbs_re(*alternations: str) -> re.Pattern:
    """Overlapping verbs, longest first at each position; the last match is the last verb."""
    words_ = sorted({w for a in alternations for w in a.split("|") if w}, key=len, reverse=True)
    return re.compile(f"(?=({'|'.join(words_)}))")


def _enumerated(subject: str, index: int) -> str:
    """服务外包合同额和执行额分别增长12.5%和12.8%: the index-th of the listed subjects."""
    parts = [p for p in re.split(r"[、和及与]", subject) if p]
    return parts[index] if len(parts) > 1 and index < len(parts) else subject


def _strip_places(text: str) -> str:
    """宁波新材料产业 → 新材料产业: where the subject is, is the claim's region, not its subject."""
    from chanye.regions import gazetteer

    while text:
        hits = [h for h in gazetteer().find(text) if h.start == 0]
        if not hits or hits[0].end >= len(text) - 1:
            return text
        text = text[hits[0].end:]
    return text


def _strip_lead(text: str) -> str:
    lead = ordered("subject_lead", "modality")
    changed = True
    while changed and text:
        changed = False
        for word in lead:
            if text.startswith(word):
                text, changed = text[len(word):], True
                break
    return text.lstrip("的，,")


def _strip_tail(text: str) -> str:
    tail = ordered("subject_tail", "qualifier_before", "modality", extra=("可",))
    changed = True
    while changed and text:
        stripped = text.rstrip("的了和及与、")
        changed = stripped != text
        text = stripped
        for word in tail:
            if text.endswith(word):
                text, changed = text[: -len(word)], True
                break
    return text


def _head_noun(after: str, heads: tuple[str, ...]) -> str:
    """25家企业抢先入驻…, 7500亩生命健康产业园区: the noun phrase a measure word introduces, up to
    its head noun (the metrics' after-cues: 企业, 项目, 院士 …)."""
    after = _PUNCT.sub("", after)[:_MAX_SUBJECT]
    best = -1
    for head in heads:
        i = after.find(head)
        if i >= 0 and (best < 0 or i + len(head) < best):
            best = i + len(head)
    phrase = after[:best] if best > 0 else ""
    phrase = re.sub(r"^(?:以上|以下|左右|多|余)", "", phrase)
    return phrase if len(phrase) >= 2 and not _CLAUSE_SEP.search(phrase) else ""


def head_nouns() -> tuple[str, ...]:
    """Nouns a measure word introduces: every metric's after-cues (seed metrics) and the
    subject_head words (seed cue_words)."""
    return _heads(seeds_dir())


@lru_cache(maxsize=4)
def _heads(seeds_dir: str) -> tuple[str, ...]:
    from chanye.extract.refdata import refdata

    heads = {cue for metric in refdata().metrics for cue in metric.cues_after} | set(words("subject_head"))
    return tuple(sorted(heads, key=len, reverse=True))


def _with_carried_noun(before: str, carried_from: str) -> str:
    head = next((h for h in head_nouns() if carried_from.endswith(h)), carried_from)
    verb = _strip_lead(_PUNCT.sub("", _NUMBER.sub("", TIME_RE.sub("", before)))).rstrip("的了和及与、")
    verb = _modality_words_re(alternation("modality")).sub("", verb)  # 其中已开工 → 开工
    return verb + head if verb and not verb.endswith(head) else carried_from


def _share_of(after: str, q) -> str:
    """全国11%的GDP, 1%的国土面积: a percentage followed by 的 names what it is a share of."""
    if q.unit.dimension != "percent" or not after.startswith("的"):
        return ""
    phrase = _PUNCT.sub("", after[1:])[:_MAX_SUBJECT]
    return phrase if len(phrase) >= 2 else ""


def _earlier_subject(ctx, clause_start: int, sentence_start: int, cues: tuple[str, ...],
                     owners: tuple[str, ...] = ()) -> str:
    """The subject of the clause before (签约项目28个，签约金额140亿元 → 签约项目), looking back
    through the sentence, then the sentences before it in the paragraph; with `owners`, the
    nearest one ending in one of them (a project, a park, an industry)."""
    text, model = ctx.text, ctx.model
    paragraph_start = model.paragraph_at(clause_start)[0]
    end = clause_start - 1
    while end > paragraph_start:
        start = model.clause_start(end, paragraph_start)
        candidate = re.split(r"[\d一二两三四五六七八九十百千万亿]+(?:\.\d+)?", TIME_RE.sub("", text[start:end]))[0]
        subject = _clean(candidate, cues)
        if subject and (not owners or subject.endswith(owners)):
            return subject
        end = start - 1
    return ""


def _scope(scoped: str, ctx, q, choice) -> str:
    """A flow metric's amount stays a flow (unless 累计); otherwise a stock cue wins (集聚, 目前);
    then 累计 or a cumulative period with a known start; then any other cue; else the metric's
    default. A rate is always a flow."""
    default = choice.metric.default_scope
    if choice.metric.metric_id == "growth_rate":
        return "flow"
    cues = _cues_in(_NOT_AN_EVENT.sub("", scoped))
    if default == "flow":  # a year's amount stays a flow whatever level it reaches (目前, 总量)
        return "cumulative" if "cumulative" in cues else "flow"
    if "stock" in cues:
        return "stock"
    if "cumulative" in cues:
        return "cumulative"
    period = ctx.time.resolve(ctx.text[ctx.model.period_start(q.start):q.start])
    if period.kind == "cumulative" and period.period_start is not None and default != "flow":
        return "cumulative"
    return cues[-1] if cues else default


def _cues_in(text: str) -> list[str]:
    """The scopes the words of text name, in order of appearance."""
    found = []
    for word, scope in words("scope").items():
        i = text.find(word)
        if i >= 0:
            found.append((i, scope))
    return [scope for _, scope in sorted(found)]


def _population(subject: str) -> str | None:
    for word, population in words("population").items():
        if word in subject:
            return population
    return None


@lru_cache(maxsize=4)
def _industry_cues(seeds_dir: str) -> list[tuple[str, str, int]]:
    """(cue, industry_id, depth) longest cue first; a deeper industry wins a tie."""
    rows = read_seed("industries", seeds_dir)
    parents = {r["industry_id"]: r["parent_id"] or None for r in rows}

    def depth(industry: str) -> int:
        return 0 if not parents.get(industry) else 1 + depth(parents[industry])

    cues = [(cue, r["industry_id"], depth(r["industry_id"])) for r in rows for cue in r["cues"].split("|") if cue]
    return sorted(cues, key=lambda c: (-len(c[0]), -c[2]))


def industry_of(text: str | None) -> str | None:
    """The industry a phrase names (seed industries), the most specific on a tie."""
    if not text:
        return None
    for cue, industry, _ in _industry_cues(seeds_dir()):
        if cue in text:
            return industry
    return None
