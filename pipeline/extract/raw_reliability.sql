-- Internal consistency per programme x scale x wave before disclosure control
-- (mart_reliability, level programme).
select
    programme_id,
    instrument_id,
    scale_id,
    wave_id,
    wave_order,
    n_complete::integer as n_complete,
    n_items::integer as n_items,
    alpha,
    alpha_ci_low,
    alpha_ci_high,
    omega_total,
    is_alpha_below_070
from wh.mart_reliability
where level = 'programme'
order by all
