-- Development zones, parks, new towns and towns (seed `zones`, without the former_county /
-- former_city rows, which are renamed divisions rather than zones), with the county-level
-- division containing them.
-- Articles name one zone several ways (杭州湾上虞经开区, 上虞经济技术开发区 ...): names of the
-- same county and zone type whose normalised forms contain one another are aliases, and the
-- one with the shortest normalised form (longest written form on ties) is the canonical name.
with zones as (
    select
        zone_name,
        county_code,
        zone_type,
        note,
        replace(replace(replace(replace(zone_name,
            '经济技术开发区', '经开区'),
            '经济开发区', '经开区'),
            '高新技术产业开发区', '高新区'),
            '高新技术开发区', '高新区') as normalised
    from {{ ref('zones') }}
    where zone_type not like 'former_%'
),

canonical as (
    select
        z.zone_name,
        c.zone_name as canonical_zone_name
    from zones as z
    inner join zones as c
        on c.county_code = z.county_code
        and c.zone_type = z.zone_type
        and contains(z.normalised, c.normalised)
    qualify row_number() over (
        partition by z.zone_name
        order by length(c.normalised), length(c.zone_name) desc, c.zone_name
    ) = 1
)

select
    z.zone_name,
    c.canonical_zone_name,
    z.zone_name = c.canonical_zone_name as is_canonical,
    z.zone_type,
    z.county_code,
    r.name as county_name,
    r.city_code,
    r.province_code,
    z.note
from zones as z
inner join canonical as c using (zone_name)
left join {{ ref('dim_region') }} as r on r.region_code = z.county_code
