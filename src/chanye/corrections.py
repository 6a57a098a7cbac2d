"""Analysts' corrections of extracted facts.

An analyst marks a fact wrong, or corrects its value, metric, region, year or modality, with a
note (`chanye correct`, or the app). Corrections live in their own store, an append-only JSON-lines
log beside the lake (settings().corrections_log, schema schemas.CORRECTIONS), never in the
warehouse that each build replaces. dbt reads the log in every build, incremental or full refresh
(source `corrections.log` → int_corrections__current: each fact's latest entry), applies it to
fct_metric_observation with the extracted reading kept beside the corrected one, sets aside the
facts marked wrong, and lists every entry in fct_correction, including those whose fact is no
longer extracted (status `orphaned`). A newer extractor never overwrites a correction: the
extractor writes the lake, analysts write this log, and dbt applies the log last.

    record(fact_id, note, change=Change(...), action="correct", by=None) -> entry   (validated, appended)
    read_log() -> [entry, ...]
    pending() -> entries the published warehouse does not reflect yet
"""
from __future__ import annotations

import fcntl
import getpass
import json
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from chanye.config import settings
from chanye.schemas import CORRECTIONS

ACTIONS = ("correct", "reject", "revert")
MODALITIES = {"actual": "actual", "target": "target", "forecast": "forecast", "实际": "actual", "目标": "target",
              "预测": "forecast", "预计": "forecast"}
YEARS = (1900, 2100)
_PREFIX_QUALIFIERS = {"约": "approx", "近": "approx", "超过": "lower_bound", "超": "lower_bound", "逾": "lower_bound",
                      "不少于": "lower_bound", "不超过": "upper_bound"}
_FACT_COLUMNS = ("fact_id", "document_id", "metric_id", "region_code", "year", "modality", "unit", "evidence", "span_text")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Change:
    """What an analyst sets; None leaves the extracted reading as it is."""

    value: str | None = None  # as written (600亿元, 3-5亿元, 7500亩, 12.5%), or a number in the fact's base unit
    metric: str | None = None  # metric_id
    region: str | None = None  # GB/T 2260 code, or a name the gazetteer knows (安吉县)
    year: int | None = None
    modality: str | None = None  # actual/target/forecast (实际/目标/预测)

    def is_empty(self) -> bool:
        return all(v in (None, "") for v in (self.value, self.metric, self.region, self.year, self.modality))


def ensure_store() -> Path:
    """The log file (empty until the first correction): dbt's source reads it in every build."""
    path = settings().corrections_log
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=True)
    return path


def read_log() -> list[dict]:
    path = settings().corrections_log
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def record(fact_id: str, note: str, change: Change = Change(), action: str = "correct", by: str | None = None) -> dict:
    """Validate a correction against the published warehouse and append it to the log; it applies
    from the next build on. Raises ValueError (a message for the analyst) when it cannot apply."""
    from chanye import warehouse

    if action not in ACTIONS:
        raise ValueError(f"未知的操作 {action!r}（可选: {', '.join(ACTIONS)}）")
    if not (note or "").strip():
        raise ValueError("请写明修正说明（--note）：为什么这条事实有误，依据是什么")
    if action == "correct" and change.is_empty():
        raise ValueError("没有要修正的内容：请给出新的数值、指标、地区、年份或性质，或将其标记为错误")
    with warehouse.connect_analyst() as con:
        fact = _find_fact(con, fact_id.strip())
        entry = {"fact_id": fact["fact_id"], "action": action, "note": note.strip(),
                 "document_id": fact["document_id"], "evidence": fact["evidence"], "span_text": fact["span_text"]}
        if action == "correct":
            entry |= _resolve(con, fact, change, _carried_over(fact["fact_id"]))
    entry |= {"correction_id": uuid.uuid4().hex, "corrected_by": (by or "").strip() or default_author(),
              "corrected_at": datetime.now(timezone.utc).isoformat()}
    return _append({name: entry.get(name) for name in CORRECTIONS.names})


def pending() -> list[dict]:
    """Log entries the published warehouse does not reflect yet (made since its build)."""
    from chanye import warehouse

    entries = read_log()
    if not entries:
        return []
    try:
        with warehouse.connect_analyst() as con:
            if not con.execute("select count(*) from information_schema.tables where table_name = 'fct_correction'").fetchone()[0]:
                return entries
            applied = {r[0] for r in con.execute("select correction_id from fct_correction").fetchall()}
    except FileNotFoundError:
        return entries
    return [e for e in entries if e["correction_id"] not in applied]


def default_author() -> str:
    return os.environ.get("CHANYE_USER") or getpass.getuser()


def parse_value(text: str, unit: str) -> dict:
    """An analyst's value: as written with its unit (600亿元, 3-5亿元, 7500亩, 12.5%, 约150亿元),
    read by the extractor's own number grammar, or a plain number in the fact's base unit."""
    from chanye.extract.quantities import find_quantities
    from chanye.extract.refdata import refdata

    text = text.strip()
    if _PLAIN_NUMBER.fullmatch(text):
        return {"value": float(text), "value_high": None, "qualifier": "exact", "unit": unit, "value_display": None}
    qualifier = next((q for prefix, q in _PREFIX_QUALIFIERS.items() if text.startswith(prefix)), None)
    found = list(find_quantities(text, refdata()))
    if len(found) != 1 or text[found[0].end:].strip() not in ("", "以上", "左右", "多", "余"):
        raise ValueError(f"读不懂数值 {text!r}：请写成 600亿元、3-5亿元、7500亩、12.5% 这样的形式，或以基础单位（{unit}）写一个数字")
    q = found[0]
    value = -q.value if q.negative else q.value
    return {
        "value": float(value),
        "value_high": float(q.value_high) if q.value_high is not None else None,
        "qualifier": "range" if q.value_high is not None else (q.qualifier or qualifier or "exact"),
        "unit": q.unit.base,
        "value_display": text,
    }


def _find_fact(con, fact_id: str) -> dict:
    """The fact as the published warehouse holds it: in fct_metric_observation, or set aside as
    wrong (fct_correction); a unique prefix of its id is enough."""
    if len(fact_id) < 6:
        raise ValueError(f"事实编号 {fact_id!r} 太短：至少写前 6 位")
    rows = con.execute(
        "select fact_id, document_id, metric_id, region_code, year, modality, unit, evidence, span_text "
        "from fct_metric_observation where starts_with(fact_id, ?)",
        [fact_id],
    ).fetchall()
    if not rows and _has_table(con, "fct_correction"):  # set aside as wrong: a revert brings it back
        rows = con.execute(
            "select distinct fact_id, document_id, original_metric_id, original_region_code, original_year, "
            "original_modality, original_unit, evidence, span_text "
            "from fct_correction where is_current and status = 'rejected' and starts_with(fact_id, ?)",
            [fact_id],
        ).fetchall()
    if not rows:
        raise ValueError(f"仓库中没有事实 {fact_id!r}（用 chanye sql 或应用查找 fact_id）")
    if len({r[0] for r in rows}) > 1:
        raise ValueError(f"事实编号 {fact_id!r} 不唯一：{', '.join(sorted({r[0] for r in rows})[:5])} …")
    return dict(zip(_FACT_COLUMNS, rows[0]))


CORRECTED_FIELDS = ("value", "value_high", "qualifier", "unit", "value_display", "metric_id", "region_code", "year", "modality")


def _carried_over(fact_id: str) -> dict:
    """What the fact's current correction sets: a new correction of the same fact replaces it
    (the latest entry applies), so it repeats what it does not change."""
    latest = next((e for e in reversed(read_log()) if e["fact_id"] == fact_id), None)
    if not latest or latest["action"] != "correct":
        return {}
    return {k: latest[k] for k in CORRECTED_FIELDS if latest.get(k) is not None}


def _resolve(con, fact: dict, change: Change, carried: dict) -> dict:
    """The change in the warehouse's terms (ids, base units), checked against its vocabularies,
    over what the fact's current correction already sets."""
    out = dict(carried)
    metric = carried.get("metric_id", fact["metric_id"])
    if change.metric:
        metric = change.metric.strip()
        if not con.execute("select count(*) from dim_metric where metric_id = ?", [metric]).fetchone()[0]:
            names = [r[0] for r in con.execute("select metric_id from dim_metric order by 1").fetchall()]
            raise ValueError(f"未知的指标 {metric!r}（可选: {', '.join(names)}）")
        out["metric_id"] = metric
    unit = carried.get("unit", fact["unit"])
    if change.value not in (None, ""):
        out |= parse_value(str(change.value), unit)
        unit = out["unit"]
    allowed = con.execute("select allowed_units from dim_metric where metric_id = ?", [metric]).fetchone()[0] or ""
    if unit not in allowed.split(","):
        raise ValueError(f"单位 {unit} 不适用于指标 {metric}（允许: {allowed}）：请同时给出新的数值和单位")
    if change.region:
        out["region_code"] = _region_code(con, change.region.strip())
    if change.year not in (None, ""):
        year = int(change.year)
        if not YEARS[0] <= year <= YEARS[1]:
            raise ValueError(f"年份 {year} 不合理（{YEARS[0]}–{YEARS[1]}）")
        out["year"] = year
    if change.modality:
        modality = MODALITIES.get(change.modality.strip())
        if not modality:
            raise ValueError(f"未知的性质 {change.modality!r}（可选: actual/实际, target/目标, forecast/预测）")
        out["modality"] = modality
    return out


def _region_code(con, region: str) -> str:
    """A code as it is; a name, the current division of that name (GB/T 2260 keeps retired codes)."""
    rows = con.execute(
        "select region_code, name, is_current from dim_region where region_code = ? or name = ? or short_name = ? "
        "order by region_code",
        [region, region, region],
    ).fetchall()
    if not rows:
        raise ValueError(f"未知的地区 {region!r}：请写 GB/T 2260 代码（如 330523）或全称（如 安吉县）")
    codes = [r for r in rows if r[0] == region] or [r for r in rows if r[2]] or rows
    if len({r[0] for r in codes}) > 1:
        options = ", ".join(f"{r[0]} {r[1]}" for r in codes[:6])
        raise ValueError(f"地区 {region!r} 有多个：{options}；请写代码")
    return codes[0][0]


def _has_table(con, name: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_name = ?", [name]).fetchone()[0])


def _append(entry: dict) -> dict:
    """One line, appended under an exclusive lock and synced: the app and the command line may
    write at the same time, and nothing is ever rewritten."""
    path = ensure_store()
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    with path.open("a", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return entry
