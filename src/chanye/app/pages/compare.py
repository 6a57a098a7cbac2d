"""地区对比: several regions side by side on one metric and industry, by year."""
import streamlit as st

from chanye.app import export, widgets

st.title("地区对比")
widgets.require_warehouse()
regions = widgets.data("regions_with_facts")
metrics = widgets.data("metrics")
metric_names = dict(zip(metrics["metric_id"], metrics["name_zh"]))
by_metric = widgets.data("facts_by_metric")
present = [m for m in metrics["metric_id"] if metric_names[m] in set(by_metric["metric"])]
if not present or regions.empty:
    st.info("仓库中还没有可对比的事实。")
    st.stop()

cols = st.columns([1, 1, 3])
default = "investment" if "investment" in present else present[0]
metric = cols[0].selectbox("指标", present, index=present.index(default), format_func=lambda m: metric_names[m],
                           key="compare_metric")
with cols[1]:
    industry = widgets.industry_picker(key="compare_industry")
labels = {r["region_code"]: f"{r['name']}（{r['region_code']}）" for r in regions.to_dict("records")}
ranked = regions[regions["level"] != "province"].sort_values("facts", ascending=False)["region_code"].tolist()
chosen = cols[2].multiselect("地区（可多选）", list(labels), default=ranked[:3], format_func=lambda c: labels[c],
                             key="compare_regions", placeholder="选择地区")
rows = widgets.data("compare", regions=chosen, metric=metric, industry=industry)
if rows.empty:
    st.info("所选地区在该指标上没有带年份的数值。换一个指标、行业或地区试试。")
    st.stop()
for unit, part in rows.groupby("unit"):
    st.altair_chart(widgets.compare_chart(part, metric_names[metric], unit, metric), width="stretch")
st.caption("柱为实际值（全部行业时县的数值汇总到市、省，见 mart_region_year）；红色短线为目标值。悬停可见基础单位数值。")
table = rows.assign(metric_name=metric_names[metric])
columns = [("region_name", "地区"), ("region_code", "地区代码"), ("metric_name", "指标"), ("year", "年份"),
           ("actual_value", "实际值（基础单位）"), ("target_value", "目标值（基础单位）"),
           ("forecast_value", "预测值（基础单位）"), ("unit", "基础单位"), ("fact_count", "事实数")]
st.dataframe(export.table(table, columns), hide_index=True)
widgets.downloads(table, columns, f"compare-{metric}", f"地区对比 {metric_names[metric]}",
                  {"指标": metric, "行业": industry, "地区": chosen}, key="compare_export")
