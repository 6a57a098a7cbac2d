-- Tags documents and facts with industries (cue words of dim_industry) and zones (names of
-- dim_zone), by plain substring matching with DuckDB string functions. Tags depend on the cue
-- words: a changed seed makes the next run a full refresh (build.prepare_build).
-- Zone names are thousands (the development-zone catalogue): a name that ends with a zone suffix
-- (seed zone_suffixes) is looked up through the stretches of text that end with one (the regexp
-- of macro zone_stretch_pattern, then an equi-join on each stretch's endings); the few others by
-- substring. A fact's zones are among its document's.
--   document tags: cue words / zone names found in title + body, counted (hits);
--                  primary = most hits, then the most specific industry.
--   fact tags:     cue words / zone names found in the evidence sentence;
--                  primary = the most specific industry (depth), then the longest cue, then the
--                  first in the sentence; for zones the first named in the sentence.
--                  A fact whose sentence names no industry inherits its document's primary
--                  industry (tag_source = 'document'); one that names no zone inherits its
--                  document's primary zone when that zone lies in the fact's county.
-- Incremental: a run tags the documents (and their facts) first committed after the newest
-- commit held here; the text of older documents is not read again.
{{ config(materialized='incremental', unique_key=['subject_type', 'subject_id', 'tag_type', 'tag_id']) }}
{%- set newest = newest_commit_loaded() %}

with documents as (
    select s.document_id, d.commit_id, coalesce(s.title, '') as title, coalesce(s.body, '') as body
    from {{ ref('stg_lake__documents') }} as s
    inner join {{ ref('int_documents__canonical') }} as d on d.document_id = s.document_id
    where s.commit_id > {{ newest }} and d.commit_id > {{ newest }}
    qualify row_number() over (partition by s.document_id order by s.commit_id) = 1
),

facts as (
    select fact_id, document_id, region_code, evidence
    from ({{ rows_of_canonical_documents(ref('stg_lake__facts'), 'fact_id') }})
),

industry_cues as (
    select industry_id, depth, unnest(string_split(cues, '|')) as cue
    from {{ ref('dim_industry') }}
),

zone_names as (
    select
        z.zone_name as cue,
        z.canonical_zone_name,
        z.county_code,
        exists (select 1 from {{ ref('zone_suffixes') }} as s where ends_with(z.zone_name, s.suffix)) as ends_with_suffix
    from {{ ref('dim_zone') }} as z
),

-- a cue inside a longer matched cue does not count on its own (新能源 in 新能源汽车)
cue_overlaps as (
    select distinct s.cue, l.cue as longer_cue
    from industry_cues as s
    inner join industry_cues as l on length(l.cue) > length(s.cue) and contains(l.cue, s.cue)
),

-- documents × industries ------------------------------------------------------------------
document_cue_occurrences as (
    select
        d.document_id,
        c.cue,
        (length(d.title) - length(replace(d.title, c.cue, ''))) // length(c.cue) as title_hits,
        (length(d.body) - length(replace(d.body, c.cue, ''))) // length(c.cue) as body_hits
    from documents as d
    inner join (select distinct cue from industry_cues) as c
        on contains(d.title, c.cue) or contains(d.body, c.cue)
),

document_cue_hits as (
    select
        o.document_id,
        o.cue,
        greatest(0, o.title_hits - coalesce(sum(l.title_hits), 0)) as title_hits,
        greatest(0, o.body_hits - coalesce(sum(l.body_hits), 0)) as body_hits
    from document_cue_occurrences as o
    left join cue_overlaps as x on x.cue = o.cue
    left join document_cue_occurrences as l on l.document_id = o.document_id and l.cue = x.longer_cue
    group by o.document_id, o.cue, o.title_hits, o.body_hits
),

document_industry_hits as (
    select
        h.document_id,
        c.industry_id,
        any_value(c.depth) as depth,
        sum(h.title_hits) as title_hits,
        sum(h.body_hits) as body_hits,
        string_agg(distinct c.cue, '|' order by c.cue) as matched_cue
    from document_cue_hits as h
    inner join industry_cues as c on c.cue = h.cue
    where h.title_hits + h.body_hits > 0
    group by h.document_id, c.industry_id
),

document_industries as (
    select
        'document' as subject_type,
        document_id as subject_id,
        document_id,
        'industry' as tag_type,
        industry_id as tag_id,
        case when title_hits > 0 then 'title' else 'body' end as tag_source,
        matched_cue,
        (title_hits + body_hits)::integer as hits,
        row_number() over (
            partition by document_id
            order by title_hits > 0 desc, title_hits + body_hits desc, depth desc, industry_id
        ) = 1 as is_primary
    from document_industry_hits
),

-- documents × zones -------------------------------------------------------------------------
document_zone_stretches as (
    select document_id, unnest(regexp_extract_all(title || chr(10) || body, {{ zone_stretch_pattern() }})) as stretch
    from documents
),

document_zone_stretch_endings as (
    select document_id, substr(stretch, start) as ending
    from (
        select document_id, stretch, unnest(range(1, length(stretch) - 2)) as start
        from document_zone_stretches
    )
),

-- the zone names each document holds
document_zone_names as (
    select distinct e.document_id, z.cue, z.canonical_zone_name, z.county_code
    from document_zone_stretch_endings as e
    inner join zone_names as z on z.cue = e.ending and z.ends_with_suffix

    union

    select d.document_id, z.cue, z.canonical_zone_name, z.county_code
    from documents as d
    inner join zone_names as z
        on not z.ends_with_suffix and (contains(d.title, z.cue) or contains(d.body, z.cue))
),

document_zone_hits as (
    select
        d.document_id,
        z.canonical_zone_name,
        any_value(z.county_code) as county_code,
        -- aliases contain one another (浙江安吉经济开发区 ⊃ 安吉经济开发区): count the best alias
        max((length(d.title || d.body) - length(replace(d.title || d.body, z.cue, ''))) // length(z.cue)) as hits,
        bool_or(contains(d.title, z.cue)) as in_title,
        string_agg(distinct z.cue, '|' order by z.cue) as matched_cue
    from documents as d
    inner join document_zone_names as z on z.document_id = d.document_id
    group by d.document_id, z.canonical_zone_name
),

document_zones as (
    select
        'document' as subject_type,
        document_id as subject_id,
        document_id,
        'zone' as tag_type,
        canonical_zone_name as tag_id,
        case when in_title then 'title' else 'body' end as tag_source,
        matched_cue,
        hits::integer as hits,
        row_number() over (
            partition by document_id
            order by in_title desc, hits desc, canonical_zone_name
        ) = 1 as is_primary,
        county_code
    from document_zone_hits
),

-- facts × industries ------------------------------------------------------------------------
fact_industry_matches as (
    select
        f.fact_id,
        f.document_id,
        c.industry_id,
        c.depth,
        c.cue,
        instr(f.evidence, c.cue) as position
    from facts as f
    inner join industry_cues as c on contains(f.evidence, c.cue)
    where not exists (
        select 1 from cue_overlaps as x
        where x.cue = c.cue and contains(f.evidence, x.longer_cue)
    )
),

fact_industries_from_evidence as (
    select
        fact_id,
        document_id,
        industry_id,
        max(depth) as depth,
        arg_min(cue, (position, cue)) as first_cue,
        max(length(cue)) as longest_cue,
        min(position) as position,
        count(*) as hits
    from fact_industry_matches
    group by fact_id, document_id, industry_id
),

fact_industries as (
    select
        'fact' as subject_type,
        fact_id as subject_id,
        document_id,
        'industry' as tag_type,
        industry_id as tag_id,
        'evidence' as tag_source,
        first_cue as matched_cue,
        hits::integer as hits,
        row_number() over (
            partition by fact_id
            order by depth desc, longest_cue desc, position, industry_id
        ) = 1 as is_primary
    from fact_industries_from_evidence

    union all

    select
        'fact',
        f.fact_id,
        f.document_id,
        'industry',
        d.tag_id,
        'document',
        d.matched_cue,
        0,
        true
    from facts as f
    inner join document_industries as d on d.document_id = f.document_id and d.is_primary
    where not exists (select 1 from fact_industries_from_evidence as e where e.fact_id = f.fact_id)
),

-- facts × zones -----------------------------------------------------------------------------
fact_zones_from_evidence as (
    select
        f.fact_id,
        f.document_id,
        z.canonical_zone_name,
        arg_min(z.cue, (instr(f.evidence, z.cue), z.cue)) as first_cue,
        min(instr(f.evidence, z.cue)) as position,
        max(length(z.cue)) as longest_cue,
        count(*) as hits
    from facts as f
    inner join document_zone_names as z on z.document_id = f.document_id and contains(f.evidence, z.cue)
    group by f.fact_id, f.document_id, z.canonical_zone_name
),

fact_zones as (
    select
        'fact' as subject_type,
        fact_id as subject_id,
        document_id,
        'zone' as tag_type,
        canonical_zone_name as tag_id,
        'evidence' as tag_source,
        first_cue as matched_cue,
        hits::integer as hits,
        row_number() over (
            partition by fact_id
            order by position, longest_cue desc, canonical_zone_name
        ) = 1 as is_primary
    from fact_zones_from_evidence

    union all

    select
        'fact',
        f.fact_id,
        f.document_id,
        'zone',
        d.tag_id,
        'document',
        d.matched_cue,
        0,
        true
    from facts as f
    inner join document_zones as d
        on d.document_id = f.document_id and d.is_primary and d.county_code = f.region_code
    where not exists (select 1 from fact_zones_from_evidence as e where e.fact_id = f.fact_id)
),

tags as (
    select * from document_industries
    union all by name
    select * exclude (county_code) from document_zones
    union all by name
    select * from fact_industries
    union all by name
    select * from fact_zones
),

final as (
    select tags.*, documents.commit_id
    from tags
    inner join documents using (document_id)
)

select * from final
