"""人工修正: the corrections analysts made, what became of each, and a form to make one."""
import streamlit as st

from chanye.app import display, export, queries, widgets

st.title("人工修正")
st.caption("修正保存在独立的修正库（data/corrections/corrections.jsonl，只追加，记录修正人与时间），"
           "每次构建（增量或全量）都会重新应用；原提取值保留在旁。发布的数据仓库本身只读。")
widgets.require_warehouse()

frame = queries.pending_corrections(widgets.warehouse())  # not cached: the store changes between builds
if not frame.empty:
    st.subheader(f"待生效（{len(frame)}）")
    st.caption("这些修正已记录，将在下一次构建时生效。")
    frame["操作"] = frame["action"].map(display.ACTION)
    st.dataframe(frame[["corrected_at", "corrected_by", "操作", "fact_id", "value_display", "metric_id", "region_code",
                        "year", "modality", "note", "span_text"]].rename(columns={
        "corrected_at": "修正时间", "corrected_by": "修正人", "fact_id": "fact_id", "value_display": "数值",
        "metric_id": "指标", "region_code": "地区", "year": "年份", "modality": "性质", "note": "说明", "span_text": "原文片段"}),
        hide_index=True)

rows = widgets.data("corrections")
st.subheader(f"已构建的修正（{len(rows)}）")
if rows.empty:
    st.info("当前发布的仓库中还没有修正。")
else:
    table = export.correction_rows(rows)
    problems = table[table["status"].isin(["orphaned", "invalid"])]
    if not problems.empty:
        st.warning(f"{len(problems)} 条修正未能应用：事实已不存在（重新抽取后原句或指标变化），或修正内容无效。它们被保留并列在下方，不会丢失。")
    st.dataframe(export.table(table, export.CORRECTION_COLUMNS), hide_index=True)
    widgets.downloads(table, export.CORRECTION_COLUMNS, "corrections", "人工修正", {}, key="corrections_export")

st.subheader("按编号修正一条事实")
widgets.correction_form(None, key="corrections_form", fact_id=st.query_params.get("fact"))
