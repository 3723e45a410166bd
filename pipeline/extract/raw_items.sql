-- Answers per programme x item x wave before disclosure control: the answer code for an
-- answered item, else dont_know or missing (item_responses.answer_status). The builder adds
-- zero rows for every answer the instrument allows that nobody gave.
select
    respondents.programme_id,
    items.instrument_id,
    items.item_id,
    respondents.wave_id,
    respondents.wave_order,
    case
        when items.answer_status = 'answered' then items.raw_value::varchar
        else items.answer_status
    end as answer,
    count(*)::integer as n
from wh.item_responses as items
inner join wh.responses as respondents on items.response_key = respondents.response_key
group by all
order by all
