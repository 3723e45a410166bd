-- The research warehouse (ripple.duckdb): audit tables, landed rows and reference tables.
-- Models built from these (responses, item_responses, scores, linked_pairs, change_scores,
-- mart_*) are in pipeline/transform/sql/, documented in each layer's _models.yml.

-- Schema `landing`: rows as landed by each run, append-only, with lineage. Researchers query
-- the models in main (responses, item_responses, scores, ...) rather than these.
-- (DuckDB 2.0 cannot COMMENT ON a schema.)
create schema landing;

------------------------------------------------------------------ audit

create table runs (
    run_id varchar primary key,
    started_at timestamp not null,
    finished_at timestamp not null,
    status varchar not null,
    pipeline_version varchar not null,
    config_sha256 varchar not null,
    key_id varchar not null,
    min_cell_size integer not null,
    n_files integer not null,
    rows_in integer not null,
    rows_loaded integer not null,
    rows_excluded integer not null,
    rows_quarantined integer not null,
    check (rows_in = rows_loaded + rows_excluded + rows_quarantined)
);
comment on table runs is 'One row per successful ripple run that built this warehouse. A failed run publishes nothing, so it leaves no row.';
comment on column runs.run_id is 'Run id (UUID4); every landed row carries the run_id that loaded it.';
comment on column runs.started_at is 'When the run started (UTC).';
comment on column runs.finished_at is 'When the run finished building the warehouse (UTC).';
comment on column runs.status is 'succeeded.';
comment on column runs.pipeline_version is 'Ripple version that ran.';
comment on column runs.config_sha256 is 'SHA-256 of the ripple.yml used.';
comment on column runs.key_id is 'Id of the pseudonymisation key (first 8 hex characters of HMAC(key, "ripple|key-id")); never the key.';
comment on column runs.min_cell_size is 'Smallest group size published in the marts and the dashboard.';
comment on column runs.n_files is 'Export files read by the run.';
comment on column runs.rows_in is 'Response records read from all files.';
comment on column runs.rows_loaded is 'Records loaded as responses.';
comment on column runs.rows_excluded is 'Records excluded (see exclusions).';
comment on column runs.rows_quarantined is 'Records quarantined (see quarantine).';

create table source_files (
    run_id varchar not null,
    source_path varchar not null,
    source_sha256 varchar not null,
    survey varchar not null,
    programme_id varchar not null,
    wave_id varchar,
    format varchar not null,
    file_type varchar,
    encoding varchar not null,
    encoding_confidence double,
    delimiter varchar not null,
    header_rows integer not null,
    size_bytes bigint not null,
    rows_in integer not null,
    rows_loaded integer not null,
    rows_excluded integer not null,
    rows_quarantined integer not null,
    status varchar not null,
    warnings varchar[],
    rows_attributes_suppressed integer,
    primary key (run_id, source_path),
    check (rows_in = rows_loaded + rows_excluded + rows_quarantined)
);
comment on table source_files is 'One row per export file per run, with its row accounting: rows_in = rows_loaded + rows_excluded + rows_quarantined always holds.';
comment on column source_files.run_id is 'Run that read the file.';
comment on column source_files.source_path is 'File path relative to the project config.';
comment on column source_files.source_sha256 is 'SHA-256 of the file bytes; a file already loaded is not loaded again.';
comment on column source_files.survey is 'Survey mapping used to read the file.';
comment on column source_files.programme_id is 'Programme the file belongs to.';
comment on column source_files.wave_id is 'Wave the file belongs to; NULL when its rows carry their own wave (a wave column, e.g. REDCap events).';
comment on column source_files.format is 'Export layout (qualtrics, qualtrics_legacy, surveymonkey, surveymonkey_api, google_forms, redcap, kobo, csv), detected or set in the config.';
comment on column source_files.file_type is 'Container: csv (any delimited text), xlsx, parquet or json.';
comment on column source_files.encoding_confidence is 'How sure the encoding is: 1 for a byte-order mark, valid UTF-8 or a configured encoding; below 1 when it was guessed (see warnings).';
comment on column source_files.encoding is 'Character encoding used to decode the file.';
comment on column source_files.delimiter is 'Field delimiter.';
comment on column source_files.header_rows is 'Header rows before the first response.';
comment on column source_files.size_bytes is 'File size in bytes.';
comment on column source_files.rows_in is 'Response records in the file.';
comment on column source_files.rows_loaded is 'Records loaded as responses.';
comment on column source_files.rows_excluded is 'Records excluded, with a reason each (exclusions).';
comment on column source_files.rows_quarantined is 'Records quarantined, with reasons (quarantine).';
comment on column source_files.rows_attributes_suppressed is 'Loaded responses whose respondent attributes (quasi-identifiers) were suppressed because fewer than k responses of the file shared their combination (k-anonymity, privacy.k_anonymity).';
comment on column source_files.warnings is 'What detection and mapping noticed: encoding guessed, header quirks, columns not read, possible identifiers (names of columns only, never values).';
comment on column source_files.status is 'loaded, or already_ingested when the same file content was loaded before (all its rows are then excluded with that reason).';

create table exclusions (
    run_id varchar not null,
    source_path varchar not null,
    source_sha256 varchar not null,
    source_row_number integer not null,
    reason varchar not null,
    primary key (run_id, source_path, source_row_number)
);
comment on table exclusions is 'One row per excluded record: not a participant''s real, final answer, or already loaded.';
comment on column exclusions.run_id is 'Run that excluded the record.';
comment on column exclusions.source_path is 'File path relative to the project config.';
comment on column exclusions.source_sha256 is 'SHA-256 of the file.';
comment on column exclusions.source_row_number is 'Spreadsheet row number of the record in the file (header rows counted).';
comment on column exclusions.reason is 'preview, test, spam (platform status), incomplete (unfinished or low progress), other_wave (a row of an event or wave the mapping leaves out), no_answers (none of the mapped items answered, e.g. a REDCap repeating-instrument row; quality.exclude_empty), speeder (faster than quality.speeders allows, when it excludes them), duplicate_response (the same response again with the same content: in the file, in another file of the run, or in the warehouse; the latest submission is kept), superseded_response (the same response id with different content: an earlier submission than the one kept, or a change dated before the landed one), duplicate_submission (same person, cohort and wave answered again; quality.duplicate_submissions says which is kept: latest, first or none), already_loaded (response loaded by an earlier run, unchanged), already_ingested (whole file loaded before, under any name).';

create table quarantine (
    run_id varchar not null,
    source_path varchar not null,
    source_sha256 varchar not null,
    source_row_number integer not null,
    reason varchar not null,
    field varchar not null,
    source_column varchar not null,
    detail varchar not null
);
comment on table quarantine is 'One row per validation failure of a quarantined record (a record can fail several rules). Holds no answer values, only where and why.';
comment on column quarantine.run_id is 'Run that quarantined the record.';
comment on column quarantine.source_path is 'File path relative to the project config.';
comment on column quarantine.source_sha256 is 'SHA-256 of the file.';
comment on column quarantine.source_row_number is 'Spreadsheet row number of the record in the file (header rows counted).';
comment on column quarantine.reason is 'out_of_range, unknown_label, unknown_cohort, missing_cohort, unknown_wave, missing_wave, invalid_timestamp, missing_date, missing_response_id, missing_participant_id, field_count_mismatch.';
comment on column quarantine.field is 'Ripple field that failed: an item id, cohort, submitted_at, ...';
comment on column quarantine.source_column is 'Column of the export that holds the field (Qualtrics ImportId or header text).';
comment on column quarantine.detail is 'What was wrong, in words; never the value itself.';

create table response_updates (
    run_id varchar not null,
    response_key varchar not null,
    source_path varchar not null,
    source_sha256 varchar not null,
    source_row_number integer not null,
    previous_run_id varchar not null,
    previous_source_sha256 varchar not null,
    previous_source_row_number integer not null,
    primary key (run_id, response_key)
);
comment on table response_updates is 'One row per landed response that a later export changed (overlapping downloads of one survey): the run replaced the landed rows of the response (landing.*) with the new submission, whose lineage is here with the one it replaced. So sum(source_files.rows_loaded) = count(landing.responses) + count(response_updates).';
comment on column response_updates.run_id is 'Run that loaded the new submission.';
comment on column response_updates.response_key is 'Response pseudonym (the same before and after).';
comment on column response_updates.source_path is 'File the new submission came from, relative to the project config.';
comment on column response_updates.source_sha256 is 'SHA-256 of that file.';
comment on column response_updates.source_row_number is 'Spreadsheet row number of the new submission in that file.';
comment on column response_updates.previous_run_id is 'Run that had loaded the replaced submission.';
comment on column response_updates.previous_source_sha256 is 'SHA-256 of the file the replaced submission came from (source_files has its path).';
comment on column response_updates.previous_source_row_number is 'Spreadsheet row number of the replaced submission in that file.';

------------------------------------------------------------------ landed rows

create table landing.responses (
    response_key varchar primary key,
    participant_key varchar,
    participant_id_key varchar,
    sgic_status varchar not null,
    programme_id varchar not null,
    cohort_id varchar not null,
    wave_id varchar not null,
    submitted_month date not null,
    run_id varchar not null,
    source_sha256 varchar not null,
    source_row_number integer not null,
    quality_flags varchar[]
);
comment on table landing.responses is 'One row per loaded response, as landed. A response a later run updated (response_updates) is replaced by its new row.';
comment on column landing.responses.response_key is 'Pseudonym of the response: HMAC-SHA256 (programme key) of the platform response id, or of the response content when the platform has none.';
comment on column landing.responses.participant_key is 'Pseudonym of the person: HMAC-SHA256 of the normalised self-generated code within the programme; NULL when the code was missing or invalid.';
comment on column landing.responses.participant_id_key is 'Pseudonym of the person from a platform participant id (REDCap record id, panel id): HMAC-SHA256 within the programme, domain-separated from participant_key; NULL when the survey has no participant id.';
comment on column landing.responses.sgic_status is 'ok, missing (an element blank) or invalid (an element unusable).';
comment on column landing.responses.programme_id is 'Programme.';
comment on column landing.responses.cohort_id is 'Cohort (workshop session or group).';
comment on column landing.responses.wave_id is 'Wave.';
comment on column landing.responses.submitted_month is 'First day of the month the response was submitted (exact times are not kept).';
comment on column landing.responses.run_id is 'Run that loaded the row.';
comment on column landing.responses.source_sha256 is 'SHA-256 of the export file the row came from.';
comment on column landing.responses.source_row_number is 'Spreadsheet row number of the record in that file.';
comment on column landing.responses.quality_flags is 'Quality flags for the evaluator to judge, never a reason to drop: speeder (faster than quality.speeders allows, when it flags rather than excludes), straight_lining (the same answer to every answered item of an instrument mixing reverse-keyed and plain items, at least quality.straight_lining.min_items answered). Empty when none; NULL in rows landed before this column existed.';

create table landing.item_responses (
    response_key varchar not null,
    item_id varchar not null,
    raw_value smallint,
    answer_status varchar,
    run_id varchar not null,
    source_sha256 varchar not null,
    source_row_number integer not null,
    primary key (response_key, item_id)
);
comment on table landing.item_responses is 'One row per loaded response x mapped item, as landed.';
comment on column landing.item_responses.response_key is 'Response pseudonym (landing.responses).';
comment on column landing.item_responses.item_id is 'Instrument item id.';
comment on column landing.item_responses.raw_value is 'Answer code as given (labels mapped to codes); NULL when unanswered, and for a don''t-know answer that the instrument scores as missing.';
comment on column landing.item_responses.answer_status is 'answered, dont_know (the survey''s don''t-know code or label; raw_value holds the code it is scored as, if any) or missing (blank or a declared missing code). NULL in rows landed before this column existed.';
comment on column landing.item_responses.run_id is 'Run that loaded the row.';
comment on column landing.item_responses.source_sha256 is 'SHA-256 of the export file.';
comment on column landing.item_responses.source_row_number is 'Spreadsheet row number of the record.';

create table landing.respondent_attributes (
    response_key varchar not null,
    attribute varchar not null,
    value varchar,
    run_id varchar not null,
    source_sha256 varchar not null,
    source_row_number integer not null,
    primary key (response_key, attribute)
);
comment on table landing.respondent_attributes is 'One row per loaded response x declared quasi-identifier (survey quasi_identifiers), kept only coarsened: ages in bands, answers in declared groups, dates to week or month; within each file every combination of attributes is shared by at least k responses, else the row''s attributes are ''(suppressed)''.';
comment on column landing.respondent_attributes.response_key is 'Response pseudonym (landing.responses).';
comment on column landing.respondent_attributes.attribute is 'Attribute name from the survey mapping (e.g. age_band, gender).';
comment on column landing.respondent_attributes.value is 'Coarsened value: an age band such as 25-34, a declared group or other, the first day of the week or month; (suppressed) when k-anonymity required it; NULL when unanswered or unreadable.';
comment on column landing.respondent_attributes.run_id is 'Run that loaded the row.';
comment on column landing.respondent_attributes.source_sha256 is 'SHA-256 of the export file.';
comment on column landing.respondent_attributes.source_row_number is 'Spreadsheet row number of the record.';

create table landing.free_text (
    response_key varchar not null,
    question varchar not null,
    text varchar not null,
    note varchar not null,
    run_id varchar not null,
    source_sha256 varchar not null,
    source_row_number integer not null,
    primary key (response_key, question)
);
comment on table landing.free_text is 'Free-text answers of the questions a survey opts in (free_text), after redaction. Redacted, NOT anonymous: a comment can still describe a person; treat this table as personal data and never publish it.';
comment on column landing.free_text.response_key is 'Response pseudonym (landing.responses).';
comment on column landing.free_text.question is 'Question name from the survey mapping.';
comment on column landing.free_text.text is 'The answer with e-mail addresses, URLs, IP addresses, phone and other long numbers, postcodes, national ids and listed names replaced by [email], [url], [ip], [phone], [number], [postcode], [id], [name].';
comment on column landing.free_text.note is 'Always: redacted, not anonymous.';
comment on column landing.free_text.run_id is 'Run that loaded the row.';
comment on column landing.free_text.source_sha256 is 'SHA-256 of the export file.';
comment on column landing.free_text.source_row_number is 'Spreadsheet row number of the record.';

------------------------------------------------------------------ reference (rebuilt every run)

create table programmes (
    programme_id varchar primary key,
    name varchar not null,
    approach varchar not null,
    audience varchar not null
);
comment on table programmes is 'One row per programme in the project config.';
comment on column programmes.programme_id is 'Programme id.';
comment on column programmes.name is 'Programme name.';
comment on column programmes.approach is 'Intervention approach (contact-based, education-only, peer support, ...).';
comment on column programmes.audience is 'Who the programme is for.';

create table cohorts (
    programme_id varchar not null,
    cohort_id varchar not null,
    site varchar not null,
    cohort_date date not null,
    primary key (programme_id, cohort_id)
);
comment on table cohorts is 'One row per workshop cohort (session or group) in the project config.';
comment on column cohorts.programme_id is 'Programme.';
comment on column cohorts.cohort_id is 'Cohort id.';
comment on column cohorts.site is 'Site where the cohort ran.';
comment on column cohorts.cohort_date is 'Date the cohort ran (or started).';

create table waves (
    wave_id varchar primary key,
    label varchar not null,
    wave_order integer not null
);
comment on table waves is 'Survey waves in order; wave_order 0 is the baseline.';
comment on column waves.wave_id is 'Wave id.';
comment on column waves.label is 'Wave label.';
comment on column waves.wave_order is 'Position; 0 = baseline, compared with every later wave.';

create table instruments (
    instrument_id varchar primary key,
    name varchar not null,
    version varchar not null,
    construct varchar not null,
    citation varchar not null,
    licence varchar not null,
    verification varchar not null,
    key_status varchar not null,
    code_min integer not null,
    code_max integer not null,
    item_score_min double not null,
    item_score_max double not null,
    dont_know_rule varchar not null
);
comment on table instruments is 'One row per instrument definition (instruments/*.yml).';
comment on column instruments.instrument_id is 'Instrument id.';
comment on column instruments.name is 'Instrument name.';
comment on column instruments.version is 'Version or edition.';
comment on column instruments.construct is 'What it measures.';
comment on column instruments.citation is 'Reference.';
comment on column instruments.licence is 'Licence of the item wording (never shipped when licensed).';
comment on column instruments.verification is 'Where the scoring key was checked, and what is unverified.';
comment on column instruments.key_status is 'verified, partly_verified or unverified: how far the scoring key (coding, reverse keys, scale membership) was checked against a published source (see verification).';
comment on column instruments.code_min is 'Lowest answer code.';
comment on column instruments.code_max is 'Highest answer code.';
comment on column instruments.item_score_min is 'Item score of the lowest answer after rescaling (= code_min without rescaling).';
comment on column instruments.item_score_max is 'Item score of the highest answer after rescaling.';
comment on column instruments.dont_know_rule is 'How a don''t-know answer is scored in this project: midpoint (as the instrument''s neutral code) or missing (as an unanswered item); the project config''s scoring section, else the instrument''s default.';

create table instrument_items (
    instrument_id varchar not null,
    item_id varchar primary key,
    position integer not null,
    is_reverse_keyed boolean not null
);
comment on table instrument_items is 'One row per instrument item.';
comment on column instrument_items.instrument_id is 'Instrument id.';
comment on column instrument_items.item_id is 'Item id.';
comment on column instrument_items.position is 'Item number in the instrument.';
comment on column instrument_items.is_reverse_keyed is 'True when the item is scored code_min + code_max - code.';

create table instrument_scales (
    instrument_id varchar not null,
    scale_id varchar not null,
    name varchar not null,
    construct varchar not null,
    aggregation varchar not null,
    n_items integer not null,
    min_items integer not null,
    higher_is_better boolean not null,
    score_min double not null,
    score_max double not null,
    description varchar not null,
    converted_from varchar,
    published_reliability double,
    reliability_statistic varchar,
    reliability_source varchar,
    primary key (instrument_id, scale_id)
);
comment on table instrument_scales is 'One row per scale (total or subscale) of an instrument.';
comment on column instrument_scales.instrument_id is 'Instrument id.';
comment on column instrument_scales.scale_id is 'Scale id.';
comment on column instrument_scales.name is 'Scale name.';
comment on column instrument_scales.construct is 'What the instrument measures.';
comment on column instrument_scales.aggregation is 'sum (prorated when items are missing) or mean of item scores.';
comment on column instrument_scales.n_items is 'Items in the scale.';
comment on column instrument_scales.min_items is 'Answered items needed for a score (missing-item rule).';
comment on column instrument_scales.higher_is_better is 'True when a higher score is the desired direction.';
comment on column instrument_scales.score_min is 'Lowest possible score.';
comment on column instrument_scales.score_max is 'Highest possible score.';
comment on column instrument_scales.description is 'Notes on the scale.';
comment on column instrument_scales.converted_from is 'For a lookup scale (aggregation lookup): the scale whose score is converted through the project''s conversion table; NULL otherwise.';
comment on column instrument_scales.published_reliability is 'Reliability published for the scale (used by reliable change instead of the sample''s baseline alpha); NULL when none was verified.';
comment on column instrument_scales.reliability_statistic is 'Which reliability published_reliability is: alpha, ordinal_alpha, omega, test_retest or icc.';
comment on column instrument_scales.reliability_source is 'Where published_reliability was read.';

create table instrument_scale_items (
    instrument_id varchar not null,
    scale_id varchar not null,
    item_id varchar not null,
    primary key (instrument_id, scale_id, item_id)
);
comment on table instrument_scale_items is 'Which items make up each scale: one row per scale x item.';
comment on column instrument_scale_items.instrument_id is 'Instrument id.';
comment on column instrument_scale_items.scale_id is 'Scale id.';
comment on column instrument_scale_items.item_id is 'Item id.';

create table instrument_conversions (
    instrument_id varchar not null,
    scale_id varchar not null,
    raw_score double not null,
    converted_score double not null,
    primary key (instrument_id, scale_id, raw_score)
);
comment on table instrument_conversions is 'The project''s own conversion tables for lookup scales (e.g. SWEMWBS raw -> metric score): one row per raw score. Never shipped with Ripple; empty when the project supplies none.';
comment on column instrument_conversions.instrument_id is 'Instrument id.';
comment on column instrument_conversions.scale_id is 'The lookup scale.';
comment on column instrument_conversions.raw_score is 'Raw score of the scale it converts.';
comment on column instrument_conversions.converted_score is 'Converted score.';

------------------------------------------------------------------ landed rows: linkage keys

create table landing.response_link_keys (
    response_key varchar not null,
    variant smallint not null,
    element varchar,
    digest varchar not null,
    run_id varchar not null,
    source_sha256 varchar not null,
    source_row_number integer not null,
    primary key (response_key, variant)
);
comment on table landing.response_link_keys is 'One row per loaded response x leave-one-element-out variant of its self-generated code, for one-element (fuzzy) linkage. Only keyed digests: never the code or its answers. A response whose code is complete has one row per element; one with exactly one element blank or unusable has only that element''s row; one with more missing, with a covariate missing, or from a code of fewer than 3 elements has none.';
comment on column landing.response_link_keys.response_key is 'Response pseudonym (landing.responses).';
comment on column landing.response_link_keys.variant is 'Position (1-based, in the survey mapping''s sgic order) of the element the variant leaves out.';
comment on column landing.response_link_keys.element is 'Name of that element in the survey mapping (e.g. birth_month).';
comment on column landing.response_link_keys.digest is 'HMAC-SHA256 (programme key, 128 bits) of "v1|sgic-loo|<variant>|<programme>|<normalised code with that element replaced by *>", followed by the survey''s stable covariates (sgic_covariates) when it declares any. Two codes differing only in that element (and agreeing on the covariates) share this digest.';
comment on column landing.response_link_keys.run_id is 'Run that loaded the row.';
comment on column landing.response_link_keys.source_sha256 is 'SHA-256 of the export file.';
comment on column landing.response_link_keys.source_row_number is 'Spreadsheet row number of the record.';
