-- Completers against drop-outs at baseline, per programme x scale x later wave, before
-- disclosure control (mart_attrition, level programme).
select
    programme_id,
    instrument_id,
    scale_id,
    higher_is_better,
    from_wave,
    to_wave,
    n_completers::integer as n_completers,
    n_dropouts::integer as n_dropouts,
    mean_completers,
    sd_completers,
    mean_dropouts,
    sd_dropouts,
    baseline_gap,
    baseline_gap_ci_low,
    baseline_gap_ci_high,
    d_s,
    d_s_ci_low,
    d_s_ci_high,
    welch_p as p
from wh.mart_attrition
where level = 'programme'
order by all
