{{ config(materialized='incremental', unique_key='fact_id') }}
-- Incremental: each run adds the facts of the lake commits after the newest one held here.
with facts as (
    {{ rows_of_canonical_documents(ref('stg_lake__facts'), 'fact_id') }}
)

select
    f.fact_id,
    f.document_id,
    f.metric_id,
    f.region_code,
    f.year,
    f.value,
    f.value_high,
    f.unit,
    f.qualifier,
    f.modality,
    f.raw_value,
    f.raw_unit,
    f.unit_factor,
    d.published,
    d.outlet,
    f.evidence,
    f.span_text,
    f.char_start,
    f.char_end,
    f.extractor_version,
    f.ingest_date,
    f.commit_id,
    industry.tag_id as industry_id,
    industry.tag_source as industry_source,
    zone.tag_id as zone_name
from facts as f
inner join {{ ref('int_documents__canonical') }} as d using (document_id)
-- primary industry and zone of the claim (bridge_tags: the sentence first, else the document)
left join {{ ref('bridge_tags') }} as industry
    on industry.subject_type = 'fact' and industry.subject_id = f.fact_id
    and industry.tag_type = 'industry' and industry.is_primary
left join {{ ref('bridge_tags') }} as zone
    on zone.subject_type = 'fact' and zone.subject_id = f.fact_id
    and zone.tag_type = 'zone' and zone.is_primary
