"""manifest.json: what the pipeline should find, from a re-read of the written exports (file
counts, people and links per programme, effect targets against realised values).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from pipeline.config import LoadedConfig, Programme, ProjectConfig
from pipeline.instruments import Instrument

from .build import Built, classify_source
from .effects import paired_stats, score_scale
from .linkage import links
from .model import leaf_scales
from .programmes import cohort_id, target_of
from .rules import Outcome
from .settings import BASELINE, FOLLOWUP, POST, SEED, TOLERANCE, WAVES


def file_counts(outcomes: list[Outcome]) -> dict:
    """The manifest's per-file counts."""

    def by_reason(status: str) -> dict[str, int]:
        return dict(sorted(Counter(o.reason for o in outcomes if o.status == status).items()))

    return {
        "rows_in": len(outcomes),
        "rows_loaded": sum(o.status == "loaded" for o in outcomes),
        "rows_excluded": by_reason("excluded"),
        "rows_quarantined": by_reason("quarantined"),
    }


def audit(
    out_dir: Path, instruments: dict[str, Instrument], loaded: LoadedConfig
) -> tuple[dict, dict, dict]:
    """Read the written exports back and derive the manifest's file, programme and effect parts."""
    config = loaded.config
    files, programmes, effects = {}, {}, {}
    for programme in config.programmes:
        outcomes = {}
        for source in (s for s in config.sources if s.programme == programme.id):
            path = source.path.as_posix()
            outcomes[source.wave] = classify_source(
                loaded, path, (out_dir / path).read_bytes(), instruments
            )
            files[path] = file_counts(outcomes[source.wave])
        typed = links(outcomes)
        pairs = {w: [(a, b) for a, b, _ in typed[w]] for w in (POST, FOLLOWUP)}
        programmes[programme.id] = {"pairs": pairs, "typed": typed, "outcomes": outcomes}
        effects[programme.id] = scored_effects(programme, instruments, config, outcomes, pairs)
    return files, programmes, effects


def scored_effects(
    programme: Programme,
    instruments: dict[str, Instrument],
    config: ProjectConfig,
    outcomes: dict[str, list[Outcome]],
    pairs: dict[str, list[tuple[int, int]]],
) -> dict:
    """Realised paired statistics of every scale and comparison, from the re-read exports."""
    survey = config.surveys[next(s.survey for s in config.sources if s.programme == programme.id)]
    item_ids = list(survey.items.values())
    result: dict = {}
    for wave, wave_pairs in pairs.items():
        pre = np.array([outcomes[BASELINE][a].codes for a, _ in wave_pairs])
        post = np.array([outcomes[wave][b].codes for _, b in wave_pairs])
        for name in programme.instruments:
            instrument = instruments[name]
            for scale in instrument.scales:
                cols = [item_ids.index(i) for i in scale.items]
                stats = paired_stats(
                    score_scale(pre[:, cols], instrument, scale),
                    score_scale(post[:, cols], instrument, scale),
                )
                result.setdefault(name, {}).setdefault(scale.id, {})[wave] = stats
    return result


def rounded(value: float, places: int = 4) -> float:
    """Round for the manifest (and turn -0.0 into 0.0)."""
    return round(value, places) + 0.0


def manifest(
    built: list[Built],
    files: dict,
    programmes: dict,
    effects: dict,
    instruments: dict[str, Instrument],
) -> dict:
    """The manifest: per-file counts, per-programme people and links, effect targets vs realised."""
    progs, eff = {}, {}
    for b in built:
        spec, audit_ = b.spec, programmes[b.spec.id]
        progs[spec.id] = programme_summary(b, audit_)
        eff[spec.id] = {}
        for name in spec.instruments:
            leaves = {s.id for s in leaf_scales(instruments[name])}
            for scale in instruments[name].scales:
                entry = {"calibrated": scale.id in leaves}
                for wave in (POST, FOLLOWUP):
                    stats = effects[spec.id][name][scale.id][wave]
                    target = target_of(spec, name, scale.id, wave)
                    memory = b.realised[(name, scale.id, wave)]
                    if (
                        abs(memory["dz"] - stats["dz"]) > 1e-9
                        or memory["n_pairs"] != stats["n_pairs"]
                    ):
                        raise AssertionError(f"{spec.id} {name}.{scale.id} {wave}: re-read differs")
                    if abs(stats["dz"] - target) > TOLERANCE:
                        raise AssertionError(
                            f"{spec.id} {name}.{scale.id} {wave}: realised d_z {stats['dz']:.3f} "
                            f"is not within {TOLERANCE} of the target {target}"
                        )
                    entry[wave] = {
                        "target_dz": target,
                        "realised_dz": rounded(stats["dz"]),
                        "realised_r": rounded(stats["r"]),
                        **{
                            k: (v if k == "n_pairs" else rounded(v))
                            for k, v in stats.items()
                            if k not in ("dz", "r")
                        },
                    }
                eff[spec.id].setdefault(name, {})[scale.id] = entry
    return {
        "about": (
            "What the pipeline should find in the sample exports. Generated by generate.py from "
            "a re-read of the exports with the pipeline's published row rules; all people are "
            "fictional."
        ),
        "seed": SEED,
        "definitions": DEFINITIONS,
        "tolerance_dz": TOLERANCE,
        "files": files,
        "programmes": progs,
        "effects": eff,
    }


DEFINITIONS = {
    "rows_in": "data rows of the file (header rows not counted); rows_in = rows_loaded + "
    "sum(rows_excluded) + sum(rows_quarantined)",
    "participants": "fictional people who attended a cohort's session (each was asked to "
    "complete every wave)",
    "loaded": "loaded responses per wave",
    "linked_pairs": "pre responses linked to a post / followup response by the pipeline's "
    "linkage rules: both loaded, same programme and cohort, one to one; an identical normalised "
    "SGIC code (pipeline.sgic.normalise_code), else, among the rows still unlinked, codes that "
    "differ in exactly one element when the pair is the only candidate on both sides",
    "linked_by_match_type": "linked_pairs split by match type: exact (identical code) and "
    "one_element (codes one element apart, unique on both sides)",
    "false_links": "linked pairs whose two responses belong to different fictional people "
    "(the generator knows who answered each row); 0 means linkage precision 1.0",
    "distinct_codes_loaded": "distinct (cohort, normalised SGIC) among loaded responses of all "
    "waves; SGIC typos make one person count twice",
    "realised_dz": "mean(wave score - pre score) / SD(change) over linked pairs where both scale "
    "scores exist, scored as the pipeline does (reverse keys, rescaling, missing-item rule); "
    "signed on the scale's own direction (ucla3: negative = less lonely)",
    "realised_r": "Pearson correlation of pre and wave scale scores over the same pairs",
    "attrition": "share of participants with no response at all (not even an incomplete one) "
    "at the wave",
    "typo_pairs": "people whose pre and wave responses are both loaded but whose wave SGIC "
    "has one element answered differently, so exact linkage misses them",
    "typo_unlinked": "of typo_pairs, people the linkage rules still do not link (another "
    "unlinked code in the cohort is one element away too, so the pair is ambiguous)",
    "calibrated": "true: the generator tunes this scale's wave shift to the target; false: a "
    "composite scale whose d_z follows from its subscales and is only checked",
}


def programme_summary(b: Built, audit_: dict) -> dict:
    """Participants, cohorts, loaded responses, linked pairs and attrition, also by cohort."""
    spec, outcomes, pairs = b.spec, audit_["outcomes"], audit_["pairs"]
    ids = [cohort_id(spec, c) for c in spec.cohorts]
    loaded = {w: [o for o in outcomes[w] if o.status == "loaded"] for w in WAVES}
    codes = {(o.cohort, o.code) for w in WAVES for o in loaded[w] if o.code}
    by_cohort = {}
    for c, cid in enumerate(ids):
        by_cohort[cid] = {
            "site": spec.cohorts[c].site,
            "date": spec.cohorts[c].date.isoformat(),
            "participants": sum(p.cohort == c for p in b.people),
            "loaded": {w: sum(o.cohort == cid for o in loaded[w]) for w in WAVES},
            "linked_pairs": {
                w: sum(outcomes[BASELINE][a].cohort == cid for a, _ in pairs[w]) for w in pairs
            },
        }
    responded = {
        w: {r.person for r in b.rows if r.wave == w and r.person is not None}
        for w in (POST, FOLLOWUP)
    }
    typed = audit_["typed"]
    typos = {w: typo_people(b, outcomes, w) for w in (POST, FOLLOWUP)}
    linked_people = {w: linked_persons(b, w, pairs[w]) for w in pairs}
    return {
        "participants": len(b.people),
        "cohorts": len(spec.cohorts),
        "loaded": {w: len(loaded[w]) for w in WAVES},
        "linked_pairs": {w: len(p) for w, p in pairs.items()},
        "linked_by_match_type": {
            w: {m: sum(kind == m for *_, kind in typed[w]) for m in ("exact", "one_element")}
            for w in typed
        },
        "false_links": {w: false_links(b, w, pairs[w]) for w in pairs},
        "distinct_codes_loaded": len(codes),
        "typo_pairs": {w: len(typos[w]) for w in typos},
        "typo_unlinked": {w: len(typos[w] - linked_people[w]) for w in typos},
        "attrition": {w: rounded(1 - len(responded[w]) / len(b.people), 3) for w in responded},
        "by_cohort": by_cohort,
    }


def linked_persons(b: Built, wave: str, pairs: list[tuple[int, int]]) -> set[int | None]:
    """The people of the `wave` rows of correctly linked pairs."""
    return {
        b.order[wave][w].person
        for a, w in pairs
        if b.order[BASELINE][a].person == b.order[wave][w].person
    }


def false_links(b: Built, wave: str, pairs: list[tuple[int, int]]) -> int:
    """Linked pairs whose rows belong to two different people (or to nobody: previews)."""
    return sum(
        b.order[BASELINE][a].person is None
        or b.order[BASELINE][a].person != b.order[wave][w].person
        for a, w in pairs
    )


def typo_people(b: Built, outcomes: dict[str, list[Outcome]], wave: str) -> set[int]:
    """People whose pre and `wave` responses are both loaded but whose `wave` SGIC has a typo
    (one element differs), so exact matching cannot link them."""

    def loaded_people(w: str, typo: bool) -> set[int]:
        return {
            row.person
            for row, o in zip(b.order[w], outcomes[w], strict=True)
            if o.status == "loaded" and row.typo == typo and row.person is not None
        }

    return loaded_people(BASELINE, False) & loaded_people(wave, True)
