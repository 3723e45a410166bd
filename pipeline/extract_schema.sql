-- The dashboard extract (dashboard.duckdb): aggregates only, no pseudonyms, no free text.
-- Every statistic that rests on fewer than min_cell_size people is NULL, with
-- is_suppressed = true, so no page can show it. The pipeline fills these tables from the
-- warehouse marts; the dashboard only reads them.

create table meta (
    key varchar primary key,
    value varchar not null
);
comment on table meta is 'About this extract: project, built_at (UTC), min_cell_size, pipeline_version, run_id. One row per key.';
comment on column meta.key is 'Setting name.';
comment on column meta.value is 'Setting value, as text.';

create table programmes (
    programme_id varchar primary key,
    name varchar not null,
    approach varchar not null,
    audience varchar not null,
    n_cohorts integer not null,
    n_sites integer not null,
    first_cohort_date date,
    last_cohort_date date
);
comment on table programmes is 'One row per programme (initiative) in the project config.';
comment on column programmes.programme_id is 'Programme id from ripple.yml.';
comment on column programmes.name is 'Programme name for display.';
comment on column programmes.approach is 'Intervention approach, e.g. contact-based, education-only, peer support.';
comment on column programmes.audience is 'Who the programme is for, e.g. adults at work, secondary-school pupils.';
comment on column programmes.n_cohorts is 'Number of workshop cohorts (sessions or groups) configured.';
comment on column programmes.n_sites is 'Number of distinct sites among those cohorts.';
comment on column programmes.first_cohort_date is 'Date of the earliest cohort.';
comment on column programmes.last_cohort_date is 'Date of the latest cohort.';

create table waves (
    wave_id varchar primary key,
    label varchar not null,
    wave_order integer not null
);
comment on table waves is 'Survey waves in order; wave_order 0 is the baseline every later wave is compared with.';
comment on column waves.wave_id is 'Wave id from ripple.yml, e.g. pre, post, followup.';
comment on column waves.label is 'Wave label for display.';
comment on column waves.wave_order is 'Position of the wave; 0 = baseline.';

create table scales (
    instrument_id varchar not null,
    scale_id varchar not null,
    instrument_name varchar not null,
    scale_name varchar not null,
    construct varchar not null,
    aggregation varchar not null,
    higher_is_better boolean not null,
    score_min double not null,
    score_max double not null,
    citation varchar not null,
    primary key (instrument_id, scale_id)
);
comment on table scales is 'One row per instrument scale (total or subscale) used by any programme.';
comment on column scales.instrument_id is 'Instrument id, e.g. cami12.';
comment on column scales.scale_id is 'Scale id within the instrument, e.g. tolerance_support.';
comment on column scales.instrument_name is 'Instrument name for display.';
comment on column scales.scale_name is 'Scale name for display.';
comment on column scales.construct is 'What the scale measures: stigma, knowledge, intended_behaviour, belonging, loneliness, wellbeing.';
comment on column scales.aggregation is 'sum or mean of the item scores.';
comment on column scales.higher_is_better is 'True when a higher score is the desired direction (e.g. less stigma, more belonging).';
comment on column scales.score_min is 'Lowest possible score.';
comment on column scales.score_max is 'Highest possible score.';
comment on column scales.citation is 'Reference for the instrument and its scoring.';

create table paired_change (
    programme_id varchar not null,
    instrument_id varchar not null,
    scale_id varchar not null,
    from_wave varchar not null,
    to_wave varchar not null,
    n_pairs integer,
    mean_from double,
    mean_to double,
    mean_change double,
    sd_change double,
    ci_low double,
    ci_high double,
    d_z double,
    is_suppressed boolean not null,
    primary key (programme_id, instrument_id, scale_id, from_wave, to_wave)
);
comment on table paired_change is 'Paired change per programme, scale and comparison (baseline wave to a later wave), over people linked across both waves. One row per programme x scale x comparison.';
comment on column paired_change.programme_id is 'Programme id.';
comment on column paired_change.instrument_id is 'Instrument id.';
comment on column paired_change.scale_id is 'Scale id.';
comment on column paired_change.from_wave is 'Earlier wave (the baseline).';
comment on column paired_change.to_wave is 'Later wave.';
comment on column paired_change.n_pairs is 'People with a score at both waves; NULL when suppressed.';
comment on column paired_change.mean_from is 'Mean score at from_wave among the pairs.';
comment on column paired_change.mean_to is 'Mean score at to_wave among the pairs.';
comment on column paired_change.mean_change is 'Mean of (to_wave score - from_wave score).';
comment on column paired_change.sd_change is 'Sample standard deviation of the change.';
comment on column paired_change.ci_low is 'Lower end of the 95% confidence interval of mean_change (t distribution, n_pairs - 1 df).';
comment on column paired_change.ci_high is 'Upper end of the 95% confidence interval of mean_change.';
comment on column paired_change.d_z is 'Paired effect size d_z = mean_change / sd_change (sign as the raw change; see scales.higher_is_better).';
comment on column paired_change.is_suppressed is 'True when fewer than min_cell_size pairs, or suppressed to protect another cell; all statistics are then NULL.';

create table cohort_change (
    programme_id varchar not null,
    cohort_id varchar not null,
    site varchar not null,
    cohort_date date not null,
    instrument_id varchar not null,
    scale_id varchar not null,
    from_wave varchar not null,
    to_wave varchar not null,
    n_pairs integer,
    mean_change double,
    ci_low double,
    ci_high double,
    d_z double,
    is_suppressed boolean not null,
    primary key (programme_id, cohort_id, instrument_id, scale_id, from_wave, to_wave)
);
comment on table cohort_change is 'Paired change per cohort, for trends over time. One row per programme x cohort x scale x comparison. Suppression is primary (n < min_cell_size) and complementary (a second cohort is hidden when only one would be, so it cannot be worked out from the programme total).';
comment on column cohort_change.programme_id is 'Programme id.';
comment on column cohort_change.cohort_id is 'Cohort id from ripple.yml.';
comment on column cohort_change.site is 'Site where the cohort ran.';
comment on column cohort_change.cohort_date is 'Date the cohort ran.';
comment on column cohort_change.instrument_id is 'Instrument id.';
comment on column cohort_change.scale_id is 'Scale id.';
comment on column cohort_change.from_wave is 'Earlier wave (the baseline).';
comment on column cohort_change.to_wave is 'Later wave.';
comment on column cohort_change.n_pairs is 'People with a score at both waves; NULL when suppressed.';
comment on column cohort_change.mean_change is 'Mean of (to_wave score - from_wave score).';
comment on column cohort_change.ci_low is 'Lower end of the 95% confidence interval of mean_change.';
comment on column cohort_change.ci_high is 'Upper end of the 95% confidence interval of mean_change.';
comment on column cohort_change.d_z is 'Paired effect size d_z = mean_change / sd_change.';
comment on column cohort_change.is_suppressed is 'True when the cell is hidden for privacy; statistics are then NULL.';

create table wave_scores (
    programme_id varchar not null,
    instrument_id varchar not null,
    scale_id varchar not null,
    wave_id varchar not null,
    n integer,
    mean double,
    sd double,
    ci_low double,
    ci_high double,
    is_suppressed boolean not null,
    primary key (programme_id, instrument_id, scale_id, wave_id)
);
comment on table wave_scores is 'All-available (unpaired) scores per programme, scale and wave, over every scored response. One row per programme x scale x wave.';
comment on column wave_scores.programme_id is 'Programme id.';
comment on column wave_scores.instrument_id is 'Instrument id.';
comment on column wave_scores.scale_id is 'Scale id.';
comment on column wave_scores.wave_id is 'Wave id.';
comment on column wave_scores.n is 'Responses with a score; NULL when suppressed.';
comment on column wave_scores.mean is 'Mean score.';
comment on column wave_scores.sd is 'Sample standard deviation of the score.';
comment on column wave_scores.ci_low is 'Lower end of the 95% confidence interval of the mean (t distribution, n - 1 df).';
comment on column wave_scores.ci_high is 'Upper end of the 95% confidence interval of the mean.';
comment on column wave_scores.is_suppressed is 'True when fewer than min_cell_size responses; statistics are then NULL.';

create table linkage (
    programme_id varchar not null,
    wave_id varchar not null,
    n_responses integer,
    n_linked integer,
    is_suppressed boolean not null,
    primary key (programme_id, wave_id)
);
comment on table linkage is 'How many responses per programme and later wave were linked to a baseline response by the self-generated code. One row per programme x non-baseline wave.';
comment on column linkage.programme_id is 'Programme id.';
comment on column linkage.wave_id is 'Later wave id.';
comment on column linkage.n_responses is 'Responses kept at this wave; NULL when suppressed.';
comment on column linkage.n_linked is 'Of those, responses linked to a baseline response; NULL when suppressed.';
comment on column linkage.is_suppressed is 'True when either count is between 1 and min_cell_size - 1.';
