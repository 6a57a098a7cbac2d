-- Every unit of a metric dimension converts to a base unit allowed for that dimension. Units of
-- dimension `other` (吨, 千瓦, 英寸 ...) are known to the extractor only so that it does not read
-- such numbers as facts.
select u.*
from {{ ref('units') }} as u
left join {{ ref('unit_dimensions') }} as d
    on d.dimension = u.dimension and d.base_unit = u.base_unit
where d.base_unit is null
  and u.dimension in (select dimension from {{ ref('unit_dimensions') }})
