"""Header signatures of the one-header-row platforms: Google Forms, KoboToolbox/ODK, REDCap.

Each platform is recognised from header row 1 only, by columns that only it writes, so an
ordinary CSV is never mistaken for one:

* `google_forms`: the first header is "Timestamp" in the form owner's language;
* `kobo`: Kobo's submission metadata `_uuid` or `_submission_time` (its CSV is usually
  `;`-separated, with `group/question` paths as headers);
* `redcap` raw export ("CSV (raw data)", API `rawOrLabel=raw`): variable names as headers,
  the first a record id, plus `redcap_event_name`, `redcap_repeat_instrument`,
  `redcap_survey_identifier` or `redcap_data_access_group`, or a record id ending in `id`
  followed by a `<form>_complete` column;
* `redcap` label export ("CSV (labels)"): field labels as headers, with a "Complete?" column per
  form, checkbox headers such as `Race (choice=White)`, or "Event Name" / "Repeat Instrument" /
  "Survey Identifier" after a record-id label.

A data dictionary, event or arm list is none of these and reads as `csv`.
"""

from __future__ import annotations

import re

# First header of a Google Forms / Sheets responses export in the form owner's language.
GOOGLE_FORMS_TIMESTAMP = frozenset(
    name.casefold()
    for name in (
        "Timestamp",  # en
        "Marca temporal",  # es, gl
        "Marca de temps",  # ca
        "Horodateur",  # fr
        "Horodatage",  # fr (some Sheets locales)
        "Zeitstempel",  # de
        "Carimbo de data/hora",  # pt
        "Informazioni cronologiche",  # it
        "Tijdstempel",  # nl
        "Sygnatura czasowa",  # pl
        "Tidsstempel",  # da, nb
        "Tidsstämpel",  # sv
        "Tidstämpel",  # sv
        "Aikaleima",  # fi
        "Časová značka",  # cs
        "Időbélyeg",  # hu
        "Zaman damgası",  # tr
        "Отметка времени",  # ru
        "Позначка часу",  # uk
        "Χρονική σήμανση",  # el
        "Stempel waktu",  # id
        "Dấu thời gian",  # vi
        "タイムスタンプ",  # ja
        "时间戳记",  # zh-CN
        "時間戳記",  # zh-TW
        "타임스탬프",  # ko
    )
)
KOBO_MARKERS = frozenset({"_uuid", "_submission_time"})
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
REDCAP_RAW_COLUMNS = frozenset(
    {
        "redcap_event_name",
        "redcap_repeat_instrument",
        "redcap_repeat_instance",
        "redcap_survey_identifier",
        "redcap_data_access_group",
    }
)
REDCAP_LABEL_COLUMNS = frozenset(
    {"event name", "repeat instrument", "repeat instance", "survey identifier", "data access group"}
)
CHECKBOX_LABEL = re.compile(r"\(choice='?[^()]*'?\)\s*$")


def is_kobo(names: list[str]) -> bool:
    """True when row 1 holds Kobo's `_uuid` or `_submission_time` metadata column."""
    return any(cell.strip() in KOBO_MARKERS for cell in names)


def is_redcap_raw(names: list[str]) -> bool:
    """True for a REDCap raw export's header row (see the module docstring)."""
    cells = [cell.strip() for cell in names]
    if not cells or not FIELD_NAME.fullmatch(cells[0]):
        return False
    if REDCAP_RAW_COLUMNS.intersection(cells):
        return True
    return cells[0].endswith("id") and any(
        FIELD_NAME.fullmatch(c) and c.endswith("_complete") for c in cells[1:]
    )


def is_redcap_labels(names: list[str]) -> bool:
    """True for a REDCap label export's header row (see the module docstring)."""
    cells = [cell.strip() for cell in names]
    folded = [cell.casefold() for cell in cells]
    if "complete?" in folded or any(CHECKBOX_LABEL.search(cell) for cell in cells):
        return True
    first_is_id = bool(folded) and (folded[0].endswith(" id") or folded[0] == "id")
    return first_is_id and bool(REDCAP_LABEL_COLUMNS.intersection(folded))


def redcap_variant(names: list[str]) -> str | None:
    """'raw' or 'labels' for a REDCap export's header row, else None."""
    if is_redcap_raw(names):
        return "raw"
    if is_redcap_labels(names):
        return "labels"
    return None
