"""Which export columns identify a person: platform metadata, and headers that say so.

Two sources, checked in this order by `identifying_reason`:

1. each platform's identifying metadata fields (research notes, privacy section 1.7): Qualtrics
   IP address, location and recipient fields; SurveyMonkey's respondent contact fields and
   custom data; the Google Forms e-mail column; Kobo's device and phone fields and GPS; REDCap's
   survey identifier (REDCap's data dictionary marks the rest, handled with the dictionary);
2. any header whose words look identifying: e-mail, name, phone or mobile, postcode or zip, IP
   address, postal address, date of birth, national identifiers (NHS, SSN, passport, ...),
   location (latitude, longitude, GPS), and respondent or record ids ("Response ID",
   `record_id`, `_uuid`: codes unique to one person, pseudonymised whenever Ripple reads them).

Words, not substrings: "Surname", "E-mail address" and "RecipientEmail" match, "Finished",
"Skip" and "Username policy" judged by their words, "Birthplace region" does not count as a
date of birth, and "Event Name" or "Programme name" are not a person's name.
"""

from __future__ import annotations

import re

QUALTRICS = frozenset(
    {
        "IPAddress",
        "LocationLatitude",
        "LocationLongitude",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "ExternalDataReference",
        # the same fields by ImportId, the key of a modern export
        "ipAddress",
        "locationLatitude",
        "locationLongitude",
        "recipientLastName",
        "recipientFirstName",
        "recipientEmail",
        "externalDataReference",
    }
)
QUALTRICS_LEGACY = frozenset(
    {
        "Name",
        "EmailAddress",
        "IPAddress",
        "ExternalDataReference",
        "LocationLatitude",
        "LocationLongitude",
        "LocationAccuracy",
    }
)
SURVEYMONKEY = frozenset({"IP Address", "Email Address", "First Name", "Last Name"})
SURVEYMONKEY_API = frozenset({"ip_address", "first_name", "last_name", "email_address"})
GOOGLE_FORMS = frozenset({"Email Address", "Email address", "Username"})
KOBO = frozenset(
    {"deviceid", "subscriberid", "simserial", "phonenumber", "imei", "username", "_geolocation"}
)
REDCAP = frozenset({"redcap_survey_identifier"})  # may hold the participant's e-mail
CSV: frozenset[str] = frozenset()
BY_FORMAT: dict[str, frozenset[str]] = {
    "qualtrics": QUALTRICS,
    "qualtrics_legacy": QUALTRICS_LEGACY,
    "surveymonkey": SURVEYMONKEY,
    "surveymonkey_api": SURVEYMONKEY_API,
    "google_forms": GOOGLE_FORMS,
    "kobo": KOBO,
    "redcap": REDCAP,
    "csv": CSV,
}
PLATFORM = {
    "qualtrics": "Qualtrics",
    "qualtrics_legacy": "Qualtrics",
    "surveymonkey": "SurveyMonkey",
    "surveymonkey_api": "SurveyMonkey",
    "google_forms": "Google Forms",
    "kobo": "KoboToolbox",
    "redcap": "REDCap",
}
CUSTOM_DATA = re.compile(r"custom data \d+", re.IGNORECASE)
KOBO_GEOPOINT = re.compile(r"_.*_(latitude|longitude|altitude|precision)", re.IGNORECASE)

CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
EMAIL_SPELLING = re.compile(r"e-mail", re.IGNORECASE)
NON_WORD = re.compile(r"[\W_]+")

PERSON_NAME = {"name", "names", "surname", "surnames", "forename", "forenames", "firstname"}
PERSON_NAME |= {"lastname", "fullname", "givenname", "familyname", "username", "maidenname"}
# the same in the other languages surveys are often run in (French, German, Spanish, Italian,
# Portuguese, Dutch); "nombre" is left out: in French it means "number"
PERSON_NAME |= {"nom", "prénom", "prenom", "vorname", "nachname", "apellido", "apellidos"}
PERSON_NAME |= {"cognome", "nome", "sobrenome", "achternaam", "voornaam", "naam"}
# "Event Name", "Programme name": the name of something, not of a person.
THING = {"event", "form", "instrument", "arm", "site", "programme", "program", "course"}
THING |= {"workshop", "session", "school", "company", "organisation", "organization"}
THING |= {"employer", "team", "file", "survey", "project", "group", "field", "variable"}
THING |= {"column", "product", "brand", "study", "collector", "device", "app", "host"}
THING |= {"domain", "city", "town", "country", "region", "business", "department", "role"}
THING |= {"job", "medication", "drug", "condition", "diagnosis", "pet", "game", "show", "trust"}
PHONE = {"phone", "telephone", "tel", "mobile", "cellphone", "phonenumber", "fax"}
PHONE |= {"téléphone", "telefon", "telefono", "teléfono", "telefone", "celular", "handy"}
EMAIL_WORDS = {"courriel", "correo", "mél"}
ADDRESS = {"address", "addr", "adresse", "dirección", "direccion", "indirizzo", "endereço"}
POSTCODE = {"postcode", "postcodes", "zip", "zipcode", "postal", "postalcode"}
NATIONAL_ID = {"nhs", "ssn", "nino", "passport", "chi", "medicare", "mrn"}
LOCATION = {"latitude", "longitude", "lat", "lng", "lon", "gps", "geolocation", "geopoint"}
LOCATION |= {"coordinates", "geo"}
DATE_PART = {"date", "day", "month", "year", "dt"}
# "Response ID", "record_id", "participant_id": a code unique to one person or response.
ID_WORD = {"id", "identifier", "uuid", "guid"}
ID_OWNER = {"response", "respondent", "record", "participant", "subject", "patient", "student"}
ID_OWNER |= {"employee", "staff", "user", "recipient", "member", "person", "customer", "client"}
ID_OWNER |= {"study"}


def words(text: str) -> list[str]:
    """Lower-case words of a header: camelCase, snake_case and punctuation split apart."""
    text = EMAIL_SPELLING.sub("email", text)
    return [w for w in NON_WORD.split(CAMEL_BOUNDARY.sub(" ", text).casefold()) if w]


def word_reason(text: str) -> str | None:
    """What an identifying-looking header asks for, judged by its words, or None."""
    found = words(text)
    w = set(found)
    if any(word.startswith("email") for word in found) or w & EMAIL_WORDS:
        return "an email address"
    if "ip" in w or "ipaddress" in w:
        return "an IP address"
    if w & PHONE:
        return "a phone number"
    if w & POSTCODE:
        return "a postcode"
    if {"dob", "birthday", "birthdate", "dateofbirth"} & w or ("birth" in w and w & DATE_PART):
        return "a date of birth"
    social = {"social", "security"} <= w
    national = "national" in w and bool(w & {"insurance", "id", "identifier", "number"})
    driving = "driving" in w and bool(w & {"licence", "license"})
    if w & NATIONAL_ID or social or national or driving:
        return "a national identifier"
    if w & LOCATION:
        return "a location"
    if any(names_a_person(found, i) for i, word in enumerate(found) if word in PERSON_NAME):
        return "a name"
    if ADDRESS & w:
        return "a postal address"
    if {"uuid", "guid"} & w or (w & ID_WORD and w & ID_OWNER):
        return "a respondent or record identifier"
    return None


def names_a_person(found: list[str], at: int) -> bool:
    """Whether the name word at `at` asks for a person's name: not "Event Name", "form_name"
    or "name of your school" (a thing's name), but "Name on form" or "Your name" are."""
    if at > 0 and found[at - 1] in THING:
        return False
    after = found[at + 1 : at + 4]
    return not (after[:1] == ["of"] and any(word in THING for word in after[1:]))


def platform_field(key: str, header: str, fmt: str) -> bool:
    """True when the key or header is one of the format's identifying metadata fields."""
    known = {name.casefold() for name in BY_FORMAT.get(fmt, CSV)}
    texts = {key.strip().casefold(), header.strip().casefold()}
    if known & texts:
        return True
    if fmt == "surveymonkey" and any(CUSTOM_DATA.fullmatch(t) for t in texts):
        return True
    if fmt == "kobo":
        last = {t.rsplit("/", 1)[-1] for t in texts}
        return bool(known & last) or any(KOBO_GEOPOINT.fullmatch(t) for t in last)
    return False


def identifying_reason(key: str, header: str, fmt: str) -> str | None:
    """Why a column looks identifying (a short phrase for messages), or None.

    `key` is the column's stable key, `header` its header text, `fmt` the export format.
    Platform metadata is checked first, then the words of the header and of the key.
    """
    what = word_reason(header) or (word_reason(key) if key != header else None)
    if platform_field(key, header, fmt):
        platform = PLATFORM.get(fmt, "platform")
        return f"{platform} identifying field" + (f" ({what})" if what else "")
    if what:
        return f"the header suggests {what}"
    return None
