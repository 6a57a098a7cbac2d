-- Question: what targets has each district set for 2025–2027, and what did it report last?
-- Every target/forecast with a deadline in 2025-2027 (mart_targets), with the latest actual that
-- measures the same thing (same measure and subject, or an equivalent metric: output_value for an
-- industry_scale target) and the progress towards it; where no like actual exists, the candidates.
-- Answer on seeds + samples (33 targets/forecasts), e.g.:
--   合肥市 NEV industry output > 5000亿元 by 2027 — 2310亿元 (2024), progress 0.46;
--         10 firms with revenue above 百亿元 — no_comparable_actual (its 500 parts makers are another population);
--   成都市 electronics industry 1.5万亿元 by 2027 — 1.15万亿元 (2024), 0.77;
--   苏州市 biomedicine industry 2000亿元 by 2026 — 1150亿元 (2024), 0.575;
--   宁波市 new materials 2000亿元 by 2027 — 1000亿元+ (2024), 0.50;
--   株洲市 rail equipment 2000亿元 by 2026 — its cluster's output 1600亿元 (2023), 0.80;
--   武汉市 光电子信息 1万亿元 by 2025 — 光谷's H1 2024 output 1580亿元, 0.16 (a half year against a full-year target);
--   安吉县 biomedicine 500亿元 by 2026 — no actual reported; 上虞区 生命健康 200亿元 by 2027 — a 2023 output
--         value of 120亿元 is listed as a candidate (the extractor cannot tell it is the same industry);
--   黄埔区 300亿元 expected output of newly signed projects — no ratio against the district's industry scale.
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
    t.subject,
    t.target_display,
    t.latest_actual_metric_id,
    t.latest_actual_display,
    t.latest_actual_subject,
    t.latest_actual_value,
    t.latest_actual_year,
    t.latest_actual_outlet,
    round(t.progress, 3) as progress,
    t.status,
    t.progress_note,
    t.nearest_candidates,
    t.evidence
from {{ ref('mart_targets') }} as t
left join {{ ref('dim_region') }} as r using (region_code)
where t.deadline_year between 2025 and 2027
order by t.region_code, t.deadline_year, t.metric_id
