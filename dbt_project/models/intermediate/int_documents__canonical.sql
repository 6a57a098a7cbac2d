-- The same bytes can arrive twice (a re-sent file, a JSON-lines export that repeats an item):
-- keep the first arrival of each document_id and count the copies.
with ranked as (
    select
        *,
        row_number() over (
            partition by document_id
            order by ingested_at, source_path, source_line
        ) as arrival,
        count(*) over (partition by document_id) as copies
    from {{ ref('stg_lake__documents') }}
)

select * exclude (arrival)
from ranked
where arrival = 1
