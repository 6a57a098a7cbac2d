-- One row per document_id: its first arrival (the same bytes can arrive twice: a re-sent file, a
-- JSON-lines export that repeats an item), how many copies arrived, and the dedupe verdict.
with documents as (
    select * from {{ ref('stg_lake__documents') }}
),

verdicts as (
    -- one verdict per document (dedupe commits a document's row once; any_value guards a repeat)
    select document_id, any_value(duplicate_of) as duplicate_of
    from {{ ref('stg_lake__minhash') }}
    group by document_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by document_id
            order by ingested_at, source_path, source_line
        ) as arrival,
        count(*) over (partition by document_id) as copies
    from documents
),

final as (
    select
        ranked.* exclude (arrival),
        verdicts.duplicate_of
    from ranked
    left join verdicts using (document_id)
    where ranked.arrival = 1
)

select * from final
