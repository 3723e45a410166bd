"""How to read the dashboard: the suppression rule, what change can and cannot say, what
each number means, and what to do when there is nothing to show."""

from __future__ import annotations

from typing import Any


def suppression_rule(min_cell_size: int) -> str:
    """The suppression rule in words (Markdown)."""
    return (
        f"**Small groups are never shown.** Any result about fewer than **{min_cell_size} "
        'people** is hidden ("hidden: too few people"). A second result is hidden whenever '
        'it could be subtracted from others to work out a small group ("hidden: so that '
        'another small group cannot be worked out"), and a result that was hidden before '
        f'stays hidden until at least {min_cell_size} new people have joined it ("hidden: '
        'held until enough new people"). Values marked "as of an earlier update" are an '
        "earlier release's, kept because too few people joined since to publish new ones. "
        "Hidden results are never shown as zero, and this dashboard never adds groups up: "
        "totals, shares and pooled results are only ever those the extract publishes."
    )


def control_group_note() -> str:
    """What a before/after change can and cannot say without a control group (Markdown)."""
    return (
        "**What change can and cannot say without a control group.** A change from before to "
        "after shows that the people who took part scored differently afterwards. It cannot "
        "show that the programme caused it: people also change with time and news, with "
        "answering the same survey again (and wanting to please), and, when a group was "
        "chosen for low scores, through regression to the mean. Say \"participants' "
        'attitudes improved by ..." rather than "the programme reduced stigma by ...". '
        "Stronger claims need a comparison group (a waiting-list cohort, a matched group or a "
        "population survey). The comparison of cohorts (pooled effect, how much cohorts "
        "differ, whether later cohorts improve more) shows consistency, not causation."
    )


def glossary() -> list[tuple[str, str]]:
    """(term, meaning) for every number the dashboard shows."""
    return [
        ("Reached", "People who answered the first survey (before the workshop), per group."),
        (
            "Retained",
            "Of those, people whose answers were linked to a later survey: the "
            "people the paired change at that survey rests on. The percentage is of the people "
            "reached.",
        ),
        (
            "Linked pair",
            "One person's answers at two surveys, matched by a keyed digest of "
            "their self-generated code or platform id (never the code itself).",
        ),
        (
            "Average and change",
            "The mean score of the linked people at each survey, in the "
            "scale's own points (its range is shown beside it), and the change between them, "
            "signed so that + is always better. The change shown is the difference of the two "
            "rounded averages, so the numbers add up.",
        ),
        (
            "95% CI",
            "The confidence interval: the range of values that fit the data. When it "
            "includes 0, the data are also consistent with no change.",
        ),
        (
            "d_z",
            "The change divided by the spread of people's own changes. It is what the "
            "paired test rests on and grows as the two surveys' scores correlate, so it is "
            "often larger than the same change between two groups. It has no "
            "small/medium/large benchmark; the chart plots it because every outcome gets a CI "
            "on one common axis.",
        ),
        (
            "g_z",
            "d_z corrected for its upward bias in small groups: quote it for a cohort of "
            "10 or 20 people.",
        ),
        (
            "d_av",
            "The change divided by the spread of the scores themselves: on the scale of "
            "the between-group d of trials, so Cohen's 0.2 small / 0.5 medium / 0.8 large "
            'apply to it. The words "small", "medium" and "large" on this dashboard come '
            "from d_av.",
        ),
        (
            "Reliably improved",
            "The share of people whose own change is larger than "
            "measurement error could explain (Jacobson–Truax index beyond 1.96). A conservative "
            "count of individual change.",
        ),
        (
            "Attrition check",
            "Did the people who came back differ at the first survey from "
            "those who did not? If so (p < .05 or d_s of at least 0.2), the follow-up result "
            "describes the people who stayed, not everyone who took part.",
        ),
        (
            "Pooled and I²",
            "Cohorts' d_z combined by random effects (Hartung–Knapp interval); "
            "I² is the share of the variation between cohorts beyond chance.",
        ),
        (
            "Trend per year",
            "How much cohort d_z changes per year of cohort date; only called "
            "a trend when its CI excludes 0.",
        ),
        (
            "Cronbach's alpha, omega",
            "How consistently a scale's items measure one thing; "
            "below .70, read changes on that scale with caution.",
        ),
    ]


def missing_extract_message(path: Any, env_var: str = "RIPPLE_DASHBOARD_DB") -> str:
    """What to do when there is no extract to show."""
    if path is None:
        return (
            f"No dashboard extract found: the {env_var} environment variable is not set; "
            "run `ripple run` first, then start the dashboard with `ripple dashboard`."
        )
    return f"No dashboard extract found at {path}; run `ripple run` first."


def unreadable_extract_message(path: Any, missing: list[str] | None = None) -> str:
    """What to do when the file is there but is not a readable version-2 extract."""
    if missing:
        return (
            f"The file at {path} is not a Ripple dashboard extract of the version this "
            f"dashboard reads (missing tables: {', '.join(missing)}); run `ripple run` to "
            "rebuild it."
        )
    return (
        f"The dashboard extract at {path} could not be read. If `ripple run` is publishing a "
        "new extract, reload this page in a moment; otherwise run `ripple run` to rebuild it."
    )


def other_version_message(path: Any, version: int, expected: int) -> str:
    """What to do when the extract is of another version than the dashboard reads."""
    return (
        f"The dashboard extract at {path} is version {version}; this dashboard reads version "
        f"{expected}. Run `ripple run` with this version of Ripple to rebuild it."
    )


def page_error_message() -> str:
    """What a viewer sees instead of a traceback."""
    return (
        "Something went wrong while showing this page. If `ripple run` has just published "
        "new results, reload the page; if it happens again, ask the person who runs Ripple "
        "to look at the dashboard's log."
    )
