-- Every target or forecast claim, with the latest actual value of the same region and metric
-- (mart_latest) and the progress towards it.
-- When the region reports no actual for the target's own metric, the latest actual of a proxy
-- metric (seed metric_proxies: an industry_scale target is tracked by output_value, then
-- revenue ...) is used, flagged by is_proxy_metric. Units must match: no currency conversion.
-- progress = latest_actual_value / target_value (target_value = the lower end of a range);
-- null when there is no actual or the target is 0.
with targets as (
    select *
    from {{ ref('fct_metric_observation') }}
    where modality in ('target', 'forecast')
),

candidates as (
    select distinct metric_id, metric_id as proxy_metric_id, 0 as preference
    from targets
    union all
    select metric_id, proxy_metric_id, preference
    from {{ ref('metric_proxies') }}
),

matched as (
    select
        t.fact_id,
        l.metric_id as latest_actual_metric_id,
        l.fact_id as latest_actual_fact_id,
        l.value as latest_actual_value,
        l.qualifier as latest_actual_qualifier,
        l.year as latest_actual_year,
        l.published as latest_actual_published,
        l.document_id as latest_actual_document_id,
        l.outlet as latest_actual_outlet,
        l.evidence as latest_actual_evidence,
        c.preference > 0 as is_proxy_metric
    from targets as t
    inner join candidates as c on c.metric_id = t.metric_id
    inner join {{ ref('mart_latest') }} as l
        on l.region_code = t.region_code
        and l.metric_id = c.proxy_metric_id
        and l.unit = t.unit
    qualify row_number() over (partition by t.fact_id order by c.preference) = 1
)

select
    t.fact_id,
    t.document_id,
    t.region_code,
    g.name as region_name,
    t.metric_id,
    t.modality,
    t.qualifier,
    t.value as target_value,
    t.value_high as target_value_high,
    t.unit,
    t.year as deadline_year,
    t.published,
    t.outlet,
    t.evidence,
    t.industry_id,
    m.latest_actual_metric_id,
    coalesce(m.is_proxy_metric, false) as is_proxy_metric,
    m.latest_actual_fact_id,
    m.latest_actual_value,
    m.latest_actual_qualifier,
    m.latest_actual_year,
    m.latest_actual_published,
    m.latest_actual_document_id,
    m.latest_actual_outlet,
    m.latest_actual_evidence,
    case
        when m.latest_actual_value is not null and t.value <> 0
            then m.latest_actual_value / t.value
    end as progress,
    case
        when m.latest_actual_value is null then 'no_actual'
        when t.value <> 0 and m.latest_actual_value / t.value >= 1 then 'reached'
        else 'open'
    end as status
from targets as t
left join matched as m using (fact_id)
left join {{ ref('dim_region') }} as g on g.region_code = t.region_code
