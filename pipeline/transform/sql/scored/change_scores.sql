-- One row per linked pair x scale scored at both waves: change = later score - baseline
-- score, in the scale's own units (see instrument_scales.higher_is_better for direction).
-- Every match type of linked_pairs is included, and match_type carried, so an analysis can be
-- restricted to exact matches (or the whole run, with linkage: {fuzzy: false}).
-- Each side of a pair is joined to its scores on its own and the two sides are then pivoted,
-- rather than joining scores to itself, which the planner can turn into a product of every
-- response's scores when statistics are missing (as inside the build transaction).
with

pairs as (
    select * from linked_pairs
),

scale_scores as (
    select * from scores
    where is_scored
),

sides as (
    select
        pairs.*,
        'from' as side,
        scale_scores.instrument_id,
        scale_scores.scale_id,
        scale_scores.score
    from pairs
    inner join scale_scores on pairs.from_response_key = scale_scores.response_key
    union all
    select
        pairs.*,
        'to' as side,
        scale_scores.instrument_id,
        scale_scores.scale_id,
        scale_scores.score
    from pairs
    inner join scale_scores on pairs.to_response_key = scale_scores.response_key
),

pivoted as (
    select
        programme_id,
        cohort_id,
        participant_key,
        instrument_id,
        scale_id,
        from_wave,
        to_wave,
        from_response_key,
        to_response_key,
        match_type,
        any_value(score) filter (where side = 'from') as score_from,
        any_value(score) filter (where side = 'to') as score_to
    from sides
    group by all
),

final as (
    select
        ---------- ids
        programme_id,
        cohort_id,
        participant_key,
        instrument_id,
        scale_id,
        from_wave,
        to_wave,
        from_response_key,
        to_response_key,
        ---------- how the pair was linked
        match_type,
        ---------- scores
        score_from,
        score_to,
        score_to - score_from as change
    from pivoted
    where score_from is not null and score_to is not null
)

select * from final
