select
    stage,
    source_path,
    source_line,
    reason,
    detail,
    raw_hash,
    byte_size,
    run_id,
    quarantined_at,
    cast(ingest_date as date) as ingest_date,
    commit_id
from {{ source('lake', 'quarantine') }}
