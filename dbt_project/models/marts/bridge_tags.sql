-- Industry and zone tags of documents and facts (int_tags), with what each tag names: the
-- industry's Chinese name and root, or the zone's county.
with tags as (
    select * from {{ ref('int_tags') }}
),

industries as (
    select industry_id, name_zh, root_industry_id from {{ ref('dim_industry') }}
),

zones as (
    select distinct canonical_zone_name, county_code from {{ ref('dim_zone') }}
),

final as (
    select
        tags.subject_type,
        tags.subject_id,
        tags.document_id,
        tags.tag_type,
        tags.tag_id,
        coalesce(industries.name_zh, tags.tag_id) as tag_name,
        industries.root_industry_id,
        zones.county_code as zone_county_code,
        tags.tag_source,
        tags.matched_cue,
        tags.hits,
        tags.is_primary
    from tags
    left join industries on tags.tag_type = 'industry' and industries.industry_id = tags.tag_id
    left join zones on tags.tag_type = 'zone' and zones.canonical_zone_name = tags.tag_id
)

select * from final
