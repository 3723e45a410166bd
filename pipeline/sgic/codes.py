"""One participant's code: the normalised elements joined ("k|03|p|2") with its status, and its
leave-one-element-out variants for one-element (fuzzy) linkage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pipeline.sgic.elements import normalise_element

SgicStatus = Literal["ok", "missing", "invalid"]
MASK = "*"  # the placeholder of the left-out element in a leave-one-out variant
# A variant of a code with fewer elements would rest on one or two answers: too weak to link.
MIN_ELEMENTS_FOR_VARIANTS = 3


def _status(parts: Sequence[str | None]) -> SgicStatus:
    if any(part is None for part in parts):
        return "invalid"
    if any(part == "" for part in parts):
        return "missing"
    return "ok"


def normalise_code(values: Sequence[Any], kinds: Sequence[Any]) -> tuple[str | None, SgicStatus]:
    """The normalised code ("k|03|p|2") and its status.

    The status is "invalid" when any element is unusable and "missing" when any element is
    blank; only an "ok" code is returned, because a partial code would link strangers (a code
    with one element missing can still link through its leave-one-out variant, `masked_codes`).
    """
    parts = [normalise_element(v, k) for v, k in zip(values, kinds, strict=True)]
    status = _status(parts)
    return ("|".join(parts) if status == "ok" else None), status  # type: ignore[arg-type]


def masked_codes(
    values: Sequence[Any],
    elements: Sequence[Any],
    covariate_values: Sequence[Any] = (),
    covariates: Sequence[Any] = (),
) -> dict[int, str]:
    """The leave-one-element-out variants of one code: {position (1-based): text}, the text
    being the normalised code with that element replaced by MASK, followed by the normalised
    stable covariates ("k|*|p|2" or "k|*|p|2|covariates|gender=f").

    Every position has a variant when every element is usable; when exactly one element is
    blank or unusable, only that position has one (the code is then compared on the others);
    with two or more, or any covariate blank or unusable, or fewer than
    MIN_ELEMENTS_FOR_VARIANTS elements, there are none.
    """
    parts = [normalise_element(v, k) for v, k in zip(values, elements, strict=True)]
    covs = [normalise_element(v, k) for v, k in zip(covariate_values, covariates, strict=True)]
    bad = [n for n, part in enumerate(parts) if not part]
    if len(parts) < MIN_ELEMENTS_FOR_VARIANTS or len(bad) > 1 or not all(covs):
        return {}
    suffix = _covariate_suffix([element_name(c) for c in covariates], covs)  # type: ignore[arg-type]
    positions = bad or range(len(parts))
    return {
        n + 1: "|".join(MASK if m == n else p for m, p in enumerate(parts)) + suffix  # type: ignore[misc]
        for n in positions
    }


def element_name(spec: Any) -> str:
    return spec if isinstance(spec, str) else spec.name


def _covariate_suffix(names: Sequence[str], parts: Sequence[str]) -> str:
    if not names:
        return ""
    return "|covariates|" + "|".join(f"{n}={p}" for n, p in zip(names, parts, strict=True))
