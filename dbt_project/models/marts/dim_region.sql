-- One row per code: a code that was renamed or re-used keeps its latest period here; the seed
-- `regions` holds the full history.
with latest as (
    select *
    from {{ ref('regions') }}
    qualify row_number() over (partition by region_code order by valid_from desc) = 1
)

select
    r.region_code,
    r.name,
    r.short_name,
    r.level,
    r.parent_code,
    province.region_code as province_code,
    province.name as province_name,
    city.region_code as city_code,
    city.name as city_name,
    r.valid_from,
    r.valid_to,
    r.valid_to is null as is_current
from latest as r
-- a province is its own province, a city its own city
left join {{ ref('regions') }} as province
    on province.region_code = coalesce(r.province_code, case when r.level = 'province' then r.region_code end)
    and province.valid_to is null
left join {{ ref('regions') }} as city
    on city.region_code = coalesce(r.city_code, case when r.level = 'city' then r.region_code end)
    and city.valid_to is null
