"""REDCap: data dictionaries (both spellings), label exports back to raw, events, checkboxes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest.errors import IngestError
from pipeline.ingest.readers import read_export
from pipeline.ingest.redcap import (
    checkbox_values,
    events,
    is_label_export,
    load_dictionary,
    normalise_decimal,
    read_redcap,
    to_raw,
)
from pipeline.ingest.redcap_dictionary import RedcapDictionary

Write = Callable[[str, bytes | str], Path]
PROJECTS = {  # data file -> its dictionary, under shared/data/real
    "REDCapR/simple__data.csv": "REDCapR/simple__dictionary.csv",
    "REDCapR/longitudinal__data.csv": "REDCapR/longitudinal__dictionary.csv",
    "REDCapR/survey__data.csv": "REDCapR/survey__dictionary.csv",
    "REDCapR/checkboxes-1__data.csv": "REDCapR/checkboxes-1__dictionary.csv",
    "redcapAPI/TestRedcapAPI_Records.csv": "redcapAPI/TestRedcapAPI_DataDictionary.csv",
}
IDENTIFIERS = {
    "REDCapR/simple__dictionary.csv": {
        "name_first", "name_last", "address", "telephone", "email", "dob"
    },
    "REDCapR/longitudinal__dictionary.csv": {
        "first_name", "last_name", "telephone_1", "email", "dob"
    },
    "REDCapR/survey__dictionary.csv": {
        "email", "first_name", "last_name", "address", "telephone_1"
    },
    "REDCapR/checkboxes-1__dictionary.csv": set(),
    "redcapAPI/TestRedcapAPI_DataDictionary.csv": set(),
}  # fmt: skip
COMPLETE = {"0": "Incomplete", "1": "Unverified", "2": "Complete"}
SINGLE = ("radio", "dropdown", "yesno", "truefalse")


def label_export(raw, dictionary: RedcapDictionary, *, quoted: bool = False) -> str:
    """The "CSV (labels)" REDCap would write for a raw export: label headers, label values."""
    spellings = dict(dictionary.layout())
    headers = [spellings[key][1 if quoted and "___" in key else 0] for key in raw.keys]
    rows = []
    for record in raw.frame.itertuples(index=False):
        row = []
        for key, value in zip(raw.keys, record, strict=True):
            name = key.partition("___")[0]
            if key in dictionary.form_complete_columns() and value:
                value = COMPLETE[value]
            elif "___" in key and value:
                value = {"1": "Checked", "0": "Unchecked"}[value]
            elif name in dictionary.by_name and dictionary.field(name).type in SINGLE:
                value = dictionary.field(name).choices.get(value, value)
            row.append(value)
        rows.append(row)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


# --- dictionaries -------------------------------------------------------------------------------


def test_both_spellings_give_the_same_fields(real_data: Path) -> None:
    ui = load_dictionary(real_data / "REDCapR/simple__dictionary.csv")
    api = load_dictionary(real_data / "REDCapR/simple__metadata.csv")
    assert (ui.spelling, api.spelling) == ("ui", "api")
    assert [f.name for f in ui.fields] == [f.name for f in api.fields]
    assert len(ui.fields) == 16 and ui.record_id == "record_id"
    for a, b in zip(ui.fields, api.fields, strict=True):
        # The two copies differ only in age (text vs calc), as written by REDCapR.
        if a.name != "age":
            assert (a.form, a.type, a.label, a.choices, a.identifier) == (
                b.form,
                b.type,
                b.label,
                b.choices,
                b.identifier,
            )
    assert api.field("name_first").identifier and not api.field("age").identifier  # NA -> ''
    assert api.field("height").validation == "number"
    assert api.field("race").choices["6"] == "Unknown / Not Reported"
    assert ui.forms == ("demographics", "health", "race_and_ethnicity")


@pytest.mark.parametrize("name", sorted(IDENTIFIERS))
def test_identifier_fields(real_data: Path, name: str) -> None:
    assert load_dictionary(real_data / name).identifier_fields() == frozenset(IDENTIFIERS[name])


def test_choices_codes_letters_and_commas(real_data: Path) -> None:
    boxes = load_dictionary(real_data / "REDCapR/checkboxes-1__dictionary.csv")
    assert boxes.field("check_two").choices == {c: c.upper() for c in "abcde"}
    assert boxes.export_columns("check_two") == [f"check_two___{c}" for c in "abcde"]
    assert boxes.export_columns("check_one") == [f"check_one___{n}" for n in range(1, 5)]
    assert boxes.export_columns("desired_result") == ["desired_result"]
    assert boxes.form_complete_columns() == ["form_1_complete", "form_2_complete"]

    api = load_dictionary(real_data / "redcapAPI/TestRedcapAPI_DataDictionary.csv")
    assert api.field("radio_test").choices == {"a": "Carnation", "b": "Tulip", "c": "Daffodil"}
    assert api.export_columns("prereq_checkbox")[2] == "prereq_checkbox___abc"  # code "ABC"
    assert api.field("yesno_test").choices == {"1": "Yes", "0": "No"}
    assert api.field("truefalse_test").choices == {"1": "True", "0": "False"}
    assert api.export_columns("descriptive_test") == []  # REDCap exports no column for it
    assert api.field("slider_text_label_test").choices == {}  # slider labels are not choices
    assert "number_1dp_comma_test" in api.number_fields()

    survey = load_dictionary(real_data / "REDCapR/survey__dictionary.csv")
    assert survey.field("ethnicity").choices["1"] == "NOT Hispanic or Latino"
    assert survey.field("pmq1").choices["1"] == "5-10"
    long = load_dictionary(real_data / "REDCapR/longitudinal__dictionary.csv")
    assert long.field("specify_mood").type == "slider" and len(long.fields) == 95
    assert long.label_to_field()["Complete?"][0] == "demographics_complete"
    assert long.label_to_field()["nervous?"] == ("vob1", "vob8")
    assert long.label_to_field()["Gym (Weight Training) (choice=Monday)"] == ("gym___0",)


@pytest.mark.parametrize("data", sorted(PROJECTS))
def test_raw_exports_match_the_dictionary_and_pass_through(real_data: Path, data: str) -> None:
    dictionary = load_dictionary(real_data / PROJECTS[data])
    raw = read_export(real_data / data)
    # Every real raw export lists its columns in the dictionary's export order.
    assert [c for c in dictionary.raw_columns() if c in raw.keys] == raw.keys
    assert not is_label_export(raw, dictionary)
    assert to_raw(raw, dictionary, real_data / data) is raw
    assert read_redcap(real_data / data, dictionary).frame.equals(raw.frame)


def test_dictionary_quirks(write: Write) -> None:
    text = (
        '\ufeff"Variable / Field Name","Form Name","Field Type","Field Label",'
        '"Choices, Calculations, OR Slider Labels","Identifier?"\r\n'
        'rid,f,text,"<b>Record</b>\r\n  id",,\r\n'
        'q1,f,radio,"Agree?","1, Yes, a lot | -1, Don\'t know | x, Other",Y\r\n'
        'q2,f,checkbox,"Pick","1, A|-2, B",NA\r\n'
        "\r\n\r\n"
    )
    d = load_dictionary(write("dict.csv", text))
    assert d.field("rid").label == "Record id"
    assert d.field("q1").choices == {"1": "Yes, a lot", "-1": "Don't know", "x": "Other"}
    assert d.identifier_fields() == {"q1"}
    assert d.export_columns("q2") == ["q2___1", "q2____2"]


def test_dictionary_errors(write: Write) -> None:
    with pytest.raises(IngestError, match=r"dict\.csv: not_a_redcap_dictionary: .*'Field Type'"):
        load_dictionary(write("dict.csv", '"Variable / Field Name","Form Name"\nrid,f\n'))
    with pytest.raises(IngestError, match=r"not_a_redcap_dictionary: .*'field_name'"):
        load_dictionary(write("meta.csv", "a,b\n1,2\n"))
    header = "field_name,form_name,field_type,field_label,select_choices_or_calculations\n"
    with pytest.raises(IngestError, match="duplicate_field: row 3"):
        load_dictionary(write("d.csv", header + "a,f,text,A,\na,f,text,A,\n"))
    with pytest.raises(IngestError, match="duplicate_choice_code: row 2"):
        load_dictionary(write("d.csv", header + 'a,f,radio,A,"1, x | 1, y"\n'))
    with pytest.raises(IngestError, match="empty_file"):
        load_dictionary(write("d.csv", "\n\n"))
    with pytest.raises(IngestError, match="file_not_found"):
        load_dictionary(write("d.csv", "x").with_name("missing.csv"))


# --- label exports ------------------------------------------------------------------------------


@pytest.mark.parametrize("data", sorted(PROJECTS))
def test_label_export_gives_back_the_raw_values(real_data: Path, data: str, write: Write) -> None:
    dictionary = load_dictionary(real_data / PROJECTS[data])
    raw = read_export(real_data / data)
    labelled = write(
        "labels.csv",
        label_export(raw, dictionary, quoted="checkboxes" in data or "redcapAPI" in data),
    )
    back = read_redcap(labelled, dictionary)
    assert back.keys == raw.keys
    assert back.frame.equals(raw.frame)
    assert back.names[0] == dictionary.fields[0].label
    assert any(w.startswith("redcap_label_export") for w in back.warnings)
    assert not any(w.startswith("duplicate_column") for w in back.warnings)


def test_label_values_under_raw_headers_are_converted(real_data: Path) -> None:
    dictionary = load_dictionary(real_data / "REDCapR/survey__dictionary.csv")
    raw = read_export(real_data / "REDCapR/survey__data.csv")
    frame = raw.frame.copy()
    frame["has_diabetes"] = frame["has_diabetes"].map({"1": " true ", "0": "FALSE"})
    frame["prescreening_survey_complete"] = "Complete"
    frame["consent___1"] = ["I consent", ""]  # exportCheckboxLabel spelling
    mixed = type(raw)(raw.detection, raw.keys, raw.names, frame, [], raw.labels)
    assert is_label_export(mixed, dictionary)
    back = to_raw(mixed, dictionary, Path("survey.csv"))
    assert back.frame["has_diabetes"].tolist() == ["1", "0"]
    assert back.frame["prescreening_survey_complete"].tolist() == ["2", "2"]
    assert back.frame["consent___1"].tolist() == ["1", ""]


def test_labels_normalised_and_unknown_labels_kept(write: Write) -> None:
    dictionary = load_dictionary(
        write(
            "d.csv",
            "field_name,form_name,field_type,field_label,select_choices_or_calculations\n"
            "rid,f,text,ID,\n"
            'q,f,radio,"The ‘best’ <i>answer</i>","1, Don’t know | 2, Strongly   agree"\n',
        )
    )
    text = (
        "ID,The 'best' answer,Event Name,Repeat Instrument,Complete?\n"
        "1,  strongly AGREE ,Visit 1 (Arm 2: Drug),F,Complete\n"
        "2,DON'T KNOW,Baseline,f,Incomplete\n"
        "3,Maybe,Visit 1 (Arm 1: Drug),,\n"
    )
    evs = [
        {"event_name": "Baseline", "arm_num": 1, "unique_event_name": "baseline_arm_1"},
        {"event_name": "Visit 1", "arm_num": 1, "unique_event_name": "visit_1_arm_1"},
        {"event_name": "Visit 1", "arm_num": 2, "unique_event_name": "visit_1_arm_2"},
    ]
    back = read_redcap(write("labels.csv", text), dictionary, events=evs)
    assert back.keys == ["rid", "q", "redcap_event_name", "redcap_repeat_instrument", "f_complete"]
    assert back.frame["q"].tolist() == ["2", "1", "Maybe"]  # "Maybe" stays for quarantine
    assert back.frame["redcap_event_name"].tolist() == [
        "visit_1_arm_2",
        "baseline_arm_1",
        "visit_1_arm_1",
    ]
    assert back.frame["redcap_repeat_instrument"].tolist() == ["f", "f", ""]
    assert back.frame["f_complete"].tolist() == ["2", "0", ""]
    assert back.frame.index.tolist() == [2, 3, 4]
    [unmatched] = [w for w in back.warnings if w.startswith("redcap_unmatched_label")]
    assert "q (1)" in unmatched and "Maybe" not in unmatched  # columns named, never values


def test_ambiguous_and_unknown_headers(real_data: Path, write: Write) -> None:
    dictionary = load_dictionary(real_data / "REDCapR/longitudinal__dictionary.csv")
    # A subset export: "Height (cm)" is both `height` (demographics) and `height2` (baseline).
    subset = "Study ID,Event Name,Height (cm),Complete?\n1,Enrollment,170,Complete\n"
    with pytest.raises(IngestError, match=r"redcap_ambiguous_header: row 1, column 3: .*Height"):
        read_redcap(write("subset.csv", subset), dictionary)
    # Out of dictionary order: only single-column labels can be trusted.
    swapped = "Study ID,Complete?,Date of birth\n1,Complete,2000-01-01\n"
    with pytest.raises(IngestError, match="redcap_ambiguous_header: row 1, column 2"):
        read_redcap(write("swapped.csv", swapped), dictionary)
    twice = "Study ID,Date of birth,Date of birth\n1,2000-01-01,2000-01-01\n"
    with pytest.raises(IngestError, match="redcap_ambiguous_header"):
        read_redcap(write("twice.csv", twice), dictionary)
    unknown = "Study ID,Favourite colour,Date of birth\n1,blue,2000-01-01\n"
    back = read_redcap(write("unknown.csv", unknown), dictionary)
    assert back.keys == ["study_id", "Favourite colour", "dob"]
    assert any("column(s) 2 ('Favourite colour')" in w for w in back.warnings)
    with pytest.raises(IngestError, match="redcap_dictionary_mismatch"):
        read_redcap(write("other.csv", "a,b\n1,2\n"), dictionary)


def test_to_raw_is_vectorised_on_a_large_export(real_data: Path, write: Write) -> None:
    dictionary = load_dictionary(real_data / "REDCapR/longitudinal__dictionary.csv")
    raw = read_export(real_data / "REDCapR/longitudinal__data.csv")
    big = type(raw)(
        raw.detection,
        raw.keys,
        raw.names,
        pd.concat([raw.frame] * 2000, ignore_index=True),
        [],
        raw.labels,
    )
    text = label_export(type(raw)(raw.detection, raw.keys, raw.names, raw.frame, []), dictionary)
    header, body = text.split("\r\n", 1)
    back = read_redcap(write("big.csv", header + "\r\n" + body * 2000), dictionary)
    assert len(back.frame) == len(big.frame) == 36000
    assert (back.frame.to_numpy() == big.frame.to_numpy()).all()


# --- events, checkboxes, decimal commas ---------------------------------------------------------


def test_events(real_data: Path, write: Write) -> None:
    found = events(real_data / "REDCapR/longitudinal__event.csv")
    assert len(found) == 12
    assert found[0] == {
        "event_name": "Enrollment",
        "arm_num": 1,
        "unique_event_name": "enrollment_arm_1",
        "custom_event_label": None,
        "event_id": 2888,
    }
    assert {e["arm_num"] for e in found} == {1, 2}
    older = events(real_data / "redcapAPI/TestRedcapAPI_Events.csv")  # no event_id column
    assert [e["unique_event_name"] for e in older] == ["event_1_arm_1", "event_2_arm_2"]
    assert older[1]["event_id"] is None
    with pytest.raises(IngestError, match="not_a_redcap_event_list: row 1: no 'arm_num'"):
        events(write("e.csv", "event_name,unique_event_name\nA,a_arm_1\n"))
    with pytest.raises(IngestError, match="invalid_event: row 2"):
        events(write("e.csv", "event_name,arm_num,unique_event_name\nA,one,a_arm_1\n"))


def test_checkbox_values(real_data: Path) -> None:
    boxes = load_dictionary(real_data / "REDCapR/checkboxes-1__dictionary.csv")
    raw = read_export(real_data / "REDCapR/checkboxes-1__data.csv")
    assert checkbox_values(raw.frame, boxes, "check_one").tolist() == ["1", "", "1;2;3;4", ""]
    assert checkbox_values(raw.frame, boxes, "check_two").tolist() == ["a;c", "b;d", "", ""]
    assert checkbox_values(raw.frame, boxes, "check_two").index.tolist() == [2, 3, 4, 5]
    long = load_dictionary(real_data / "REDCapR/longitudinal__dictionary.csv")
    frame = read_export(real_data / "REDCapR/longitudinal__data.csv").frame
    gym = checkbox_values(frame, long, "gym")
    assert gym.iloc[0] == ";".join(c for c in "01234" if frame.iloc[0][f"gym___{c}"] == "1")
    with pytest.raises(ValueError, match="not a checkbox"):
        checkbox_values(raw.frame, boxes, "desired_result")
    with pytest.raises(KeyError):
        checkbox_values(raw.frame.drop(columns=["check_one___1", "check_one___2",
                                                "check_one___3", "check_one___4"]),
                        boxes, "check_one")  # fmt: skip


def test_normalise_decimal(real_data: Path) -> None:
    dictionary = load_dictionary(real_data / "redcapAPI/TestRedcapAPI_DataDictionary.csv")
    frame = read_export(real_data / "redcapAPI/TestRedcapAPI_Records.csv").frame
    assert "number_1dp_comma_test" in dictionary.number_fields()
    fixed = normalise_decimal(frame["number_1dp_comma_test"])
    assert fixed.loc[4] == "36.5" and fixed.loc[2] == ""
    series = pd.Series(["36,5", "-0,25", "1,234,5", "abc", "", "18.80", " 7,1 "], dtype=object)
    assert normalise_decimal(series).tolist() == [
        "36.5",
        "-0.25",
        "1,234,5",
        "abc",
        "",
        "18.80",
        "7.1",
    ]


def test_dictionary_with_a_shifted_row_is_refused(write: Write) -> None:
    header = "field_name,form_name,field_type,field_label,select_choices_or_calculations\n"
    with pytest.raises(IngestError, match="malformed_csv"):
        load_dictionary(write("d.csv", header + "a,f,text,Label, with comma,,\n"))
