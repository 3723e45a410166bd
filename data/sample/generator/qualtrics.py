"""A Qualtrics export's layout: its three header rows, the metadata cells of a response, and
ResponseIds, IP addresses (documentation ranges only) and geolocations.
"""

from __future__ import annotations

import string

import numpy as np

from pipeline.instruments import Instrument

from .people import Person
from .programmes import ProgrammeSpec
from .questions import SGIC, item_text, prompt_of
from .rows import Row
from .settings import SITES

QUALTRICS_META = (  # column name, English question text, ImportId (as in the real export)
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
)
QUALTRICS_TIME = "%Y-%m-%d %H:%M:%S"
COMMENT_QID = 9
COHORT_FIELD = "cohort"  # Qualtrics embedded data
QUALTRICS_COMMENT = "Is there anything else you would like to tell us?"


def qualtrics_columns(
    spec: ProgrammeSpec, instruments: dict[str, Instrument]
) -> list[tuple[str, str, str]]:
    """(column name, question text, ImportId) of a Qualtrics export, in export order."""
    columns = list(QUALTRICS_META)
    for n, (_, _, text) in enumerate(SGIC, start=1):
        columns.append((f"Q{n}", text, f"QID{n}_TEXT"))
    for block, name in enumerate(spec.instruments, start=len(SGIC) + 1):
        if block >= COMMENT_QID:
            raise ValueError("too many instruments for the question numbering")
        instrument = instruments[name]
        for k in range(len(instrument.items)):
            text = (
                f"Section {block - len(SGIC)}. {prompt_of(instrument)} - {item_text(instrument, k)}"
            )
            columns.append((f"Q{block}_{k + 1}", text, f"QID{block}_{k + 1}"))
    columns.append((f"Q{COMMENT_QID}", QUALTRICS_COMMENT, f"QID{COMMENT_QID}_TEXT"))
    columns.append((COHORT_FIELD, COHORT_FIELD, COHORT_FIELD))
    return columns


def qualtrics_row(spec: ProgrammeSpec, row: Row, people: list[Person]) -> tuple[str, ...]:
    """The 17 metadata cells of a Qualtrics response."""
    person = people[row.person] if row.person is not None else None
    preview = row.kind == "preview"
    contact = person is not None and person.channel == "email" and not preview
    channel = "preview" if preview else (person.channel if person else "anonymous")
    finished = row.kind != "incomplete"
    return (
        f"{row.started:{QUALTRICS_TIME}}",
        f"{row.submitted:{QUALTRICS_TIME}}",
        "1" if preview else "0",
        row.ip,
        str(row.progress),
        str(round((row.submitted - row.started).total_seconds())),
        "1" if finished else "0",
        f"{row.submitted:{QUALTRICS_TIME}}",
        row.response_id,
        person.last if contact else "",
        person.first if contact else "",
        person.email if contact else "",
        person.reference if contact else "",
        row.latitude,
        row.longitude,
        channel,
        "EN-GB",
    )


def fake_network(
    spec: ProgrammeSpec, rows: list[Row], seen: set[str], rng: np.random.Generator
) -> None:
    """Qualtrics ResponseIds, IP addresses (documentation ranges only) and IP geolocations,
    unique per response across the sample (`seen` holds the values already used)."""
    alphabet = np.array(list(string.ascii_letters + string.digits))
    ipv4 = [f"{block}.{host}" for block in spec.ipv4_blocks for host in range(1, 255)]
    pool = iter(rng.permutation(ipv4).tolist())
    for row in rows:
        while not row.response_id or row.response_id in seen:
            row.response_id = "R_" + "".join(rng.choice(alphabet, 15))
        seen.add(row.response_id)
        use_v4 = rng.random() < 0.28
        row.ip = next(pool, "") if use_v4 else ""
        while not row.ip or row.ip in seen:
            groups = rng.integers(0, 65536, size=5)
            row.ip = f"{spec.ipv6_prefix}:" + ":".join(f"{g:x}" for g in groups)
        seen.add(row.ip)
        _, lat, lon = SITES[spec.cohorts[row.cohort].site]
        while not row.latitude or {row.latitude, row.longitude} & seen:
            row.latitude = f"{float(np.float32(lat + rng.uniform(-0.09, 0.09))):.14g}"
            row.longitude = f"{float(np.float32(lon + rng.uniform(-0.12, 0.12))):.14g}"
        seen.update((row.latitude, row.longitude))
