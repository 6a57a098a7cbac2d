"""What several pages draw: the warehouse (cached per published build), the region picker, fact
tables with their evidence, target progress bars, charts and the download buttons."""
from __future__ import annotations

import html
import math

import altair as alt
import pandas as pd
import streamlit as st

from chanye.app import display, export, queries

CSS = """
<style>
.cy-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
.cy-table th { text-align: left; border-bottom: 2px solid #ccc; padding: 4px 6px; white-space: nowrap; }
.cy-table td { border-bottom: 1px solid #eee; padding: 4px 6px; vertical-align: top; white-space: nowrap; }
.cy-table td.cy-evidence { white-space: normal; width: 50%; min-width: 26rem; }
.cy-table mark, .cy-card mark { background: #ffe58a; padding: 0 2px; border-radius: 2px; }
.cy-value { border-bottom: 1px dotted #888; cursor: help; white-space: nowrap; font-weight: 600; }
.cy-badge { display: inline-block; font-size: 0.75rem; padding: 0 6px; border-radius: 8px; margin-left: 4px;
            background: #e8f0fe; color: #1a4fa0; white-space: nowrap; }
.cy-badge.cy-corrected { background: #fff1e0; color: #9a4b00; }
.cy-source { color: #666; font-size: 0.8rem; }
.cy-card { border: 1px solid #e3e3e3; border-radius: 8px; padding: 10px 14px; margin: 8px 0; }
.cy-card h4 { margin: 0 0 6px 0; font-size: 1rem; }
.cy-bar { background: #eef1f5; border-radius: 6px; height: 14px; position: relative; overflow: hidden; margin: 6px 0; }
.cy-bar > div { background: #2e7d32; height: 100%; }
.cy-bar.cy-open > div { background: #1f77b4; }
.cy-bar.cy-none { background: repeating-linear-gradient(45deg, #eef1f5, #eef1f5 6px, #e2e6ea 6px, #e2e6ea 12px); }
.cy-side { border-left: 3px solid #ddd; padding-left: 10px; }
</style>
"""


# ---------------------------------------------------------------- the warehouse

@st.cache_resource
def warehouse() -> queries.Warehouse:
    return queries.Warehouse()


def version():
    return warehouse().version


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, build, kwargs: tuple):
    return getattr(queries, name)(warehouse(), **dict(kwargs))


def data(name: str, **kwargs):
    """queries.<name>(warehouse, **kwargs), cached until a new build is published."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    result = _cached(name, version(), frozen)
    return dict((k, list(v) if isinstance(v, tuple) else v) for k, v in result.items()) \
        if isinstance(result, dict) else result.copy()


def require_warehouse() -> None:
    """Stop the page with a hint when nothing is published yet."""
    if not warehouse().exists():
        st.warning("还没有发布的数据仓库。请先运行流水线：`make run`（或 `chanye run`），完成后刷新本页。")
        st.stop()


# ---------------------------------------------------------------- regions

def region_label(row) -> str:
    return f"{row['name']}（{int(row['facts'])}）"


def region_picker(key: str = "region") -> str | None:
    """Province → city → county, from the regions with facts; the choice is kept in the URL
    (?region=330523) so a view can be shared. Returns the most specific code chosen."""
    regions = data("regions_with_facts")
    if regions.empty:
        st.info("仓库中还没有带地区的事实。")
        return None
    by_code = regions.set_index("region_code")
    chosen = st.query_params.get("region")
    if chosen in by_code.index and f"{key}_province" not in st.session_state:
        row = by_code.loc[chosen]
        st.session_state[f"{key}_province"] = row["province_code"] if isinstance(row["province_code"], str) else chosen
        level = row["level"]
        if level == "city":
            st.session_state[f"{key}_city"] = chosen
        elif level == "county":
            city = row["city_code"]
            direct = not isinstance(city, str) or city == row["province_code"]
            st.session_state[f"{key}_city"] = chosen if direct else city
            if not direct:
                st.session_state[f"{key}_county"] = chosen

    def reset(*names):
        for name in names:
            st.session_state.pop(f"{key}_{name}", None)

    provinces = regions[regions["level"] == "province"]
    cols = st.columns(3)
    province = cols[0].selectbox(
        "省级", provinces["region_code"].tolist(), key=f"{key}_province",
        format_func=lambda c: region_label(by_code.loc[c]), on_change=reset, args=("city", "county"),
    )
    below = regions[(regions["province_code"] == province) & (regions["region_code"] != province)]
    # cities, and the counties directly under the province (municipality districts, 省直辖县)
    seconds = below[(below["level"] == "city") | ((below["level"] == "county")
                                                  & (below["city_code"].isna() | (below["city_code"] == province)))]
    city = cols[1].selectbox(
        "地级", [None, *seconds["region_code"].tolist()], key=f"{key}_city",
        format_func=lambda c: "（全省）" if c is None else region_label(by_code.loc[c]),
        on_change=reset, args=("county",),
    )
    county = None
    if city and by_code.loc[city, "level"] == "city":
        counties = below[(below["level"] == "county") & (below["city_code"] == city)]
        county = cols[2].selectbox(
            "县级", [None, *counties["region_code"].tolist()], key=f"{key}_county",
            format_func=lambda c: "（全市）" if c is None else region_label(by_code.loc[c]),
        )
    code = county or city or province
    if st.query_params.get("region") != code:
        st.query_params["region"] = code
    return code


def industry_picker(label: str = "行业", key: str = "industry") -> str | None:
    inds = data("industries")
    names = dict(zip(inds["industry_id"], inds["path_zh"]))
    return st.selectbox(label, [None, *inds["industry_id"].tolist()], key=key,
                        format_func=lambda i: "全部行业" if i is None else names.get(i, i))


# ---------------------------------------------------------------- facts and evidence

def source_html(title, doc, url, outlet=None, published=None) -> str:
    """The article a number came from, linked to its URL where the warehouse has one."""
    name = html.escape(str(title or doc or "原文"))
    meta = " · ".join(html.escape(str(x)) for x in (outlet, _date(published)) if _present(x))
    link = (f'<a href="{html.escape(str(url))}" target="_blank" rel="noopener">{name}</a>'
            if _present(url) else f'<span title="{html.escape(str(doc or ""))}">{name}</span>')
    return f'<span class="cy-source">{link}{" · " + meta if meta else ""}</span>'


def _present(v) -> bool:
    return v is not None and v is not pd.NaT and not (isinstance(v, float) and math.isnan(v)) and str(v) != ""


def _date(v) -> str:
    if not _present(v):
        return ""
    return str(v)[:10]


def facts_table(frame: pd.DataFrame, words: list[str] | None = None, limit: int = 300) -> None:
    """Facts with their evidence: the number highlighted in its sentence, the base value on
    hover, a link to the article, corrections marked with the extracted value beside."""
    if frame.empty:
        st.info("没有符合条件的事实。")
        return
    rows = export.fact_rows(frame.head(limit))
    body = []
    for r in rows.to_dict("records"):
        value = display.value_html(r["value"], r["unit"], r["metric_id"], r["value_high"], r["qualifier"], r["value_read"])
        if r.get("is_corrected"):
            was = r.get("original_value_display") or display.value_text(r.get("original_value"), r["unit"], r["metric_id"])
            tip = html.escape(f"{r.get('corrected_by') or ''}: {r.get('correction_note') or ''}")
            value += f'<br><span class="cy-badge cy-corrected" title="{tip}">已修正 · 原为 {html.escape(str(was))}</span>'
        evidence = display.highlight(r["evidence"], [r["span_text"], *(words or [])])
        body.append(
            "<tr>"
            f"<td>{html.escape(str(r['region_name'] or ''))}</td>"
            f"<td>{html.escape(str(r['metric_name'] or r['metric_id']))}</td>"
            f"<td>{html.escape(str(r['subject'] or ''))}</td>"
            f"<td>{html.escape(str(r['industry_name'] or ''))}</td>"
            f"<td>{value}</td>"
            f"<td>{'' if not _present(r['year']) else int(r['year'])}</td>"
            f"<td>{html.escape(str(r['modality_zh'] or ''))}</td>"
            f"<td>{html.escape(str(r['qualifier_zh'] or ''))}</td>"
            f'<td class="cy-evidence">{evidence}<br>{source_html(r["title"], r["doc"], r["url"], r["outlet"], r["published"])}'
            f'<br><span class="cy-source">fact_id {html.escape(r["fact_id"])}</span></td>'
            "</tr>"
        )
    header = "".join(f"<th>{h}</th>" for h in ("地区", "指标", "主体", "行业", "数值", "年份", "性质", "限定", "证据原句与来源"))
    st.html(f'<table class="cy-table cy-facts"><thead><tr>{header}</tr></thead><tbody>{"".join(body)}</tbody></table>')
    if len(frame) > limit:
        st.caption(f"仅显示前 {limit} 条，共 {len(frame)} 条；导出可得全部。")


def target_card(r: dict) -> str:
    """One target: what, by when, how far (a progress bar against the latest comparable actual,
    or a hatched empty bar when there is none), and the sentences both numbers came from."""
    target = r["value_read"]
    head = (f"{html.escape(str(r.get('region_name') or ''))} · {_int(r['deadline_year'])}年"
            f"{display.MODALITY.get(r['modality'], r['modality'])} · "
            f"{html.escape(str(r['metric_name'] or r['metric_id']))}"
            + (f" · {html.escape(str(r['industry_name']))}" if _present(r.get("industry_name")) else "")
            + f" · {display.value_html(r['target_value'], r['unit'], r['metric_id'], r.get('target_value_high'), r['qualifier'], target)}")
    if r.get("is_corrected") is True:
        tip = html.escape(f"{r.get('corrected_by') or ''}: {r.get('correction_note') or ''}")
        head += f'<span class="cy-badge cy-corrected" title="{tip}">已修正 · 原为 {html.escape(str(r.get("original_value_display") or ""))}</span>'
    progress = r.get("progress")
    status = display.STATUS.get(r["status"], r["status"])
    if _present(progress):
        pct = max(0.0, min(float(progress), 1.0)) * 100
        cls = "cy-bar" + ("" if r["status"] == "reached" else " cy-open")
        bar = (f'<div class="{cls}" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{pct:.0f}" '
               f'aria-label="完成度" title="{display.progress_text(progress)}"><div style="width:{pct:.1f}%"></div></div>')
        actual = (f"完成度 <b>{display.progress_text(progress)}</b>（{status}）：最新可比实际值 "
                  f"{display.value_html(r['latest_actual_value'], r['unit'], r.get('latest_actual_metric_id') or r['metric_id'], shown=r['latest_actual_read'])}"
                  f"（{_int(r.get('latest_actual_year'))}年）")
        actual += f"<br>{display.highlight(r.get('latest_actual_evidence'), r.get('latest_actual_span_text'))}"
    else:
        bar = ('<div class="cy-bar cy-none" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
               f'aria-valuetext="{status}" aria-label="完成度" title="{status}"><div style="width:0%"></div></div>')
        actual = f"{status}：仓库中还没有与该目标同地区、同指标、同口径的实际值。"
    evidence = display.highlight(r["evidence"], r.get("span_text"))
    return (f'<div class="cy-card cy-target" data-fact-id="{html.escape(r["fact_id"])}">'
            f"<h4>{head}</h4>{bar}<div>{actual}</div>"
            f'<div style="margin-top:6px">目标原句：{evidence}<br>{source_html(r["title"], r["doc"], r["url"], r["outlet"], r["published"])}</div>'
            "</div>")


def _int(v) -> str:
    return "" if not _present(v) else str(int(v))


def target_cards(frame: pd.DataFrame, limit: int = 100) -> None:
    if frame.empty:
        st.info("没有符合条件的目标。")
        return
    rows = export.target_rows(frame.head(limit)).to_dict("records")
    st.html("".join(target_card(r) for r in rows))
    if len(frame) > limit:
        st.caption(f"仅显示前 {limit} 个目标，共 {len(frame)} 个；导出可得全部。")


# ---------------------------------------------------------------- charts

def scaled(frame: pd.DataFrame, value_columns: list[str], unit: str, metric_id: str | None) -> tuple[pd.DataFrame, str]:
    """Values divided into the unit an analyst reads (亿元, 亩, 家), with the label."""
    magnitude = max((frame[c].abs().max() for c in value_columns if c in frame and frame[c].notna().any()), default=0)
    divisor, label = display.scale(unit, metric_id, magnitude)
    out = frame.copy()
    for c in value_columns:
        out[f"{c}_shown"] = out[c] / divisor
        out[f"{c}_base"] = [display.base_text(v, unit) for v in out[c]]
    return out, label


def progress_chart(frame: pd.DataFrame) -> alt.Chart | None:
    """Each target's progress as a horizontal bar (100% = reached), coloured by status."""
    rows = frame[frame["progress"].notna()].copy()
    if rows.empty:
        return None
    rows["label"] = [f"{r} · {m} · {int(y)}" for r, m, y in zip(rows["region_name"], rows["metric_name"], rows["deadline_year"])]
    rows["progress_shown"] = rows["progress"].clip(upper=1.5)
    rows["进度"] = rows["progress"].map(display.progress_text)
    rows["状态"] = rows["status"].map(display.STATUS).fillna(rows["status"])
    bars = alt.Chart(rows).mark_bar().encode(
        x=alt.X("progress_shown:Q", title="完成度（最新可比实际值 / 目标）", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1.5])),
        y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
        color=alt.Color("状态:N"),
        tooltip=["label:N", "进度:N", "状态:N", alt.Tooltip("target_value:Q", title="目标（基础单位）", format=",.0f"),
                 alt.Tooltip("latest_actual_value:Q", title="实际值（基础单位）", format=",.0f"), "unit:N"],
    )
    rule = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#333", strokeDash=[4, 3]).encode(
        x=alt.X("x:Q", title="完成度（最新可比实际值 / 目标）"))
    return (bars + rule).properties(height=max(120, 26 * len(rows)))


def series_chart(frame: pd.DataFrame, metric_name: str, unit: str, metric_id: str) -> alt.Chart:
    """One metric over the years, a line per industry, targets and forecasts as hollow points."""
    rows, label = scaled(frame, ["value"], unit, metric_id)
    rows["性质"] = rows["modality"].map(display.MODALITY).fillna(rows["modality"])
    rows["数值"] = [display.value_text(v, unit, metric_id) for v in rows["value"]]
    base = alt.Chart(rows).encode(
        x=alt.X("year:O", title="年份", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value_shown:Q", title=f"{metric_name}（{label}）"),
        color=alt.Color("industry_name:N", title="行业"),
        tooltip=[alt.Tooltip("industry_name:N", title="行业"), alt.Tooltip("year:O", title="年份"), "性质:N", "数值:N",
                 alt.Tooltip("value_base:N", title="基础单位数值"), alt.Tooltip("facts:Q", title="事实数"),
                 alt.Tooltip("evidence:N", title="证据")],
    )
    line = base.transform_filter(alt.datum.modality == "actual").mark_line(point=True)
    planned = base.transform_filter(alt.datum.modality != "actual").mark_point(filled=False, size=90, shape="diamond")
    return (line + planned).properties(height=300)


def compare_chart(frame: pd.DataFrame, metric_name: str, unit: str, metric_id: str) -> alt.Chart:
    """Several regions side by side per year (actual values as bars, targets as ticks)."""
    rows, label = scaled(frame, ["actual_value", "target_value"], unit, metric_id)
    rows["实际值"] = [display.value_text(v, unit, metric_id) for v in rows["actual_value"]]
    rows["目标值"] = [display.value_text(v, unit, metric_id) for v in rows["target_value"]]
    base = alt.Chart(rows).encode(
        x=alt.X("year:O", title="年份", axis=alt.Axis(labelAngle=0)),
        xOffset="region_name:N",
        color=alt.Color("region_name:N", title="地区"),
        tooltip=[alt.Tooltip("region_name:N", title="地区"), alt.Tooltip("year:O", title="年份"), "实际值:N",
                 alt.Tooltip("actual_value_base:N", title="实际值（基础单位）"), "目标值:N",
                 alt.Tooltip("target_value_base:N", title="目标值（基础单位）")],
    )
    bars = base.mark_bar().encode(y=alt.Y("actual_value_shown:Q", title=f"{metric_name}（{label}）"))
    ticks = base.mark_tick(thickness=3, size=18, color="#d62728").encode(y="target_value_shown:Q")
    return (bars + ticks).properties(height=340)


# ---------------------------------------------------------------- downloads

def downloads(frame: pd.DataFrame, columns: list[tuple[str, str]], name: str, view: str, filters: dict,
              key: str) -> None:
    """.xlsx and CSV of the view (all rows, Chinese headers, evidence, URL and document columns)."""
    table = export.table(frame, columns)
    about = export.about(view, filters, len(table))
    cols = st.container(horizontal=True)
    cols.download_button("导出 Excel", data=lambda: export.to_xlsx(table, view, about), file_name=f"{name}.xlsx",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            key=f"{key}_xlsx", on_click="ignore", icon=":material/download:")
    cols.download_button("导出 CSV", data=lambda: export.to_csv(table), file_name=f"{name}.csv", mime="text/csv",
                            key=f"{key}_csv", on_click="ignore", icon=":material/download:")


# ---------------------------------------------------------------- corrections

def fact_label(r: dict) -> str:
    sentence = str(r.get("evidence") or "")
    return (f"{r.get('metric_name') or r['metric_id']} · {r['value_read']} · {_int(r.get('year')) or '年份不详'} · "
            f"{display.MODALITY.get(r['modality'], r['modality'])} — {sentence[:40]}{'…' if len(sentence) > 40 else ''}"
            f"（{r['fact_id'][:8]}）")


def correction_form(facts: pd.DataFrame | None, key: str, fact_id: str | None = None) -> None:
    """Mark a fact wrong, or correct its value, metric, region, year or modality, with a note.
    The correction goes to its own store (never the published warehouse) and applies from the
    next build on."""
    from chanye import corrections

    with st.form(key, clear_on_submit=False):
        if facts is not None:
            if facts.empty:
                st.info("当前视图没有事实可修正。")
                st.form_submit_button("提交修正", disabled=True)
                return
            rows = {r["fact_id"]: r for r in export.fact_rows(facts).to_dict("records")}
            chosen = st.selectbox("事实", list(rows), format_func=lambda f: fact_label(rows[f]), key=f"{key}_fact")
        else:
            chosen = st.text_input("事实编号 fact_id（至少前 6 位）", value=fact_id or "", key=f"{key}_fact")
        action = st.radio("操作", ["correct", "reject", "revert"], horizontal=True, key=f"{key}_action",
                          format_func=lambda a: {"correct": "更正", "reject": "标记为错误", "revert": "撤销此前的修正"}[a])
        cols = st.columns(5)
        value = cols[0].text_input("数值", placeholder="如 600亿元、3-5亿元、7500亩", key=f"{key}_value")
        metrics = data("metrics")
        names = dict(zip(metrics["metric_id"], metrics["name_zh"]))
        metric = cols[1].selectbox("指标", [None, *metrics["metric_id"].tolist()], key=f"{key}_metric",
                                   format_func=lambda m: "（不变）" if m is None else f"{names[m]} {m}")
        region = cols[2].text_input("地区", placeholder="代码或全称，如 330523", key=f"{key}_region")
        year = cols[3].text_input("年份", placeholder="如 2026", key=f"{key}_year")
        modality = cols[4].selectbox("性质", [None, "actual", "target", "forecast"], key=f"{key}_modality",
                                     format_func=lambda m: "（不变）" if m is None else display.MODALITY[m])
        note = st.text_area("修正说明（必填）", placeholder="为什么有误，依据是什么", key=f"{key}_note")
        by = st.text_input("修正人", value=st.session_state.get("corrected_by") or corrections.default_author(),
                           key=f"{key}_by")
        submitted = st.form_submit_button("提交修正", type="primary")
    if submitted:
        try:
            year_value = int(year) if year.strip() else None
        except ValueError:
            st.error(f"年份 {year!r} 不是数字")
            return
        try:
            entry = corrections.record(
                chosen or "", note, corrections.Change(value=value or None, metric=metric, region=region or None,
                                                       year=year_value, modality=modality),
                action=action, by=by,
            )
        except (ValueError, FileNotFoundError) as exc:
            st.error(str(exc))
            return
        st.session_state["corrected_by"] = by
        st.success(f"已记录修正 {entry['correction_id'][:8]}（事实 {entry['fact_id']}）。修正保存在独立的修正库中，"
                   "将在下一次构建（`chanye run`，或定时运行）时生效，之后每次重跑都会保留。")
