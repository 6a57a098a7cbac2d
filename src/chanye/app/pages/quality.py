"""数据质量: the gates of recent runs (Great Expectations results) and the quarantine with reasons."""
import altair as alt
import pandas as pd
import streamlit as st

from chanye.app import export, queries, widgets
from chanye.app.display import SUITES

st.title("数据质量")
reports = queries.run_reports()
if not reports:
    st.info("还没有运行报告（data/reports/<run>/*.json）。")
else:
    st.subheader("最近的运行")
    summary = []
    for run in reports:
        suites = run["suites"]
        critical = [s for s, r in suites.items() if any(f.get("severity") == "critical" for f in r.get("failures", []))]
        warnings = sum(1 for r in suites.values() for f in r.get("failures", []) if f.get("severity") != "critical")
        summary.append({"运行": run["run"], "时间 (UTC)": run["at"].strftime("%Y-%m-%d %H:%M"),
                        "结论": "未通过：" + "、".join(SUITES.get(s, s) for s in critical) if critical else "通过",
                        "检查组": len(suites), "警告": warnings,
                        "期望通过": f"{sum(r.get('passed', 0) for r in suites.values())}/"
                                    f"{sum(r.get('expectations', 0) for r in suites.values())}"})
    st.dataframe(pd.DataFrame(summary), hide_index=True)
    for run in reports[:5]:
        with st.expander(f"{run['run']} 的检查明细"):
            for suite, r in run["suites"].items():
                st.markdown(f"**{SUITES.get(suite, suite)}**（{suite}）：{r.get('passed', 0)}/{r.get('expectations', 0)} 项通过，"
                            f"{r.get('rows', 0)} 行")
                failures = r.get("failures", [])
                if failures:
                    st.dataframe(pd.DataFrame([{
                        "级别": "关键" if f.get("severity") == "critical" else "警告",
                        "期望": f.get("expectation"), "列": f.get("column"), "不符行数": f.get("unexpected_count"),
                        "含义": f.get("meaning"), "示例": ", ".join(map(str, f.get("examples", [])[:3])),
                    } for f in failures]), hide_index=True)

st.subheader("隔离区")
st.caption("无法使用的输入（或未通过检查的行）被隔离并注明原因，不会被悄悄丢弃；后续运行解决后移入历史。")
if not widgets.warehouse().exists():
    st.info("还没有发布的数据仓库。")
    st.stop()
current = widgets.data("quarantine", current=True)
if current.empty:
    st.success("当前没有被隔离的输入。")
else:
    reasons = current.groupby("reason").size().reset_index(name="count")
    st.altair_chart(alt.Chart(reasons).mark_bar().encode(
        x=alt.X("count:Q", title="条数"), y=alt.Y("reason:N", title="原因", sort="-x"),
        tooltip=[alt.Tooltip("reason:N", title="原因"), alt.Tooltip("count:Q", title="条数")],
    ), width="stretch")
    columns = [("stage", "环节"), ("source_path", "文件"), ("source_line", "行"), ("reason", "原因"), ("detail", "详情"),
               ("run_id", "运行"), ("quarantined_at", "隔离时间"), ("raw_hash", "内容哈希"), ("byte_size", "字节数")]
    st.dataframe(export.table(current, columns), hide_index=True)
    widgets.downloads(current, columns, "quarantine", "隔离区", {}, key="quarantine_export")
history = widgets.data("quarantine", current=False)
resolved = history[history["is_current"] == False] if not history.empty else history  # noqa: E712
with st.expander(f"隔离历史（共 {len(history)} 条，其中已解决 {len(resolved)} 条）"):
    st.dataframe(history, hide_index=True)
