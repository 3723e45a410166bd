-- One row per group x instrument scale x wave: internal consistency of the scale's item scores
-- (after reverse keying and the don't-know rule), over complete cases (responses that answered
-- every item of the scale). Groups (level): all programmes together, each programme, and within
-- a programme each cohort, site and period (cohort_groups: the calendar year of the cohort's
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

group_ref as (
    select * from cohort_groups
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

-- each response once per group it belongs to; group_key holds the group's ids, scale and wave
-- as one value, so that the counts and sums below group and join on it alone
grouped as (
    select
        struct_pack(
            group_ref.level,
            group_ref.programme_id,
            group_ref.cohort_id,
            group_ref.site,
            group_ref.cohort_date,
            group_ref.period,
            flagged.instrument_id,
            flagged.scale_id,
            flagged.wave_id
        ) as group_key,
        flagged.item_scores,
        flagged.n_items,
        flagged.n_answered,
        flagged.is_complete
    from flagged
    inner join group_ref
        on flagged.programme_id = group_ref.member_programme_id
        and flagged.cohort_id = group_ref.member_cohort_id
),

complete as (
    select * from grouped
    where is_complete
),

-- sums of x_p x_q over complete cases, cell = p x k + q (0-based, row-major)
product_lists as (
    select
        group_key,
        list(total order by cell) as cross_products
    from (
        select
            group_key,
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
        group_key,
        list(total order by position) as item_totals
    from (
        select
            group_key,
            position,
            sum(item_scores[position + 1]) as total
        from (select *, unnest(range(n_items)) as position from complete)
        group by all
    )
    group by all
),

counts as (
    select
        group_key,
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
    -- a NULL id inside the key (a level it does not define) matches NULL
    left join sum_lists on counts.group_key is not distinct from sum_lists.group_key
    left join product_lists on counts.group_key is not distinct from product_lists.group_key
),

final as (
    select
        ---------- ids
        computed.group_key.level,
        computed.group_key.programme_id,
        computed.group_key.cohort_id,
        computed.group_key.site,
        computed.group_key.cohort_date,
        computed.group_key.period,
        computed.group_key.instrument_id,
        computed.group_key.scale_id,
        computed.group_key.wave_id,
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
        on computed.group_key.instrument_id = scale_ref.instrument_id
        and computed.group_key.scale_id = scale_ref.scale_id
    inner join wave_ref on computed.group_key.wave_id = wave_ref.wave_id
)

select * from final
