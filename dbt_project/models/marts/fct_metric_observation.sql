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
    industry.tag_id as industry_id,
    industry.tag_source as industry_source,
    zone.tag_id as zone_name
from {{ ref('int_facts__deduplicated') }} as f
inner join {{ ref('int_documents__canonical') }} as d using (document_id)
-- primary industry and zone of the claim (bridge_tags: the sentence first, else the document)
left join {{ ref('bridge_tags') }} as industry
    on industry.subject_type = 'fact' and industry.subject_id = f.fact_id
    and industry.tag_type = 'industry' and industry.is_primary
left join {{ ref('bridge_tags') }} as zone
    on zone.subject_type = 'fact' and zone.subject_id = f.fact_id
    and zone.tag_type = 'zone' and zone.is_primary
