-- The latest actual value of each thing measured in each region: per region, measure (metric,
-- unit, industry, population, scope) and subject.
-- "Latest" = the highest year, then the most recently published document, then the firmest
-- qualifier (exact > lower_bound > approx > range > upper_bound), then the largest value (within
-- one article a total beats its parts), then fact_id (deterministic).
-- An actual claim dated after its article's publication year is a misread target or forecast
-- and is left out; so are claims without a region.
with facts as (
    select * from {{ ref('int_facts__comparable') }}
),

actuals as (
    select *
    from facts
    where modality = 'actual'
      and region_code is not null
      and (year is null or published is null or year <= year(published))
),

ranked as (
    select
        *,
        row_number() over (
            partition by region_code, measure_key, subject_key
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
        count(*) over (partition by region_code, measure_key, subject_key) as actual_fact_count,
        min(year) over (partition by region_code, measure_key, subject_key) as first_year
    from actuals
),

regions as (
    select region_code, name, level from {{ ref('dim_region') }}
),

documents as (
    select document_id, doc, title from {{ ref('dim_document') }}
),

final as (
    select
        r.region_code,
        g.name as region_name,
        g.level as region_level,
        r.metric_id,
        r.unit,
        r.industry_id,
        r.root_industry_id,
        r.population,
        r.scope,
        r.subject,
        r.subject_key,
        r.measure_key,
        r.value,
        r.value_high,
        r.value_display,
        r.qualifier,
        r.year,
        r.period_start,
        r.fact_id,
        r.document_id,
        d.doc,
        d.title,
        r.outlet,
        r.published,
        r.evidence,
        r.zone_name,
        r.first_year,
        r.actual_fact_count
    from ranked as r
    left join regions as g on g.region_code = r.region_code
    left join documents as d on d.document_id = r.document_id
    where r.recency = 1
)

select * from final
