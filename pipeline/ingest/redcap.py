"""REDCap exports: data dictionaries, label exports turned raw, events, checkboxes, decimal commas.

* `load_dictionary(path)` reads a data dictionary in either header spelling
  (`redcap_dictionary.py`); `identifier_fields()` lists the fields tagged as personal data.
* `to_raw(raw, dictionary, path)` turns a label export ("CSV (labels)", or raw headers with label
  values) into the raw shape: keys become field names (`field___code` for checkboxes,
  `<form>_complete`, `redcap_event_name`, ...), choice labels become codes. A raw export comes
  back unchanged. Header matching is explained in `redcap_labels.py`: it never guesses.
* `read_redcap(path, dictionary)` reads a file and calls `to_raw`. Use it for label exports:
  they repeat headers ("Complete?" once per form), which `read_export` rightly refuses.
* `events(path)`, `checkbox_values(...)` and `normalise_decimal(series)` help configs, `ripple
  init` and multi-select items.

Values not found among the choice labels stay as written, so validation quarantines their rows
with a reason; messages and warnings name columns, never cell values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.ingest.detect import DEFAULT_MAX_BYTES, inspect
from pipeline.ingest.errors import IngestError, short_name
from pipeline.ingest.readers import RawExport, build_frame, split_records
from pipeline.ingest.redcap_dictionary import (
    RedcapDictionary,
    RedcapField,
    load_dictionary,
    read_table,
)
from pipeline.ingest.redcap_labels import (
    convert_column,
    event_lookup,
    header_kind,
    label_value_share,
    resolve_labels,
    value_mapper,
)

__all__ = [
    "RedcapDictionary",
    "RedcapField",
    "checkbox_values",
    "events",
    "is_label_export",
    "load_dictionary",
    "normalise_decimal",
    "read_redcap",
    "to_raw",
]
EVENT_COLUMNS = ("event_name", "arm_num", "unique_event_name")
DECIMAL_COMMA = r"\s*[+-]?\d*,\d+\s*"


def header_texts(raw: RawExport) -> list[str]:
    """Header row 1 as written (a blank cell falls back to its positional key)."""
    names = raw.names or raw.keys
    return [name if name.strip() else key for name, key in zip(names, raw.keys, strict=True)]


def is_label_export(raw: RawExport, dictionary: RedcapDictionary) -> bool:
    """True when the headers are field labels or the coded columns hold choice labels."""
    headers = header_texts(raw)
    kind = header_kind(headers, dictionary)
    if kind == "label":
        return True
    return kind == "raw" and label_value_share(raw.frame, headers, dictionary)


def listed(columns: list[int], headers: list[str]) -> str:
    """Columns as "3 ('Complete?'), 9 ('Height (cm)')", at most five of them shown."""
    shown = ", ".join(f"{c} ('{short_name(headers[c - 1])}')" for c in columns[:5])
    return shown + (f", ... ({len(columns)} in all)" if len(columns) > 5 else "")


def resolve_keys(
    raw: RawExport, dictionary: RedcapDictionary, path: Path
) -> tuple[list[str], list[str]]:
    """The raw keys for every column, and warnings; IngestError on ambiguity or a foreign file."""
    headers = header_texts(raw)
    kind = header_kind(headers, dictionary)
    if kind == "unknown":
        raise IngestError(
            path,
            "redcap_dictionary_mismatch",
            f"no header matches a field name or label of the data dictionary {dictionary.path}; "
            "is this the dictionary of the same project?",
            row=1,
        )
    warnings: list[str] = []
    if kind == "raw":
        keys = headers
    else:
        found = resolve_labels(headers, dictionary)
        if found.ambiguous:
            raise IngestError(
                path,
                "redcap_ambiguous_header",
                f"the label header(s) of column(s) {listed(found.ambiguous, headers)} fit more "
                "than one field of the data dictionary and their position does not decide; "
                "export with raw variable names as headers (or the whole project, all forms)",
                row=1,
                column=found.ambiguous[0],
            )
        if found.unknown:
            warnings.append(
                f"redcap_unknown_header: column(s) {listed(found.unknown, headers)} match no "
                "label of the data dictionary; they keep their header as key and are not "
                "converted (a field added after the dictionary was downloaded?)"
            )
        keys = found.keys
    seen: set[str] = set()
    repeats = [i + 1 for i, key in enumerate(keys) if key in seen or seen.add(key)]
    if repeats:
        raise IngestError(
            path,
            "duplicate_column",
            f"column(s) {listed(repeats, headers)} repeat an earlier column's key",
            row=1,
            column=repeats[0],
        )
    return keys, warnings


def to_raw(
    raw: RawExport,
    dictionary: RedcapDictionary,
    path: Path,
    *,
    events: list[dict] | None = None,
) -> RawExport:
    """A REDCap export in the raw shape (see the module docstring). `events` (from `events()`)
    lets label-export event names ("Visit 1 (Arm 1: Drug A)") become unique event names."""
    keys, warnings = resolve_keys(raw, dictionary, Path(path))
    headers_were_labels = keys != header_texts(raw)
    if not headers_were_labels and not label_value_share(raw.frame, keys, dictionary):
        return raw  # a raw export: nothing to convert
    lookup = event_lookup(events)
    columns: dict[str, np.ndarray] = {}
    misses: dict[str, int] = {}
    for position, key in enumerate(keys):
        values = raw.frame.iloc[:, position].to_numpy(dtype=object)
        mapper = value_mapper(key, dictionary, lookup)
        if mapper is not None:
            values, missed = convert_column(values, mapper)
            if missed:
                misses[key] = missed
        columns[key] = values
    frame = pd.DataFrame(columns, index=raw.frame.index, dtype=object)
    if misses:
        detail = ", ".join(f"{key} ({n})" for key, n in list(misses.items())[:10])
        warnings.append(
            f"redcap_unmatched_label: value(s) in column(s) {detail} are not labels of the "
            "data dictionary and stay as written, so validation quarantines their rows"
        )
    if "redcap_event_name" in misses and not events:
        warnings.append(
            "redcap_event_labels: event names stay as labels; pass the event list (events()) "
            "to turn them into unique event names"
        )
    kept = [w for w in raw.warnings if not w.startswith("duplicate_column")]
    note = (
        f"redcap_label_export: headers and choice labels were converted to field names and "
        f"codes with the data dictionary {dictionary.path}"
    )
    return RawExport(
        detection=raw.detection,
        keys=keys,
        names=list(raw.names),
        frame=frame,
        problems=list(raw.problems),
        labels=list(raw.labels) or header_texts(raw),
        column_meta=list(raw.column_meta),
        warnings=(*kept, note, *warnings),
    )


def read_redcap(
    path: Path | str,
    dictionary: RedcapDictionary,
    *,
    events: list[dict] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RawExport:
    """Read a REDCap CSV export (raw or labels) into the raw shape. Like `read_export`, but
    repeated headers are allowed until `to_raw` has resolved them."""
    path = Path(path)
    ins = inspect(path, encoding=encoding, delimiter=delimiter, max_bytes=max_bytes)
    good, problems = split_records(ins)
    # Repeated headers get positional keys so the frame's columns stay unique meanwhile.
    repeated = {second - 1 for _, second, _ in ins.header.duplicates}
    keys = [f"_column_{i + 1}" if i in repeated else k for i, k in enumerate(ins.header.keys)]
    raw = RawExport(
        detection=ins.detection,
        keys=keys,
        names=list(ins.header.names),
        frame=build_frame(ins, keys, good),
        problems=problems,
        labels=list(ins.header.labels),
        column_meta=list(ins.header.meta),
        warnings=ins.detection.warnings,
    )
    return to_raw(raw, dictionary, path, events=events)


def events(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[dict]:
    """A REDCap event list (CSV from Project Setup or the API): one dict per event with
    `event_name`, `arm_num` (int), `unique_event_name`, `custom_event_label` (str or None) and
    `event_id` (int or None: older exports have no such column)."""
    path = Path(path)
    table = read_table(path, max_bytes)
    table.columns = [str(c).strip().lower() for c in table.columns]
    missing = [c for c in EVENT_COLUMNS if c not in table.columns]
    if missing:
        raise IngestError(path, "not_a_redcap_event_list", f"no '{missing[0]}' column", row=1)
    out: list[dict] = []
    for offset, record in enumerate(table.to_dict("records")):
        row = offset + 2
        if not any(str(v).strip() for v in record.values()):
            continue
        try:
            arm = int(record["arm_num"])
            event_id = int(record["event_id"]) if str(record.get("event_id", "")).strip() else None
        except ValueError:
            raise IngestError(
                path, "invalid_event", "arm_num and event_id must be whole numbers", row=row
            ) from None
        out.append(
            {
                "event_name": record["event_name"].strip(),
                "arm_num": arm,
                "unique_event_name": record["unique_event_name"].strip(),
                "custom_event_label": record.get("custom_event_label", "").strip() or None,
                "event_id": event_id,
            }
        )
    return out


def checkbox_values(frame: pd.DataFrame, dictionary: RedcapDictionary, field: str) -> pd.Series:
    """One checkbox field's ticked codes as text, e.g. "1;3", from its `field___code` columns.

    Codes come in ascending order when they are all whole numbers, else in the dictionary's
    choice order. Only "1" counts as ticked; a row with no box ticked (or a form not filled in
    at that event: all cells empty) gives ''. Columns missing from `frame` are skipped.
    """
    spec = dictionary.field(field)
    if spec.type != "checkbox":
        raise ValueError(f"'{field}' is a {spec.type} field, not a checkbox")
    pairs = [
        (code, column)
        for code, column in zip(spec.choices, dictionary.export_columns(field), strict=True)
        if column in frame.columns
    ]
    if not pairs:
        raise KeyError(f"none of the columns of checkbox '{field}' ({field}___<code>) is present")
    if all(code.lstrip("-").isdigit() for code, _ in pairs):
        pairs.sort(key=lambda pair: int(pair[0]))
    out = np.full(len(frame), "", dtype=object)
    for code, column in pairs:  # one vectorised step per choice, not per row
        ticked = frame[column].to_numpy(dtype=object) == "1"
        joined = np.where(out == "", code, out + (";" + code))
        out = np.where(ticked, joined, out)
    return pd.Series(out, index=frame.index, name=field, dtype=object)


def normalise_decimal(series: pd.Series) -> pd.Series:
    """Decimal commas to points ("36,5" -> "36.5") where a value is one plain number with one
    comma; anything else (thousands separators, text) stays as written for validation."""
    values = series.astype(object)
    text = values.astype(str)  # cells are strings already; this only guards stray NaN/None
    mask = text.str.fullmatch(DECIMAL_COMMA).astype(bool)
    fixed = text.str.strip().str.replace(",", ".", regex=False)
    return values.where(~mask, fixed)
