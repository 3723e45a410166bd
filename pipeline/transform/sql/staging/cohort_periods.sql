-- One row per cohort, with the groups the statistics marts report it in besides itself: its
-- site, and its reporting period. The period is the calendar year of the cohort's session
-- date ('2025'), one grain for every mart, chosen because workshop programmes run a handful of
-- cohorts a year: a quarter would hold one cohort (the cohort level already shows it) and fall
-- below min_cell_size, while a year is the cycle funders report on and means the same in
-- every country (financial years do not). A pair or a response belongs to the period of its
-- cohort, never to the date of a later wave.
with

cohort_ref as (
    select * from cohorts
),

final as (
    select
        ---------- ids
        programme_id,
        cohort_id,
        ---------- reporting groups
        site,
        cohort_date,
        strftime(cohort_date, '%Y') as period
    from cohort_ref
)

select * from final
