"""Free-text comments: most rows have none; some name a facilitator, an e-mail or a phone."""

from __future__ import annotations

import numpy as np

from .people import Person
from .programmes import ProgrammeSpec
from .rows import Row
from .settings import BASELINE, FOLLOWUP, POST

COMMENT_RATE = {BASELINE: 0.12, POST: 0.3, FOLLOWUP: 0.2}
FACILITATORS = ("Dev", "Marisol", "Callum Reid", "Joanne", "Sam Achebe", "Mr Daniels", "Ms Harper")
COMMENTS = {
    "workplace": {
        BASELINE: (
            "Looking forward to it.",
            "My manager asked me to come.",
            "Not sure what to expect, to be honest.",
            "Had a rough year, hoping this helps me support my team.",
            "Can we get the slides afterwards? Send them to {email}",
        ),
        POST: (
            "Hearing {facilitator}'s story made it real for me. Thank you.",
            "Really useful - would like a follow-up session for line managers.",
            "Too short, we only scratched the surface.",
            "Good session. Could HR send the slides to me at {email}?",
            "The speaker was brave and honest, I'll remember it.",
            "I didn't think I needed this but I was wrong.",
            "Room was too hot, otherwise great.",
            "Please can someone contact me about the champions scheme? {phone}",
            "Two things:\n1. more time for questions\n2. something on menopause and mental health",
            'Best "training" I\'ve been sent on in years.',
        ),
        FOLLOWUP: (
            "I've had two conversations with colleagues since the workshop.",
            "Honestly I've forgotten most of it.",
            "The wellbeing champions network is working well at our site.",
            "Still think about what {facilitator} said.",
            "Used the signposting card when a colleague was struggling.",
        ),
    },
    "schools": {
        BASELINE: ("dunno", "is this going to be on a test", "ok", "why do we have to do this"),
        POST: (
            "it was good",
            "more videos please",
            "{facilitator} was funny",
            "can we do this again",
            "I liked the bit about how to talk to a friend",
            "my email is {email} if you need to ask me anything",
            "it was a bit boring tbh",
            "I didn't know anxiety was that common",
        ),
        FOLLOWUP: (
            "I remember the bit about talking to someone",
            "we should have more lessons like this",
            "I told my mum about it",
            "no",
        ),
    },
    "peer_support": {
        BASELINE: (
            "Nervous about coming but here now.",
            "A friend told me about the group.",
            "My care coordinator suggested it.",
        ),
        POST: (
            "Felt understood for the first time in ages.",
            "Thanks to {facilitator}, the facilitator, for making it feel safe.",
            "Would be good to have the group closer to the bus station.",
            "Can someone text me about next week? {phone}",
            "I came close to not coming tonight.\nGlad I did.",
            "Café afterwards was a nice touch - diolch!",
        ),
        FOLLOWUP: (
            "Still in touch with two people from the group.",
            "Things have been hard again lately.",
            "Met up with {facilitator} for coffee, that helped.",
            "Please email me at {email} about the next group.",
        ),
    },
}


def comment_for(
    spec: ProgrammeSpec, row: Row, people: list[Person], rng: np.random.Generator
) -> str:
    """A free-text comment (most rows have none); some name a facilitator, e-mail or phone."""
    if row.person is None or row.kind == "incomplete" or rng.random() >= COMMENT_RATE[row.wave]:
        return ""
    options = COMMENTS[spec.id][row.wave]
    text = options[int(rng.integers(len(options)))]
    return text.format(
        email=people[row.person].email,
        facilitator=FACILITATORS[int(rng.integers(len(FACILITATORS)))],
        phone=f"07700 900{int(rng.integers(0, 1000)):03d}",
    )
