"""The read side of the app: every question a page asks the published warehouse, as a function
returning a DataFrame. No Streamlit here: the pages, `chanye export` and the tests share it.

A Warehouse opens the published file read-only with the analysts' locked-down settings
(warehouse.connect_analyst) and opens it again when `publish` swaps in a new build (the file's
inode and mtime change); readers of the old file finish on it."""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pandas as pd

from chanye import warehouse
from chanye.config import settings


class Warehouse:
    """The published warehouse, read-only; re-opened when a new build is published.

    DuckDB keeps one database instance per path in a process and hands it to every new
    connection while any connection to it is open: the old file's connection (and every cursor
    on it) must be closed before the new file can be opened. Queries count themselves in and
    out; a re-open waits for those still running on the old file (they take milliseconds)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path or settings().published_warehouse)
        self._cond = threading.Condition()
        self._running = 0
        self._con = None
        self._opened: tuple | None = None

    @property
    def version(self) -> tuple | None:
        """Identifies the published build: (inode, mtime) of the file, None before the first run."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns

    def exists(self) -> bool:
        return self.version is not None

    def _current(self):
        """The connection to the published file (called holding the condition's lock)."""
        published = self.version
        if self._con is None or published != self._opened:
            while self._running:
                self._cond.wait()
            if self._con is not None:
                self._con.close()
                self._con = None
            self._con, self._opened = warehouse.connect_analyst(self.path), published
        return self._con

    def close(self) -> None:
        with self._cond:
            while self._running:
                self._cond.wait()
            if self._con is not None:
                self._con.close()
            self._con, self._opened = None, None

    def query(self, sql: str, params: list | tuple | dict = ()) -> pd.DataFrame:
        """`params`: a list for `?` placeholders, a dict for `$name` ones."""
        with self._cond:
            cursor = self._current().cursor()
            self._running += 1
        try:
            return cursor.execute(sql, params if isinstance(params, dict) else list(params)).df()
        finally:
            cursor.close()
            with self._cond:
                self._running -= 1
                self._cond.notify_all()

    def scalar(self, sql: str, params: list | tuple | dict = ()):
        frame = self.query(sql, params)
        return None if frame.empty else frame.iat[0, 0]

    def has_column(self, table: str, column: str) -> bool:
        return bool(self.scalar(
            "select count(*) from information_schema.columns where table_name = ? and column_name = ?", [table, column]
        ))

    def has_table(self, table: str) -> bool:
        return bool(self.scalar("select count(*) from information_schema.tables where table_name = ?", [table]))


# ---------------------------------------------------------------- shared pieces

def in_region(column: str = "f.region_code") -> str:
    """Rows of a region and the regions under it (a province's cities and counties, a city's counties)."""
    return (f"{column} in (select region_code from dim_region "
            "where region_code = $region or city_code = $region or province_code = $region)")


def _url(wh: Warehouse, alias: str = "d") -> str:
    """The article's URL where the warehouse has it (dim_document.url), else null."""
    return f"{alias}.url" if wh.has_column("dim_document", "url") else "null::varchar"


def _fact_select(wh: Warehouse) -> str:
    return f"""
        select
            f.fact_id,
            f.region_code,
            g.name as region_name,
            g.level as region_level,
            f.metric_id,
            m.name_zh as metric_name,
            m.dimension,
            f.subject,
            f.population,
            f.scope,
            f.industry_id,
            i.name_zh as industry_name,
            f.value,
            f.value_high,
            f.unit,
            f.qualifier,
            f.value_display,
            f.year,
            f.modality,
            f.evidence,
            f.span_text,
            f.document_id,
            d.doc,
            d.title,
            {_url(wh)} as url,
            f.published,
            f.outlet,
            f.is_corrected,
            f.original_value,
            f.original_value_display,
            f.original_metric_id,
            f.original_region_code,
            f.original_year,
            f.original_modality,
            f.corrected_by,
            f.corrected_at,
            f.correction_note
        from fct_metric_observation as f
        left join dim_region as g on g.region_code = f.region_code
        left join dim_metric as m on m.metric_id = f.metric_id
        left join dim_industry as i on i.industry_id = f.industry_id
        left join dim_document as d on d.document_id = f.document_id
    """


def _industry_filter(column: str = "f.industry_id") -> str:
    """An industry and the industries under it (生物医药 includes 医疗器械)."""
    return (f"{column} in (select industry_id from dim_industry "
            "where industry_id = $industry or root_industry_id = $industry or parent_id = $industry)")


# ---------------------------------------------------------------- vocabularies

def metrics(wh: Warehouse) -> pd.DataFrame:
    return wh.query("select metric_id, name_zh, dimension, allowed_units from dim_metric order by metric_id")


def industries(wh: Warehouse) -> pd.DataFrame:
    return wh.query("select industry_id, name_zh, parent_id, path_zh, depth from dim_industry order by path_zh")


def regions_with_facts(wh: Warehouse) -> pd.DataFrame:
    """Every province, city and county with facts of its own or below it, with the count."""
    return wh.query(
        """
        with own as (
            select region_code, count(*) as facts from fct_metric_observation
            where region_code is not null group by region_code
        ),
        rolled as (
            select r.region_code as own_code, unnest([r.region_code, r.city_code, r.province_code]) as region_code, o.facts
            from own as o inner join dim_region as r using (region_code)
        )
        select g.region_code, g.name, g.level, g.province_code, g.province_name, g.city_code, g.city_name,
               sum(distinct_facts.facts)::bigint as facts
        from (select distinct own_code, region_code, facts from rolled where region_code is not null) as distinct_facts
        inner join dim_region as g using (region_code)
        group by all
        order by g.region_code
        """
    )


def region(wh: Warehouse, code: str) -> dict | None:
    frame = wh.query("select * from dim_region where region_code = ?", [code])
    return None if frame.empty else frame.iloc[0].to_dict()


# ---------------------------------------------------------------- pages

def overview(wh: Warehouse) -> dict:
    row = wh.query(
        """
        select
            (select count(*) from dim_document) as documents,
            (select count(*) from dim_document where is_duplicate) as duplicates,
            (select count(*) from fct_metric_observation) as facts,
            (select count(*) from fct_metric_observation where modality in ('target', 'forecast')) as targets,
            (select count(distinct region_code) from fct_metric_observation) as regions,
            (select count(distinct industry_id) from fct_metric_observation) as industries,
            (select count(*) from fct_quarantined_input) as quarantined,
            (select min(published) from dim_document) as first_published,
            (select max(published) from dim_document) as last_published
        """
    ).iloc[0].to_dict()
    row["corrected"] = int(wh.scalar("select count(*) from fct_metric_observation where is_corrected") or 0) \
        if wh.has_column("fct_metric_observation", "is_corrected") else 0
    return row


def facts_by_province(wh: Warehouse) -> pd.DataFrame:
    return wh.query(
        """
        select coalesce(g.province_name, g.name) as province, f.modality, count(*) as facts
        from fct_metric_observation as f inner join dim_region as g using (region_code)
        group by all order by facts desc
        """
    )


def facts_by_metric(wh: Warehouse) -> pd.DataFrame:
    return wh.query(
        """
        select m.name_zh as metric, f.modality, count(*) as facts
        from fct_metric_observation as f inner join dim_metric as m using (metric_id)
        group by all order by facts desc
        """
    )


def facts(wh: Warehouse, region: str | None = None, industry: str | None = None, metric: str | None = None,
          modality: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The facts of a region (and the regions under it), an industry (and those under it), a
    metric, a modality: what the region page shows and `chanye export` writes."""
    where, params = _filters(region=region, industry=industry, metric=metric, modality=modality)
    sql = f"{_fact_select(wh)} {where} order by f.region_code, f.metric_id, f.year desc nulls last, f.published desc, f.fact_id"
    if limit:
        sql += f" limit {int(limit)}"
    return wh.query(sql, params)


def _filters(**given) -> tuple[str, dict]:
    clauses, params = [], {}
    for name, value in given.items():
        if value in (None, "", []):
            continue
        params[name] = value
        clauses.append({"region": in_region(), "industry": _industry_filter(),
                        "metric": "f.metric_id = $metric", "modality": "f.modality = $modality"}[name])
    return ("where " + " and ".join(clauses) if clauses else ""), params


def search(wh: Warehouse, text: str, limit: int = 500) -> pd.DataFrame:
    """Facts whose evidence sentence, subject or article title contain every word of `text`
    (生物医药 签约)."""
    words = [w for w in text.split() if w]
    if not words:
        return wh.query(f"{_fact_select(wh)} where false")
    clauses = " and ".join(
        f"contains(concat_ws(' ', f.evidence, f.subject, d.title, i.name_zh, m.name_zh, g.name), $w{i})" for i in range(len(words))
    )
    params = {f"w{i}": w for i, w in enumerate(words)}
    return wh.query(
        f"{_fact_select(wh)} where {clauses} order by f.published desc nulls last, f.fact_id limit {int(limit)}",
        params,
    )


def targets(wh: Warehouse, region: str | None = None, industry: str | None = None,
            deadlines: tuple[int, int] | None = None, status: list[str] | None = None) -> pd.DataFrame:
    """mart_targets (each target with the latest comparable actual and its progress), with names."""
    clauses, params = [], {}
    if region:
        clauses.append(in_region("t.region_code"))
        params["region"] = region
    if industry:
        clauses.append(_industry_filter("t.industry_id"))
        params["industry"] = industry
    if deadlines:
        clauses.append("t.deadline_year between $first and $last")
        params |= {"first": int(deadlines[0]), "last": int(deadlines[1])}
    if status:
        clauses.append("t.status in (select unnest($status))")
        params["status"] = list(status)
    where = "where " + " and ".join(clauses) if clauses else ""
    return wh.query(
        f"""
        select
            t.*,
            g.province_name,
            g.city_name,
            m.name_zh as metric_name,
            i.name_zh as industry_name,
            f.value_display,
            f.span_text,
            f.subject,
            f.scope,
            f.is_corrected,
            f.original_value_display,
            f.corrected_by,
            f.correction_note,
            d.title,
            d.doc,
            {_url(wh)} as url,
            la.span_text as latest_actual_span_text,
            la.value_display as latest_actual_value_display,
            {_url(wh, 'ld')} as latest_actual_url
        from mart_targets as t
        left join fct_metric_observation as f using (fact_id)
        left join fct_metric_observation as la on la.fact_id = t.latest_actual_fact_id
        left join dim_region as g on g.region_code = t.region_code
        left join dim_metric as m on m.metric_id = t.metric_id
        left join dim_industry as i on i.industry_id = t.industry_id
        left join dim_document as d on d.document_id = t.document_id
        left join dim_document as ld on ld.document_id = t.latest_actual_document_id
        {where}
        order by t.deadline_year nulls last, t.region_code, t.metric_id, t.fact_id
        """,
        params,
    )


def time_series(wh: Warehouse, region: str, industry: str | None = None) -> pd.DataFrame:
    """Per metric, industry, year and modality of the region's own facts: the largest firm value
    (claims about one region and year overlap; they are never summed), and how many facts."""
    where, params = _filters(industry=industry)
    params["region"] = region
    where = (where + " and" if where else "where") + " f.region_code = $region and f.year is not null"
    return wh.query(
        f"""
        select
            f.metric_id, m.name_zh as metric_name, f.unit,
            coalesce(i.name_zh, '未标注行业') as industry_name,
            f.year, f.modality,
            max(f.value) as value,
            count(*) as facts,
            arg_max(f.evidence, f.value) as evidence
        from fct_metric_observation as f
        left join dim_metric as m using (metric_id)
        left join dim_industry as i using (industry_id)
        {where}
        group by all
        order by f.metric_id, industry_name, f.year
        """,
        params,
    )


def compare(wh: Warehouse, regions: list[str], metric: str, industry: str | None = None) -> pd.DataFrame:
    """Several regions side by side on one metric, per year. All industries: mart_region_year
    (a city's figure rolled up from its counties where it reports none); one industry: each
    region's own largest firm claim of that industry."""
    if not regions:
        return pd.DataFrame()
    if not industry:
        return wh.query(
            """
            select region_code, region_name, year, unit, actual_value, target_value, forecast_value, fact_count
            from mart_region_year
            where metric_id = $metric and region_code in (select unnest($regions))
            order by region_code, year
            """,
            {"metric": metric, "regions": list(regions)},
        )
    return wh.query(
        f"""
        select
            f.region_code, g.name as region_name, f.year, f.unit,
            max(f.value) filter (where f.modality = 'actual' and f.qualifier in ('exact', 'lower_bound')) as actual_value,
            max(f.value) filter (where f.modality = 'target') as target_value,
            max(f.value) filter (where f.modality = 'forecast') as forecast_value,
            count(*) as fact_count
        from fct_metric_observation as f
        inner join dim_region as g using (region_code)
        where f.metric_id = $metric and f.region_code in (select unnest($regions)) and f.year is not null
          and {_industry_filter()}
        group by all
        order by f.region_code, f.year
        """,
        {"metric": metric, "regions": list(regions), "industry": industry},
    )


def conflicts(wh: Warehouse, region: str | None = None) -> pd.DataFrame:
    clauses, params = "", {}
    if region:
        clauses, params = "where " + in_region("c.region_code"), {"region": region}
    return wh.query(
        f"""
        select
            c.*,
            m.name_zh as metric_name,
            fa.span_text as span_text_a, fa.value_display as value_display_a,
            fb.span_text as span_text_b, fb.value_display as value_display_b,
            da.title as title_a, da.doc as doc_a, {_url(wh, 'da')} as url_a,
            db.title as title_b, db.doc as doc_b, {_url(wh, 'db')} as url_b
        from mart_conflicts as c
        left join dim_metric as m using (metric_id)
        left join fct_metric_observation as fa on fa.fact_id = c.fact_id_a
        left join fct_metric_observation as fb on fb.fact_id = c.fact_id_b
        left join dim_document as da on da.document_id = c.document_id_a
        left join dim_document as db on db.document_id = c.document_id_b
        {clauses}
        order by c.relative_difference desc, c.region_code, c.metric_id
        """,
        params,
    )


def corrections(wh: Warehouse) -> pd.DataFrame:
    """Every correction the published build knows (fct_correction), newest first, with names."""
    if not wh.has_table("fct_correction"):
        return pd.DataFrame()
    return wh.query(
        f"""
        select
            c.*,
            coalesce(g.name, og.name) as region_name,
            og.name as original_region_name,
            coalesce(m.name_zh, om.name_zh) as metric_name,
            om.name_zh as original_metric_name,
            d.title, d.doc, {_url(wh)} as url
        from fct_correction as c
        left join dim_region as g on g.region_code = c.region_code
        left join dim_region as og on og.region_code = c.original_region_code
        left join dim_metric as m on m.metric_id = c.metric_id
        left join dim_metric as om on om.metric_id = c.original_metric_id
        left join dim_document as d on d.document_id = c.document_id
        order by c.corrected_at desc, c.correction_id
        """
    )


def pending_corrections(wh: Warehouse) -> pd.DataFrame:
    """Corrections in the store that the published build does not reflect yet."""
    from chanye import corrections

    log = pd.DataFrame(corrections.read_log())
    if log.empty or not wh.has_table("fct_correction"):
        return log
    built = set(wh.query("select correction_id from fct_correction")["correction_id"])
    return log[~log["correction_id"].isin(built)]


def quarantine(wh: Warehouse, current: bool = True) -> pd.DataFrame:
    table = "fct_quarantined_input" if current else "fct_quarantine_history"
    return wh.query(f"select * from {table} order by quarantined_at desc")


# ---------------------------------------------------------------- run reports (files, not the warehouse)

def last_run() -> dict | None:
    path = settings().reports_dir / "last_run.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def run_reports(limit: int = 20) -> list[dict]:
    """The gate results of the most recent runs (data/reports/<run>/<suite>.json), newest first:
    {run, at, suites: {suite: report}}."""
    root = settings().reports_dir
    if not root.is_dir():
        return []
    runs = [p for p in root.iterdir() if p.is_dir() and any(p.glob("*.json"))]  # not reports/ui (screenshots)
    runs = sorted(runs, key=lambda p: p.stat().st_mtime, reverse=True)[:limit]
    out = []
    for run in runs:
        suites = {}
        for path in sorted(run.glob("*.json")):
            try:
                suites[path.stem] = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                suites[path.stem] = {"suite": path.stem, "unreadable": True, "failures": []}
        out.append({"run": run.name, "at": pd.Timestamp(run.stat().st_mtime, unit="s", tz="UTC"), "suites": suites})
    return out
