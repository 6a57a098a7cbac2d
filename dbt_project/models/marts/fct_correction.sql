-- Every correction analysts made (the corrections log), with what became of it in this build:
-- each fact's latest entry is applied, rejected (the fact is set aside as wrong), reverted,
-- invalid (not applied; invalid_reason) or orphaned (the lake no longer yields its fact: reported
-- here, never lost); an earlier entry of the same fact is superseded. Beside the corrected
-- reading, the fact as extracted now (original_*), or as the analyst saw it when it is orphaned.
with log as (
    select * from {{ ref('stg_corrections__log') }}
),

current_corrections as (
    select correction_id, status, invalid_reason from {{ ref('int_corrections__current') }}
),

extracted as (
    select * from {{ ref('int_facts__extracted') }}
    semi join log using (fact_id)
),

final as (
    select
        l.correction_id,
        l.fact_id,
        l.action,
        coalesce(c.status, 'superseded') as status,
        c.correction_id is not null as is_current,
        c.invalid_reason,
        l.corrected_by,
        l.corrected_at,
        l.correction_note,
        l.metric_id,
        l.region_code,
        l.year,
        l.modality,
        l.value,
        l.value_high,
        l.qualifier,
        l.unit,
        l.value_display,
        e.metric_id as original_metric_id,
        e.region_code as original_region_code,
        e.year as original_year,
        e.modality as original_modality,
        e.value as original_value,
        e.value_high as original_value_high,
        e.qualifier as original_qualifier,
        e.unit as original_unit,
        e.value_display as original_value_display,
        coalesce(e.document_id, l.document_id) as document_id,
        coalesce(e.evidence, l.evidence) as evidence,
        coalesce(e.span_text, l.span_text) as span_text,
        e.published,
        e.outlet
    from log as l
    left join current_corrections as c on c.correction_id = l.correction_id
    left join extracted as e on e.fact_id = l.fact_id
)

select * from final
