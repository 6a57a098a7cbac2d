-- Question: which figures disagree between outlets?
-- Later reports of the same thing — region, year, modality, measure (metric, unit, industry,
-- population, scope, period) and subject — whose value is more than 1% from the first report and
-- that their qualifiers cannot reconcile (mart_conflicts).
-- Answer on seeds + samples: 合肥市 (340100) 2024 NEV industry output — 江淮财经网 2180亿元 vs
-- 安徽日报 2310亿元 (5.6%), and its growth 约18% (江淮财经网) vs 12.5% (安徽日报): the planted
-- disagreement of the sample corpus. What the old mart paired and this one does not: 合肥's 120 new
-- suppliers / 286 auto makers / 500+ NEV firms (three different populations), and 安吉's 28 projects
-- 2022年以来 vs 超30 近两年 (different subjects and periods).
select
    c.region_code,
    c.region_name,
    c.year,
    c.metric_id,
    c.industry_id,
    c.scope,
    c.subject,
    c.modality,
    c.outlet_a,
    c.display_a,
    c.qualifier_a,
    c.outlet_b,
    c.display_b,
    c.qualifier_b,
    round(c.relative_difference, 3) as relative_difference,
    c.same_outlet,
    c.evidence_a,
    c.evidence_b
from {{ ref('mart_conflicts') }} as c
order by c.relative_difference desc
