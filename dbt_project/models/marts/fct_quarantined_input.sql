select
    stage,
    source_path,
    source_line,
    reason,
    detail,
    raw_hash,
    byte_size,
    run_id,
    quarantined_at
from {{ ref('stg_lake__quarantine') }}
