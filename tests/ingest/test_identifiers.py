"""Identifying columns: platform metadata and headers whose words look identifying."""

from __future__ import annotations

import pytest

from pipeline.ingest.identifiers import (
    BY_FORMAT,
    GOOGLE_FORMS,
    KOBO,
    QUALTRICS,
    SURVEYMONKEY,
    identifying_reason,
    words,
)


@pytest.mark.parametrize(
    ("key", "header", "fmt"),
    [
        ("ipAddress", "IPAddress", "qualtrics"),
        ("locationLatitude", "LocationLatitude", "qualtrics"),
        ("recipientLastName", "RecipientLastName", "qualtrics"),
        ("externalDataReference", "ExternalReference", "qualtrics"),
        ("V6", "IPAddress", "qualtrics_legacy"),
        ("V3", "Name", "qualtrics_legacy"),
        ("EmailAddress", "EmailAddress", "qualtrics_legacy"),
        ("IP Address", "IP Address", "surveymonkey"),
        ("First Name", "First Name", "surveymonkey"),
        ("Custom Data 3", "Custom Data 3", "surveymonkey"),
        ("Email Address", "Email Address", "google_forms"),
        ("deviceid", "deviceid", "kobo"),
        ("imei", "imei", "kobo"),
        ("_geolocation", "_geolocation", "kobo"),
        ("meta/_where_latitude", "meta/_where_latitude", "kobo"),
        ("redcap_survey_identifier", "redcap_survey_identifier", "redcap"),
        ("ip_address", "ip_address", "surveymonkey_api"),
    ],
)
def test_platform_fields(key: str, header: str, fmt: str) -> None:
    reason = identifying_reason(key, header, fmt)
    assert reason is not None
    assert "identifying field" in reason


@pytest.mark.parametrize(
    ("header", "what"),
    [
        ("Surname", "a name"),
        ("Your full name", "a name"),
        ("name_first", "a name"),
        ("What is the first letter of your mother's first name?", "a name"),
        ("E-mail", "an email address"),
        ("Email Address", "an email address"),
        ("contact_email", "an email address"),
        ("Mobile number", "a phone number"),
        ("telephone_1", "a phone number"),
        ("Postcode", "a postcode"),
        ("ZIP / postal code", "a postcode"),
        ("IP", "an IP address"),
        ("Home address", "a postal address"),
        ("dob", "a date of birth"),
        ("Date of birth", "a date of birth"),
        ("birth_month", "a date of birth"),
        ("NHS number", "a national identifier"),
        ("NHSNumber", "a national identifier"),
        ("SSN", "a national identifier"),
        ("Social Security Number", "a national identifier"),
        ("National Insurance number", "a national identifier"),
        ("GPS", "a location"),
        ("Latitude", "a location"),
        ("Response ID", "a respondent or record identifier"),
        ("record_id", "a respondent or record identifier"),
        ("_uuid", "a respondent or record identifier"),
    ],
)
def test_identifying_words(header: str, what: str) -> None:
    assert identifying_reason(header, header, "csv") == f"the header suggests {what}"


@pytest.mark.parametrize(
    "header",
    [
        "Finished",
        "Birthplace region",
        "Event Name",
        "redcap_event_name",
        "Programme name",
        "Which session did you attend?",
        "Skip logic shown",
        "How long did the workshop last?",
        "I would talk to a friend",
        "Collector ID",
        "Q5_1",
        "demographics_complete",
        "Zipped files",
        "Timestamp",
    ],
)
def test_ordinary_headers(header: str) -> None:
    assert identifying_reason(header, header, "csv") is None


def test_platform_fields_only_count_for_their_format() -> None:
    assert identifying_reason("deviceid", "deviceid", "csv") is None
    assert identifying_reason("Custom Data 1", "Custom Data 1", "csv") is None
    assert identifying_reason("Custom Data 1", "Custom Data 1", "surveymonkey")


def test_key_words_count_when_the_header_says_nothing() -> None:
    assert identifying_reason("email", "Q7", "csv") == "the header suggests an email address"


def test_per_format_sets() -> None:
    assert "IPAddress" in QUALTRICS and "recipientEmail" in QUALTRICS
    assert {"IP Address", "Email Address", "First Name", "Last Name"} <= SURVEYMONKEY
    assert "Email Address" in GOOGLE_FORMS
    assert {"deviceid", "subscriberid", "simserial", "phonenumber", "imei"} <= KOBO
    assert all(isinstance(v, frozenset) for v in BY_FORMAT.values())
    assert set(BY_FORMAT) >= {"qualtrics", "qualtrics_legacy", "surveymonkey", "google_forms",
                              "kobo", "redcap", "csv"}  # fmt: skip


def test_words() -> None:
    assert words("RecipientEmail") == ["recipient", "email"]
    assert words("IPAddress") == ["ip", "address"]
    assert words("E-mail address") == ["email", "address"]
    assert words("group/q_1") == ["group", "q", "1"]
    assert words("Straße") == ["strasse"]  # casefolded, non-ASCII letters kept


@pytest.mark.parametrize(
    ("header", "identifying"),
    [
        ("name_on_form", True),
        ("contact/nom", True),
        ("contact/courriel", True),
        ("Prénom", True),
        ("Téléphone", True),
        ("Adresse postale", True),
        ("Name of your school", False),
        ("Nombre de frères", False),  # French: "number of brothers"
        ("form_name", False),
    ],
)
def test_other_languages_and_the_word_order_of_names(header, identifying):
    assert (identifying_reason(header, header, "csv") is not None) is identifying
