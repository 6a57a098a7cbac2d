-- The primary industry and zone of each tagged document and fact (int_tags), one row per subject:
-- what dim_document and fct_metric_observation carry as columns.
with tags as (
    select * from {{ ref('int_tags') }}
    where is_primary
),

final as (
    select
        subject_type,
        subject_id,
        any_value(tag_id) filter (where tag_type = 'industry') as industry_id,
        any_value(tag_source) filter (where tag_type = 'industry') as industry_source,
        any_value(tag_id) filter (where tag_type = 'zone') as zone_name
    from tags
    group by subject_type, subject_id
)

select * from final
