-- The industry taxonomy (seed `industries`) with its hierarchy resolved: depth, root and path.
with recursive tree as (
    select
        industry_id,
        industry_id as root_industry_id,
        0 as depth,
        name_zh as path_zh
    from {{ ref('industries') }}
    where parent_id is null

    union all

    select
        child.industry_id,
        tree.root_industry_id,
        tree.depth + 1,
        tree.path_zh || ' > ' || child.name_zh
    from {{ ref('industries') }} as child
    inner join tree on child.parent_id = tree.industry_id
)

select
    i.industry_id,
    i.name_zh,
    i.name_en,
    i.parent_id,
    t.root_industry_id,
    t.depth,
    t.path_zh,
    i.cues,
    len(string_split(i.cues, '|')) as cue_count
from {{ ref('industries') }} as i
inner join tree as t using (industry_id)
