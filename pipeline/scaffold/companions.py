"""Files that describe exports rather than hold responses: REDCap data dictionaries and event
lists, SurveyMonkey API survey details. `ripple init` recognises them among the files it is
given, reads the exports with them, and names them in the survey mappings."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import DataError
from pipeline.ingest.readers import RawExport, ReadOptions, read_export
from pipeline.ingest.redcap import RedcapDictionary, load_dictionary, read_redcap
from pipeline.ingest.surveymonkey_api import looks_like_surveymonkey_api

SNIFF_BYTES = 64 * 1024
EVENT_HEADERS = ("unique_event_name", "event_name")


@dataclass
class Companions:
    """The describing files found, and which export each one was used for."""

    dictionary: tuple[Path, RedcapDictionary] | None = None
    details: Path | None = None
    files: set[Path] = field(default_factory=set)
    used_by: dict[str, Path] = field(default_factory=dict)  # survey name -> companion

    def read(self, path: Path) -> RawExport:
        """An export read with its companion: REDCap through the dictionary (label exports
        become field names and codes), SurveyMonkey API bulk files with the details."""
        raw = read_export(path, ReadOptions(details=self.details))
        if raw.detection.format == "redcap" and self.dictionary:
            return read_redcap(path, self.dictionary[1])
        return raw

    def attach(self, draft, config_dir: Path) -> None:
        """Name the companion file in a survey mapping that needs it."""
        if draft.format == "redcap" and self.dictionary:
            draft.mapping["dictionary"] = _relative(self.dictionary[0], config_dir)
        if draft.format == "surveymonkey_api" and self.details:
            draft.mapping["details"] = _relative(self.details, config_dir)
            draft.mapping.setdefault(
                "completion", {"column": "response_status", "complete": ["completed"]}
            )


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


def find_companions(paths: list[Path]) -> Companions:
    """Recognise dictionaries, event lists and survey details among `paths`."""
    found = Companions()
    for path in paths:
        try:
            head = path.open("rb").read(SNIFF_BYTES)
        except OSError:
            continue
        if path.suffix.lower() == ".json" and looks_like_surveymonkey_api(head) == "details":
            found.details = path
            found.files.add(path)
            continue
        first_line = head.split(b"\n", 1)[0].decode("utf-8", errors="ignore").casefold()
        if any(h in first_line for h in EVENT_HEADERS) and "redcap_event_name" not in first_line:
            found.files.add(path)
            continue
        if "field_name" in first_line or "variable / field name" in first_line:
            try:
                found.dictionary = (path, load_dictionary(path))
                found.files.add(path)
            except DataError:
                continue
    return found
