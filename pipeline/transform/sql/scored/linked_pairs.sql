-- One row per baseline response linked to a later-wave response of the same person, within a
-- programme. Two keys can link, in this order:
--   1. participant_id: the same platform participant id (REDCap record id, panel id), keyed;
--   2. exact: the same keyed digest of the self-generated code, within the same cohort, for
--      responses the platform id did not link.
-- A key seen twice in one programme x wave (x cohort for codes) is ambiguous and links
-- nothing, so every link is 1:1.
with

respondents as (
    select * from responses
),

by_id as (
    select *
    from respondents
    where participant_id_key is not null
    qualify count(*) over (partition by programme_id, wave_id, participant_id_key) = 1
),

id_pairs as (
    select
        baseline.programme_id,
        baseline.cohort_id,
        baseline.participant_id_key as participant_key,
        baseline.wave_id as from_wave,
        later.wave_id as to_wave,
        baseline.response_key as from_response_key,
        later.response_key as to_response_key,
        'participant_id' as match_type
    from by_id as baseline
    inner join by_id as later
        on baseline.programme_id = later.programme_id
        and baseline.participant_id_key = later.participant_id_key
    where baseline.wave_order = 0 and later.wave_order > 0
),

by_code as (
    select *
    from respondents
    where participant_key is not null
    qualify count(*) over (
        partition by programme_id, cohort_id, wave_id, participant_key
    ) = 1
),

code_pairs as (
    select
        baseline.programme_id,
        baseline.cohort_id,
        baseline.participant_key,
        baseline.wave_id as from_wave,
        later.wave_id as to_wave,
        baseline.response_key as from_response_key,
        later.response_key as to_response_key,
        'exact' as match_type
    from by_code as baseline
    inner join by_code as later
        on baseline.programme_id = later.programme_id
        and baseline.cohort_id = later.cohort_id
        and baseline.participant_key = later.participant_key
    where baseline.wave_order = 0 and later.wave_order > 0
),

code_pairs_not_linked_by_id as (
    select code_pairs.*
    from code_pairs
    anti join id_pairs as by_from
        on code_pairs.from_response_key = by_from.from_response_key
        and code_pairs.to_wave = by_from.to_wave
    anti join id_pairs as by_to
        on code_pairs.to_response_key = by_to.to_response_key
),

final as (
    select * from id_pairs
    union all
    select * from code_pairs_not_linked_by_id
)

select
    ---------- ids
    programme_id,
    cohort_id,
    participant_key,
    from_wave,
    to_wave,
    from_response_key,
    to_response_key,
    ---------- how
    match_type
from final
