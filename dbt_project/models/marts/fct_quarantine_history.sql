-- Every input (or failing row) any run set aside, and whether a later run resolved it: the same
-- input (file and line) staged as a document after it was quarantined.
with quarantine as (
    select * from {{ ref('stg_lake__quarantine') }}
),

staged as (
    select source_path, source_line, ingested_at
    from {{ ref('stg_lake__documents') }}
),

resolutions as (
    select
        q.source_path,
        q.source_line,
        q.quarantined_at,
        min(s.ingested_at) as resolved_at
    from quarantine as q
    inner join staged as s
        on s.source_path = q.source_path
        and s.source_line is not distinct from q.source_line
        and s.ingested_at > q.quarantined_at
    group by all
),

final as (
    select
        q.stage,
        q.source_path,
        q.source_line,
        q.reason,
        q.detail,
        q.raw_hash,
        q.byte_size,
        q.run_id,
        q.quarantined_at,
        r.resolved_at,
        r.resolved_at is null as is_current
    from quarantine as q
    left join resolutions as r
        on r.source_path = q.source_path
        and r.source_line is not distinct from q.source_line
        and r.quarantined_at = q.quarantined_at
)

select * from final
