{{ config(materialized='incremental', unique_key='fact_id') }}
-- Every claim of a canonical document as the extractor read it: the table that grows with the
-- data (fct_metric_observation is a view of it with analysts' corrections applied).
-- Incremental: each run adds the facts of the lake commits after the newest one held here.
with facts as (
    {{ rows_of_canonical_documents(ref('stg_lake__facts'), 'fact_id') }}
),

-- primary industry and zone of the claim (int_tags: the sentence first, else the document)
primary_tags as (
    select * from {{ ref('int_primary_tags') }}
    where subject_type = 'fact'
),

final as (
    select
        f.fact_id,
        f.document_id,
        f.metric_id,
        f.region_code,
        f.year,
        f.value,
        f.value_high,
        f.unit,
        f.qualifier,
        f.modality,
        f.subject,
        f.scope,
        f.period_start,
        f.period_end,
        f.population,
        f.value_display,
        f.raw_value,
        f.raw_unit,
        f.unit_factor,
        f.published,
        f.outlet,
        f.url,
        f.evidence,
        f.span_text,
        f.char_start,
        f.char_end,
        f.extractor_version,
        f.ingest_date,
        f.commit_id,
        -- the claim's own industry (its subject or clause), else the tags' (sentence, then document)
        coalesce(f.industry_id, t.industry_id) as industry_id,
        case when f.industry_id is not null then 'subject' else t.industry_source end as industry_source,
        t.zone_name
    from facts as f
    left join primary_tags as t on t.subject_id = f.fact_id
)

select * from final
