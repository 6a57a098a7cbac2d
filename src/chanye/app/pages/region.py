"""地区: province → city → county; the region's targets against its latest comparable actuals,
its figures over the years, and every fact with the sentence it came from."""
import streamlit as st

from chanye.app import display, export, widgets

st.title("地区")
widgets.require_warehouse()
code = widgets.region_picker()
if not code:
    st.stop()
region = widgets.data("region", code=code)
parents = " · ".join(x for x in (region.get("province_name"), region.get("city_name")) if isinstance(x, str) and x != region["name"])
st.header(region["name"])
st.caption(f"{parents + ' · ' if parents else ''}{display.LEVEL.get(region['level'], region['level'])} · 代码 {code}"
           "（含下辖地区）")

industry = widgets.industry_picker()
facts = widgets.data("facts", region=code, industry=industry)
targets = widgets.data("targets", region=code, industry=industry)
cols = st.columns(3)
cols[0].metric("事实", len(facts))
cols[1].metric("目标与预测", len(targets))
cols[2].metric("文章", facts["document_id"].nunique())

st.subheader("目标进展")
st.caption("每个目标与同地区、同指标、可比口径的最新实际值相比；没有可比实际值时进度条为空。")
widgets.target_cards(targets)
if not targets.empty:
    widgets.downloads(export.target_rows(targets), export.TARGET_COLUMNS, f"targets-{code}", f"{region['name']} 目标进展",
                      {"地区": code, "行业": industry}, key="region_targets")

st.subheader("时间序列")
series = widgets.data("time_series", region=code, industry=industry)
if series.empty:
    st.info("本地区自身没有带年份的事实（下辖地区的事实见其页面）。")
else:
    names = series.drop_duplicates("metric_id").set_index("metric_id")
    years = series.groupby("metric_id")["year"].nunique().sort_values(ascending=False)
    metric = st.selectbox("指标", years.index.tolist(), format_func=lambda m: f"{names.loc[m, 'metric_name']}（{years[m]} 年）",
                          key="series_metric")
    rows = series[series["metric_id"] == metric]
    st.altair_chart(widgets.series_chart(rows, names.loc[metric, "metric_name"], rows["unit"].iloc[0], metric),
                    width="stretch")
    st.caption("每年取本地区该指标的最大明确值（同一年的多条报道互相重叠，不相加）；空心菱形为目标或预测。悬停可见基础单位数值与证据。")

st.subheader("事实")
cols = st.columns(2)
metrics = widgets.data("metrics")
metric_names = dict(zip(metrics["metric_id"], metrics["name_zh"]))
present = sorted(facts["metric_id"].unique().tolist())
metric = cols[0].selectbox("指标", [None, *present], format_func=lambda m: "全部指标" if m is None else metric_names.get(m, m),
                           key="facts_metric")
modality = cols[1].selectbox("性质", [None, "actual", "target", "forecast"],
                             format_func=lambda m: "全部" if m is None else display.MODALITY[m], key="facts_modality")
shown = facts
if metric:
    shown = shown[shown["metric_id"] == metric]
if modality:
    shown = shown[shown["modality"] == modality]
widgets.facts_table(shown)
widgets.downloads(export.fact_rows(shown), export.FACT_COLUMNS, f"facts-{code}", f"{region['name']} 事实",
                  {"地区": code, "行业": industry, "指标": metric, "性质": modality}, key="region_facts")

with st.expander("修正一条事实（标记错误，或更正数值、指标、地区、年份、性质）"):
    widgets.correction_form(shown, key="region_correction")
