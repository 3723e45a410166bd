-- One row per kept response, with the cohort's site and date and the wave's order.
with

landed as (
    select * from landing.responses
),

cohort_ref as (
    select * from cohorts
),

wave_ref as (
    select * from waves
),

final as (
    select
        ---------- ids
        landed.response_key,
        landed.participant_key,
        landed.participant_id_key,
        landed.programme_id,
        landed.cohort_id,
        landed.wave_id,
        ---------- context
        cohort_ref.site,
        cohort_ref.cohort_date,
        wave_ref.wave_order,
        landed.submitted_month,
        landed.sgic_status,
        landed.quality_flags,
        ---------- lineage
        landed.run_id,
        landed.source_sha256,
        landed.source_row_number
    from landed
    inner join cohort_ref
        on landed.programme_id = cohort_ref.programme_id
        and landed.cohort_id = cohort_ref.cohort_id
    inner join wave_ref
        on landed.wave_id = wave_ref.wave_id
)

select * from final
