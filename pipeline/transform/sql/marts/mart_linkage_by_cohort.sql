-- One row per programme x cohort x later wave: the linkage of mart_linkage for each cohort
-- (the later-wave response's cohort), by match type, with the ambiguous candidates that were
-- not linked. Research warehouse only: is_suppressed flags small counts.
with

outcomes as (
    select * from response_linkage
),

respondents as (
    select * from responses
),

cohort_ref as (
    select * from cohorts
),

counted as (
    select
        outcomes.programme_id,
        outcomes.cohort_id,
        outcomes.wave_id,
        count(*) as n_responses,
        count(*) filter (
            where respondents.participant_key is not null
            or respondents.participant_id_key is not null
        ) as n_with_code,
        count(*) filter (where outcomes.from_response_key is not null) as n_linked,
        count(*) filter (where outcomes.link_status = 'participant_id') as n_participant_id,
        count(*) filter (where outcomes.link_status = 'exact') as n_exact,
        count(*) filter (where outcomes.link_status = 'one_element') as n_one_element,
        count(*) filter (where outcomes.link_status = 'ambiguous') as n_ambiguous
    from outcomes
    inner join respondents on outcomes.response_key = respondents.response_key
    group by all
),

final as (
    select
        ---------- ids
        counted.programme_id,
        counted.cohort_id,
        cohort_ref.site,
        cohort_ref.cohort_date,
        counted.wave_id,
        ---------- counts
        counted.n_responses,
        counted.n_with_code,
        counted.n_linked,
        counted.n_participant_id,
        counted.n_exact,
        counted.n_one_element,
        counted.n_ambiguous,
        ---------- rates
        counted.n_linked / counted.n_responses as link_rate,
        (counted.n_participant_id + counted.n_exact) / counted.n_responses as exact_link_rate,
        ---------- privacy
        counted.n_responses < getvariable('min_cell_size')
        or counted.n_linked between 1 and getvariable('min_cell_size') - 1 as is_suppressed
    from counted
    inner join cohort_ref
        on counted.programme_id = cohort_ref.programme_id
        and counted.cohort_id = cohort_ref.cohort_id
)

select * from final
