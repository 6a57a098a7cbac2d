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
    {{ lake_commit_columns() }}
from {{ source('lake', 'quarantine') }}
