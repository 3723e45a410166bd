-- Records excluded and quarantined per programme x wave of the file x reason, over every run
-- (never per file). A quarantined record counts once, under its first rule alphabetically.
-- Re-reading bookkeeping (already_loaded, already_ingested: records of an export loaded by an
-- earlier run) is not a data-quality finding and is left out.
with

files as (
    select
        run_id,
        source_path,
        programme_id,
        coalesce(wave_id, '(several)') as wave_id
    from wh.source_files
),

excluded as (
    select
        files.programme_id,
        files.wave_id,
        'excluded' as measure,
        exclusions.reason,
        count(*)::integer as n_records
    from wh.exclusions as exclusions
    inner join files
        on exclusions.run_id = files.run_id
        and exclusions.source_path = files.source_path
    where exclusions.reason not in ('already_loaded', 'already_ingested')
    group by all
),

quarantined_records as (
    select
        run_id,
        source_path,
        source_row_number,
        min(reason) as reason
    from wh.quarantine
    group by all
),

quarantined as (
    select
        files.programme_id,
        files.wave_id,
        'quarantined' as measure,
        records.reason,
        count(*)::integer as n_records
    from quarantined_records as records
    inner join files
        on records.run_id = files.run_id
        and records.source_path = files.source_path
    group by all
)

select * from excluded
union all
select * from quarantined
order by all
