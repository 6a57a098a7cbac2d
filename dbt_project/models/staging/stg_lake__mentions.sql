select
    mention_id,
    document_id,
    kind,
    name,
    org_type,
    title,
    affiliation,
    region_code,
    evidence,
    char_start,
    char_end,
    extractor_version,
    extracted_at,
    cast(ingest_date as date) as ingest_date,
    commit_id
from {{ source('lake', 'mentions') }}
