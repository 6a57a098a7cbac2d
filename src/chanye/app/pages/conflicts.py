"""数据冲突: the same region, metric and year reported with different values, both reports side by side."""
import html

import streamlit as st

from chanye.app import display, export, widgets

st.title("数据冲突")
st.caption("同一地区、指标、年份与性质，不同文章报道的数值相差 1% 以上：先报与后报并列，附各自原句。")
widgets.require_warehouse()
rows = widgets.data("conflicts")
if rows.empty:
    st.success("没有发现相互矛盾的数值。")
    st.stop()
table = export.conflict_rows(rows)
widgets.downloads(table, export.CONFLICT_COLUMNS, "conflicts", "数据冲突", {}, key="conflicts_export")
for r in table.to_dict("records"):
    with st.container(border=True):
        note = "（限定词可解释差异）" if r["bounds_compatible"] else ""
        st.markdown(f"**{r['region_name']} · {r['metric_name']} · {int(r['year'])}年 · {r['modality_zh']}** — "
                    f"相差 {r['relative_difference']:.0%}{note}")
        left, right = st.columns(2)
        for col, side, label in ((left, "a", "先报"), (right, "b", "后报")):
            with col:
                value = display.value_html(r[f"value_{side}"], r["unit"], r["metric_id"], None, r[f"qualifier_{side}"],
                                           r[f"value_{side}_read"])
                st.html(f'<div class="cy-side"><b>{label}</b> {value}<br>'
                        f'{display.highlight(r[f"evidence_{side}"], r[f"span_text_{side}"])}<br>'
                        f'{widgets.source_html(r[f"title_{side}"], r[f"doc_{side}"], r[f"url_{side}"], r[f"outlet_{side}"], r[f"published_{side}"])}'
                        f'<br><span class="cy-source">fact_id {html.escape(r[f"fact_id_{side}"])}</span></div>')
