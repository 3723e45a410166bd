"""`ripple init`: a project config scaffolded from real exports.

Files are grouped into surveys (same programme, format and columns); each survey's columns get
a role (pipeline.scaffold.survey); programmes come from file names, waves from file names or a
wave column, cohorts from a cohort column (test sessions left out) or one per programme. The
result is YAML with a comment beside every guess and every column left out, and a list of what
a person still has to fill in.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.errors import DataError
from pipeline.ingest.dates import parse_datetimes
from pipeline.ingest.readers import RawExport, ReadOptions, read_export
from pipeline.instruments import Instrument
from pipeline.scaffold import guess
from pipeline.scaffold.companions import Companions, find_companions
from pipeline.scaffold.render import render
from pipeline.scaffold.survey import SurveyDraft, draft_survey


@dataclass
class Scaffold:
    """The config text, and what still needs a person (empty when it is ready to run)."""

    text: str
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_all(
    paths: list[Path], companions: Companions, problems: list[str]
) -> list[tuple[Path, RawExport]]:
    """Every export that can be read; a file that cannot is reported, not fatal."""
    exports = []
    for path in paths:
        if path in companions.files:
            continue
        try:
            exports.append((path, companions.read(path)))
        except DataError as exc:
            problems.append(f"{path}: cannot be read, left out: {exc}")
    return exports


def scaffold(
    paths: list[Path], instruments: dict[str, Instrument], config_dir: Path, instruments_dir: Path
) -> Scaffold:
    """Scaffold a config for `paths` (see the module docstring); paths in the text are
    relative to `config_dir`."""
    problems: list[str] = []
    companions = find_companions(paths)
    exports = read_all(paths, companions, problems)
    groups: dict[tuple, list[tuple[Path, RawExport]]] = {}
    for path, raw in exports:
        key = (guess.programme_of(path), raw.detection.format, tuple(raw.keys))
        groups.setdefault(key, []).append((path, raw))
    drafts, sources = [], []
    names: set[str] = set()
    order = {wave: n for n, wave in enumerate(guess.WAVE_TOKENS)}
    for (programme, fmt, _), files in groups.items():
        files.sort(key=lambda item: (order.get(guess.wave_of(item[0].stem), 9), str(item[0])))
        name = _unique(f"{programme}_{fmt}", names)
        draft = draft_survey(name, [raw for _, raw in files], instruments)
        companions.attach(draft, config_dir)
        drafts.append((programme, draft, files))
        for path, _ in files:
            sources.append(_source(path, name, programme, draft, config_dir, problems))
    waves = _waves(sources, drafts)
    programmes = [
        _programme(p, [d for q, d, _ in drafts if q == p], drafts, problems)
        for p in dict.fromkeys(q for q, _, _ in drafts)
    ]
    for source in sources:
        if source.get("wave") == "?":
            source.pop("wave")
    config = {
        "project": "Scaffolded by ripple init: review every commented guess",
        "instruments_dir": _relative(instruments_dir, config_dir),
        "out_dir": "out",
        "min_cell_size": 10,
        "waves": [{"id": w, "label": guess.WAVE_LABELS.get(w, w)} for w in waves],
        "programmes": programmes,
        "surveys": {d.name: d.mapping for _, d, _ in drafts},
        "sources": sources,
    }
    problems += [p for _, d, _ in drafts for p in d.problems]
    return Scaffold(
        render(config, [d for _, d, _ in drafts]), problems, sorted(map(str, companions.files))
    )


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = guess.identifier(name), 2
    while candidate in taken:
        candidate, n = f"{guess.identifier(name)}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _relative(path: Path, start: Path) -> str:
    """`path` relative to the config's folder, or absolute when that would climb far."""
    relative = Path(os.path.relpath(path.resolve(), start.resolve()))
    return path.resolve().as_posix() if relative.parts[:2] == ("..", "..") else relative.as_posix()


def _source(path, survey, programme, draft: SurveyDraft, config_dir, problems) -> dict:
    source = {"path": _relative(path, config_dir), "survey": survey, "programme": programme}
    if "wave" not in draft.mapping:
        wave = guess.wave_of(path.stem)
        if wave is None:
            problems.append(
                f"sources ({path.name}).wave: the file name does not say which wave it holds "
                "(pre, post, followup, ...): set `wave:` on this source"
            )
        source["wave"] = wave or "?"
    if "cohort" not in draft.mapping:
        source["cohort"] = f"{programme}_all"
    return source


def _waves(sources: list[dict], drafts) -> list[str]:
    named = {s["wave"] for s in sources if s.get("wave") not in (None, "?")}
    named |= {w for _, d, _ in drafts for w in d.wave_values}
    ordered = [w for w in guess.WAVE_TOKENS if w in named]
    return ordered + [w for w in ("pre", "post") if w not in ordered][: max(0, 2 - len(ordered))]


def _programme(programme: str, mine: list[SurveyDraft], drafts, problems) -> dict:
    instruments = sorted({i for d in mine for i in d.instruments}) or ["(fill in)"]
    if instruments == ["(fill in)"]:
        problems.append(f"programmes ({programme}).instruments: no instrument was recognised")
    files = [(d, f) for q, d, f in drafts if q == programme]
    return {
        "id": programme,
        "name": programme.replace("_", " ").title(),
        "approach": "(fill in: e.g. contact-based, education, peer support)",
        "audience": "(fill in)",
        "instruments": instruments,
        "cohorts": _cohorts(programme, files),
    }


def _cohorts(programme: str, files: list[tuple[SurveyDraft, list]]) -> list[dict]:
    """Cohorts from the cohort column's answers (test sessions left out), dated by their
    earliest response; one cohort for the whole programme when there is no such column."""
    found: dict[str, dict] = {}
    for draft, exports in files:
        column = draft.mapping.get("cohort")
        if column is None:
            found.setdefault(f"{programme}_all", _cohort(f"{programme}_all", None, []))
            continue
        for _, raw in exports:
            dates = _dates(raw, draft.mapping.get("submitted_at"))
            values = raw.frame[column].astype(str).str.strip()
            for value in values[values != ""].unique():
                if guess.looks_like_test(value):
                    continue
                entry = found.setdefault(value, _cohort(value, value, []))
                if not entry["_dates"]:  # the earliest wave's file is read first
                    entry["_dates"] = list(dates[values == value].dropna())
    return [_finish(entry) for entry in found.values()]


def _cohort(value: str, label: str | None, dates: list) -> dict:
    code_like = label is None or (len(label) <= 30 and " " not in label)
    entry = {"id": value if code_like else guess.identifier(value)[:40], "_dates": dates}
    entry["site"] = label.split(" - ")[0].strip() if label and " - " in label else "unknown"
    if label and not code_like:
        entry["labels"] = [label]
    return entry


def _finish(entry: dict) -> dict:
    """The cohort with its session date guessed as the median date of its responses in the
    first file it appears in (a stray preview or late reply does not move a median)."""
    dates = pd.Series(entry.pop("_dates"), dtype="datetime64[us]")
    entry["date"] = dates.median().date() if len(dates) else dt.date(2000, 1, 1)
    return {k: entry[k] for k in ("id", "site", "date", "labels") if k in entry}


def _dates(raw: RawExport, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series(pd.NaT, index=raw.frame.index)
    try:
        return parse_datetimes(raw.frame[column]).values
    except ValueError:
        return pd.Series(pd.NaT, index=raw.frame.index)


__all__ = ["ReadOptions", "Scaffold", "read_export", "scaffold"]
