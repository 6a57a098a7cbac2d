{{ config(materialized='incremental', unique_key='document_id') }}
-- Incremental: each run rewrites the documents that arrived in the lake commits after the newest
-- one held here: new documents, and older ones that arrived again (their copies count grows).
{%- set newest = newest_commit_loaded() %}
with documents as (
    select * from {{ ref('int_documents__canonical') }}
),

arrived as (
    select distinct document_id
    from {{ ref('stg_lake__documents') }}
    where commit_id > {{ newest }}
),

primary_tags as (
    select * from {{ ref('int_primary_tags') }}
    where subject_type = 'document'
),

final as (
    select
        d.document_id,
        d.doc,
        d.title,
        d.published,
        d.published_source,
        d.outlet,
        d.author,
        d.url,
        d.fetched_at,
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
        t.industry_id,
        t.zone_name
    from documents as d
    semi join arrived using (document_id)
    left join primary_tags as t on t.subject_id = d.document_id
)

select * from final
