-- All available responses, baseline against each later wave, per programme x scale, before
-- disclosure control (mart_wave_comparison, level programme).
select
    programme_id,
    instrument_id,
    scale_id,
    higher_is_better,
    from_wave,
    to_wave,
    n_from::integer as n_from,
    n_to::integer as n_to,
    mean_from,
    mean_to,
    mean_improvement,
    improvement_ci_low,
    improvement_ci_high,
    welch_p,
    d_s,
    g_s,
    g_s_ci_low,
    g_s_ci_high
from wh.mart_wave_comparison
where level = 'programme'
order by all
