-- Each fact with what decides whether two facts measure the same thing: the measure (metric,
-- unit, industry, population, scope) and the subject as a key (without punctuation and without
-- the area words that only say where: 全区, 全市, 该县 …). Two facts compare when their measures
-- are equal and one subject key contains the other (or one names none).
with facts as (
    select * from {{ ref('fct_metric_observation') }}
),

industries as (
    select industry_id, root_industry_id from {{ ref('dim_industry') }}
),

final as (
    select
        facts.*,
        industries.root_industry_id,
        concat_ws('|', metric_id, unit, coalesce(industry_id, '-'), coalesce(population, '-'), coalesce(scope, '-'))
            as measure_key,
        -- without punctuation, leading area words and the trailing measure word a metric's own cue
        -- adds (光电子信息产业规模 and 光电子信息产业产值 name one industry)
        nullif(
            regexp_replace(
                regexp_replace(
                    regexp_replace(coalesce(subject, ''), '[^\p{L}\p{N}]', '', 'g'),
                    '^(全国|我国|全省|全市|全区|全县|该区|该市|该县|本市|本区|本县)', ''),
                '(实现)?(规模|年产值|总产值|产值|营业收入|营收|收入|销售额)$', ''),
            '') as subject_key
    from facts
    left join industries using (industry_id)
)

select * from final
