select
    mention_id,
    document_id,
    kind,
    name,
    org_type,
    title as person_title,
    affiliation,
    region_code,
    evidence,
    char_start,
    char_end,
    extractor_version,
    extracted_at,
    {{ lake_commit_columns() }}
from {{ source('lake', 'mentions') }}
