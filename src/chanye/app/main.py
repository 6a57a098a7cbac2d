"""The app's entry point (`streamlit run` starts this file; `chanye ui` does that): the pages,
and in the sidebar which build of the warehouse is shown."""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from chanye.app import queries, widgets

st.set_page_config(page_title="chanye 产业数据", page_icon=":material/factory:", layout="wide")
st.html(widgets.CSS)

PAGES = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page("pages/region.py", title="地区", icon=":material/location_on:"),
    st.Page("pages/targets.py", title="目标进展", icon=":material/flag:"),
    st.Page("pages/compare.py", title="地区对比", icon=":material/bar_chart:"),
    st.Page("pages/conflicts.py", title="数据冲突", icon=":material/compare_arrows:"),
    st.Page("pages/search.py", title="全文检索", icon=":material/search:"),
    st.Page("pages/corrections.py", title="人工修正", icon=":material/edit_note:"),
    st.Page("pages/quality.py", title="数据质量", icon=":material/verified:"),
]
page = st.navigation(PAGES)

with st.sidebar:
    wh = widgets.warehouse()
    build = wh.version
    if build is None:
        st.caption("尚无发布的数据仓库")
    else:
        published = datetime.fromtimestamp(build[1] / 1e9).strftime("%Y-%m-%d %H:%M")
        run = queries.last_run() or {}
        st.caption(f"数据发布于 {published}")
        if run:
            build_kind = {"full": "全量构建", "incremental": "增量构建"}.get(run.get("warehouse_build"), "")
            st.caption(f"最近运行：{build_kind} · 新文档 {run.get('documents_staged', 0)} 篇")
        # a new build was published while this session was open: the pages now read it
        seen = st.session_state.setdefault("build_seen", build)
        if seen != build:
            st.session_state["build_seen"] = build
            st.toast("已载入新发布的数据仓库")

page.run()
