"""Quality flags: kept responses marked for the evaluator's judgement, never dropped.

`straight_lining`: the same answer to every answered item of an instrument whose answered
items include both reverse-keyed and plain ones (a respondent who agrees with a statement and
with its opposite), with at least `min_items` answered (the `careless` package's longstring
equal to the scale's length; privacy-and-reliability.md section 4, #25). `speeder` (when the
policy flags rather than excludes speeders): see pipeline.quality.speeders.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.instruments import Instrument

FLAGS = ("speeder", "straight_lining")


def numeric_codes(
    frame: pd.DataFrame, dont_know: pd.DataFrame, item_ids: list[str]
) -> pd.DataFrame:
    """The item answers as numbers: NaN where missing, not a number or "don't know"."""
    codes = pd.DataFrame({i: _numbers(frame[i]) for i in item_ids}, index=frame.index)
    if not dont_know.empty:
        codes = codes.mask(dont_know.reindex(columns=item_ids, fill_value=False).astype(bool))
    return codes.astype("float64")


def _numbers(tokens: pd.Series) -> np.ndarray:
    """Tokens as floats, converting each distinct token once (NaN where not a number)."""
    codes, uniques = pd.factorize(tokens, use_na_sentinel=True)
    numbers = pd.to_numeric(pd.Series(uniques, dtype="object"), errors="coerce")
    lookup = np.append(numbers.to_numpy(dtype="float64"), np.nan)
    return lookup[codes]


def instrument_items(item_ids: list[str], instruments: dict[str, Instrument]) -> dict:
    """Instrument -> (its mapped items, the reverse-keyed ones among them)."""
    found: dict[str, tuple[Instrument, list[str], set[str]]] = {}
    for instrument in instruments.values():
        mapped = [i for i in instrument.item_ids if i in item_ids]
        if mapped:
            reverse = {i.id for i in instrument.items if i.reverse and i.id in mapped}
            found[instrument.id] = (instrument, mapped, reverse)
    return found


def straight_lining(
    codes: pd.DataFrame, instruments: dict[str, Instrument], min_items: int
) -> pd.Series:
    """True where a row gives one answer to every answered item of an instrument that mixes
    reverse-keyed and plain items among them, with at least `min_items` answered."""
    flagged = pd.Series(False, index=codes.index)
    for _, mapped, reverse in instrument_items(list(codes.columns), instruments).values():
        plain = [i for i in mapped if i not in reverse]
        if not reverse or not plain:
            continue
        block = codes[mapped]
        answered = block.notna()
        same = block.max(axis=1) == block.min(axis=1)
        mixed = answered[sorted(reverse)].any(axis=1) & answered[plain].any(axis=1)
        flagged |= same & mixed & (answered.sum(axis=1) >= min_items)
    return flagged


def flag_lists(masks: dict[str, pd.Series], index: pd.Index) -> pd.Series:
    """One list of flag names per row (an empty list when none), from one mask per flag."""
    names = list(masks)
    bits = pd.Series(0, index=index, dtype="int64")
    for n, name in enumerate(names):
        bits += masks[name].reindex(index, fill_value=False).astype("int64") * (1 << n)
    combos = [[name for n, name in enumerate(names) if b >> n & 1] for b in range(2 ** len(names))]
    lists = pd.Series([*combos, None], dtype="object").to_numpy()[:-1]
    return pd.Series(lists[bits.to_numpy()], index=index, dtype="object")
