"""全文检索: facts whose sentence, subject or article contain every word (生物医药 签约)."""
import streamlit as st

from chanye.app import export, widgets

st.title("全文检索")
widgets.require_warehouse()
text = st.text_input("检索词（空格分隔，须全部出现）", value=st.query_params.get("q", ""), placeholder="如：生物医药 签约",
                     key="search_text")
if st.query_params.get("q", "") != text:
    st.query_params["q"] = text
if not text.strip():
    st.caption("在证据原句、主体、文章标题、行业、指标和地区名中检索。")
    st.stop()
rows = widgets.data("search", text=text)
st.caption(f"找到 {len(rows)} 条事实" + ("（最多显示 500 条）" if len(rows) >= 500 else ""))
widgets.facts_table(rows, words=text.split())
if not rows.empty:
    widgets.downloads(export.fact_rows(rows), export.FACT_COLUMNS, "search", f"检索：{text}", {"检索词": text},
                      key="search_export")
