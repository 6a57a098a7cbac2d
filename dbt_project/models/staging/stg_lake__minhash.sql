-- The dedupe verdict of each committed document (its signature stays in the lake).
select
    document_id,
    duplicate_of,
    {{ lake_commit_columns() }}
from {{ source('lake', 'minhash') }}
