"""总览: what the warehouse holds, the last run and its data-quality verdict."""
import altair as alt
import pandas as pd
import streamlit as st

from chanye.app import display, queries, widgets

st.title("产业数据总览")
widgets.require_warehouse()

o = widgets.data("overview")
cols = st.columns(6)
cols[0].metric("文章", f"{o['documents']:,}", help=f"其中转载重复 {o['duplicates']:,} 篇（不重复计数）")
cols[1].metric("事实", f"{o['facts']:,}", help="从文章中读出的带数值的陈述（指标、地区、年份、出处）")
cols[2].metric("目标与预测", f"{o['targets']:,}")
cols[3].metric("地区", f"{o['regions']:,}")
cols[4].metric("行业", f"{o['industries']:,}")
cols[5].metric("人工修正", f"{o['corrected']:,}")
if pd.notna(o["first_published"]):
    st.caption(f"文章发布时间 {str(o['first_published'])[:10]} 至 {str(o['last_published'])[:10]}")

st.subheader("最近一次运行")
run = queries.last_run()
reports = queries.run_reports(limit=1)
if run:
    failed = [name for name, r in (reports[0]["suites"] if reports else {}).items()
              if any(f.get("severity") == "critical" for f in r.get("failures", []))]
    warnings = sum(v.get("warnings", 0) for v in run["data_quality"].values())
    verdict = "未通过：" + "、".join(display.SUITES.get(f, f) for f in failed) if failed else "通过"
    cols = st.columns(4)
    cols[0].metric("数据质量", verdict, help="发布前的 Great Expectations 检查（关键项未通过则不发布）")
    cols[1].metric("新增文档", run.get("documents_staged", 0))
    cols[2].metric("隔离", run.get("quarantined", 0), help="无法使用的输入，附原因（见“数据质量”页）")
    cols[3].metric("构建", {"full": "全量", "incremental": "增量"}.get(run.get("warehouse_build"), ""),
                   help=run.get("build_reason"))
    checks = pd.DataFrame(
        [{"检查": f"{display.SUITES.get(name, name)}（{name}）", "通过": v["passed"], "期望数": v["expectations"],
          "警告": v.get("warnings", 0)}
         for name, v in run["data_quality"].items()]
    )
    st.dataframe(checks, hide_index=True)
    st.caption(f"运行 {run['run_id']}；警告 {warnings} 项")
else:
    st.info("还没有运行记录（data/reports/last_run.json）。")


def facts_chart(name: str, column: str, label: str, row_height: int) -> None:
    """Facts counted by one column (bars), stacked by modality."""
    rows = widgets.data(name)
    if rows.empty:
        return
    rows["性质"] = rows["modality"].map(display.MODALITY)
    st.altair_chart(
        alt.Chart(rows).mark_bar().encode(
            x=alt.X("sum(facts):Q", title="事实数"),
            y=alt.Y(f"{column}:N", title=None, sort="-x"),
            color=alt.Color("性质:N"),
            tooltip=[alt.Tooltip(f"{column}:N", title=label), "性质:N", alt.Tooltip("facts:Q", title="事实数")],
        ).properties(height=max(120, row_height * rows[column].nunique())),
        width="stretch",
    )


left, right = st.columns(2)
with left:
    st.subheader("各省事实数")
    facts_chart("facts_by_province", "province", "省份", 28)
with right:
    st.subheader("各指标事实数")
    facts_chart("facts_by_metric", "metric", "指标", 30)
