-- The latest actual value per region, metric and unit, with its source.
-- "Latest" = the highest year, then the most recently published document, then the firmest
-- qualifier (exact > lower_bound > approx > range > upper_bound), then the largest value (a
-- document's total over its parts), then fact_id (deterministic).
-- An actual claim dated after its article's publication year is a misread target or forecast
-- and is left out; so are claims without a region.
with actuals as (
    select *
    from {{ ref('fct_metric_observation') }}
    where modality = 'actual'
      and region_code is not null
      and (year is null or published is null or year <= year(published))
),

ranked as (
    select
        *,
        row_number() over (
            partition by region_code, metric_id, unit
            order by
                year desc nulls last,
                published desc nulls last,
                case qualifier
                    when 'exact' then 1 when 'lower_bound' then 2 when 'approx' then 3
                    when 'range' then 4 else 5
                end,
                value desc,
                fact_id
        ) as recency,
        count(*) over (partition by region_code, metric_id, unit) as actual_fact_count,
        min(year) over (partition by region_code, metric_id, unit) as first_year
    from actuals
)

select
    r.region_code,
    g.name as region_name,
    g.level as region_level,
    r.metric_id,
    r.unit,
    r.value,
    r.value_high,
    r.qualifier,
    r.year,
    r.fact_id,
    r.document_id,
    d.doc,
    d.title,
    r.outlet,
    r.published,
    r.evidence,
    r.industry_id,
    r.zone_name,
    r.first_year,
    r.actual_fact_count
from ranked as r
left join {{ ref('dim_region') }} as g on g.region_code = r.region_code
left join {{ ref('dim_document') }} as d on d.document_id = r.document_id
where r.recency = 1
