-- One row per response x instrument scale the response answered items of.
-- Missing-item rule: a scale is scored only when at least min_items of its items were
-- answered. mean = mean of the answered item scores; sum = that mean x n_items (prorated
-- when items are missing, i.e. missing items take the person's own item mean).
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

respondents as (
    select * from responses
),

answered as (
    select
        items.response_key,
        scale_items.instrument_id,
        scale_items.scale_id,
        count(items.scored_value) as n_answered,
        avg(items.scored_value) as mean_item_score
    from items
    inner join scale_items
        on items.instrument_id = scale_items.instrument_id
        and items.item_id = scale_items.item_id
    group by all
),

scored as (
    select
        answered.*,
        scales.n_items,
        scales.min_items,
        scales.aggregation,
        answered.n_answered >= scales.min_items as is_scored,
        case
            when answered.n_answered < scales.min_items then null
            when scales.aggregation = 'mean' then answered.mean_item_score
            else answered.mean_item_score * scales.n_items
        end as score
    from answered
    inner join scales
        on answered.instrument_id = scales.instrument_id
        and answered.scale_id = scales.scale_id
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
        scored.score,
        scored.is_scored,
        scored.n_answered,
        scored.n_items,
        scored.n_answered < scored.n_items and scored.is_scored as is_prorated
    from scored
    inner join respondents on scored.response_key = respondents.response_key
)

select * from final
