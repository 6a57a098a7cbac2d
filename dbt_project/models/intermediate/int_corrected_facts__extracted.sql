{{ config(materialized='table') }}
-- The facts analysts corrected (any entry in the corrections log), as the lake holds them now:
-- the same canonical row fct_metric_observation would read. A handful of rows, re-read in every
-- build, so fct_metric_observation re-applies corrections without re-reading anything else.
with corrected as (
    select distinct fact_id from {{ ref('stg_corrections__log') }}
),

final as (
    {{ rows_of_canonical_documents(ref('stg_lake__facts'), 'fact_id', only_ids='select fact_id from corrected') }}
)

select * from final
