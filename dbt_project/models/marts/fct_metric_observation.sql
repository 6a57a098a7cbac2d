{{ config(materialized='view') }}
-- The claims analysts read: int_facts__extracted (incremental, as the extractor read them) with
-- each fact's current correction applied (int_corrections__current, a table of the build). A
-- view: applying corrections costs nothing at build time however large the warehouse grows, and
-- an incremental build equals a full refresh by construction. Facts marked wrong are left out
-- (fct_correction lists them); a corrected fact keeps its extracted reading in original_*.
with extracted as (
    select * from {{ ref('int_facts__extracted') }}
),

corrections as (
    select * from {{ ref('int_corrections__current') }}
    where status in ('applied', 'rejected')
),

final as (
    select
        e.* replace (
            coalesce(c.metric_id, e.metric_id) as metric_id,
            coalesce(c.region_code, e.region_code) as region_code,
            coalesce(c.year, e.year) as year,
            coalesce(c.value, e.value) as value,
            case when c.value is not null then c.value_high else e.value_high end as value_high,
            coalesce(c.unit, e.unit) as unit,
            coalesce(c.qualifier, e.qualifier) as qualifier,
            coalesce(c.modality, e.modality) as modality,
            case when c.value is not null then c.value_display else e.value_display end as value_display
        ),
        c.fact_id is not null as is_corrected,
        c.correction_id,
        c.corrected_by,
        c.corrected_at,
        c.correction_note,
        case when c.fact_id is not null then e.metric_id end as original_metric_id,
        case when c.fact_id is not null then e.region_code end as original_region_code,
        case when c.fact_id is not null then e.year end as original_year,
        case when c.fact_id is not null then e.value end as original_value,
        case when c.fact_id is not null then e.value_display end as original_value_display,
        case when c.fact_id is not null then e.modality end as original_modality
    from extracted as e
    left join corrections as c on c.fact_id = e.fact_id
    where c.status is distinct from 'rejected'
)

select * from final
