-- One row per programme x later wave: responses kept at that wave and how many were linked
-- to a baseline response by the self-generated code (link_rate = n_linked / n_responses).
-- is_suppressed when either count is between 1 and min_cell_size - 1.
with

respondents as (
    select * from responses
),

pairs as (
    select * from linked_pairs
),

wave_ref as (
    select * from waves
),

kept as (
    select
        respondents.programme_id,
        respondents.wave_id,
        count(*) as n_responses,
        count(*) filter (
            where respondents.participant_key is not null
            or respondents.participant_id_key is not null
        ) as n_with_code
    from respondents
    inner join wave_ref on respondents.wave_id = wave_ref.wave_id
    where wave_ref.wave_order > 0
    group by all
),

linked as (
    select
        programme_id,
        to_wave as wave_id,
        count(distinct to_response_key) as n_linked
    from pairs
    group by all
),

final as (
    select
        ---------- ids
        kept.programme_id,
        kept.wave_id,
        ---------- counts
        kept.n_responses,
        kept.n_with_code,
        coalesce(linked.n_linked, 0) as n_linked,
        coalesce(linked.n_linked, 0) / kept.n_responses as link_rate,
        ---------- privacy
        kept.n_responses < getvariable('min_cell_size')
        or coalesce(linked.n_linked, 0) between 1 and getvariable('min_cell_size') - 1
            as is_suppressed
    from kept
    left join linked
        on kept.programme_id = linked.programme_id
        and kept.wave_id = linked.wave_id
)

select * from final
