-- Question: how many listed companies does each park claim?
-- listed_company_count facts by the zone or park they are about (fct_metric_observation.zone_name:
-- named in the evidence sentence, else the article's main zone in the same county), latest actual
-- claim per park; parks without a claim in the corpus are absent. Claims not tied to a park are
-- listed with their region (zone_name null) for context.
-- Answer on seeds + samples: 上虞经济技术开发区 (上虞区) 13 (2024, zone inherited from the article);
-- 运河网谷 (拱墅区) 4 (2023, 人民网). 安吉经济开发区 claims none yet, only forecasts (6 new IPOs in 2024,
-- 10+ by 2026). Not tied to a park in the zones seed: 苏州工业园区 38 (recorded as 苏州市 320500 —
-- 苏州工业园区 is missing from zones.csv), 长沙 10+, 合肥 3 new in 2024; 青岛西海岸新区 targets 5 by 2026.
with claims as (
    select
        f.zone_name,
        f.region_code,
        f.year,
        f.value,
        f.qualifier,
        f.modality,
        f.outlet,
        f.published,
        f.evidence,
        row_number() over (
            partition by coalesce(f.zone_name, f.region_code), f.modality
            order by f.year desc, f.published desc, f.value desc
        ) as recency
    from {{ ref('fct_metric_observation') }} as f
    where f.metric_id = 'listed_company_count'
)

select
    c.zone_name as park,
    z.zone_type,
    c.region_code,
    r.name as region_name,
    c.modality,
    c.value as listed_companies,
    c.qualifier,
    c.year,
    c.outlet,
    c.evidence
from claims as c
left join {{ ref('dim_zone') }} as z on z.zone_name = c.zone_name
left join {{ ref('dim_region') }} as r on r.region_code = c.region_code
where c.recency = 1
order by c.zone_name is null, c.modality, c.value desc
