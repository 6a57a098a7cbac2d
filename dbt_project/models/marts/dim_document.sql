{{ config(materialized='incremental', unique_key='document_id') }}
-- Incremental: each run rewrites the documents that arrived in the lake commits after the newest
-- one held here: new documents, and older ones that arrived again (their copies count grows).
{%- set newest = newest_commit_loaded() %}
with arrived as (
    select distinct document_id
    from {{ ref('stg_lake__documents') }}
    where commit_id > {{ newest }}
)

select
    d.document_id,
    d.doc,
    d.title,
    d.published,
    d.outlet,
    d.author,
    d.region_code,
    d.script,
    d.encoding,
    d.body_chars,
    d.source_path,
    d.source_line,
    d.content_hash,
    d.byte_size,
    d.copies,
    d.duplicate_of,
    d.duplicate_of is not null as is_duplicate,
    d.ingested_at,
    d.commit_id,
    industry.tag_id as industry_id,
    zone.tag_id as zone_name
from {{ ref('int_documents__canonical') }} as d
semi join arrived using (document_id)
-- primary industry and zone named in title + body (bridge_tags)
left join {{ ref('bridge_tags') }} as industry
    on industry.subject_type = 'document' and industry.subject_id = d.document_id
    and industry.tag_type = 'industry' and industry.is_primary
left join {{ ref('bridge_tags') }} as zone
    on zone.subject_type = 'document' and zone.subject_id = d.document_id
    and zone.tag_type = 'zone' and zone.is_primary
