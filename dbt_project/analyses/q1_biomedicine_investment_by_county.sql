-- Question: which counties signed the most biomedicine investment per year?
-- Biomedicine = facts whose primary industry rolls up to 生物医药 (dim_industry.root_industry_id,
-- so 医疗器械, 细胞与基因治疗, 疫苗, 合成生物 count too). Per county and year the largest exact /
-- lower_bound actual investment claim is taken (claims about one county and year overlap — a total
-- includes its projects — so they are not summed; the mart_region_year rule), approx claims only
-- when the county has no firmer one.
-- Answer on seeds + samples: 2021 临安区 (330112) 24亿元 (17 projects signed at 天目医药港, 中国医疗信息港);
-- 2023 安吉县 (330523) 140亿元 (28 projects since 2022, 中新网); 2024 黄埔区 (440112) 约210亿元
-- (28 projects, 广州日报), ahead of 黄岛区 (370211) 约45亿元 (大众日报). 苏州 (320500, 140亿元 in 2024)
-- is a city-level claim, not a county.
with biomedicine as (
    select f.*
    from {{ ref('fct_metric_observation') }} as f
    inner join {{ ref('dim_industry') }} as i using (industry_id)
    inner join {{ ref('dim_region') }} as r using (region_code)
    where i.root_industry_id = 'biomedicine'
      and f.metric_id = 'investment'
      and f.modality = 'actual'
      and f.unit = 'CNY'
      and r.level = 'county'
),

per_county_year as (
    select
        region_code,
        year,
        max(value) filter (where qualifier in ('exact', 'lower_bound')) as firm_value,
        max(value) as any_value,
        count(*) as claims,
        string_agg(distinct outlet, ', ') as outlets
    from biomedicine
    group by region_code, year
)

select
    p.year,
    p.region_code,
    r.name as county,
    coalesce(p.firm_value, p.any_value) as investment_cny,
    p.firm_value is null as approximate,
    p.claims,
    p.outlets,
    rank() over (partition by p.year order by coalesce(p.firm_value, p.any_value) desc) as rank_in_year
from per_county_year as p
inner join {{ ref('dim_region') }} as r using (region_code)
order by p.year, rank_in_year
