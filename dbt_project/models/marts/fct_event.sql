{{ config(materialized='incremental', unique_key='event_id') }}
-- Events named in canonical documents (incremental: the lake commits after the newest held here).
with events as (
    {{ rows_of_canonical_documents(ref('stg_lake__events'), 'event_id') }}
),

final as (
    select
        event_id,
        document_id,
        event_name,
        event_type,
        edition,
        year,
        event_date,
        region_code,
        attendance,
        published,
        outlet,
        evidence,
        char_start,
        char_end,
        extractor_version,
        ingest_date,
        commit_id
    from events
)

select * from final
