-- One row per baseline response linked to a later-wave response of the same person, within a
-- programme, one to one. Built in scored.response_linkage, in this order:
--   1. participant_id: the same keyed platform participant id (REDCap record id, panel id);
--   2. exact: the same keyed digest of the normalised self-generated code, within the cohort
--      window, for responses the platform id did not link;
--   3. one_element: codes that differ in exactly one element (and agree on the survey's
--      stable covariates), only when the pair is unique on both sides, for the rest
--      (off with linkage.fuzzy: false).
-- A candidate that is not unique on both sides links nothing (response_linkage counts it as
-- ambiguous). Restrict any analysis to exact matches with `match_type <> 'one_element'`.
with

linkage as (
    select * from response_linkage
    where from_response_key is not null
),

respondents as (
    select * from responses
),

final as (
    select
        ---------- ids
        baseline.programme_id,
        baseline.cohort_id,
        case
            when linkage.link_status = 'participant_id' then baseline.participant_id_key
            else coalesce(baseline.participant_key, later.participant_key)
        end as participant_key,
        baseline.wave_id as from_wave,
        later.wave_id as to_wave,
        baseline.response_key as from_response_key,
        later.response_key as to_response_key,
        ---------- how
        linkage.link_status as match_type,
        linkage.differing_element
    from linkage
    inner join respondents as baseline on linkage.from_response_key = baseline.response_key
    inner join respondents as later on linkage.response_key = later.response_key
)

select * from final
