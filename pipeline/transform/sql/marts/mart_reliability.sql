-- One row per group x instrument scale x wave: internal consistency of the scale's item scores
-- (after reverse keying and the don't-know rule), over complete cases (responses that answered
-- every item of the scale). Groups (level): all programmes together, each programme, and within
-- a programme each cohort, site and period (cohort_periods: the calendar year of the cohort's
-- date); a response belongs to its own cohort's groups.
--   alpha = k/(k-1) x (1 - sum item variances / variance of the sum), Feldt's 95% CI
--   omega_total = McDonald's omega of the raw score from a one-factor principal-axis solution
--   is_alpha_below_070 when alpha < .70 (the usual floor for group comparisons)
-- Both depend on the data only through n and the item covariance matrix, so DuckDB sums the
-- item scores and their cross-products per group and ripple_reliability
-- (pipeline/stats/reliability.py) turns those into alpha, its CI and omega.
-- mart_paired_stats uses the programme's baseline alpha for reliable change unless the
-- instrument declares a published reliability.
with

items as (
    select * from item_responses
),

scale_items as (
    select * from instrument_scale_items
),

item_ref as (
    select * from instrument_items
),

scale_ref as (
    select * from instrument_scales
),

respondents as (
    select * from responses
),

wave_ref as (
    select * from waves
),

cohort_ref as (
    select * from cohort_periods
),

levels as (
    select unnest(['all_programmes', 'programme', 'cohort', 'site', 'period']) as level
),

answers as (
    select
        respondents.programme_id,
        respondents.cohort_id,
        respondents.wave_id,
        scale_items.instrument_id,
        scale_items.scale_id,
        items.response_key,
        list(items.scored_value order by item_ref.position) as item_scores,
        count(items.scored_value) as n_answered
    from items
    inner join scale_items
        on items.instrument_id = scale_items.instrument_id
        and items.item_id = scale_items.item_id
    inner join item_ref on items.item_id = item_ref.item_id
    inner join respondents on items.response_key = respondents.response_key
    group by all
),

flagged as (
    select
        answers.*,
        scale_ref.n_items,
        answers.n_answered = scale_ref.n_items as is_complete
    from answers
    inner join scale_ref
        on answers.instrument_id = scale_ref.instrument_id
        and answers.scale_id = scale_ref.scale_id
),

-- each response once per group it belongs to; the ids that do not define a level are NULL
grouped as (
    select
        levels.level,
        case when levels.level <> 'all_programmes' then flagged.programme_id end
            as programme_id,
        case when levels.level = 'cohort' then flagged.cohort_id end as cohort_id,
        case when levels.level in ('cohort', 'site') then cohort_ref.site end as site,
        case when levels.level = 'cohort' then cohort_ref.cohort_date end as cohort_date,
        case when levels.level in ('cohort', 'period') then cohort_ref.period end as period,
        flagged.instrument_id,
        flagged.scale_id,
        flagged.wave_id,
        flagged.item_scores,
        flagged.n_items,
        flagged.n_answered,
        flagged.is_complete
    from flagged
    inner join cohort_ref
        on flagged.programme_id = cohort_ref.programme_id
        and flagged.cohort_id = cohort_ref.cohort_id
    cross join levels
),

complete as (
    select * from grouped
    where is_complete
),

-- sums of x_p x_q over complete cases, cell = p x k + q (0-based, row-major)
product_lists as (
    select
        level,
        programme_id,
        cohort_id,
        site,
        period,
        instrument_id,
        scale_id,
        wave_id,
        list(total order by cell) as cross_products
    from (
        select
            level,
            programme_id,
            cohort_id,
            site,
            period,
            instrument_id,
            scale_id,
            wave_id,
            cell,
            sum(item_scores[cell // n_items + 1] * item_scores[cell % n_items + 1]) as total
        from (select *, unnest(range(n_items * n_items)) as cell from complete)
        group by all
    )
    group by all
),

-- sums of x_p over complete cases, position p (0-based, item order)
sum_lists as (
    select
        level,
        programme_id,
        cohort_id,
        site,
        period,
        instrument_id,
        scale_id,
        wave_id,
        list(total order by position) as item_totals
    from (
        select
            level,
            programme_id,
            cohort_id,
            site,
            period,
            instrument_id,
            scale_id,
            wave_id,
            position,
            sum(item_scores[position + 1]) as total
        from (select *, unnest(range(n_items)) as position from complete)
        group by all
    )
    group by all
),

counts as (
    select
        level,
        programme_id,
        cohort_id,
        site,
        cohort_date,
        period,
        instrument_id,
        scale_id,
        wave_id,
        count(*) filter (where n_answered > 0) as n_answering,
        count(*) filter (where is_complete) as n_complete
    from grouped
    group by all
),

computed as (
    select
        counts.*,
        ripple_reliability(
            counts.n_complete, sum_lists.item_totals, product_lists.cross_products
        ) as result
    from counts
    left join sum_lists
        on counts.level = sum_lists.level
        and counts.programme_id is not distinct from sum_lists.programme_id
        and counts.cohort_id is not distinct from sum_lists.cohort_id
        and counts.site is not distinct from sum_lists.site
        and counts.period is not distinct from sum_lists.period
        and counts.instrument_id = sum_lists.instrument_id
        and counts.scale_id = sum_lists.scale_id
        and counts.wave_id = sum_lists.wave_id
    left join product_lists
        on counts.level = product_lists.level
        and counts.programme_id is not distinct from product_lists.programme_id
        and counts.cohort_id is not distinct from product_lists.cohort_id
        and counts.site is not distinct from product_lists.site
        and counts.period is not distinct from product_lists.period
        and counts.instrument_id = product_lists.instrument_id
        and counts.scale_id = product_lists.scale_id
        and counts.wave_id = product_lists.wave_id
),

final as (
    select
        ---------- ids
        computed.level,
        computed.programme_id,
        computed.cohort_id,
        computed.site,
        computed.cohort_date,
        computed.period,
        computed.instrument_id,
        computed.scale_id,
        computed.wave_id,
        wave_ref.wave_order,
        ---------- counts
        computed.n_answering,
        computed.n_complete,
        scale_ref.n_items,
        ---------- statistics
        computed.result.alpha,
        computed.result.alpha_ci_low,
        computed.result.alpha_ci_high,
        computed.result.omega_total,
        computed.result.alpha < 0.70 as is_alpha_below_070,
        'Cronbach alpha (Feldt 95% CI) and McDonald omega total (one factor, principal axis), '
        || 'complete cases' as statistic,
        ---------- privacy
        computed.n_complete < getvariable('min_cell_size') as is_suppressed
    from computed
    inner join scale_ref
        on computed.instrument_id = scale_ref.instrument_id
        and computed.scale_id = scale_ref.scale_id
    inner join wave_ref on computed.wave_id = wave_ref.wave_id
)

select * from final
