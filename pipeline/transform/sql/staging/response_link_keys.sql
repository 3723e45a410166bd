-- One row per kept response x leave-one-element-out variant of its self-generated code: the
-- keyed digests that one-element linkage compares (landing.response_link_keys).
with

landed as (
    select * from landing.response_link_keys
),

respondents as (
    select * from responses
),

final as (
    select
        ---------- ids
        landed.response_key,
        ---------- variant
        landed.variant,
        landed.element,
        landed.digest,
        ---------- lineage
        landed.run_id,
        landed.source_sha256,
        landed.source_row_number
    from landed
    semi join respondents
        on landed.response_key = respondents.response_key
)

select * from final
