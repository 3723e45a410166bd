-- One row per response x instrument scale the response has items of: the one generic scoring
-- model for every instrument, driven by the reference tables built from instruments/*.yml.
-- Item scores come from item_responses, after reverse keying, rescaling and the project's
-- don't-know rule (under 'missing' a don't-know answer has no item score, so it counts as an
-- unanswered item here; under 'midpoint' it is scored as the neutral code).
-- Missing-item rule: a scale is scored only when at least min_items of its items have a score.
--   mean   = mean of the answered item scores
--   sum    = that mean x n_items: the plain sum when every item was answered, prorated when
--            some are missing (each missing item counts as the person's own item mean)
--   lookup = the score of the sum scale it converts (always complete, never prorated),
--            looked up in the project's conversion table; no rows without a table
with

items as (
    select * from item_responses
),

scale_items as (
    select * from instrument_scale_items
),

scales as (
    select * from instrument_scales
),

instrument_ref as (
    select * from instruments
),

conversions as (
    select * from instrument_conversions
),

respondents as (
    select * from responses
),

answered as (
    select
        items.response_key,
        scale_items.instrument_id,
        scale_items.scale_id,
        count(items.scored_value) as n_items_answered,
        count(*) filter (where items.answer_status = 'dont_know') as n_dont_know,
        avg(items.scored_value) as mean_item_score,
        sum(items.scored_value) as sum_item_score
    from items
    inner join scale_items
        on items.instrument_id = scale_items.instrument_id
        and items.item_id = scale_items.item_id
    group by all
),

tabled_scales as (
    select distinct
        instrument_id,
        scale_id
    from conversions
),

scored as (
    select
        answered.*,
        scales.n_items,
        scales.aggregation,
        answered.n_items_answered >= scales.min_items as meets_rule,
        case
            when answered.n_items_answered < scales.min_items then null
            when scales.aggregation = 'mean' then answered.mean_item_score
            when scales.aggregation = 'sum' then answered.mean_item_score * scales.n_items
        end as computed_score,
        case
            when answered.n_items_answered >= scales.min_items
                then round(answered.sum_item_score)
        end as lookup_key
    from answered
    inner join scales
        on answered.instrument_id = scales.instrument_id
        and answered.scale_id = scales.scale_id
    left join tabled_scales
        on scales.instrument_id = tabled_scales.instrument_id
        and scales.scale_id = tabled_scales.scale_id
    where scales.aggregation != 'lookup' or tabled_scales.scale_id is not null
),

final as (
    select
        ---------- ids
        scored.response_key,
        respondents.participant_key,
        respondents.programme_id,
        respondents.cohort_id,
        respondents.wave_id,
        scored.instrument_id,
        scored.scale_id,
        ---------- score
        case
            when scored.aggregation = 'lookup' then conversions.converted_score
            else scored.computed_score
        end as score,
        scored.meets_rule as is_scored,
        ---------- missing-item rule
        scored.n_items_answered,
        scored.n_dont_know,
        scored.n_items,
        scored.meets_rule and scored.n_items_answered < scored.n_items as is_prorated,
        instrument_ref.dont_know_rule
    from scored
    inner join respondents on scored.response_key = respondents.response_key
    inner join instrument_ref on scored.instrument_id = instrument_ref.instrument_id
    left join conversions
        on scored.aggregation = 'lookup'
        and scored.instrument_id = conversions.instrument_id
        and scored.scale_id = conversions.scale_id
        and scored.lookup_key = conversions.raw_score
)

select * from final
