-- One row per organisation name (as normalised by the extractor), from its own mentions and
-- from people's affiliations.
with named as (
    select name, org_type, region_code, document_id, published
    from {{ ref('fct_organization_mention') }}
    where kind = 'organization'
    union all
    select affiliation, null, region_code, document_id, published
    from {{ ref('fct_organization_mention') }}
    where kind = 'person' and affiliation is not null
)

select
    md5(name) as organization_id,
    name,
    mode(org_type order by org_type) as org_type,  -- ties: the first in order, so rebuilds agree
    mode(region_code order by region_code) as region_code,
    count(*) as mentions,
    count(distinct document_id) as documents,
    min(published) as first_seen,
    max(published) as last_seen
from named
group by name
