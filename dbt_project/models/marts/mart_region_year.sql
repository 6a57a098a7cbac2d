-- Per region, year and measure (metric, unit, industry, population, scope): the actual, target and
-- forecast values, with county figures rolled up to cities and cities to provinces only where
-- they are comparable and disjoint.
--   * Only facts with a region and a year; an actual dated after its article's year is ignored.
--   * A region's own actual value is the largest of its firm actual claims (exact, lower_bound):
--     claims about one region, year and measure overlap (a total includes its parts, outlets
--     repeat a figure), so they are never summed.
--   * Additive metrics (money, count) roll up: a city's children value is the sum of its
--     counties' own values for the same measure, a province's the sum of its cities' values plus
--     the counties directly under it; actual_value is the larger of own and children value. The
--     children that reported, against all the region's children, are the coverage; is_partial
--     says the sum covers only some of them.
--   * Non-additive metrics (percent, area, duration), targets and forecasts never roll up.
with facts as (
    select
        f.fact_id,
        f.document_id,
        f.region_code,
        f.year,
        f.measure_key,
        f.metric_id,
        f.unit,
        f.industry_id,
        f.population,
        f.scope,
        f.value,
        f.modality,
        f.qualifier,
        m.dimension in ('money', 'count') as is_additive,
        f.modality = 'actual' and f.qualifier in ('exact', 'lower_bound') as is_firm_actual
    from {{ ref('int_facts__comparable') }} as f
    inner join {{ ref('dim_region') }} as r on r.region_code = f.region_code
    inner join {{ ref('dim_metric') }} as m on m.metric_id = f.metric_id
    where f.year is not null
      and not (f.modality = 'actual' and f.published is not null and f.year > year(f.published))
),

regions as (
    select
        region_code,
        level,
        is_current,
        -- the city a county rolls into: only a real prefecture-level city (municipality districts
        -- carry the province's code as their city_code)
        case when level = 'county' and city_code <> province_code then city_code end as rollup_city_code,
        province_code
    from {{ ref('dim_region') }}
),

children_per_region as (
    -- how many current divisions a region's figure can be summed from
    select rollup_city_code as region_code, count(*) as children_total
    from regions where level = 'county' and is_current and rollup_city_code is not null
    group by all
    union all
    select province_code, count(*)
    from regions
    where is_current and province_code <> region_code
      and (level = 'city' or (level = 'county' and rollup_city_code is null))
    group by all
),

own as (
    select
        region_code,
        year,
        measure_key,
        any_value(metric_id) as metric_id,
        any_value(unit) as unit,
        any_value(industry_id) as industry_id,
        any_value(population) as population,
        any_value(scope) as scope,
        bool_or(is_additive) as is_additive,
        max(value) filter (where is_firm_actual) as own_actual_value,
        bool_or(qualifier = 'lower_bound') filter (where is_firm_actual) as own_is_lower_bound,
        max(value) filter (where modality = 'actual' and not is_firm_actual) as approx_actual_value,
        max(value) filter (where modality = 'target') as target_value,
        max(value) filter (where modality = 'forecast') as forecast_value
    from facts
    group by region_code, year, measure_key
),

county_own as (
    select o.*, r.rollup_city_code, r.province_code
    from own as o
    inner join regions as r using (region_code)
    where r.level = 'county' and o.is_additive and o.own_actual_value is not null
),

city_children as (
    select
        rollup_city_code as region_code,
        year,
        measure_key,
        sum(own_actual_value) as children_actual_value,
        bool_or(own_is_lower_bound) as children_is_lower_bound,
        count(*) as children_reporting
    from county_own
    where rollup_city_code is not null
    group by all
),

city_values as (
    select
        coalesce(o.region_code, c.region_code) as region_code,
        coalesce(o.year, c.year) as year,
        coalesce(o.measure_key, c.measure_key) as measure_key,
        greatest(o.own_actual_value, c.children_actual_value) as actual_value,
        case
            when c.children_actual_value > o.own_actual_value or o.own_actual_value is null
                then c.children_is_lower_bound
            else o.own_is_lower_bound
        end as is_lower_bound
    from (
        select o.* from own as o inner join regions as r using (region_code)
        where r.level = 'city' and o.is_additive and o.own_actual_value is not null
    ) as o
    full outer join city_children as c using (region_code, year, measure_key)
),

province_children as (
    select
        r.province_code as region_code,
        v.year,
        v.measure_key,
        sum(v.actual_value) as children_actual_value,
        bool_or(v.is_lower_bound) as children_is_lower_bound,
        count(*) as children_reporting
    from (
        select region_code, year, measure_key, actual_value, is_lower_bound from city_values
        union all
        select region_code, year, measure_key, own_actual_value, own_is_lower_bound
        from county_own
        where rollup_city_code is null
    ) as v
    inner join regions as r using (region_code)
    where r.province_code is not null and r.province_code <> v.region_code
    group by all
),

children as (
    select * from city_children
    union all
    select * from province_children
),

-- every fact behind a row: the region's own facts, and for additive metrics the firm actual
-- facts of the regions below it
support as (
    select region_code, year, measure_key, fact_id, document_id from facts
    union all
    select r.rollup_city_code, f.year, f.measure_key, f.fact_id, f.document_id
    from facts as f inner join regions as r using (region_code)
    where f.is_additive and f.is_firm_actual and r.rollup_city_code is not null
    union all
    select r.province_code, f.year, f.measure_key, f.fact_id, f.document_id
    from facts as f inner join regions as r using (region_code)
    where f.is_additive and f.is_firm_actual and r.province_code <> f.region_code
),

support_counts as (
    select
        region_code,
        year,
        measure_key,
        count(distinct fact_id) as fact_count,
        count(distinct document_id) as document_count
    from support
    group by all
),

measures as (
    select distinct measure_key, metric_id, unit, industry_id, population, scope from facts
),

final as (
    select
        s.region_code,
        g.name as region_name,
        g.level,
        g.city_code,
        g.province_code,
        s.year,
        m.metric_id,
        m.unit,
        m.industry_id,
        m.population,
        m.scope,
        s.measure_key,
        greatest(o.own_actual_value, c.children_actual_value) as actual_value,
        case
            when o.own_actual_value is null and c.children_actual_value is null then null
            when c.children_actual_value > o.own_actual_value or o.own_actual_value is null then 'children'
            else 'reported'
        end as actual_source,
        case
            when c.children_actual_value > o.own_actual_value or o.own_actual_value is null
                then c.children_is_lower_bound
            else o.own_is_lower_bound
        end as actual_is_lower_bound,
        o.own_actual_value,
        c.children_actual_value,
        c.children_reporting,
        n.children_total,
        coalesce(c.children_reporting < n.children_total, false) as is_partial,
        o.approx_actual_value,
        o.target_value,
        o.forecast_value,
        s.fact_count,
        s.document_count
    from support_counts as s
    inner join {{ ref('dim_region') }} as g on g.region_code = s.region_code
    inner join measures as m on m.measure_key = s.measure_key
    left join own as o
        on o.region_code = s.region_code and o.year = s.year and o.measure_key = s.measure_key
    left join children as c
        on c.region_code = s.region_code and c.year = s.year and c.measure_key = s.measure_key
    left join children_per_region as n on n.region_code = s.region_code
)

select * from final
