with allowed_units as (
    select dimension, string_agg(distinct base_unit, ',' order by base_unit) as allowed_units
    from {{ ref('unit_dimensions') }}
    group by dimension
)

select
    m.metric_id,
    m.name_zh,
    m.name_en,
    m.dimension,
    u.allowed_units,
    m.description,
    m.cues
from {{ ref('metrics') }} as m
left join allowed_units as u using (dimension)
