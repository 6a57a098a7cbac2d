-- Every target or forecast, with the latest actual that measures the same thing and the progress
-- towards the target. Comparable = the same region, metric (or a proxy declared equivalent in
-- the seed metric_proxies), unit, industry (branch: 医疗器械 is 生物医药's), population and scope,
-- and subjects that contain one
-- another (or one of them names none). Without such an actual the target is listed with status
-- no_comparable_actual and no ratio, with the nearest candidates (same region and metric family,
-- something else measured) in nearest_candidates for an analyst to judge.
with targets as (
    select * from {{ ref('int_facts__comparable') }}
    where modality in ('target', 'forecast')
),

latest as (
    select * from {{ ref('mart_latest') }}
),

related_metrics as (
    select distinct metric_id, metric_id as actual_metric_id, 0 as preference, true as is_equivalent
    from targets
    union all
    select metric_id, proxy_metric_id, preference, is_equivalent
    from {{ ref('metric_proxies') }}
),

candidates as (
    select
        t.fact_id as target_fact_id,
        l.*,
        r.preference,
        r.is_equivalent
            and t.root_industry_id is not distinct from l.root_industry_id
            and t.population is not distinct from l.population
            and t.scope is not distinct from l.scope
            and (
                t.subject_key is null or l.subject_key is null
                or contains(t.subject_key, l.subject_key)
                or contains(l.subject_key, t.subject_key)
            ) as is_comparable
    from targets as t
    inner join related_metrics as r on r.metric_id = t.metric_id
    inner join latest as l
        on l.region_code = t.region_code
        and l.metric_id = r.actual_metric_id
        and l.unit = t.unit
),

comparable as (
    select *
    from candidates
    where is_comparable
    qualify row_number() over (
        partition by target_fact_id order by year desc nulls last, published desc nulls last, preference, value desc, fact_id
    ) = 1
),

-- the five nearest reports that are not comparable, for an analyst to judge
nearest_ranked as (
    select
        *,
        row_number() over (
            partition by target_fact_id order by preference, year desc nulls last, value desc, fact_id
        ) as nearness
    from candidates
    where not is_comparable
),

nearest as (
    select
        target_fact_id,
        string_agg(
            concat(metric_id, ' ', value_display, coalesce(' ' || subject, ''), coalesce(' (' || year || ')', '')),
            '; ' order by nearness
        ) as nearest_candidates
    from nearest_ranked
    where nearness <= 5
    group by target_fact_id
),

regions as (
    select region_code, name from {{ ref('dim_region') }}
),

final as (
    select
        t.fact_id,
        t.document_id,
        t.region_code,
        g.name as region_name,
        t.metric_id,
        t.industry_id,
        t.population,
        t.scope,
        t.subject,
        t.modality,
        t.qualifier,
        t.value as target_value,
        t.value_high as target_value_high,
        t.value_display as target_display,
        t.unit,
        t.year as deadline_year,
        t.published,
        t.outlet,
        t.evidence,
        c.metric_id as latest_actual_metric_id,
        coalesce(c.metric_id <> t.metric_id, false) as is_proxy_metric,
        c.fact_id as latest_actual_fact_id,
        c.value as latest_actual_value,
        c.value_display as latest_actual_display,
        c.subject as latest_actual_subject,
        c.qualifier as latest_actual_qualifier,
        c.year as latest_actual_year,
        c.published as latest_actual_published,
        c.document_id as latest_actual_document_id,
        c.outlet as latest_actual_outlet,
        c.evidence as latest_actual_evidence,
        case when c.value is not null and t.value <> 0 then c.value / t.value end as progress,
        case
            when c.value is null then 'no_comparable_actual'
            when t.value <> 0 and c.value / t.value >= 1 then 'reached'
            else 'open'
        end as status,
        case
            when c.value is not null and t.value <> 0 and c.value / t.value > 3
                then 'the actual exceeds the target more than threefold: check that both count the same thing'
            when c.year is not null and t.year is not null and c.year > t.year
                then 'the actual is later than the deadline'
        end as progress_note,
        n.nearest_candidates
    from targets as t
    left join comparable as c on c.target_fact_id = t.fact_id
    left join nearest as n on n.target_fact_id = t.fact_id
    left join regions as g on g.region_code = t.region_code
)

select * from final
