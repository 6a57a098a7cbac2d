{{ config(materialized='table') }}
-- Each corrected fact's current correction: its latest log entry (a later correction of the same
-- fact replaces the earlier; a revert brings the extracted reading back), and what becomes of it.
-- An entry the vocabularies reject (an unknown metric or region, a unit the metric does not allow)
-- is kept and reported, not applied: a bad line in the log never stops a build.
-- A table: the warehouse holds the corrections of its build (fct_metric_observation, a view,
-- reads it; the log itself is outside the warehouse).
with log as (
    select * from {{ ref('stg_corrections__log') }}
),

extracted as (
    select fact_id, metric_id, unit
    from {{ ref('int_facts__extracted') }}
    semi join log using (fact_id)
),

metrics as (
    select metric_id, dimension from {{ ref('metrics') }}
),

metric_units as (
    select m.metric_id, d.base_unit
    from metrics as m
    inner join {{ ref('unit_dimensions') }} as d using (dimension)
),

regions as (
    select region_code from {{ ref('regions') }}
),

latest as (
    select *
    from log
    qualify row_number() over (partition by fact_id order by corrected_at desc, correction_id desc) = 1
),

checked as (
    select
        l.*,
        e.fact_id is not null as fact_exists,
        case
            when l.action not in ('correct', 'reject', 'revert') then 'unknown action ' || l.action
            when l.metric_id is not null and m.metric_id is null then 'unknown metric ' || l.metric_id
            when l.region_code is not null and r.region_code is null then 'unknown region ' || l.region_code
            when l.modality is not null and l.modality not in ('actual', 'target', 'forecast')
                then 'unknown modality ' || l.modality
            when l.year not between 1900 and 2100 then 'implausible year ' || l.year
            when l.value is not null and l.unit is null then 'a value without its unit'
            when l.action = 'correct' and e.fact_id is not null and u.base_unit is null
                then 'unit ' || coalesce(l.unit, e.unit) || ' not allowed for metric ' || coalesce(l.metric_id, e.metric_id)
        end as invalid_reason
    from latest as l
    left join extracted as e using (fact_id)
    left join metrics as m on m.metric_id = l.metric_id
    left join regions as r on r.region_code = l.region_code
    left join metric_units as u
        on u.metric_id = coalesce(l.metric_id, e.metric_id)
        and u.base_unit = coalesce(l.unit, e.unit)
),

final as (
    select
        * exclude (fact_exists),
        case
            when not fact_exists then 'orphaned'
            when invalid_reason is not null then 'invalid'
            when action = 'reject' then 'rejected'
            when action = 'revert' then 'reverted'
            else 'applied'
        end as status
    from checked
)

select * from final
