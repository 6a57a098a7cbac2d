"""Any table view as a spreadsheet to hand to a colleague: .xlsx (openpyxl: a sheet of the rows
with Chinese headers, values as read and in base units, the evidence sentence, the article's
title, file and URL as a link; a second sheet saying what was exported from which build) or CSV
(UTF-8 with BOM, so Excel reads the Chinese). The app's download buttons and `chanye export`
write the same files."""
from __future__ import annotations

import io
import math
from datetime import date, datetime

import pandas as pd

from chanye.app import display

# (column of the query, header): the facts every fact view exports, in this order
FACT_COLUMNS = [
    ("region_name", "地区"),
    ("region_code", "地区代码"),
    ("metric_name", "指标"),
    ("subject", "主体"),
    ("industry_name", "行业"),
    ("value_read", "数值"),
    ("value", "数值（基础单位）"),
    ("value_high", "上限（基础单位）"),
    ("unit", "基础单位"),
    ("year", "年份"),
    ("modality_zh", "性质"),
    ("qualifier_zh", "限定"),
    ("scope_zh", "口径"),
    ("evidence", "证据原句"),
    ("title", "文章标题"),
    ("doc", "文档"),
    ("outlet", "来源"),
    ("published", "发布日期"),
    ("url", "链接"),
    ("is_corrected", "已人工修正"),
    ("original_value_display", "原提取数值"),
    ("corrected_by", "修正人"),
    ("correction_note", "修正说明"),
    ("fact_id", "fact_id"),
    ("document_id", "document_id"),
]

TARGET_COLUMNS = [
    ("region_name", "地区"),
    ("region_code", "地区代码"),
    ("metric_name", "指标"),
    ("industry_name", "行业"),
    ("deadline_year", "目标年份"),
    ("modality_zh", "性质"),
    ("value_read", "目标值"),
    ("target_value", "目标值（基础单位）"),
    ("unit", "基础单位"),
    ("latest_actual_read", "最新可比实际值"),
    ("latest_actual_value", "实际值（基础单位）"),
    ("latest_actual_year", "实际值年份"),
    ("progress", "完成度"),
    ("status_zh", "状态"),
    ("evidence", "目标证据原句"),
    ("latest_actual_evidence", "实际值证据原句"),
    ("title", "文章标题"),
    ("doc", "文档"),
    ("outlet", "来源"),
    ("published", "发布日期"),
    ("url", "链接"),
    ("fact_id", "fact_id"),
    ("latest_actual_fact_id", "实际值 fact_id"),
]

CONFLICT_COLUMNS = [
    ("region_name", "地区"),
    ("region_code", "地区代码"),
    ("metric_name", "指标"),
    ("year", "年份"),
    ("modality_zh", "性质"),
    ("value_a_read", "先报数值"),
    ("evidence_a", "先报证据"),
    ("title_a", "先报文章"),
    ("outlet_a", "先报来源"),
    ("published_a", "先报日期"),
    ("url_a", "先报链接"),
    ("value_b_read", "后报数值"),
    ("evidence_b", "后报证据"),
    ("title_b", "后报文章"),
    ("outlet_b", "后报来源"),
    ("published_b", "后报日期"),
    ("url_b", "后报链接"),
    ("relative_difference", "相对差异"),
    ("bounds_compatible", "限定词可解释"),
    ("fact_id_a", "先报 fact_id"),
    ("fact_id_b", "后报 fact_id"),
]

CORRECTION_COLUMNS = [
    ("corrected_at", "修正时间"),
    ("corrected_by", "修正人"),
    ("action_zh", "操作"),
    ("status_zh", "状态"),
    ("region_name", "地区"),
    ("metric_name", "指标"),
    ("original_read", "原提取数值"),
    ("corrected_read", "修正后数值"),
    ("year", "修正后年份"),
    ("original_year", "原年份"),
    ("modality", "修正后性质"),
    ("correction_note", "修正说明"),
    ("invalid_reason", "未生效原因"),
    ("evidence", "证据原句"),
    ("title", "文章标题"),
    ("doc", "文档"),
    ("url", "链接"),
    ("fact_id", "fact_id"),
    ("correction_id", "correction_id"),
]


def _missing(v) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _value_read(out: pd.DataFrame, value: str, high: str) -> list[str]:
    """The value as the article wrote it, else as display renders it from the base-unit columns."""
    return [
        shown if isinstance(shown, str) and shown else display.value_text(v, u, m, h, q)
        for shown, v, u, m, h, q in zip(out["value_display"], out[value], out["unit"], out["metric_id"],
                                        out[high], out["qualifier"])
    ]


def fact_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Facts (queries.facts, queries.search) with the readable columns the export and tables show."""
    out = frame.copy()
    out["value_read"] = _value_read(out, "value", "value_high")
    out["modality_zh"] = out["modality"].map(display.MODALITY).fillna(out["modality"])
    out["qualifier_zh"] = out["qualifier"].map(display.QUALIFIER).fillna(out["qualifier"])
    out["scope_zh"] = out["scope"].map(display.SCOPE)
    return out


def target_rows(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["value_read"] = _value_read(out, "target_value", "target_value_high")
    out["latest_actual_read"] = [
        "" if _missing(v) else (shown if isinstance(shown, str) and shown else display.value_text(v, u, m))
        for shown, v, u, m in zip(out["latest_actual_value_display"], out["latest_actual_value"], out["unit"],
                                  out["latest_actual_metric_id"].fillna(out["metric_id"]))
    ]
    out["modality_zh"] = out["modality"].map(display.MODALITY).fillna(out["modality"])
    out["status_zh"] = out["status"].map(display.STATUS).fillna(out["status"])
    return out


def conflict_rows(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for side in ("a", "b"):
        out[f"value_{side}_read"] = [
            shown if isinstance(shown, str) and shown else display.value_text(v, u, m, None, q)
            for shown, v, u, m, q in zip(out[f"value_display_{side}"], out[f"value_{side}"], out["unit"],
                                         out["metric_id"], out[f"qualifier_{side}"])
        ]
    out["modality_zh"] = out["modality"].map(display.MODALITY).fillna(out["modality"])
    return out


def correction_rows(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if out.empty:
        for name, _ in CORRECTION_COLUMNS:
            out[name] = []
        return out
    metric = out["metric_id"].fillna(out["original_metric_id"])
    out["original_read"] = [
        "" if _missing(v) else (s if isinstance(s, str) and s else display.value_text(v, u, m))
        for s, v, u, m in zip(out["original_value_display"], out["original_value"], out["original_unit"],
                              out["original_metric_id"])
    ]
    out["corrected_read"] = [
        "" if _missing(v) else (s if isinstance(s, str) and s else display.value_text(v, u, m, h, q))
        for s, v, u, m, h, q in zip(out["value_display"], out["value"], out["unit"], metric, out["value_high"],
                                    out["qualifier"])
    ]
    out["action_zh"] = out["action"].map(display.ACTION).fillna(out["action"])
    out["status_zh"] = out["status"].map(display.CORRECTION_STATUS).fillna(out["status"])
    return out


def table(frame: pd.DataFrame, columns: list[tuple[str, str]]) -> pd.DataFrame:
    """The named columns under their Chinese headers (columns a view lacks are left out)."""
    present = [(c, h) for c, h in columns if c in frame.columns]
    return frame[[c for c, _ in present]].rename(columns=dict(present))


def _cell(v):
    if _missing(v):
        return None
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, datetime):
        return v.replace(tzinfo=None) if v.tzinfo else v  # Excel has no time zones (the values are UTC)
    if isinstance(v, (bool, int, float, str, date)):
        return v
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return str(v)


def to_xlsx(frame: pd.DataFrame, sheet: str = "数据", about: dict | None = None) -> bytes:
    """The table as an .xlsx workbook: a header row, frozen; URLs as links; evidence wrapped;
    a sheet 说明 with `about` (what was exported, from which build, when)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    headers = [str(c) for c in frame.columns]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    ws.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        letter = get_column_letter(i)
        long_text = "证据" in header or "标题" in header or "说明" in header
        ws.column_dimensions[letter].width = 60 if long_text else min(40, max(10, len(header) * 2 + 2))
        for cell in ws[letter][1:]:
            if long_text:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif "链接" in header and isinstance(cell.value, str) and cell.value.startswith(("http://", "https://")):
                cell.hyperlink = cell.value
                cell.style = "Hyperlink"
            elif "日期" in header and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
    info = wb.create_sheet("说明")
    for key, value in (about or {}).items():
        info.append([str(key), _cell(value) if not isinstance(value, (list, dict)) else str(value)])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")


def about(view: str, filters: dict, rows: int) -> dict:
    """The 说明 sheet: the view, its filters, the build it came from."""
    from chanye.app import queries

    run = queries.last_run() or {}
    return {
        "内容": view,
        **{f"筛选: {k}": v for k, v in filters.items() if v not in (None, "", [])},
        "行数": rows,
        "导出时间 (UTC)": datetime.utcnow().replace(microsecond=0),
        "仓库": run.get("warehouse", ""),
        "最近一次运行": run.get("run_id", ""),
        "说明": "数值为人工可读形式，基础单位数值见相应列；证据原句为数值出处；已人工修正的事实保留原提取数值。",
    }
