-- One row per response at a later wave (every wave after the baseline): how it was linked to
-- a baseline response of the same person, or why not. Three stages, in order, each over the
-- responses the earlier stages left unlinked (a baseline response links at most once per
-- later wave; a later response at most once):
--   1. participant_id: the same keyed platform participant id, anywhere in the programme;
--   2. exact: the same keyed digest of the normalised self-generated code;
--   3. one_element (when linkage.fuzzy): codes that share exactly one leave-one-element-out
--      digest, i.e. agree on every element but one (and on the declared stable covariates,
--      which are part of the digest).
-- Codes are compared within the same cohort, or within linkage.cohort_window_days of each
-- other's session dates. At every stage a pair links only when it is unique on both sides:
-- the later response has exactly one candidate baseline response and that baseline response
-- has exactly one candidate at the later wave. A one-element pair is also not linked when the
-- later response's exact code is held by a response at another later wave that belongs to
-- someone else (it is linked to another baseline response, or the candidate baseline response
-- is linked at that wave to another response): the code is then a real code of another
-- person, not a typo. A later response that had a candidate at some stage but was not linked
-- is 'ambiguous' and is never guessed.
with

respondents as (
    select * from responses
),

variant_keys as (
    select * from response_link_keys
),

cohort_ref as (
    select * from cohorts
),

settings as (
    select
        coalesce(getvariable('linkage_fuzzy'), true) as fuzzy,
        coalesce(getvariable('linkage_cohort_window_days'), -1) as window_days
),

baseline as (
    select * from respondents
    where wave_order = 0
),

later as (
    select * from respondents
    where wave_order > 0
),

-- pairs of cohorts whose responses' codes are compared: the same cohort, or (with
-- linkage.cohort_window_days) cohorts of the programme at most that many days apart
cohort_window as (
    select
        one.programme_id,
        one.cohort_id as from_cohort,
        other.cohort_id as to_cohort
    from cohort_ref as one
    inner join cohort_ref as other on one.programme_id = other.programme_id
    cross join settings
    where one.cohort_id = other.cohort_id
        or abs(date_diff('day', one.cohort_date, other.cohort_date)) <= settings.window_days
),

---------- 1. platform participant id

id_candidates as (
    select
        baseline.response_key as from_response_key,
        later.response_key as to_response_key,
        later.wave_id as to_wave
    from baseline
    inner join later
        on baseline.programme_id = later.programme_id
        and baseline.participant_id_key = later.participant_id_key
),

id_links as (
    select
        from_response_key,
        to_response_key,
        to_wave,
        'participant_id' as match_type,
        null::varchar as differing_element
    from id_candidates
    qualify count(*) over (partition by from_response_key, to_wave) = 1
        and count(*) over (partition by to_response_key) = 1
),

---------- 2. exact self-generated code

code_candidates as (
    select
        baseline.response_key as from_response_key,
        later.response_key as to_response_key,
        later.wave_id as to_wave
    from baseline
    inner join cohort_window
        on baseline.programme_id = cohort_window.programme_id
        and baseline.cohort_id = cohort_window.from_cohort
    inner join later
        on cohort_window.programme_id = later.programme_id
        and cohort_window.to_cohort = later.cohort_id
        and baseline.participant_key = later.participant_key
),

open_code_candidates as (
    select code_candidates.*
    from code_candidates
    anti join id_links as by_from
        on code_candidates.from_response_key = by_from.from_response_key
        and code_candidates.to_wave = by_from.to_wave
    anti join id_links as by_to
        on code_candidates.to_response_key = by_to.to_response_key
),

exact_links as (
    select
        from_response_key,
        to_response_key,
        to_wave,
        'exact' as match_type,
        null::varchar as differing_element
    from open_code_candidates
    qualify count(*) over (partition by from_response_key, to_wave) = 1
        and count(*) over (partition by to_response_key) = 1
),

linked_before_fuzzy as (
    select * from id_links
    union all
    select * from exact_links
),

---------- 3. one differing element

-- baseline variants, once per cohort they are compared with; materialised so that the digest
-- join below is always made within a cohort (a variant digest alone is shared widely)
baseline_variants as materialized (
    select
        variant_keys.response_key,
        variant_keys.variant,
        variant_keys.element,
        variant_keys.digest,
        baseline.programme_id,
        cohort_window.to_cohort
    from variant_keys
    inner join baseline on variant_keys.response_key = baseline.response_key
    inner join cohort_window
        on baseline.programme_id = cohort_window.programme_id
        and baseline.cohort_id = cohort_window.from_cohort
    cross join settings
    where settings.fuzzy
),

later_variants as materialized (
    select
        variant_keys.response_key,
        variant_keys.variant,
        variant_keys.digest,
        later.programme_id,
        later.cohort_id,
        later.wave_id
    from variant_keys
    inner join later on variant_keys.response_key = later.response_key
    cross join settings
    where settings.fuzzy
),

variant_candidates as (
    select
        baseline_variants.response_key as from_response_key,
        later_variants.response_key as to_response_key,
        later_variants.wave_id as to_wave,
        count(*) as n_shared_variants,
        min(baseline_variants.element) as differing_element
    from baseline_variants
    inner join later_variants
        on baseline_variants.programme_id = later_variants.programme_id
        and baseline_variants.to_cohort = later_variants.cohort_id
        and baseline_variants.variant = later_variants.variant
        and baseline_variants.digest = later_variants.digest
    group by all
),

open_variant_candidates as (
    select variant_candidates.*
    from variant_candidates
    anti join linked_before_fuzzy as by_from
        on variant_candidates.from_response_key = by_from.from_response_key
        and variant_candidates.to_wave = by_from.to_wave
    anti join linked_before_fuzzy as by_to
        on variant_candidates.to_response_key = by_to.to_response_key
),

unique_variant_candidates as (
    select *
    from open_variant_candidates
    qualify count(*) over (partition by from_response_key, to_wave) = 1
        and count(*) over (partition by to_response_key) = 1
),

-- later responses at two different later waves with the same full code (one person's record)
later_twins as (
    select
        one.response_key,
        other.response_key as twin_key,
        other.wave_id as twin_wave
    from later as one
    inner join cohort_window
        on one.programme_id = cohort_window.programme_id
        and one.cohort_id = cohort_window.from_cohort
    inner join later as other
        on cohort_window.programme_id = other.programme_id
        and cohort_window.to_cohort = other.cohort_id
        and one.participant_key = other.participant_key
    where one.wave_id <> other.wave_id
),

-- the later response's code belongs to another person's linked record: the candidate baseline
-- response is linked at the twin's wave to another response, or the twin to another baseline
held_by_someone_else as (
    select
        candidates.from_response_key,
        candidates.to_response_key
    from unique_variant_candidates as candidates
    inner join later_twins on candidates.to_response_key = later_twins.response_key
    inner join linked_before_fuzzy as linked
        on candidates.from_response_key = linked.from_response_key
        and later_twins.twin_wave = linked.to_wave
    where linked.to_response_key <> later_twins.twin_key
    union
    select
        candidates.from_response_key,
        candidates.to_response_key
    from unique_variant_candidates as candidates
    inner join later_twins on candidates.to_response_key = later_twins.response_key
    inner join linked_before_fuzzy as linked on later_twins.twin_key = linked.to_response_key
    where linked.from_response_key <> candidates.from_response_key
),

one_element_links as (
    select
        unique_variant_candidates.from_response_key,
        unique_variant_candidates.to_response_key,
        unique_variant_candidates.to_wave,
        'one_element' as match_type,
        unique_variant_candidates.differing_element
    from unique_variant_candidates
    anti join held_by_someone_else
        on unique_variant_candidates.from_response_key = held_by_someone_else.from_response_key
        and unique_variant_candidates.to_response_key = held_by_someone_else.to_response_key
    -- sharing every variant means the same code: never a one-element link
    where unique_variant_candidates.n_shared_variants = 1
),

---------- outcome per later response

links as (
    select * from linked_before_fuzzy
    union all
    select * from one_element_links
),

had_candidate as (
    select to_response_key from id_candidates
    union
    select to_response_key from open_code_candidates
    union
    select to_response_key from open_variant_candidates
),

with_variants as (
    select distinct response_key from variant_keys
),

final as (
    select
        ---------- ids
        later.response_key,
        later.programme_id,
        later.cohort_id,
        later.wave_id,
        ---------- outcome
        case
            when links.match_type is not null then links.match_type
            when had_candidate.to_response_key is not null then 'ambiguous'
            when
                later.participant_key is null
                and later.participant_id_key is null
                and with_variants.response_key is null
                then 'no_code'
            else 'unmatched'
        end as link_status,
        links.from_response_key,
        links.differing_element
    from later
    left join links on later.response_key = links.to_response_key
    left join had_candidate on later.response_key = had_candidate.to_response_key
    left join with_variants on later.response_key = with_variants.response_key
)

select * from final
