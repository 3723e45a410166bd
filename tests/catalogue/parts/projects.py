"""The minimal project config (ripple.yml as a mapping) that reads a good export."""

from __future__ import annotations

from .respondents import COHORTS, INSTRUMENTS_DIR, WAVES
from .tables import Export


def programme(instruments: tuple[str, ...] = ("ribs",)) -> dict:
    return {
        "id": "p1",
        "name": "Programme one",
        "approach": "contact-based",
        "audience": "adults",
        "instruments": list(instruments),
        "cohorts": [
            {"id": cid, "site": site, "date": date.isoformat(), "labels": [label]}
            for cid, site, date, label in COHORTS
        ],
    }


def project(
    surveys: dict[str, dict],
    sources: list[dict],
    instruments: tuple[str, ...] = ("ribs",),
    **extra,
) -> dict:
    """A whole `ripple.yml` as a dict."""
    return {
        "project": "Bad-input catalogue (fictional)",
        "instruments_dir": str(INSTRUMENTS_DIR),
        "out_dir": "out",
        "waves": [{"id": w, "label": label} for w, label in WAVES],
        "programmes": [programme(instruments)],
        "surveys": surveys,
        "sources": sources,
        **extra,
    }


def project_for(export: Export, path: str | None = None, **extra) -> dict:
    """The config that reads one export as its only source."""
    source = {"path": path or export.name, "survey": "s", "programme": "p1", **export.source}
    return project({"s": export.survey}, [source], **extra)
