-- One row per calendar year: at least 1990-2040, widened to every year a fact refers to or a
-- document was published in, with the five-year plan (五年规划) the year belongs to.
-- Plans run in five-year blocks from the 3rd plan (1966-1970); 1963-1965 was an adjustment period.
-- Counts come from the marts (already built, incremental), not from the lake: a rebuild is cheap.
with used_years as (
    select year from {{ ref('fct_metric_observation') }} where year is not null
    union all
    select year(published) from {{ ref('dim_document') }} where published is not null
),

bounds as (
    select
        least(1990, min(year)) as first_year,
        greatest(2040, max(year)) as last_year
    from used_years
),

years as (
    select unnest(range(first_year, last_year + 1))::integer as year
    from bounds
),

plans as (
    select
        year,
        case
            when year between 1953 and 1957 then 1
            when year between 1958 and 1962 then 2
            when year >= 1966 then (year - 1966) // 5 + 3
        end as five_year_plan_number
    from years
),

fact_counts as (
    select
        year,
        count(*) as fact_count,
        count(*) filter (where modality in ('target', 'forecast')) as target_fact_count
    from {{ ref('fct_metric_observation') }}
    where year is not null
    group by year
),

document_counts as (
    select year(published) as year, count(*) as document_count
    from {{ ref('dim_document') }}
    where published is not null and not is_duplicate
    group by 1
)

select
    p.year,
    p.year // 10 * 10 as decade,
    p.five_year_plan_number,
    -- 十四五 for the 14th plan: Chinese numeral of the plan number + 五
    case
        when p.five_year_plan_number is null then null
        when p.five_year_plan_number < 10
            then ['一', '二', '三', '四', '五', '六', '七', '八', '九'][p.five_year_plan_number] || '五'
        else '十' || coalesce(['一', '二', '三', '四', '五', '六', '七', '八', '九'][p.five_year_plan_number - 10], '') || '五'
    end as five_year_plan,
    case
        when p.five_year_plan_number = 1 then 1953
        when p.five_year_plan_number = 2 then 1958
        when p.five_year_plan_number >= 3 then 1966 + (p.five_year_plan_number - 3) * 5
    end as plan_start_year,
    case
        when p.five_year_plan_number = 1 then 1957
        when p.five_year_plan_number = 2 then 1962
        when p.five_year_plan_number >= 3 then 1970 + (p.five_year_plan_number - 3) * 5
    end as plan_end_year,
    p.five_year_plan_number is not null as is_five_year_plan,
    coalesce(f.fact_count, 0) as fact_count,
    coalesce(f.target_fact_count, 0) as target_fact_count,
    coalesce(d.document_count, 0) as document_count
from plans as p
left join fact_counts as f using (year)
left join document_counts as d using (year)
