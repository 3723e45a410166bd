-- One row per programme x later wave: responses kept at that wave and how many were linked to
-- a baseline response (link_rate = n_linked / n_responses), by match type, and how many were
-- left unlinked because their candidates were ambiguous (scored.response_linkage).
-- exact_link_rate counts participant_id and exact links only: the rate without one-element
-- links. is_suppressed when either n_responses or n_linked is between 1 and min_cell_size - 1.
with

outcomes as (
    select * from response_linkage
),

respondents as (
    select * from responses
),

counted as (
    select
        outcomes.programme_id,
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
        programme_id,
        wave_id,
        ---------- counts
        n_responses,
        n_with_code,
        n_linked,
        n_participant_id,
        n_exact,
        n_one_element,
        n_ambiguous,
        ---------- rates
        n_linked / n_responses as link_rate,
        (n_participant_id + n_exact) / n_responses as exact_link_rate,
        coalesce(getvariable('linkage_fuzzy'), true) as is_fuzzy_linkage,
        ---------- privacy
        n_responses < getvariable('min_cell_size')
        or n_linked between 1 and getvariable('min_cell_size') - 1 as is_suppressed
    from counted
)

select * from final
