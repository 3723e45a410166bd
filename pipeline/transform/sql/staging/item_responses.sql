-- One row per response x item: the answer code and its score after reverse keying
-- (code_min + code_max - code) and the instrument's optional linear rescaling
-- (e.g. CAMI-12 codes 1..5 -> 0..100). An unanswered item has NULL code and score.
-- The project's don't-know rule (instruments.dont_know_rule) applies here, so every model
-- downstream (scores, reliability) sees the same item scores: under 'missing' a don't-know
-- answer keeps its code in raw_value but has no score, like an unanswered item.
with

landed as (
    select * from landing.item_responses
),

item_ref as (
    select * from instrument_items
),

instrument_ref as (
    select * from instruments
),

keyed as (
    select
        landed.response_key,
        item_ref.instrument_id,
        landed.item_id,
        item_ref.is_reverse_keyed,
        landed.raw_value,
        coalesce(
            landed.answer_status,
            case when landed.raw_value is null then 'missing' else 'answered' end
        ) as answer_status,
        case
            when item_ref.is_reverse_keyed
                then instrument_ref.code_min + instrument_ref.code_max - landed.raw_value
            else landed.raw_value
        end as keyed_value,
        instrument_ref.code_min,
        instrument_ref.code_max,
        instrument_ref.item_score_min,
        instrument_ref.item_score_max,
        instrument_ref.dont_know_rule,
        landed.run_id,
        landed.source_sha256,
        landed.source_row_number
    from landed
    inner join item_ref on landed.item_id = item_ref.item_id
    inner join instrument_ref on item_ref.instrument_id = instrument_ref.instrument_id
),

final as (
    select
        ---------- ids
        response_key,
        instrument_id,
        item_id,
        ---------- values
        raw_value,
        answer_status,
        is_reverse_keyed,
        case
            when answer_status = 'dont_know' and dont_know_rule = 'missing' then null
            else
                item_score_min
                + (keyed_value - code_min)
                * (item_score_max - item_score_min) / (code_max - code_min)
        end as scored_value,
        ---------- lineage
        run_id,
        source_sha256,
        source_row_number
    from keyed
)

select * from final
