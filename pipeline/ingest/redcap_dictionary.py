"""Reading REDCap data dictionaries: fields, choices and identifier flags (the result, and the
columns an export of the project holds, are `redcap_fields`).

A dictionary comes in two header spellings, both read here: the UI download ("Variable / Field
Name", "Choices, Calculations, OR Slider Labels", "Identifier?", ...) and the API metadata
(`field_name`, `select_choices_or_calculations`, `identifier`, ...), the latter often with `NA`
for empty cells when R wrote it. `redcap.py` uses the result to turn label exports into raw ones.
"""

from __future__ import annotations

import html
import io
import re
import warnings
from pathlib import Path

import pandas as pd

from pipeline.ingest.detect import DEFAULT_MAX_BYTES, read_bytes
from pipeline.ingest.encoding import decode_bytes
from pipeline.ingest.errors import IngestError
from pipeline.ingest.redcap_fields import RedcapDictionary, RedcapField

# Header text (lower-cased, whitespace collapsed) -> canonical API column name.
HEADER_ALIASES = {
    "variable / field name": "field_name",
    "form name": "form_name",
    "section header": "section_header",
    "field type": "field_type",
    "field label": "field_label",
    "choices, calculations, or slider labels": "select_choices_or_calculations",
    "field note": "field_note",
    "text validation type or show slider number": "text_validation_type_or_show_slider_number",
    "identifier?": "identifier",
}
REQUIRED = (
    "field_name",
    "form_name",
    "field_type",
    "field_label",
    "select_choices_or_calculations",
)
UI_NAMES = {  # how the UI download spells the required headers, for error messages
    "field_name": "Variable / Field Name",
    "form_name": "Form Name",
    "field_type": "Field Type",
    "field_label": "Field Label",
    "select_choices_or_calculations": "Choices, Calculations, OR Slider Labels",
}
FIELD_TYPES = frozenset(
    {"text", "notes", "radio", "dropdown", "checkbox", "yesno", "truefalse", "calc", "slider"}
    | {"descriptive", "file", "sql", "signature"}
)
CHOICE_TYPES = frozenset({"radio", "dropdown", "checkbox"})
# REDCap's implicit choices for the two boolean types (the dictionary leaves them blank).
IMPLICIT_CHOICES = {"yesno": {"1": "Yes", "0": "No"}, "truefalse": {"1": "True", "0": "False"}}
TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # a tag must start with a letter, so "a < b > c" stays
CURLY = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})


def clean_label(text: str) -> str:
    """A label as REDCap shows it in exports: HTML tags removed, entities decoded, whitespace
    collapsed."""
    return " ".join(html.unescape(TAG.sub(" ", text)).split())


def normalise_text(text: str) -> str:
    """The comparison form of a label: cleaned, curly quotes straightened, case-folded."""
    return clean_label(text).translate(CURLY).casefold()


def read_table(path: Path, max_bytes: int) -> pd.DataFrame:
    """A small CSV (dictionary, events) as all-string cells, '' for empty, `NA` read as empty."""
    decoded = decode_bytes(read_bytes(path, max_bytes), path)
    text = decoded.text.lstrip("\ufeff")
    if not text.strip():
        raise IngestError(path, "empty_file", "the file holds no records")
    try:
        with warnings.catch_warnings():
            # A row longer than the header (an unquoted comma in a label?) would shift cells
            # into the wrong columns; pandas only warns about it, so make it an error.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            table = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=True,
                index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise IngestError(path, "malformed_csv", f"the CSV cannot be parsed ({reason})") from None
    table = table.astype(object)
    # R writes NA for empty cells; nothing in a dictionary or event list is literally "NA".
    return table.mask(table == "NA", "")


def canonical_headers(table: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, str]:
    """Rename either header spelling to the API names; IngestError naming a missing header."""
    renamed = {}
    for column in table.columns:
        key = " ".join(str(column).replace("\ufeff", "").split()).lower()
        renamed[column] = HEADER_ALIASES.get(key, key)
    spelling = "api" if "field_name" in map(str, table.columns) else "ui"
    table = table.rename(columns=renamed)
    missing = [name for name in REQUIRED if name not in table.columns]
    if missing:
        wanted = UI_NAMES[missing[0]] if spelling == "ui" else missing[0]
        raise IngestError(
            path,
            "not_a_redcap_dictionary",
            f"no '{wanted}' column (nor '{missing[0]}'): this is not a REDCap data dictionary "
            "(download it from Project Setup > Data Dictionary, or export the metadata)",
            row=1,
        )
    return table, spelling


def parse_choices(text: str, path: Path, name: str, row: int) -> tuple[dict[str, str], bool]:
    """'1, Control | 2, Treatment' -> {'1': 'Control', '2': 'Treatment'}; the flag says an item
    had no comma (its text was used as both code and label)."""
    items = text.split("|") if "|" in text else text.splitlines()
    choices: dict[str, str] = {}
    bare = False
    for item in items:
        item = item.strip()
        if not item:
            continue
        code, comma, label = item.partition(",")  # only the first comma: labels hold commas
        code, label = code.strip(), clean_label(label if comma else item)
        bare = bare or not comma
        if code in choices:
            raise IngestError(
                path,
                "duplicate_choice_code",
                f"field '{name}' lists the choice code '{code}' twice",
                row=row,
            )
        choices[code] = label
    return choices, bare


def load_dictionary(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RedcapDictionary:
    """Read a REDCap data dictionary (UI or API spelling; BOM, CRLF, quoted multi-line labels
    and `NA` cells are all fine). Bad input raises `IngestError` naming the file and row."""
    path = Path(path)
    table, spelling = canonical_headers(read_table(path, max_bytes), path)
    notes: list[str] = []
    if "identifier" not in table.columns:
        notes.append(
            "no_identifier_column: the dictionary has no 'Identifier?' column, so no field is "
            "known to be personal data from it"
        )
    fields: list[RedcapField] = []
    seen: set[str] = set()
    for offset, record in enumerate(table.to_dict("records")):
        row = offset + 2  # spreadsheet record number, header = 1
        name = record["field_name"].strip()
        if not name:
            if any(str(v).strip() for v in record.values()):
                raise IngestError(path, "missing_field_name", "a field has no name", row=row)
            continue
        if name in seen:
            raise IngestError(path, "duplicate_field", f"field '{name}' is defined twice", row=row)
        seen.add(name)
        kind = record["field_type"].strip().lower()
        if kind not in FIELD_TYPES:
            notes.append(f"unknown_field_type: field '{name}' has the type '{kind}'")
        choices: dict[str, str] = dict(IMPLICIT_CHOICES.get(kind, {}))
        if kind in CHOICE_TYPES:
            choices, bare = parse_choices(record["select_choices_or_calculations"], path, name, row)
            if bare:
                notes.append(f"choice_without_code: field '{name}' has a choice with no 'code,'")
        fields.append(
            RedcapField(
                name=name,
                form=record["form_name"].strip(),
                type=kind,
                label=clean_label(record["field_label"]),
                choices=choices,
                identifier=str(record.get("identifier", "")).strip().lower() == "y",
                validation=str(
                    record.get("text_validation_type_or_show_slider_number", "")
                ).strip(),
                row=row,
            )
        )
    if not fields:
        raise IngestError(path, "empty_dictionary", "the data dictionary defines no fields")
    return RedcapDictionary(path, tuple(fields), spelling, tuple(notes))
