-- All available scores per programme x scale x wave before disclosure control
-- (mart_wave_scores), with the scale's range.
select
    means.programme_id,
    means.instrument_id,
    means.scale_id,
    scale_ref.score_min,
    scale_ref.score_max,
    means.wave_id,
    wave_ref.wave_order,
    means.n::integer as n,
    means.mean,
    means.sd,
    means.ci_low,
    means.ci_high
from wh.mart_wave_scores as means
inner join wh.instrument_scales as scale_ref
    on means.instrument_id = scale_ref.instrument_id
    and means.scale_id = scale_ref.scale_id
inner join wh.waves as wave_ref on means.wave_id = wave_ref.wave_id
order by all
