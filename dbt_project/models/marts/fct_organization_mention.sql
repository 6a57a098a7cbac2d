{{ config(materialized='incremental', unique_key='mention_id') }}
-- Organisations and people named in canonical documents (duplicates are not counted twice;
-- incremental: the lake commits after the newest held here).
with mentions as (
    {{ rows_of_canonical_documents(ref('stg_lake__mentions'), 'mention_id') }}
),

final as (
    select
        mention_id,
        document_id,
        kind,
        name,
        case
            when kind = 'organization' then md5(name)
            when affiliation is not null then md5(affiliation)
        end as organization_id,
        org_type,
        person_title,
        affiliation,
        region_code,
        published,
        evidence,
        char_start,
        char_end,
        extractor_version,
        ingest_date,
        commit_id
    from mentions
)

select * from final
