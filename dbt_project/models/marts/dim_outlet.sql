-- One row per news organisation named by at least one document. Documents without an outlet
-- are not represented (their facts keep outlet = null).
with documents as (
    select document_id, outlet, published, region_code, is_duplicate
    from {{ ref('dim_document') }}
    where outlet is not null
),

facts as (
    select document_id, count(*) as fact_count
    from {{ ref('fct_metric_observation') }}
    group by document_id
)

select
    d.outlet,
    count(*) as document_count,
    count(*) filter (where not d.is_duplicate) as original_document_count,
    coalesce(sum(f.fact_count), 0)::bigint as fact_count,
    count(distinct d.region_code) as region_count,
    min(d.published) as first_published,
    max(d.published) as last_published
from documents as d
left join facts as f using (document_id)
group by d.outlet
