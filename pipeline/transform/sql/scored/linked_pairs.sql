-- One row per baseline response linked to a later-wave response of the same person:
-- same programme, same cohort and the same keyed digest of the self-generated code.
-- Only codes that occur once per programme x cohort x wave are linked (1:1); a code seen
-- twice is ambiguous and links nothing.
with

respondents as (
    select * from responses
    where participant_key is not null
),

unambiguous as (
    select *
    from respondents
    qualify count(*) over (
        partition by programme_id, cohort_id, wave_id, participant_key
    ) = 1
),

baseline as (
    select * from unambiguous where wave_order = 0
),

later as (
    select * from unambiguous where wave_order > 0
),

final as (
    select
        ---------- ids
        baseline.programme_id,
        baseline.cohort_id,
        baseline.participant_key,
        baseline.wave_id as from_wave,
        later.wave_id as to_wave,
        baseline.response_key as from_response_key,
        later.response_key as to_response_key,
        ---------- how
        'exact' as match_type
    from baseline
    inner join later
        on baseline.programme_id = later.programme_id
        and baseline.cohort_id = later.cohort_id
        and baseline.participant_key = later.participant_key
)

select * from final
