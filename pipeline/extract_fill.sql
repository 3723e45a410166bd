-- Fill the dashboard extract from the warehouse attached as `wh`. Only aggregates cross
-- over; every statistic of a suppressed row becomes NULL through hidden_if().

create temp macro hidden_if(value, suppressed) as
    case when suppressed then null else value end;

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
    instrument_ref.citation
from wh.instrument_scales as scale_ref
inner join wh.instruments as instrument_ref
    on scale_ref.instrument_id = instrument_ref.instrument_id
where scale_ref.instrument_id in (select distinct instrument_id from wh.scores);

insert into paired_change
select
    programme_id,
    instrument_id,
    scale_id,
    from_wave,
    to_wave,
    hidden_if(n_pairs, is_suppressed),
    hidden_if(mean_from, is_suppressed),
    hidden_if(mean_to, is_suppressed),
    hidden_if(mean_change, is_suppressed),
    hidden_if(sd_change, is_suppressed),
    hidden_if(ci_low, is_suppressed),
    hidden_if(ci_high, is_suppressed),
    hidden_if(d_z, is_suppressed),
    is_suppressed
from wh.mart_paired_change;

insert into cohort_change
select
    programme_id,
    cohort_id,
    site,
    cohort_date,
    instrument_id,
    scale_id,
    from_wave,
    to_wave,
    hidden_if(n_pairs, is_suppressed),
    hidden_if(mean_change, is_suppressed),
    hidden_if(ci_low, is_suppressed),
    hidden_if(ci_high, is_suppressed),
    hidden_if(d_z, is_suppressed),
    is_suppressed
from wh.mart_cohort_change;

insert into wave_scores
select
    programme_id,
    instrument_id,
    scale_id,
    wave_id,
    hidden_if(n, is_suppressed),
    hidden_if(mean, is_suppressed),
    hidden_if(sd, is_suppressed),
    hidden_if(ci_low, is_suppressed),
    hidden_if(ci_high, is_suppressed),
    is_suppressed
from wh.mart_wave_scores;

insert into linkage
select
    programme_id,
    wave_id,
    hidden_if(n_responses, is_suppressed),
    hidden_if(n_linked, is_suppressed),
    is_suppressed
from wh.mart_linkage;
