-- Figures that disagree: the same region, year, metric, unit and modality reported with values
-- more than 1% apart (relative to the larger) by two different documents.
-- Each document contributes its headline claim for the key (its largest value: a document's
-- total rather than the parts it lists). Side a is the first report of the figure (earliest
-- published, then document id), side b each later report that differs from it: one row per
-- disagreeing report, so the mart grows with the reports, not with their pairs (a figure a
-- national outlet repeats daily would otherwise give millions of pairs).
-- bounds_compatible marks pairs the qualifiers can explain (超1000 vs 1150).
with claims as (
    select
        document_id,
        region_code,
        year,
        metric_id,
        unit,
        modality,
        arg_max(fact_id, (value, fact_id)) as fact_id,  -- ties broken by id: rebuilds agree
        max(value) as value
    from {{ ref('fct_metric_observation') }}
    where region_code is not null and year is not null
    group by all
),

claims_with_source as (
    select
        c.*,
        f.qualifier,
        f.published,
        f.outlet,
        f.evidence,
        row_number() over (
            partition by c.region_code, c.year, c.metric_id, c.unit, c.modality
            order by f.published nulls last, c.document_id
        ) as report_order
    from claims as c
    inner join {{ ref('fct_metric_observation') }} as f using (fact_id)
),

pairs as (
    select
        a.region_code,
        a.year,
        a.metric_id,
        a.unit,
        a.modality,
        a.fact_id as fact_id_a,
        a.document_id as document_id_a,
        a.outlet as outlet_a,
        a.published as published_a,
        a.value as value_a,
        a.qualifier as qualifier_a,
        a.evidence as evidence_a,
        b.fact_id as fact_id_b,
        b.document_id as document_id_b,
        b.outlet as outlet_b,
        b.published as published_b,
        b.value as value_b,
        b.qualifier as qualifier_b,
        b.evidence as evidence_b,
        abs(a.value - b.value) / greatest(abs(a.value), abs(b.value)) as relative_difference
    from claims_with_source as a
    inner join claims_with_source as b
        on a.region_code = b.region_code
        and a.year = b.year
        and a.metric_id = b.metric_id
        and a.unit = b.unit
        and a.modality = b.modality
        and a.report_order = 1
        and b.report_order > 1
)

select
    p.*,
    g.name as region_name,
    coalesce(p.outlet_a = p.outlet_b, false) as same_outlet,
    (p.qualifier_a = 'lower_bound' and p.value_a <= p.value_b)
        or (p.qualifier_b = 'lower_bound' and p.value_b <= p.value_a)
        or (p.qualifier_a = 'upper_bound' and p.value_a >= p.value_b)
        or (p.qualifier_b = 'upper_bound' and p.value_b >= p.value_a)
        or ('approx' in (p.qualifier_a, p.qualifier_b) and p.relative_difference <= 0.05)
        as bounds_compatible
from pairs as p
left join {{ ref('dim_region') }} as g on g.region_code = p.region_code
where p.relative_difference > 0.01
