{{ config(
    materialized='incremental',
    unique_key='fact_id',
    post_hook="delete from {{ this }} where fact_id in (select fact_id from {{ ref('int_corrections__current') }} where status = 'rejected')"
) }}
-- Incremental: each run adds the facts of the lake commits after the newest one held here, and
-- replaces the facts analysts corrected (int_corrected_facts__extracted: a handful, re-read in
-- every build), so a correction made since the last build applies and a revert undoes it; the
-- facts marked wrong are left out (and removed by the post-hook: fct_correction lists them). A full
-- refresh ends with the same rows.
with new_facts as (
    {{ rows_of_canonical_documents(ref('stg_lake__facts'), 'fact_id') }}
),

corrected_facts as (
    select * from {{ ref('int_corrected_facts__extracted') }}
),

corrections as (
    select * from {{ ref('int_corrections__current') }}
    where status in ('applied', 'rejected')
),

-- primary industry and zone of the claim (int_tags: the sentence first, else the document)
primary_tags as (
    select * from {{ ref('int_primary_tags') }}
    where subject_type = 'fact'
),

facts as (
    select n.* from new_facts as n anti join corrected_facts as c using (fact_id)
    union all by name
    select * from corrected_facts
),

final as (
    select
        f.fact_id,
        f.document_id,
        coalesce(c.metric_id, f.metric_id) as metric_id,
        coalesce(c.region_code, f.region_code) as region_code,
        coalesce(c.year, f.year) as year,
        coalesce(c.value, f.value) as value,
        case when c.value is not null then c.value_high else f.value_high end as value_high,
        coalesce(c.unit, f.unit) as unit,
        coalesce(c.qualifier, f.qualifier) as qualifier,
        coalesce(c.modality, f.modality) as modality,
        f.subject,
        f.scope,
        f.period_start,
        f.period_end,
        f.population,
        case when c.value is not null then c.value_display else f.value_display end as value_display,
        f.raw_value,
        f.raw_unit,
        f.unit_factor,
        f.published,
        f.outlet,
        f.evidence,
        f.span_text,
        f.char_start,
        f.char_end,
        f.extractor_version,
        f.ingest_date,
        f.commit_id,
        -- the claim's own industry (its subject or clause), else the tags' (sentence, then document)
        coalesce(f.industry_id, t.industry_id) as industry_id,
        case when f.industry_id is not null then 'subject' else t.industry_source end as industry_source,
        t.zone_name,
        -- an analyst's correction, with the extracted reading kept beside it
        c.fact_id is not null as is_corrected,
        c.correction_id,
        c.corrected_by,
        c.corrected_at,
        c.correction_note,
        case when c.fact_id is not null then f.metric_id end as original_metric_id,
        case when c.fact_id is not null then f.region_code end as original_region_code,
        case when c.fact_id is not null then f.year end as original_year,
        case when c.fact_id is not null then f.value end as original_value,
        case when c.fact_id is not null then f.value_display end as original_value_display,
        case when c.fact_id is not null then f.modality end as original_modality
    from facts as f
    left join corrections as c on c.fact_id = f.fact_id
    left join primary_tags as t on t.subject_id = f.fact_id
    where c.status is distinct from 'rejected'
)

select * from final
