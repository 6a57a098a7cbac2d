"""目标进展: every target and forecast, with its progress against the latest comparable actual."""
import streamlit as st

from chanye.app import display, export, widgets

st.title("目标进展")
widgets.require_warehouse()
everything = widgets.data("targets")
if everything.empty:
    st.info("仓库中还没有目标或预测。")
    st.stop()

cols = st.columns(4)
regions = everything.drop_duplicates("region_code").dropna(subset=["region_code"]).sort_values("region_code")
region_names = dict(zip(regions["region_code"], regions["region_name"]))
region = cols[0].selectbox("地区", [None, *regions["region_code"].tolist()], key="targets_region",
                           format_func=lambda c: "全部地区" if c is None else f"{region_names[c]}（{c}）")
with cols[1]:
    industry = widgets.industry_picker(key="targets_industry")
years = everything["deadline_year"].dropna().astype(int)
first, last = (int(years.min()), int(years.max())) if not years.empty else (2020, 2030)
deadlines = cols[2].slider("目标年份", first, max(last, first + 1), (first, max(last, first + 1)), key="targets_years")
status = cols[3].multiselect("状态", sorted(everything["status"].dropna().unique()), key="targets_status",
                             format_func=lambda s: display.STATUS.get(s, s), placeholder="全部状态")
rows = widgets.data("targets", region=region, industry=industry, deadlines=list(deadlines), status=status)
st.caption(f"{len(rows)} 个目标与预测；完成度 = 最新可比实际值 / 目标值（无可比实际值时不计算）。")

chart = widgets.progress_chart(rows)
if chart is not None:
    st.altair_chart(chart, width="stretch")
widgets.downloads(export.target_rows(rows), export.TARGET_COLUMNS, "targets", "目标进展",
                  {"地区": region, "行业": industry, "目标年份": f"{deadlines[0]}-{deadlines[1]}", "状态": status},
                  key="targets_export")
widgets.target_cards(rows)
