"""Every statement the dashboard can run on the extract, and which extract table its rows
come from (rows of result tables are suppressed on the way out). Values are bound with `?`,
never formatted in; the statements are fixed text, joined once from fixed fragments."""

from __future__ import annotations

#: Reference tables (configuration; never suppressed).
REFERENCE_TABLES = (
    "meta",
    "programmes",
    "cohorts",
    "waves",
    "scales",
    "items",
    "answer_options",
)
#: Result tables (statistics about people; every row passes through suppress.apply).
RESULT_TABLES = (
    "reach",
    "paired_stats",
    "wave_means",
    "wave_comparison",
    "attrition",
    "reliability",
    "cohort_meta",
    "item_distributions",
    "data_quality",
    "linkage_quality",
)
REQUIRED_TABLES = (*REFERENCE_TABLES, *RESULT_TABLES, "disclosure_summary")


#: Fixed fragments (plain text, never formatted): the order of the waves a row compares.
#: The row's table is aliased `t`.
_BOTH_ORDERS = "select t.*, fw.wave_order as from_wave_order, tw.wave_order as to_wave_order"
_BOTH_JOINS = """
        left join waves as fw on fw.wave_id = t.from_wave
        left join waves as tw on tw.wave_id = t.to_wave
"""
_LATER_ORDER = "select t.*, w.wave_order as to_wave_order"
_LATER_JOIN = " left join waves as w on w.wave_id = t.to_wave "
_PAIRED = _BOTH_ORDERS + " from paired_stats as t" + _BOTH_JOINS

SQL: dict[str, tuple[str, str]] = {
    "tables": (
        "",
        """
        select table_name from information_schema.tables
        where table_schema = 'main' order by table_name
    """,
    ),
    "meta": ("meta", "select key, value from meta order by key"),
    "programmes": (
        "programmes",
        """
        select programme_id, name, approach, audience, n_cohorts, n_sites,
            first_cohort_date, last_cohort_date
        from programmes order by name, programme_id
    """,
    ),
    "cohorts": (
        "cohorts",
        """
        select programme_id, cohort_id, site, cohort_date from cohorts
        where programme_id = ? order by cohort_date, cohort_id
    """,
    ),
    "waves": ("waves", "select wave_id, label, wave_order from waves order by wave_order"),
    "scales": (
        "scales",
        """
        select instrument_id, scale_id, instrument_name, scale_name, construct, aggregation,
            higher_is_better, score_min, score_max, citation, key_status
        from scales order by instrument_id, scale_id
    """,
    ),
    "items": (
        "items",
        """
        select instrument_id, item_id, position, is_reverse_keyed, scale_ids, wording
        from items where instrument_id = ? order by position, item_id
    """,
    ),
    "answer_options": (
        "answer_options",
        """
        select instrument_id, answer, answer_order, label from answer_options
        where instrument_id = ? order by answer_order
    """,
    ),
    "attributes": (
        "",
        """
        select distinct attribute from paired_stats
        where level = 'attribute' and attribute is not null order by attribute
    """,
    ),
    "reach": (
        "reach",
        """
        select * from reach where programme_id = ?
        order by case level when 'programme' then 0 when 'site' then 1 else 2 end,
            site nulls first, cohort_date nulls first, cohort_id, wave_order, measure desc
    """,
    ),
    "paired_stats": (
        "paired_stats",
        _PAIRED
        + """
        where t.programme_id = ?
        order by t.instrument_id, t.scale_id, fw.wave_order, tw.wave_order,
            case t.level when 'programme' then 0 when 'site' then 1 when 'cohort' then 2
                else 3 end,
            t.site nulls first, t.cohort_date nulls first, t.cohort_id,
            t.attribute, t.attribute_value
    """,
    ),
    "paired_programmes": (
        "paired_stats",
        _PAIRED
        + """
        where t.level = 'programme' and t.instrument_id = ? and t.scale_id = ?
            and t.from_wave = ? and t.to_wave = ?
        order by t.programme_id
    """,
    ),
    "wave_means": (
        "wave_means",
        """
        select * from wave_means where programme_id = ?
        order by instrument_id, scale_id, wave_order
    """,
    ),
    "wave_comparison": (
        "wave_comparison",
        _LATER_ORDER
        + " from wave_comparison as t"
        + _LATER_JOIN
        + "where t.programme_id = ? order by t.instrument_id, t.scale_id, w.wave_order",
    ),
    "attrition": (
        "attrition",
        _LATER_ORDER
        + " from attrition as t"
        + _LATER_JOIN
        + "where t.programme_id = ? order by t.instrument_id, t.scale_id, w.wave_order",
    ),
    "reliability": (
        "reliability",
        """
        select * from reliability where programme_id = ?
        order by instrument_id, scale_id, wave_order
    """,
    ),
    "cohort_meta": (
        "cohort_meta",
        _BOTH_ORDERS
        + " from cohort_meta as t"
        + _BOTH_JOINS
        + """
        where t.programme_id = ? and t.instrument_id = coalesce(?, t.instrument_id)
            and t.scale_id = coalesce(?, t.scale_id)
            and t.from_wave = coalesce(?, t.from_wave) and t.to_wave = coalesce(?, t.to_wave)
        order by t.instrument_id, t.scale_id, fw.wave_order, tw.wave_order
    """,
    ),
    "item_distributions": (
        "item_distributions",
        """
        select * from item_distributions where programme_id = ? and instrument_id = ?
        order by item_id, wave_order, answer_order
    """,
    ),
    "item_instruments": (
        "",
        """
        select distinct instrument_id from item_distributions where programme_id = ?
        order by instrument_id
    """,
    ),
    "data_quality": (
        "data_quality",
        """
        select d.*, w.wave_order from data_quality as d
        left join waves as w on w.wave_id = d.wave_id
        where d.programme_id = ?
        order by d.measure, w.wave_order nulls last, d.wave_id, d.reason = 'all', d.reason
    """,
    ),
    "linkage_quality": (
        "linkage_quality",
        """
        select * from linkage_quality where programme_id = ? order by wave_order, link_status
    """,
    ),
    "disclosure_summary": (
        "disclosure_summary",
        """
        select table_name, status, reason, n_cells from disclosure_summary
        order by table_name, status, reason
    """,
    ),
}
