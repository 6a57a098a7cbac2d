-- Reports that claim the same thing with values their qualifiers cannot reconcile: the same
-- region, year, modality, measure (metric, unit, industry, population, scope, period start) and
-- subject, values more than 1% apart that no lower bound, upper bound
-- or approximation explains (超1000 vs 1150 is no conflict).
-- Each document contributes its headline claim per key (its largest value: a document's total,
-- not the parts it lists). Side a is the first report (earliest published, then document id), side
-- b each later report that differs from it: one row per disagreeing report, so the mart grows with
-- the reports, not with their pairs.
with facts as (
    select * from {{ ref('int_facts__comparable') }}
    where region_code is not null and year is not null
),

headline_claims as (
    select *
    from facts
    qualify row_number() over (
        partition by document_id, region_code, year, modality, measure_key, period_start, subject_key
        order by value desc, fact_id
    ) = 1
),

reports as (
    select
        *,
        row_number() over (
            partition by region_code, year, modality, measure_key, period_start, subject_key
            order by published nulls last, document_id
        ) as report_order
    from headline_claims
),

pairs as (
    select
        a.region_code,
        a.year,
        a.metric_id,
        a.unit,
        a.modality,
        a.industry_id,
        a.population,
        a.scope,
        a.period_start,
        a.subject,
        a.fact_id as fact_id_a,
        a.document_id as document_id_a,
        a.outlet as outlet_a,
        a.published as published_a,
        a.value as value_a,
        a.value_display as display_a,
        a.qualifier as qualifier_a,
        a.evidence as evidence_a,
        b.fact_id as fact_id_b,
        b.document_id as document_id_b,
        b.outlet as outlet_b,
        b.published as published_b,
        b.value as value_b,
        b.value_display as display_b,
        b.qualifier as qualifier_b,
        b.evidence as evidence_b,
        abs(a.value - b.value) / greatest(abs(a.value), abs(b.value)) as relative_difference
    from reports as a
    inner join reports as b
        on a.region_code = b.region_code
        and a.year = b.year
        and a.modality = b.modality
        and a.measure_key = b.measure_key
        and a.period_start is not distinct from b.period_start
        and a.subject_key is not distinct from b.subject_key
        and a.report_order = 1
        and b.report_order > 1
        and a.document_id <> b.document_id
),

unreconciled as (
    select *
    from pairs
    where relative_difference > 0.01
      and not (
        (qualifier_a = 'lower_bound' and value_a <= value_b)
        or (qualifier_b = 'lower_bound' and value_b <= value_a)
        or (qualifier_a = 'upper_bound' and value_a >= value_b)
        or (qualifier_b = 'upper_bound' and value_b >= value_a)
        or ('approx' in (qualifier_a, qualifier_b) and relative_difference <= 0.05)
        or ('range' in (qualifier_a, qualifier_b))
      )
),

regions as (
    select region_code, name from {{ ref('dim_region') }}
),

final as (
    select
        u.*,
        g.name as region_name,
        coalesce(u.outlet_a = u.outlet_b, false) as same_outlet
    from unreconciled as u
    left join regions as g on g.region_code = u.region_code
)

select * from final
