select
    event_id,
    document_id,
    name as event_name,
    event_type,
    edition,
    year,
    event_date,
    region_code,
    attendance,
    evidence,
    char_start,
    char_end,
    extractor_version,
    extracted_at,
    {{ lake_commit_columns() }}
from {{ source('lake', 'events') }}
