"""No page, chart, table, metric or download shows a group under the threshold, and every
hidden cell says why: the whole app rendered on a hostile extract whose small groups (3 to 9
people) are sometimes flagged hidden but still carry canary values (a faulty pipeline), and
sometimes not flagged at all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import downloads, suppress
from dashboard.settings import DB_ENV_VAR
from tests.dashboard.app_session import APP, PAGES
from tests.loading import load_module

K = 10

fixture_data = load_module("ripple_dashboard_fixture_data", Path(__file__).with_name("conftest.py"))

#: Table columns that count people or records.
COUNT_COLUMNS = (
    "People (pairs)", "People", "Responses", "Records", "Number", "Came back", "Did not",
    "People asked", "Complete answers",
)  # fmt: skip
SMALL_COUNT = re.compile(r"(?<![\d.,])[1-9] (people|person|pairs|responses|records)\b")


@pytest.fixture
def tiny_env(make_extract, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_extract("tiny.duckdb", fixture_data.tiny_tables())
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    return path


def everything_shown(at: AppTest) -> tuple[str, list]:
    """All text a viewer can see on the page (and in charts' JSON), and its tables."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += (
        [e.value for e in at.title] + [e.value for e in at.header] + [e.value for e in at.subheader]
    )
    parts += [
        e.value for kind in ("info", "warning", "error", "success") for e in getattr(at, kind)
    ]
    parts += [f"{m.label}: {m.value} {m.proto.delta} {m.proto.help}" for m in at.metric]
    parts += [e.label for e in at.expander]
    parts += [e.proto.spec + e.proto.alt for e in at.get("plotly_chart")]
    tables = [t.value for t in at.table]
    parts += [t.to_csv(index=False) for t in tables]
    return "\n".join(parts), tables


def assert_no_small_group(shown: str, tables: list, where: str) -> None:
    """No canary value, no count of 1..K-1 in a count column or sentence."""
    for canary in fixture_data.CANARY_TEXTS:
        assert canary not in shown, (where, canary)
    assert not SMALL_COUNT.search(shown), (where, SMALL_COUNT.search(shown).group(0))
    for table in tables:
        for column in [c for c in table.columns if c in COUNT_COLUMNS]:
            for value in table[column]:
                text = str(value).replace(",", "")
                if text.isdigit():
                    assert int(text) == 0 or int(text) >= K, (where, column, value)
                else:
                    assert text.startswith("hidden: ") or text in ("n/a", ""), (where, value)


@pytest.mark.usefixtures("tiny_env")
@pytest.mark.parametrize("programme", ["pilot", "ttt_work"])
def test_no_page_or_download_shows_a_small_group(programme: str, monkeypatch) -> None:
    """Every page of a programme with small groups: nothing under the threshold appears,
    in text, metrics, tables, charts or CSV downloads, and hidden cells say why."""
    written: list[bytes] = []
    real = downloads.csv_bytes
    monkeypatch.setattr(downloads, "csv_bytes", lambda f: written.append(real(f)) or written[-1])
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["programme"] = programme
    at.run()
    reasons = set()
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception and not at.error, page
        shown, tables = everything_shown(at)
        assert_no_small_group(shown, tables, page)
        flat = shown.replace("<br>", " ").replace("\\u003cbr\\u003e", " ")
        reasons |= set(re.findall(r"hidden: [a-z ]+", flat))
    csv = b"\n".join(written).decode("utf-8-sig")
    for canary in fixture_data.CANARY_TEXTS:
        assert canary not in csv, canary
    assert "hidden: too few people" in csv
    assert reasons, "hidden cells say why"
    stated = {
        f"hidden: {words}"
        for words in (*suppress.REASON_LABELS.values(), *suppress.SHORT_REASON_LABELS.values())
    }
    said = [r.strip() for r in reasons]  # a stated reason, or its start cut at punctuation
    assert all(any(r.startswith(s) or s.startswith(r) for s in stated) for r in said), reasons
    charts = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    assert all("0.98765" not in json.dumps(c) for c in charts)
