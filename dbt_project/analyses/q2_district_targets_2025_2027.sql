-- Question: what targets has each district set for 2025–2027, and what did it report last?
-- Every target/forecast with a deadline in 2025-2027 (mart_targets), with the latest actual of the
-- same region and metric (or its proxy metric, e.g. output_value for an industry_scale target) and
-- the progress towards it.
-- Answer on seeds + samples (24 targets/forecasts in 14 regions), e.g.:
--   安吉县 industry_scale ≥ 500亿元 by 2026 (target) — no actual reported yet;
--         listed companies 10+ and 100 new firms by 2026 (forecast) — no actual;
--   上虞区 industry_scale > 200亿元 by 2027 (forecast) — last reported output_value 120亿元 (2023), progress 0.60;
--   合肥市 NEV output_value > 5000亿元 by 2027 — last 2310亿元 (2024), 0.46;
--   成都市 industry_scale 1.5万亿元 by 2027 — last 1.15万亿元 (2024), 0.77;
--   苏州市 industry_scale 2000亿元 by 2026 — last 1150亿元 (2024), 0.575;
--   宁波市 industry_scale 2000亿元 by 2027 — last 1000亿元+ (2024), 0.50;
--   株洲市 industry_scale 2000亿元 by 2026 — last output_value 1600亿元+ (2023), 0.80;
--   西安市 industry_scale 2000亿元 by 2027 — last revenue 约1260亿元 (2023), 0.63;
--   武汉市 industry_scale 1万亿元 by 2025 — last output_value 约1580亿元 (H1 2024), 0.16;
--   青岛市 listed companies 5 and industry_scale 300亿元 by 2026 — no actual;
--   黄埔区 output_value 300亿元+ by 2026 (forecast of the newly signed projects) shows progress 5.0
--         against the district's whole 2023 industry_scale (proxy) — read proxies with care.
select
    t.region_code,
    t.region_name,
    r.level,
    t.metric_id,
    t.modality,
    t.qualifier,
    t.target_value,
    t.unit,
    t.deadline_year,
    t.outlet,
    t.latest_actual_metric_id,
    t.latest_actual_value,
    t.latest_actual_year,
    t.latest_actual_outlet,
    round(t.progress, 3) as progress,
    t.status,
    t.evidence
from {{ ref('mart_targets') }} as t
left join {{ ref('dim_region') }} as r using (region_code)
where t.deadline_year between 2025 and 2027
order by t.region_code, t.deadline_year, t.metric_id
