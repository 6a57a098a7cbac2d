{{ config(materialized='incremental', unique_key='event_id') }}
-- Events named in canonical documents.
with canonical as (
    {{ rows_of_canonical_documents(ref('stg_lake__events'), 'event_id') }}
)

select
    e.event_id,
    e.document_id,
    e.event_name,
    e.event_type,
    e.edition,
    e.year,
    e.event_date,
    e.region_code,
    e.attendance,
    d.published,
    d.outlet,
    e.evidence,
    e.char_start,
    e.char_end,
    e.extractor_version,
    e.ingest_date,
    e.commit_id
from canonical as e
inner join {{ ref('int_documents__canonical') }} as d on d.document_id = e.document_id
