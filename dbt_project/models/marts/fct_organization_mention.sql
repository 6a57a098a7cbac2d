{{ config(materialized='incremental', unique_key='mention_id') }}
-- Organisations and people named in canonical documents (duplicates are not counted twice).
with canonical as (
    {{ rows_of_canonical_documents(ref('stg_lake__mentions'), 'mention_id') }}
)

select
    m.mention_id,
    m.document_id,
    m.kind,
    m.name,
    case
        when m.kind = 'organization' then md5(m.name)
        when m.affiliation is not null then md5(m.affiliation)
    end as organization_id,
    m.org_type,
    m.title,
    m.affiliation,
    m.region_code,
    d.published,
    m.evidence,
    m.char_start,
    m.char_end,
    m.extractor_version,
    m.ingest_date,
    m.commit_id
from canonical as m
inner join {{ ref('int_documents__canonical') }} as d on d.document_id = m.document_id
