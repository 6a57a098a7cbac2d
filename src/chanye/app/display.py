"""How analysts read the warehouse: Chinese labels, numbers in 亿元/万元/亩/家 (the base value
beside them on hover), the evidence sentence with its number highlighted. No Streamlit here: the
export and the command line use the same words."""
from __future__ import annotations

import html
import math
from functools import lru_cache

MODALITY = {"actual": "实际", "target": "目标", "forecast": "预测"}
QUALIFIER = {"exact": "", "approx": "约", "lower_bound": "超过/以上", "upper_bound": "不超过", "range": "区间"}
SCOPE = {"stock": "存量", "flow": "年度流量", "new": "新增", "cumulative": "累计"}
LEVEL = {"province": "省级", "city": "地级", "county": "县级"}
STATUS = {  # mart_targets.status
    "reached": "已达成",
    "open": "进行中",
    "no_actual": "暂无实际值",
    "no_comparable_actual": "暂无可比实际值",
}
CORRECTION_STATUS = {
    "applied": "已生效",
    "rejected": "已标记错误",
    "reverted": "已撤销",
    "invalid": "无效（未生效）",
    "orphaned": "事实已不存在",
    "superseded": "已被后续修正取代",
    "pending": "待下次构建生效",
}
SUITES = {"inputs": "输入", "documents": "文档", "facts": "事实", "marts": "数据集市", "rollups": "汇总"}  # the GX gates
ACTION = {"correct": "更正", "reject": "标记错误", "revert": "撤销修正"}
CURRENCY = {"CNY": "元", "USD": "美元", "EUR": "欧元", "HKD": "港元", "TWD": "新台币", "JPY": "日元", "GBP": "英镑",
            "KRW": "韩元", "AUD": "澳元", "CAD": "加元", "SGD": "新加坡元", "CHF": "瑞士法郎", "RUB": "卢布",
            "MOP": "澳门元", "THB": "泰铢"}
BASE_UNIT = {"m2": "平方米", "count": "", "percent": "%", "year": "年", **CURRENCY}
MU = 2000 / 3  # m² per 亩
_NUMERIC = set("0123456789.,，零〇一二三四五六七八九十百千万亿两")


@lru_cache(maxsize=1)
def measure_words() -> dict[str, str]:
    """The measure word a count metric is read in (enterprise_count → 家), from the metrics seed."""
    from chanye.seeds import read_seed

    return {m["metric_id"]: (m.get("measures") or "个").split("|")[0] for m in read_seed("metrics")}


def scale(unit: str | None, metric_id: str | None = None, magnitude: float | None = None) -> tuple[float, str]:
    """(divisor, unit label) to show values of this unit and metric around `magnitude`:
    CNY → 亿元 from 1亿 on, else 万元; land in 亩 (万亩); floor space in 平方米 (万平方米);
    counts with their measure word (家, 个, 项)."""
    m = abs(magnitude or 0)
    if unit in CURRENCY:
        name = CURRENCY[unit]
        return (1e8, f"亿{name}") if m >= 1e8 else (1e4, f"万{name}") if m >= 1e4 else (1, name)
    if unit == "m2":
        if metric_id == "land_area":
            return (MU * 1e4, "万亩") if m >= MU * 1e4 else (MU, "亩")
        if m >= 1e6 and metric_id != "floor_area":
            return 1e6, "平方公里"
        return (1e4, "万平方米") if m >= 1e4 else (1, "平方米")
    if unit == "count":
        word = measure_words().get(metric_id or "", "个")
        return (1e4, f"万{word}") if m >= 1e4 else (1, word)
    if unit == "percent":
        return 1, "%"
    if unit == "year":
        return 1, "年"
    return 1, unit or ""


def number(x: float, digits: int = 2) -> str:
    """1150 → 1,150; 3.50 → 3.5; 0.3333 → 0.33."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    text = f"{x:,.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def value_text(value: float | None, unit: str | None, metric_id: str | None = None,
               value_high: float | None = None, qualifier: str | None = None) -> str:
    """A base-unit value as an analyst reads it: 500亿元, 约150亿元, 3-5亿元, 7500亩, 28个, 12.5%."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    high = None if value_high is None or (isinstance(value_high, float) and math.isnan(value_high)) else value_high
    divisor, label = scale(unit, metric_id, high if high is not None else value)
    text = number(value / divisor)
    if high is not None:
        text += "-" + number(high / divisor)
    prefix = {"approx": "约", "lower_bound": "超", "upper_bound": "不超过"}.get(qualifier or "", "")
    return f"{prefix}{text}{label}"


def base_text(value: float | None, unit: str | None) -> str:
    """The stored base value, for the hover: 50,000,000,000 CNY."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{number(value, 4)} {unit or ''}".strip()


def value_html(value, unit, metric_id=None, value_high=None, qualifier=None, shown: str | None = None) -> str:
    """The value as read (or `shown`, e.g. the extractor's value_display), the base value on hover."""
    text = shown or value_text(value, unit, metric_id, value_high, qualifier)
    return f'<span class="cy-value" title="{html.escape(base_text(value, unit))}">{html.escape(text)}</span>'


def highlight(sentence: str | None, spans: list[str] | str | None) -> str:
    """The sentence, HTML-escaped, with each span marked (the number a fact was read from; the
    words of a search)."""
    sentence = sentence or ""
    spans = [spans] if isinstance(spans, str) else [s for s in (spans or []) if s]
    marks: list[tuple[int, int]] = []
    for span in spans:
        start = sentence.find(span)
        while start >= 0:
            # a number inside a longer one is not it (7家 in 147家)
            if not (span[:1] in _NUMERIC and start > 0 and sentence[start - 1] in _NUMERIC):
                marks.append((start, start + len(span)))
            start = sentence.find(span, start + len(span))
    out, pos = [], 0
    for start, end in _merged(marks):
        out += [html.escape(sentence[pos:start]), "<mark>", html.escape(sentence[start:end]), "</mark>"]
        pos = end
    out.append(html.escape(sentence[pos:]))
    return "".join(out)


def _merged(marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(marks):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def progress_text(progress: float | None) -> str:
    return "" if progress is None or (isinstance(progress, float) and math.isnan(progress)) else f"{progress:.0%}"
