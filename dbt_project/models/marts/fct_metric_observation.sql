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
    f.extractor_version
from {{ ref('int_facts__deduplicated') }} as f
inner join {{ ref('int_documents__canonical') }} as d using (document_id)
