"""The same rules as `pipeline.sgic.codes`, vectorised over whole columns of answers: each
distinct answer is normalised once and each distinct combination joined once, so a large export
costs little more than its distinct answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pipeline.sgic.codes import MASK, MIN_ELEMENTS_FOR_VARIANTS, element_name
from pipeline.sgic.elements import ElementRule, normalise_element


def _normalised(column: pd.Series, spec: Any) -> pd.Series:
    """One element's column, each distinct answer normalised once (vectorised over rows)."""
    from pipeline.ingest.answers import map_distinct  # local: ingest imports this module

    rule = ElementRule.of(spec)
    blank = column.astype("object").where(column.notna(), "")
    return map_distinct(blank, lambda v: normalise_element(v, rule))


def normalise_elements(
    columns: Sequence[pd.Series], kinds: Sequence[Any], index: pd.Index
) -> tuple[pd.Series, pd.Series]:
    """(code, status) per row for whole columns of SGIC answers, vectorised: each distinct
    answer of each element is normalised once, then the elements are combined column-wise.
    The same rules as `normalise_code`; with no SGIC configured, every code is None and every
    status "missing"."""
    fields = code_fields(columns, kinds, index)
    return fields["sgic_code"], fields["sgic_status"]


def code_fields(
    columns: Sequence[pd.Series],
    elements: Sequence[Any],
    index: pd.Index,
    covariate_columns: Sequence[pd.Series] = (),
    covariates: Sequence[Any] = (),
) -> dict[str, pd.Series]:
    """Per row, vectorised: `sgic_code` and `sgic_status` (as `normalise_code`) and
    `sgic_variant_<i>` for each position i (as `masked_codes`; None where the row has no
    variant i). `elements` and `covariates` are kind names or config elements.

    Each distinct answer is normalised once, and each distinct combination of normalised
    answers is joined into its code and variants once; rows share the resulting strings."""
    if not columns:
        return {
            "sgic_code": pd.Series(None, index=index, dtype="object"),
            "sgic_status": pd.Series("missing", index=index, dtype="object"),
        }
    parts = [_normalised(c, e) for c, e in zip(columns, elements, strict=True)]
    covs = [_normalised(c, e) for c, e in zip(covariate_columns, covariates, strict=True)]
    table = pd.DataFrame(
        {f"n{n}": p.fillna(UNUSABLE).to_numpy() for n, p in enumerate([*parts, *covs])}
    )
    rows, combinations = pd.factorize(pd.MultiIndex.from_frame(table))
    distinct = combinations.to_frame(index=False, name=list(table.columns))
    distinct = distinct.astype("object").where(distinct != UNUSABLE, None)
    fields = _combined(
        [distinct[f"n{n}"] for n in range(len(parts))],
        [distinct[f"n{len(parts) + n}"] for n in range(len(covs))],
        [element_name(c) for c in covariates],
    )
    return {
        name: pd.Series(values.to_numpy(dtype=object)[rows], index=index, dtype="object")
        for name, values in fields.items()
    }


# stands for an unusable (None) answer while combinations are factorised: no normalised answer
# holds "<" (they are letters and digits)
UNUSABLE = "<unusable>"


def _combined(
    parts: list[pd.Series], covs: list[pd.Series], names: list[str]
) -> dict[str, pd.Series]:
    """Code, status and variants of each combination of normalised answers (one per row)."""
    like = parts[0].index
    invalid = np.logical_or.reduce([p.isna().to_numpy() for p in parts])
    bad = np.stack([(p.isna() | (p == "")).to_numpy() for p in parts])  # elements x rows
    status = np.where(invalid, "invalid", np.where(bad.any(axis=0), "missing", "ok"))
    text = [p.fillna("").astype(str) for p in parts]
    code = _join(text)
    fields = {
        "sgic_code": pd.Series(
            np.where(status == "ok", code.to_numpy(dtype=object), None), dtype="object"
        ),
        "sgic_status": pd.Series(status, dtype="object"),
    }
    n_bad = bad.sum(axis=0)
    eligible = len(parts) >= MIN_ELEMENTS_FOR_VARIANTS
    cov_ok = np.logical_and.reduce([(c.notna() & (c != "")).to_numpy() for c in covs] or [True])
    suffix = pd.Series("", index=like, dtype=object)
    if covs:
        pieces = [f"{n}=" + c.fillna("").astype(str) for n, c in zip(names, covs, strict=True)]
        suffix = "|covariates|" + _join(pieces)
    for n in range(len(parts)):
        usable = eligible & cov_ok & ((n_bad == 0) | ((n_bad == 1) & bad[n]))
        masked = _join([MASK if m == n else t for m, t in enumerate(text)], like=like) + suffix
        fields[f"sgic_variant_{n + 1}"] = pd.Series(
            np.where(usable, masked.to_numpy(dtype=object), None), dtype="object"
        )
    return fields


def _join(parts: Iterable[pd.Series | str], like: pd.Index | None = None) -> pd.Series:
    """Join text columns (or constants) with "|", row by row, vectorised."""
    items = list(parts)
    out = items[0] if isinstance(items[0], pd.Series) else pd.Series(items[0], index=like)
    for part in items[1:]:
        out = out + "|" + part
    return out


def variant_columns(frame: pd.DataFrame) -> list[str]:
    """The `sgic_variant_<i>` columns of a coded frame, in position order."""
    found = [c for c in frame.columns if str(c).startswith("sgic_variant_")]
    return sorted(found, key=lambda c: int(str(c).rsplit("_", 1)[1]))
