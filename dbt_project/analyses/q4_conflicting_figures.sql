-- Question: which figures disagree between outlets?
-- Later reports of the same region, year, metric and modality whose value is more than 1% apart
-- from the first report (mart_conflicts), real disagreements first (bounds_compatible = false).
-- Answer on seeds + samples: 合肥市 (340100) 2024 NEV output_value — 江淮财经网 2180亿元 vs 安徽日报 and
-- 合肥日报 2310亿元 (5.6%), and its growth rate 18% (江淮财经网) vs 12.5% (安徽日报, 合肥日报) — the
-- planted disagreement of the sample corpus. The other pairs are different things counted under
-- one metric rather than real conflicts: 合肥 2024 enterprise_count 120 new suppliers / 286 auto
-- makers / 500+ NEV firms, and 安吉 2023 project_count 28 (中新网) vs 超30 (杭州日报, two years later).
select
    c.region_code,
    c.region_name,
    c.year,
    c.metric_id,
    c.modality,
    c.outlet_a,
    c.value_a,
    c.qualifier_a,
    c.outlet_b,
    c.value_b,
    c.qualifier_b,
    round(c.relative_difference, 3) as relative_difference,
    c.bounds_compatible,
    c.same_outlet,
    c.evidence_a,
    c.evidence_b
from {{ ref('mart_conflicts') }} as c
order by c.bounds_compatible, c.relative_difference desc
