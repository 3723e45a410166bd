-- One row per linked pair x scale scored at both waves: change = later score - baseline
-- score, in the scale's own units (see instrument_scales.higher_is_better for direction).
with

pairs as (
    select * from linked_pairs
),

scale_scores as (
    select * from scores
    where is_scored
),

final as (
    select
        ---------- ids
        pairs.programme_id,
        pairs.cohort_id,
        pairs.participant_key,
        score_from.instrument_id,
        score_from.scale_id,
        pairs.from_wave,
        pairs.to_wave,
        pairs.from_response_key,
        pairs.to_response_key,
        ---------- scores
        score_from.score as score_from,
        score_to.score as score_to,
        score_to.score - score_from.score as change
    from pairs
    inner join scale_scores as score_from
        on pairs.from_response_key = score_from.response_key
    inner join scale_scores as score_to
        on pairs.to_response_key = score_to.response_key
        and score_from.instrument_id = score_to.instrument_id
        and score_from.scale_id = score_to.scale_id
)

select * from final
