-- One row per cohort x group the statistics marts report it in (level): all programmes
-- together, its programme, itself, its site and its period (cohort_periods). A mart joins its
-- rows to their cohort here and groups by the group's columns, so every mart forms the same
-- groups from one definition and states only its statistic. The ids that do not define a level
-- are NULL (a site's row has no cohort_id or period; all programmes together not even a
-- programme_id); member_programme_id and member_cohort_id name the cohort whose rows belong.
with

cohort_ref as (
    select * from cohort_periods
),

levels as (
    select unnest(['all_programmes', 'programme', 'cohort', 'site', 'period']) as level
),

final as (
    select
        ---------- the cohort whose rows belong to the group
        cohort_ref.programme_id as member_programme_id,
        cohort_ref.cohort_id as member_cohort_id,
        ---------- the group
        levels.level,
        case when levels.level <> 'all_programmes' then cohort_ref.programme_id end
            as programme_id,
        case when levels.level = 'cohort' then cohort_ref.cohort_id end as cohort_id,
        case when levels.level in ('cohort', 'site') then cohort_ref.site end as site,
        case when levels.level = 'cohort' then cohort_ref.cohort_date end as cohort_date,
        case when levels.level in ('cohort', 'period') then cohort_ref.period end as period
    from cohort_ref
    cross join levels
)

select * from final
