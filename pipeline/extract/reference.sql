-- Reference tables of the dashboard extract, from the warehouse attached as `wh`:
-- configuration and instrument definitions, never people, so never suppressed.

insert into programmes
select
    programme_ref.programme_id,
    programme_ref.name,
    programme_ref.approach,
    programme_ref.audience,
    count(cohort_ref.cohort_id) as n_cohorts,
    count(distinct cohort_ref.site) as n_sites,
    min(cohort_ref.cohort_date) as first_cohort_date,
    max(cohort_ref.cohort_date) as last_cohort_date
from wh.programmes as programme_ref
left join wh.cohorts as cohort_ref
    on programme_ref.programme_id = cohort_ref.programme_id
group by all;

insert into cohorts
select programme_id, cohort_id, site, cohort_date from wh.cohorts;

insert into waves
select wave_id, label, wave_order from wh.waves;

insert into scales
select
    scale_ref.instrument_id,
    scale_ref.scale_id,
    instrument_ref.name as instrument_name,
    scale_ref.name as scale_name,
    scale_ref.construct,
    scale_ref.aggregation,
    scale_ref.higher_is_better,
    scale_ref.score_min,
    scale_ref.score_max,
    instrument_ref.citation,
    instrument_ref.key_status
from wh.instrument_scales as scale_ref
inner join wh.instruments as instrument_ref
    on scale_ref.instrument_id = instrument_ref.instrument_id
where scale_ref.instrument_id in (select distinct instrument_id from wh.scores);

-- wording is filled afterwards from the instrument files, only where they ship it
insert into items
select
    item_ref.instrument_id,
    item_ref.item_id,
    item_ref.position,
    item_ref.is_reverse_keyed,
    coalesce(
        list(membership.scale_id order by membership.scale_id)
            filter (where membership.scale_id is not null),
        []::varchar[]
    ) as scale_ids,
    null as wording
from wh.instrument_items as item_ref
left join wh.instrument_scale_items as membership
    on item_ref.instrument_id = membership.instrument_id
    and item_ref.item_id = membership.item_id
where item_ref.item_id in (select distinct item_id from wh.item_responses)
group by all;
