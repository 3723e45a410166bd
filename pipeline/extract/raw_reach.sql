-- Reach before disclosure control: per programme, site and cohort x wave, the responses kept
-- (every group x every wave the programme has, zero-filled), and for later waves the group's
-- baseline responses linked to a response at that wave (mart_attrition's retention: the
-- group is the baseline response's cohort).
with

respondents as (
    select * from wh.responses
),

pairs as (
    select * from wh.linked_pairs
),

groups as (
    select distinct programme_id, site, cohort_id, cohort_date from respondents
),

programme_waves as (
    select distinct programme_id, wave_id, wave_order from respondents
),

grid as (
    select groups.*, programme_waves.wave_id, programme_waves.wave_order
    from groups
    inner join programme_waves on groups.programme_id = programme_waves.programme_id
),

responded as (
    select
        grid.programme_id,
        grid.site,
        grid.cohort_id,
        grid.wave_id,
        count(respondents.response_key) as n
    from grid
    left join respondents
        on grid.cohort_id = respondents.cohort_id
        and grid.programme_id = respondents.programme_id
        and grid.wave_id = respondents.wave_id
    group by all
),

baseline as (
    select * from respondents
    where wave_order = 0
),

retained as (
    select
        grid.programme_id,
        grid.site,
        grid.cohort_id,
        grid.wave_id,
        count(pairs.to_response_key) as n
    from grid
    left join baseline
        on grid.programme_id = baseline.programme_id
        and grid.cohort_id = baseline.cohort_id
    left join pairs
        on baseline.response_key = pairs.from_response_key
        and grid.wave_id = pairs.to_wave
    where grid.wave_order > 0
    group by all
),

measured as (
    select *, 'responses' as measure from responded
    union all
    select *, 'linked' as measure from retained
),

levelled as (
    select
        measured.programme_id,
        measured.site,
        measured.cohort_id,
        measured.wave_id,
        measured.measure,
        case
            when grouping(measured.site) = 1 then 'programme'
            when grouping(measured.cohort_id) = 1 then 'site'
            else 'cohort'
        end as level,
        sum(measured.n)::integer as n
    from measured
    group by grouping sets (
        (measured.programme_id, measured.wave_id, measured.measure),
        (measured.programme_id, measured.site, measured.wave_id, measured.measure),
        (measured.programme_id, measured.site, measured.cohort_id, measured.wave_id, measured.measure)
    )
)

select
    levelled.level,
    levelled.programme_id,
    levelled.site,
    levelled.cohort_id,
    groups.cohort_date,
    levelled.wave_id,
    wave_ref.wave_order,
    levelled.measure,
    levelled.n
from levelled
inner join wh.waves as wave_ref on levelled.wave_id = wave_ref.wave_id
left join groups
    on levelled.level = 'cohort'
    and levelled.programme_id = groups.programme_id
    and levelled.cohort_id = groups.cohort_id
order by all
