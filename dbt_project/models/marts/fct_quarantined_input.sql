-- What is set aside now: quarantine rows no later run has resolved (fct_quarantine_history keeps
-- every row, resolved ones included).
with history as (
    select * from {{ ref('fct_quarantine_history') }}
),

final as (
    select * exclude (resolved_at, is_current)
    from history
    where is_current
)

select * from final
