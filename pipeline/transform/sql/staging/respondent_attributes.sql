-- One row per kept response x declared quasi-identifier, coarsened and k-anonymity checked at
-- landing (landing.respondent_attributes), with the response's programme, cohort and wave so a
-- breakdown needs no further join.
with

landed as (
    select * from landing.respondent_attributes
),

respondents as (
    select * from responses
),

final as (
    select
        ---------- ids
        landed.response_key,
        respondents.programme_id,
        respondents.cohort_id,
        respondents.wave_id,
        ---------- values
        landed.attribute,
        landed.value,
        ---------- lineage
        landed.run_id,
        landed.source_sha256,
        landed.source_row_number
    from landed
    inner join respondents on landed.response_key = respondents.response_key
)

select * from final
