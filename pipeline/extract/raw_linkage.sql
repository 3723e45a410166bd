-- Responses at each later wave per programme by how they were linked (response_linkage):
-- participant_id, exact, one_element, ambiguous, unmatched, no_code.
select
    outcomes.programme_id,
    outcomes.wave_id,
    wave_ref.wave_order,
    outcomes.link_status,
    count(*)::integer as n
from wh.response_linkage as outcomes
inner join wh.waves as wave_ref on outcomes.wave_id = wave_ref.wave_id
group by all
order by all
