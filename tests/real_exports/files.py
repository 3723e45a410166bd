"""The real exports by name, what `ripple detect` must say about each, and the real `ripple`
command as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KEY = "3c" * 32
HERE = Path(__file__).resolve().parent

OSMI = "osmi-mental-health-in-tech"
OSMI_2014_EN_US = f"{OSMI}/osmi_2014_survey__excel_en-US_roundtrip.csv"
OSMI_2014_ZH_CN = f"{OSMI}/osmi_2014_survey__excel_zh-CN_gbk_roundtrip.csv"
OSMI_2014_DMY = f"{OSMI}/osmi_2014_survey__excel_ddmmyyyy_roundtrip.csv"
OSMI_2016 = f"{OSMI}/osmi_2016_mental-heath-in-tech-2016_20161114.csv"
CS50 = "google-forms-cs50/favorites.csv"
QUALTRICS = "qualtRics/sample.csv"
QUALTRICS_LEGACY = "qualtRics/sample_legacy.csv"
LONGITUDINAL = "REDCapR/longitudinal__data.csv"
SIMPLE = "REDCapR/simple__data.csv"
SURVEY = "REDCapR/survey__data.csv"
CHECKBOXES = "REDCapR/checkboxes-1__data.csv"
REDCAPAPI = "redcapAPI/TestRedcapAPI_Records.csv"
SM_BULK = (
    "surveymonkey-api/api.surveymonkey.net__v3__surveys__318754279__responses__bulk-eda25e.json"
)
SM_DETAILS = "surveymonkey-api/api.surveymonkey.com__v3__surveys__318754279__details.json"
GBK = {"gbk", "gb18030"}  # gb18030 is a superset of GBK and decodes this file identically

# What `ripple detect` must say about every file: format, file type, encodings accepted,
# delimiter, header rows. Rows and columns are counted independently below.
DETECT = {
    OSMI_2014_EN_US: ("google_forms", "csv", {"utf-8"}, ",", 1),
    OSMI_2014_ZH_CN: ("google_forms", "csv", GBK, ",", 1),
    # the day-first re-save blanked the "Timestamp" header, so nothing says Google Forms
    OSMI_2014_DMY: ("csv", "csv", {"utf-8"}, ",", 1),
    OSMI_2016: ("csv", "csv", {"utf-8"}, ",", 1),
    CS50: ("google_forms", "csv", {"utf-8"}, ",", 1),
    QUALTRICS: ("qualtrics", "csv", {"utf-8"}, ",", 3),
    QUALTRICS_LEGACY: ("qualtrics_legacy", "csv", {"utf-8-sig"}, ",", 2),
    LONGITUDINAL: ("redcap", "csv", {"utf-8"}, ",", 1),
    SIMPLE: ("redcap", "csv", {"utf-8"}, ",", 1),
    SURVEY: ("redcap", "csv", {"utf-8"}, ",", 1),
    CHECKBOXES: ("redcap", "csv", {"utf-8"}, ",", 1),
    REDCAPAPI: ("redcap", "csv", {"utf-8"}, ",", 1),
    # REDCap companions (dictionaries, metadata, events, arms) are plain tables, not exports
    "REDCapR/longitudinal__dictionary.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/longitudinal__event.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/longitudinal__arm.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/simple__dictionary.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/simple__metadata.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/survey__dictionary.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/checkboxes-1__dictionary.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "redcapAPI/TestRedcapAPI_DataDictionary.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "redcapAPI/TestRedcapAPI_Events.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "redcapAPI/TestRedcapAPI_Arms.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "redcapAPI/TestRedcapAPI_InstrumentDesignations.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    SM_BULK: ("surveymonkey_api", "json", {"utf-8"}, None, None),
    SM_DETAILS: ("surveymonkey_api", "json", {"utf-8"}, None, None),
}
# the exports (the other files are their companions), each a source in ripple.yml
EXPORTS = [
    OSMI_2014_EN_US,
    OSMI_2014_ZH_CN,
    OSMI_2014_DMY,
    OSMI_2016,
    CS50,
    QUALTRICS,
    QUALTRICS_LEGACY,
    LONGITUDINAL,
    SIMPLE,
    SURVEY,
    CHECKBOXES,
    REDCAPAPI,
    SM_BULK,
]
# the Python codec that reads each CSV for the independent counts
CODEC = {OSMI_2014_ZH_CN: "gbk", QUALTRICS_LEGACY: "utf-8-sig"}


def ripple(*args: str) -> subprocess.CompletedProcess:
    """The installed `ripple` console script, as a user runs it."""
    env = {k: v for k, v in os.environ.items() if k != "RIPPLE_KEY_FILE"}
    return subprocess.run(
        [str(Path(sys.executable).with_name("ripple")), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**env, "RIPPLE_KEY": KEY},
        check=False,
    )


def assert_no_crash(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr + result.stdout, result.stderr
