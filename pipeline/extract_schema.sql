-- The dashboard extract (dashboard.duckdb), version 2: aggregates only, no pseudonyms, no
-- free text. Every table and column is documented here (docs/extract.md says the same for
-- the dashboard's authors).
--
-- Disclosure control (pipeline/disclosure; README "Disclosure control"): every published
-- statistic describes a group ("cell") of people. A cell of 1..min_cell_size - 1 people
-- (for change: linked pairs) is hidden (NULL, hidden_reason 'too few people'). No published
-- total minus its published breakdown (programme vs cohorts, vs sites, vs attribute values;
-- site vs its cohorts; all responses vs linked; comparisons nested in one another; answer
-- counts of an item; data-quality reasons; link statuses) may leave 1..min_cell_size - 1
-- people, in this release or against the previous one: more cells are hidden, smallest
-- first ('hidden so that another small group cannot be worked out'). A published cell takes
-- new values only when at least min_cell_size people entered it since its values were set;
-- until then the previous release's values are published again (note 'held until enough new
-- people'), and a hidden cell stays hidden (hidden_reason 'held until enough new people').
-- disclosure_ledger records what this release published, for the next one.
--
-- Conventions: hidden_reason is NULL when the row's statistics are shown, else why they are
-- NULL; note is NULL when the values are this run's, else 'held until enough new people'
-- (the values are the previous release's). Changes and effects are signed so that positive
-- = improvement, whatever the scale's direction (scales.higher_is_better).

create table meta (
    key varchar primary key,
    value varchar not null
);
comment on table meta is 'About this extract, one row per key: project, built_at (UTC), min_cell_size, pipeline_version, run_id, extract_version (2), disclosure_method, previous_run_id (the release whose ledger this one continued; empty for the first), ledger_key_id (id of the key that sealed the ledger).';
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
comment on table programmes is 'One row per programme (initiative) in the project config. Configuration, not people: never suppressed.';
comment on column programmes.programme_id is 'Programme id from ripple.yml.';
comment on column programmes.name is 'Programme name for display.';
comment on column programmes.approach is 'Intervention approach, e.g. contact-based, education-only, peer support.';
comment on column programmes.audience is 'Who the programme is for, e.g. adults at work, secondary-school pupils.';
comment on column programmes.n_cohorts is 'Number of workshop cohorts (sessions or groups) configured.';
comment on column programmes.n_sites is 'Number of distinct sites among those cohorts.';
comment on column programmes.first_cohort_date is 'Date of the earliest cohort.';
comment on column programmes.last_cohort_date is 'Date of the latest cohort.';

create table cohorts (
    programme_id varchar not null,
    cohort_id varchar not null,
    site varchar not null,
    cohort_date date not null,
    primary key (programme_id, cohort_id)
);
comment on table cohorts is 'One row per cohort (workshop session or group) in the project config: where and when it ran. Configuration, not people: never suppressed.';
comment on column cohorts.programme_id is 'Programme id.';
comment on column cohorts.cohort_id is 'Cohort id from ripple.yml.';
comment on column cohorts.site is 'Site where the cohort ran.';
comment on column cohorts.cohort_date is 'Date the cohort ran.';

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
    key_status varchar not null,
    primary key (instrument_id, scale_id)
);
comment on table scales is 'One row per instrument scale (total or subscale) scored for any programme: its score range and direction.';
comment on column scales.instrument_id is 'Instrument id, e.g. cami12.';
comment on column scales.scale_id is 'Scale id within the instrument, e.g. tolerance_support.';
comment on column scales.instrument_name is 'Instrument name for display.';
comment on column scales.scale_name is 'Scale name for display.';
comment on column scales.construct is 'What the scale measures: stigma, knowledge, intended_behaviour, belonging, loneliness, wellbeing.';
comment on column scales.aggregation is 'sum or mean of the item scores.';
comment on column scales.higher_is_better is 'True when a higher score is the desired direction (e.g. less stigma, more belonging); when false, every change and effect in this extract was multiplied by -1 so positive = improvement.';
comment on column scales.score_min is 'Lowest possible score.';
comment on column scales.score_max is 'Highest possible score.';
comment on column scales.citation is 'Reference for the instrument and its scoring.';
comment on column scales.key_status is 'verified, partly_verified or unverified: how far the instrument''s scoring key was checked against a published source (the instrument file''s verification note says what was checked).';

create table items (
    instrument_id varchar not null,
    item_id varchar primary key,
    position integer not null,
    is_reverse_keyed boolean not null,
    scale_ids varchar[] not null,
    wording varchar
);
comment on table items is 'One row per instrument item asked in any programme. Instrument definitions, not people.';
comment on column items.instrument_id is 'Instrument id.';
comment on column items.item_id is 'Item id, e.g. ribs_05.';
comment on column items.position is 'Item number in the instrument.';
comment on column items.is_reverse_keyed is 'True when the item is scored code_min + code_max - code (agreeing with it is the less favourable answer).';
comment on column items.scale_ids is 'Scales the item belongs to.';
comment on column items.wording is 'Item wording, only where the instrument file ships it (public-domain wording, e.g. UCLA-3); NULL for licensed instruments (use the wording of your own survey).';

create table answer_options (
    instrument_id varchar not null,
    answer varchar not null,
    answer_order integer not null,
    label varchar not null,
    primary key (instrument_id, answer)
);
comment on table answer_options is 'The answers an item of each instrument can take, in display order, for item_distributions: every answer code, "dont_know" where the instrument has that option, and "missing" (no answer).';
comment on column answer_options.instrument_id is 'Instrument id.';
comment on column answer_options.answer is 'Answer code as text (e.g. 1..5), dont_know, or missing.';
comment on column answer_options.answer_order is 'Display order: codes ascending, then dont_know, then missing.';
comment on column answer_options.label is 'Answer label from the instrument file (e.g. Agree strongly); "Don''t know" and "No answer" for the two non-codes.';

create table reach (
    level varchar not null,
    programme_id varchar not null,
    site varchar,
    cohort_id varchar,
    cohort_date date,
    wave_id varchar not null,
    wave_order integer not null,
    measure varchar not null,
    n integer,
    retention double,
    hidden_reason varchar,
    note varchar
);
comment on table reach is 'Reach and retention per programme, site and cohort x wave: people who answered, and people who were linked back to their baseline answer. One row per level x group x wave x measure. Breakdowns: programme = its sites = its cohorts; site = its cohorts; responses at a later wave = linked + unlinked, and baseline responses = linked + not retained (the remainders are never published, and are protected like any hidden cell).';
comment on column reach.level is 'programme (site and cohort_id NULL), site (cohort_id NULL) or cohort.';
comment on column reach.programme_id is 'Programme id.';
comment on column reach.site is 'Site; NULL at programme level.';
comment on column reach.cohort_id is 'Cohort; NULL unless level = cohort.';
comment on column reach.cohort_date is 'Date of the cohort; NULL unless level = cohort.';
comment on column reach.wave_id is 'Wave.';
comment on column reach.wave_order is 'Position of the wave; 0 = baseline.';
comment on column reach.measure is 'responses: responses kept at the wave (one per person and wave); linked (later waves only): baseline responses of the group linked to a response at this wave (the group is the baseline response''s cohort).';
comment on column reach.n is 'Number of people; NULL when hidden.';
comment on column reach.retention is 'linked rows: n / the group''s baseline responses (both as published); NULL for responses rows or when either is hidden.';
comment on column reach.hidden_reason is 'NULL when n is shown; else too few people, hidden so that another small group cannot be worked out, or held until enough new people.';
comment on column reach.note is 'held until enough new people when n is the previous release''s (fewer than min_cell_size people entered since); else NULL.';

create table paired_stats (
    level varchar not null,
    programme_id varchar not null,
    site varchar,
    cohort_id varchar,
    cohort_date date,
    attribute varchar,
    attribute_value varchar,
    instrument_id varchar not null,
    scale_id varchar not null,
    score_min double not null,
    score_max double not null,
    higher_is_better boolean not null,
    from_wave varchar not null,
    to_wave varchar not null,
    is_from_baseline boolean not null,
    n_pairs integer,
    mean_from double,
    mean_to double,
    sd_from double,
    sd_to double,
    mean_improvement double,
    sd_improvement double,
    improvement_ci_low double,
    improvement_ci_high double,
    p double,
    d_z double,
    d_z_ci_low double,
    d_z_ci_high double,
    g_z double,
    d_av double,
    d_av_ci_low double,
    d_av_ci_high double,
    reliability_source varchar,
    rci_reliability double,
    share_reliably_improved double,
    share_reliably_unchanged double,
    share_reliably_deteriorated double,
    reliable_change_note varchar,
    hidden_reason varchar,
    note varchar
);
comment on table paired_stats is 'Paired change over people linked at both waves, per programme, site, cohort, or programme x one baseline attribute value, x scale x comparison (baseline -> each later wave, and later wave -> a still later one). From mart_paired_stats (its programme, site, cohort and attribute levels; its period level is not published). Positive = improvement. Breakdowns protected: programme = sites = cohorts = the values of each attribute; site = its cohorts; the pairs of a later comparison are nested in the earlier ones; improved + unchanged + deteriorated = all pairs. Exact-match-only results are not in this version (the marts do not carry them).';
comment on column paired_stats.level is 'programme, site, cohort or attribute (programme x one baseline attribute value).';
comment on column paired_stats.programme_id is 'Programme id.';
comment on column paired_stats.site is 'Site for level site or cohort; else NULL.';
comment on column paired_stats.cohort_id is 'Cohort for level cohort (the baseline response''s cohort); else NULL.';
comment on column paired_stats.cohort_date is 'Date of the cohort for level cohort; else NULL.';
comment on column paired_stats.attribute is 'For level attribute: the respondent attribute of the baseline response (a coarsened quasi-identifier declared by the survey, e.g. age_band, gender); else NULL.';
comment on column paired_stats.attribute_value is 'For level attribute: its value, or (suppressed) (k-anonymity at landing), (not answered), (not asked) (the survey has no such question); else NULL.';
comment on column paired_stats.instrument_id is 'Instrument id.';
comment on column paired_stats.scale_id is 'Scale id.';
comment on column paired_stats.score_min is 'Lowest possible score of the scale (scales.score_min), to read mean_improvement against the range.';
comment on column paired_stats.score_max is 'Highest possible score of the scale.';
comment on column paired_stats.higher_is_better is 'True when a higher score is better; when false, changes were multiplied by -1.';
comment on column paired_stats.from_wave is 'Earlier wave of the comparison.';
comment on column paired_stats.to_wave is 'Later wave of the comparison.';
comment on column paired_stats.is_from_baseline is 'True when from_wave is the baseline; false for later wave -> a still later one (people linked from the same baseline response to both).';
comment on column paired_stats.n_pairs is 'People with a score at both waves; NULL when hidden.';
comment on column paired_stats.mean_from is 'Mean score at from_wave of the pairs, in the scale''s units.';
comment on column paired_stats.mean_to is 'Mean score at to_wave of the pairs, in the scale''s units.';
comment on column paired_stats.sd_from is 'Sample SD of the scores at from_wave.';
comment on column paired_stats.sd_to is 'Sample SD of the scores at to_wave.';
comment on column paired_stats.mean_improvement is 'Mean change, signed so positive = improvement, in the scale''s units (see score_min, score_max).';
comment on column paired_stats.sd_improvement is 'Sample SD of the signed change.';
comment on column paired_stats.improvement_ci_low is 'Lower end of the 95% t CI of mean_improvement.';
comment on column paired_stats.improvement_ci_high is 'Upper end of the 95% t CI of mean_improvement.';
comment on column paired_stats.p is 'Two-sided p of the paired t-test (H0 no mean change).';
comment on column paired_stats.d_z is 'Cohen''s d_z = mean change / SD of change (Lakens 2013); not comparable with Cohen''s between-group benchmarks (compare d_av).';
comment on column paired_stats.d_z_ci_low is 'Lower end of the noncentral-t 95% CI of d_z.';
comment on column paired_stats.d_z_ci_high is 'Upper end of the noncentral-t 95% CI of d_z.';
comment on column paired_stats.g_z is 'Hedges'' g_z: d_z corrected for small-sample bias (quote it for small groups).';
comment on column paired_stats.d_av is 'Cohen''s d_av = mean change / root-mean-square SD of the two waves, on the scale of a between-group d.';
comment on column paired_stats.d_av_ci_low is 'Lower end of the approximate 95% CI of d_av (Algina & Keselman 2003).';
comment on column paired_stats.d_av_ci_high is 'Upper end of the approximate 95% CI of d_av.';
comment on column paired_stats.reliability_source is 'Reliability used for reliable change: published (instrument), sample_alpha_baseline (the programme''s baseline alpha) or unavailable (no shares).';
comment on column paired_stats.rci_reliability is 'The reliability r_xx used for reliable change.';
comment on column paired_stats.share_reliably_improved is 'Share of the pairs whose own change exceeds measurement error (Jacobson-Truax RCI > 1.96); NULL when unavailable or hidden (reliable_change_note says why).';
comment on column paired_stats.share_reliably_unchanged is 'Share with |RCI| <= 1.96.';
comment on column paired_stats.share_reliably_deteriorated is 'Share with RCI < -1.96.';
comment on column paired_stats.reliable_change_note is 'NULL when the three shares are this run''s; else why some are NULL (a share of 1..min_cell_size - 1 people is hidden like any cell) or held until enough new people.';
comment on column paired_stats.hidden_reason is 'NULL when the statistics are shown; else too few people, hidden so that another small group cannot be worked out, or held until enough new people.';
comment on column paired_stats.note is 'held until enough new people when the values are the previous release''s; else NULL.';

create table wave_means (
    programme_id varchar not null,
    instrument_id varchar not null,
    scale_id varchar not null,
    score_min double not null,
    score_max double not null,
    wave_id varchar not null,
    wave_order integer not null,
    n integer,
    mean double,
    sd double,
    ci_low double,
    ci_high double,
    hidden_reason varchar,
    note varchar,
    primary key (programme_id, instrument_id, scale_id, wave_id)
);
comment on table wave_means is 'All available (unpaired) scores per programme x scale x wave, over every scored response, linked or not (mart_wave_scores). Breakdowns protected: all responses at a wave = linked pairs + the rest (so all minus linked never isolates a few unlinked people), and the same at the baseline (completers + drop-outs).';
comment on column wave_means.programme_id is 'Programme id.';
comment on column wave_means.instrument_id is 'Instrument id.';
comment on column wave_means.scale_id is 'Scale id.';
comment on column wave_means.score_min is 'Lowest possible score.';
comment on column wave_means.score_max is 'Highest possible score.';
comment on column wave_means.wave_id is 'Wave.';
comment on column wave_means.wave_order is 'Position of the wave; 0 = baseline.';
comment on column wave_means.n is 'Scored responses; NULL when hidden.';
comment on column wave_means.mean is 'Mean score, in the scale''s units.';
comment on column wave_means.sd is 'Sample SD of the score.';
comment on column wave_means.ci_low is 'Lower end of the 95% t CI of the mean.';
comment on column wave_means.ci_high is 'Upper end of the 95% t CI of the mean.';
comment on column wave_means.hidden_reason is 'NULL when shown; else why hidden.';
comment on column wave_means.note is 'held until enough new people when the values are the previous release''s; else NULL.';

create table wave_comparison (
    programme_id varchar not null,
    instrument_id varchar not null,
    scale_id varchar not null,
    higher_is_better boolean not null,
    from_wave varchar not null,
    to_wave varchar not null,
    n_from integer,
    n_to integer,
    mean_from double,
    mean_to double,
    mean_improvement double,
    improvement_ci_low double,
    improvement_ci_high double,
    welch_p double,
    d_s double,
    g_s double,
    g_s_ci_low double,
    g_s_ci_high double,
    hidden_reason varchar,
    note varchar,
    primary key (programme_id, instrument_id, scale_id, from_wave, to_wave)
);
comment on table wave_comparison is 'All available responses at the baseline against all at a later wave, as independent groups, per programme x scale (mart_wave_comparison). Shown only when both waves'' wave_means rows are shown with this run''s values (held together otherwise), so it reveals nothing they do not. Positive = improvement.';
comment on column wave_comparison.programme_id is 'Programme id.';
comment on column wave_comparison.instrument_id is 'Instrument id.';
comment on column wave_comparison.scale_id is 'Scale id.';
comment on column wave_comparison.higher_is_better is 'True when a higher score is better; when false, differences were multiplied by -1.';
comment on column wave_comparison.from_wave is 'Baseline wave.';
comment on column wave_comparison.to_wave is 'Later wave.';
comment on column wave_comparison.n_from is 'Scored responses at the baseline.';
comment on column wave_comparison.n_to is 'Scored responses at the later wave.';
comment on column wave_comparison.mean_from is 'Mean baseline score, in the scale''s units.';
comment on column wave_comparison.mean_to is 'Mean later score, in the scale''s units.';
comment on column wave_comparison.mean_improvement is 'Difference of the means, signed so positive = improvement.';
comment on column wave_comparison.improvement_ci_low is 'Lower end of the Welch 95% CI of mean_improvement.';
comment on column wave_comparison.improvement_ci_high is 'Upper end of the Welch 95% CI.';
comment on column wave_comparison.welch_p is 'Two-sided p of Welch''s t-test (conservative: linked people answer both waves).';
comment on column wave_comparison.d_s is 'Cohen''s d_s (pooled SD).';
comment on column wave_comparison.g_s is 'Hedges'' g_s, the small-sample-corrected between-wave effect.';
comment on column wave_comparison.g_s_ci_low is 'Lower end of the noncentral-t 95% CI of the effect.';
comment on column wave_comparison.g_s_ci_high is 'Upper end of that CI.';
comment on column wave_comparison.hidden_reason is 'NULL when shown; else why hidden (the reason of the hidden wave).';
comment on column wave_comparison.note is 'held until enough new people when the values are the previous release''s; else NULL.';

create table attrition (
    programme_id varchar not null,
    instrument_id varchar not null,
    scale_id varchar not null,
    higher_is_better boolean not null,
    from_wave varchar not null,
    to_wave varchar not null,
    n_completers integer,
    n_dropouts integer,
    mean_completers double,
    sd_completers double,
    mean_dropouts double,
    sd_dropouts double,
    baseline_gap double,
    baseline_gap_ci_low double,
    baseline_gap_ci_high double,
    d_s double,
    d_s_ci_low double,
    d_s_ci_high double,
    p double,
    follow_up_selected boolean,
    hidden_reason varchar,
    note varchar,
    primary key (programme_id, instrument_id, scale_id, from_wave, to_wave)
);
comment on table attrition is 'Attrition check per programme x scale x later wave (mart_attrition): did the people who came back (completers: the paired analysis) differ at baseline from those who did not (drop-outs: every other scored baseline response)? Shown only when the baseline wave_means row and the paired_stats programme row are both shown with this run''s values; drop-outs = baseline minus completers is protected like any breakdown (0 or at least min_cell_size).';
comment on column attrition.programme_id is 'Programme id.';
comment on column attrition.instrument_id is 'Instrument id.';
comment on column attrition.scale_id is 'Scale id.';
comment on column attrition.higher_is_better is 'True when a higher score is better; when false, the gap was multiplied by -1.';
comment on column attrition.from_wave is 'Baseline wave.';
comment on column attrition.to_wave is 'Later wave.';
comment on column attrition.n_completers is 'Baseline responses in the paired analysis of to_wave.';
comment on column attrition.n_dropouts is 'The other scored baseline responses (0 when everyone came back).';
comment on column attrition.mean_completers is 'Mean baseline score of the completers.';
comment on column attrition.sd_completers is 'Sample SD of the completers'' baseline scores.';
comment on column attrition.mean_dropouts is 'Mean baseline score of the drop-outs.';
comment on column attrition.sd_dropouts is 'Sample SD of the drop-outs'' baseline scores.';
comment on column attrition.baseline_gap is 'Completers'' mean - drop-outs'' mean, signed so positive = completers started out better.';
comment on column attrition.baseline_gap_ci_low is 'Lower end of the Welch 95% CI of baseline_gap.';
comment on column attrition.baseline_gap_ci_high is 'Upper end of the Welch 95% CI.';
comment on column attrition.d_s is 'Cohen''s d_s of the gap (pooled SD).';
comment on column attrition.d_s_ci_low is 'Lower end of the noncentral-t 95% CI of d_s.';
comment on column attrition.d_s_ci_high is 'Upper end of that CI.';
comment on column attrition.p is 'Two-sided p of Welch''s t-test of the gap (H0 completers and drop-outs started out the same).';
comment on column attrition.follow_up_selected is 'True when p < .05 or |d_s| >= 0.2: the completers differed at baseline from the drop-outs (a statistically clear or at least small-sized gap), so the result at to_wave describes a selected group; false when neither; NULL when the gap is hidden or cannot be computed (no drop-outs).';
comment on column attrition.hidden_reason is 'NULL when shown; else why hidden.';
comment on column attrition.note is 'held until enough new people when the values are the previous release''s; else NULL.';

create table reliability (
    programme_id varchar not null,
    instrument_id varchar not null,
    scale_id varchar not null,
    wave_id varchar not null,
    wave_order integer not null,
    n_complete integer,
    n_items integer not null,
    alpha double,
    alpha_ci_low double,
    alpha_ci_high double,
    omega_total double,
    is_alpha_below_070 boolean,
    hidden_reason varchar,
    note varchar,
    primary key (programme_id, instrument_id, scale_id, wave_id)
);
comment on table reliability is 'Internal consistency per programme x scale x wave over complete cases (mart_reliability, level programme): Cronbach''s alpha with Feldt''s CI, McDonald''s omega, flagged below .70.';
comment on column reliability.programme_id is 'Programme id.';
comment on column reliability.instrument_id is 'Instrument id.';
comment on column reliability.scale_id is 'Scale id.';
comment on column reliability.wave_id is 'Wave.';
comment on column reliability.wave_order is 'Position of the wave; 0 = baseline.';
comment on column reliability.n_complete is 'Responses that answered every item of the scale (the n of alpha and omega); NULL when hidden.';
comment on column reliability.n_items is 'Items in the scale.';
comment on column reliability.alpha is 'Cronbach''s alpha.';
comment on column reliability.alpha_ci_low is 'Lower end of Feldt''s 95% CI of alpha.';
comment on column reliability.alpha_ci_high is 'Upper end of Feldt''s 95% CI.';
comment on column reliability.omega_total is 'McDonald''s omega total (one factor); NULL for scales of fewer than 3 items.';
comment on column reliability.is_alpha_below_070 is 'True when alpha < .70: read changes on this scale with caution.';
comment on column reliability.hidden_reason is 'NULL when shown; else why hidden.';
comment on column reliability.note is 'held until enough new people when the values are the previous release''s; else NULL.';

create table cohort_meta (
    programme_id varchar not null,
    instrument_id varchar not null,
    scale_id varchar not null,
    from_wave varchar not null,
    to_wave varchar not null,
    n_cohorts integer not null,
    k_cohorts_shown integer not null,
    k_cohorts_pooled integer not null,
    n_pairs_pooled integer,
    first_cohort_date date,
    last_cohort_date date,
    pooled_d_z double,
    pooled_ci_low double,
    pooled_ci_high double,
    pooled_hk_ci_low double,
    pooled_hk_ci_high double,
    prediction_low double,
    prediction_high double,
    pooled_p double,
    q double,
    q_df integer,
    q_p double,
    i2_percent double,
    tau2 double,
    trend_k integer,
    trend_slope_per_year double,
    trend_ci_low double,
    trend_ci_high double,
    trend_p double,
    is_trend_significant boolean,
    trend_reading varchar,
    note varchar,
    primary key (programme_id, instrument_id, scale_id, from_wave, to_wave)
);
comment on table cohort_meta is 'Across cohorts, per programme x scale x comparison: the cohorts'' d_z pooled by DerSimonian-Laird random effects, heterogeneity (Q, I^2, tau^2) and the trend of cohort effects over cohort date (slope per year, Knapp-Hartung CI), computed (pipeline/stats/meta.py) from the cohort rows of paired_stats AS PUBLISHED: hidden cohorts are left out (so nothing about them can be worked back), held cohorts enter with their published values. Positive = improvement.';
comment on column cohort_meta.programme_id is 'Programme id.';
comment on column cohort_meta.instrument_id is 'Instrument id.';
comment on column cohort_meta.scale_id is 'Scale id.';
comment on column cohort_meta.from_wave is 'Earlier wave of the comparison.';
comment on column cohort_meta.to_wave is 'Later wave of the comparison.';
comment on column cohort_meta.n_cohorts is 'Cohort rows of this comparison in paired_stats (shown or hidden).';
comment on column cohort_meta.k_cohorts_shown is 'Of those, cohorts whose statistics are shown.';
comment on column cohort_meta.k_cohorts_pooled is 'Cohorts pooled (shown, with a d_z).';
comment on column cohort_meta.n_pairs_pooled is 'Pairs over the pooled cohorts.';
comment on column cohort_meta.first_cohort_date is 'Date of the earliest pooled cohort.';
comment on column cohort_meta.last_cohort_date is 'Date of the latest pooled cohort.';
comment on column cohort_meta.pooled_d_z is 'Random-effects mean of the cohorts'' d_z; NULL with fewer than 2 cohorts.';
comment on column cohort_meta.pooled_ci_low is 'Lower end of the classic 95% CI (too narrow with few cohorts; prefer pooled_hk_ci_low).';
comment on column cohort_meta.pooled_ci_high is 'Upper end of the classic 95% CI.';
comment on column cohort_meta.pooled_hk_ci_low is 'Lower end of the Hartung-Knapp 95% CI.';
comment on column cohort_meta.pooled_hk_ci_high is 'Upper end of the Hartung-Knapp 95% CI.';
comment on column cohort_meta.prediction_low is 'Lower end of the 95% prediction interval for a new cohort''s d_z (3+ cohorts).';
comment on column cohort_meta.prediction_high is 'Upper end of the 95% prediction interval.';
comment on column cohort_meta.pooled_p is 'Two-sided p of the pooled effect.';
comment on column cohort_meta.q is 'Cochran''s Q.';
comment on column cohort_meta.q_df is 'Degrees of freedom of Q.';
comment on column cohort_meta.q_p is 'p of Q (H0 every cohort has the same true effect).';
comment on column cohort_meta.i2_percent is 'I^2: percentage of variation between cohorts beyond chance.';
comment on column cohort_meta.tau2 is 'Between-cohort variance of the true d_z.';
comment on column cohort_meta.trend_k is 'Cohorts in the trend.';
comment on column cohort_meta.trend_slope_per_year is 'Change in cohort d_z per year of cohort date; positive = later cohorts improved more; NULL with fewer than 3 cohorts or one date.';
comment on column cohort_meta.trend_ci_low is 'Lower end of the Knapp-Hartung 95% CI of the slope.';
comment on column cohort_meta.trend_ci_high is 'Upper end of that CI.';
comment on column cohort_meta.trend_p is 'Two-sided p of the slope (H0 no trend).';
comment on column cohort_meta.is_trend_significant is 'True when the slope''s 95% CI excludes 0.';
comment on column cohort_meta.trend_reading is 'The trend in plain words, e.g. No clear trend over time ...';
comment on column cohort_meta.note is 'Says when hidden cohorts were left out, or held cohorts entered with earlier values; NULL otherwise.';

create table item_distributions (
    programme_id varchar not null,
    instrument_id varchar not null,
    item_id varchar not null,
    wave_id varchar not null,
    wave_order integer not null,
    answer varchar not null,
    answer_order integer not null,
    n integer,
    share double,
    hidden_reason varchar,
    note varchar,
    primary key (programme_id, item_id, wave_id, answer)
);
comment on table item_distributions is 'How many people gave each answer to each item, per programme x item x wave, for diverging stacked bars. One row per answer of answer_options (zero counts included) plus one row answer = all (everyone asked the item). The answers add up to all, and are protected as its breakdown.';
comment on column item_distributions.programme_id is 'Programme id.';
comment on column item_distributions.instrument_id is 'Instrument id.';
comment on column item_distributions.item_id is 'Item id (items has its wording where shipped).';
comment on column item_distributions.wave_id is 'Wave.';
comment on column item_distributions.wave_order is 'Position of the wave; 0 = baseline.';
comment on column item_distributions.answer is 'Answer code as text, dont_know, missing, or all (the total).';
comment on column item_distributions.answer_order is 'Display order (answer_options.answer_order); -1 for all.';
comment on column item_distributions.n is 'People who gave this answer; NULL when hidden.';
comment on column item_distributions.share is 'n / the all row''s n (both as published); NULL when either is hidden.';
comment on column item_distributions.hidden_reason is 'NULL when shown; else why hidden.';
comment on column item_distributions.note is 'held until enough new people when n is the previous release''s; else NULL.';

create table data_quality (
    programme_id varchar not null,
    wave_id varchar not null,
    measure varchar not null,
    reason varchar not null,
    n_records integer,
    hidden_reason varchar,
    note varchar,
    primary key (programme_id, wave_id, measure, reason)
);
comment on table data_quality is 'Records left out of the analysis per programme x wave, by reason, over every run that built the warehouse (never per file). The reasons add up to the all row and are protected as its breakdown.';
comment on column data_quality.programme_id is 'Programme id.';
comment on column data_quality.wave_id is 'Wave of the export file, or (several) for a file holding several waves.';
comment on column data_quality.measure is 'excluded (not a final, real answer: preview, test, spam, incomplete, duplicate ..., see the warehouse''s exclusions; records of exports read again, already_loaded and already_ingested, are bookkeeping and left out) or quarantined (failed validation; a record failing several rules counts once, under the first rule in alphabetical order).';
comment on column data_quality.reason is 'The reason, or all for every reason together.';
comment on column data_quality.n_records is 'Records; NULL when hidden.';
comment on column data_quality.hidden_reason is 'NULL when shown; else why hidden.';
comment on column data_quality.note is 'held until enough new people when n_records is the previous release''s; else NULL.';

create table linkage_quality (
    programme_id varchar not null,
    wave_id varchar not null,
    wave_order integer not null,
    link_status varchar not null,
    n integer,
    share_of_responses double,
    hidden_reason varchar,
    note varchar,
    primary key (programme_id, wave_id, link_status)
);
comment on table linkage_quality is 'How the responses at each later wave were linked to a baseline response, per programme (scored.response_linkage): link rates by match type. all_responses and linked are the programme rows of reach; the statuses add up to all_responses, and participant_id + exact + one_element to linked.';
comment on column linkage_quality.programme_id is 'Programme id.';
comment on column linkage_quality.wave_id is 'Later wave.';
comment on column linkage_quality.wave_order is 'Position of the wave.';
comment on column linkage_quality.link_status is 'all_responses, linked, participant_id (same platform participant id), exact (identical self-generated code), one_element (code differing in one element, unique on both sides), ambiguous (a candidate that was not unique: never linked), unmatched (no candidate) or no_code (no usable code or id).';
comment on column linkage_quality.n is 'Responses; NULL when hidden.';
comment on column linkage_quality.share_of_responses is 'n / all_responses (both as published); NULL when either is hidden.';
comment on column linkage_quality.hidden_reason is 'NULL when shown; else why hidden.';
comment on column linkage_quality.note is 'held until enough new people when n is the previous release''s; else NULL.';

create table disclosure_summary (
    table_name varchar not null,
    status varchar not null,
    reason varchar not null,
    n_cells integer not null,
    primary key (table_name, status, reason)
);
comment on table disclosure_summary is 'How many published cells (groups of people) of each table are shown with this run''s values, held, or hidden, and why: the cost of disclosure control in this release. Counts of cells, not of people.';
comment on column disclosure_summary.table_name is 'Extract table.';
comment on column disclosure_summary.status is 'shown (this run''s values), held (the previous release''s values) or hidden.';
comment on column disclosure_summary.reason is 'For hidden and held cells: the reason; for shown cells: (none).';
comment on column disclosure_summary.n_cells is 'Number of cells.';

create table disclosure_ledger (
    cell_key varchar primary key,
    table_name varchar not null,
    state varchar not null,
    n integer,
    published_values varchar,
    hidden_reason varchar,
    sealed varchar,
    state_run_id varchar not null,
    run_id varchar not null
);
comment on table disclosure_ledger is 'What this release published for every cell (a group of people) of every table, read back by the next release so that releases cannot be subtracted from one another: a cell takes new values only when at least min_cell_size people entered it since. Virtual cells (table_name = (remainder): the part of a total no published breakdown covers, e.g. the unlinked responses at a wave) are never published; they are here so the next release can check that their difference isolates nobody.';
comment on column disclosure_ledger.cell_key is 'The cell: a JSON array of its table family, level and group, stable from release to release.';
comment on column disclosure_ledger.table_name is 'Table whose rows show the cell, or (remainder) for a virtual cell.';
comment on column disclosure_ledger.state is 'shown (values published, this run''s or held) or hidden.';
comment on column disclosure_ledger.n is 'n of the published values when shown; NULL when hidden.';
comment on column disclosure_ledger.published_values is 'The values published for the cell (JSON object, column -> value) when shown; NULL when hidden.';
comment on column disclosure_ledger.hidden_reason is 'Why the cell is hidden (as in the table that shows it); NULL when shown.';
comment on column disclosure_ledger.sealed is 'The counts the next release compares (n of the last shown values, n when the state was set, n in this release), sealed: XOR-ed with an HMAC-SHA256 keystream of the project key, run id and cell key, so that no small count is readable without the key. meta.ledger_key_id names the key.';
comment on column disclosure_ledger.state_run_id is 'Run that set the cell''s current state (its values or its hiding).';
comment on column disclosure_ledger.run_id is 'Run that wrote this ledger (this release).';

------------------------------------------------------------------ version 1 tables
-- Kept, with their columns unchanged, so the current dashboard keeps working until it is
-- rebuilt on the tables above. They are filled from the tables above AFTER disclosure
-- control (same cells, same hiding, held values included), so they reveal nothing more;
-- is_suppressed is true for a hidden cell whatever the reason. Deprecated: new readers use
-- paired_stats, wave_means and reach.

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
comment on table paired_change is 'Version 1 (deprecated; use paired_stats, level programme): paired change per programme, scale and comparison (baseline wave to a later wave), over people linked across both waves. One row per programme x scale x comparison.';
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
comment on column paired_change.is_suppressed is 'True when the cell is hidden (too few people, to protect another group, or held); all statistics are then NULL.';

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
comment on table cohort_change is 'Version 1 (deprecated; use paired_stats, level cohort): paired change per cohort, for trends over time. One row per programme x cohort x scale x comparison from the baseline. Suppression as in paired_stats.';
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
comment on table wave_scores is 'Version 1 (deprecated; use wave_means): all-available (unpaired) scores per programme, scale and wave, over every scored response. One row per programme x scale x wave.';
comment on column wave_scores.programme_id is 'Programme id.';
comment on column wave_scores.instrument_id is 'Instrument id.';
comment on column wave_scores.scale_id is 'Scale id.';
comment on column wave_scores.wave_id is 'Wave id.';
comment on column wave_scores.n is 'Responses with a score; NULL when suppressed.';
comment on column wave_scores.mean is 'Mean score.';
comment on column wave_scores.sd is 'Sample standard deviation of the score.';
comment on column wave_scores.ci_low is 'Lower end of the 95% confidence interval of the mean (t distribution, n - 1 df).';
comment on column wave_scores.ci_high is 'Upper end of the 95% confidence interval of the mean.';
comment on column wave_scores.is_suppressed is 'True when the cell is hidden (too few people, to protect another group, or held); statistics are then NULL.';

create table linkage (
    programme_id varchar not null,
    wave_id varchar not null,
    n_responses integer,
    n_linked integer,
    is_suppressed boolean not null,
    primary key (programme_id, wave_id)
);
comment on table linkage is 'Version 1 (deprecated; use reach and linkage_quality): how many responses per programme and later wave were linked to a baseline response by the self-generated code. One row per programme x non-baseline wave.';
comment on column linkage.programme_id is 'Programme id.';
comment on column linkage.wave_id is 'Later wave id.';
comment on column linkage.n_responses is 'Responses kept at this wave; NULL when suppressed.';
comment on column linkage.n_linked is 'Of those, responses linked to a baseline response; NULL when suppressed.';
comment on column linkage.is_suppressed is 'True when either count is hidden (too few people, to protect another group, or held).';
