"""Self-generated identification codes (SGIC): normalising the answers a participant gives at
every wave ("first letter of your mother's first name", "month you were born", ...), so that
harmless differences (case, spaces, "3" vs "03" vs "March", "two" vs "2") do not break pre/post
linkage, and building what one-element (fuzzy) linkage compares.

Only keyed digests are ever stored (pipeline.anonymise): of the full normalised code, and of
each leave-one-element-out variant of it (the code with element i replaced by a placeholder,
plus the declared stable covariates). Two codes that differ in exactly one element share
exactly one variant, so one-element matching never needs the answers themselves, which are
dropped before anything is written.

Reference: privacy-and-reliability.md sections 2.3 (normalise each element: NFKC, case-fold,
strip whitespace and diacritics, month names to 01-12, digit words to digits, "don't know" and
blank to a sentinel; reject a code with more than one element missing) and 2.4 (leave-one-out
digests).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

ASCII_DIGITS = re.compile(r"[0-9]+")
WHOLE_NUMBER = re.compile(r"([0-9]+)(?:\.0*)?")  # "2" or "2.0" (a spreadsheet's number)
SgicStatus = Literal["ok", "missing", "invalid"]
MASK = "*"  # the placeholder of the left-out element in a leave-one-out variant
# A variant of a code with fewer elements would rest on one or two answers: too weak to link.
MIN_ELEMENTS_FOR_VARIANTS = 3
FIRST_YEAR, LAST_YEAR = 1900, 2100

# Month names and abbreviations (diacritics removed, as _plain removes them) in the languages
# surveys are most often run in here: English, French, Spanish, German, Italian, Portuguese,
# Dutch and Welsh. No name means two different months in two languages.
MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    (
        "january",
        "jan",
        "janvier",
        "janv",
        "enero",
        "ene",
        "januar",
        "gennaio",
        "gen",
        "janeiro",
        "januari",
        "ionawr",
    ),
    (
        "february",
        "feb",
        "fevrier",
        "fevr",
        "febrero",
        "februar",
        "febbraio",
        "fevereiro",
        "fev",
        "februari",
        "chwefror",
    ),
    ("march", "mar", "mars", "marzo", "marz", "maerz", "marco", "maart", "mawrth"),
    ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "ebrill"),
    ("may", "mai", "mayo", "maggio", "mag", "maio", "mei"),
    ("june", "jun", "juin", "junio", "juni", "giugno", "giu", "junho", "mehefin"),
    ("july", "jul", "juillet", "juil", "julio", "juli", "luglio", "lug", "julho", "gorffennaf"),
    ("august", "aug", "aout", "agosto", "ago", "augustus", "awst"),
    ("september", "sep", "sept", "septembre", "septiembre", "settembre", "set", "setembro", "medi"),
    (
        "october",
        "oct",
        "octobre",
        "octubre",
        "oktober",
        "okt",
        "ottobre",
        "ott",
        "outubro",
        "out",
        "hydref",
    ),
    ("november", "nov", "novembre", "noviembre", "novembro", "tachwedd"),
    (
        "december",
        "dec",
        "decembre",
        "diciembre",
        "dic",
        "dezember",
        "dez",
        "dicembre",
        "dezembro",
        "rhagfyr",
    ),
)
MONTHS = {name: number for number, names in enumerate(MONTH_NAMES, start=1) for name in names}
assert len(MONTHS) == sum(len(names) for names in MONTH_NAMES), "a month name is listed twice"


# Answers that mean "no answer" for any element (compared after `answer_key`): English, French,
# Spanish, German, Italian, Dutch, Portuguese and Welsh. A survey adds its own with `missing:`.
DONT_KNOW = frozenset(
    {
        "dont know",
        "do not know",
        "dunno",
        "not sure",
        "unsure",
        "unknown",
        "dk",
        "n/a",
        "?",
        "??",
        "-",
        "--",
        "prefer not to say",
        "rather not say",
        "je ne sais pas",
        "ne sais pas",
        "sais pas",
        "no se",
        "no lo se",
        "weiss nicht",
        "keine ahnung",
        "non so",
        "weet niet",
        "weet ik niet",
        "nao sei",
        "ddim yn gwybod",
    }
)

# Whole numbers written as words (diacritics removed), for `number` elements ("how many older
# brothers or sisters": "two", "deux", "none"), in the languages of MONTH_NAMES. No word means
# two different numbers.
NUMBER_NAMES: tuple[tuple[str, ...], ...] = (
    (
        "zero",
        "none",
        "nought",
        "aucun",
        "aucune",
        "cero",
        "ninguno",
        "ninguna",
        "keine",
        "keiner",
        "nessuno",
        "nessuna",
        "nul",
        "geen",
        "nenhum",
        "nenhuma",
        "dim",
    ),
    ("one", "un", "une", "uno", "una", "eins", "ein", "eine", "een", "um"),
    ("two", "deux", "dos", "zwei", "due", "twee", "dois", "duas", "dau", "dwy"),
    ("three", "trois", "tres", "drei", "tre", "drie", "tri", "tair"),
    ("four", "quatre", "cuatro", "vier", "quattro", "quatro", "pedwar", "pedair"),
    ("five", "cinq", "cinco", "funf", "fuenf", "cinque", "vijf", "pump"),
    ("six", "seis", "sechs", "sei", "zes", "chwech"),
    ("seven", "sept", "siete", "sieben", "sette", "zeven", "sete", "saith"),
    ("eight", "huit", "ocho", "acht", "otto", "oito", "wyth"),
    ("nine", "neuf", "nueve", "neun", "nove", "negen", "naw"),
    ("ten", "dix", "diez", "zehn", "dieci", "tien", "dez", "deg"),
    ("eleven",),
    ("twelve",),
    ("thirteen",),
    ("fourteen",),
    ("fifteen",),
    ("sixteen",),
    ("seventeen",),
    ("eighteen",),
    ("nineteen",),
    ("twenty",),
)
NUMBER_WORDS = {name: number for number, names in enumerate(NUMBER_NAMES) for name in names}
assert len(NUMBER_WORDS) == sum(map(len, NUMBER_NAMES)), "a number word is listed twice"


@dataclass(frozen=True)
class ElementRule:
    """How one element (or stable covariate) is normalised: its kind and options.

    - kind: `letter` (the first `letters` letters of the answer), `month` (01-12 from a number
      or a month name), `number` (a whole number >= 0, digits or words), `year` (a four-digit
      year, optionally cut to a `band` of years: 1987 with band 5 -> 1985), `text` (the whole
      answer, letters and digits only: "Non-binary" -> "nonbinary").
    - missing: more answers that mean "no answer" (besides DONT_KNOW and a blank).
    - values: answers to read as another answer first ({"f": "female", "w": "female"}).
    """

    kind: str
    letters: int = 1
    band: int | None = None
    missing: frozenset[str] = frozenset()
    values: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, spec: Any) -> ElementRule:
        """The rule of a kind name ("letter") or of a config element (pipeline.config's
        SgicElement: kind, letters, band, missing, values)."""
        if isinstance(spec, ElementRule):
            return spec
        if isinstance(spec, str):
            return cls(spec)
        return cls(
            kind=spec.kind,
            letters=getattr(spec, "letters", 1) or 1,
            band=getattr(spec, "band", None),
            missing=frozenset(answer_key(_plain(m)) for m in getattr(spec, "missing", ())),
            values={
                answer_key(_plain(k)): v for k, v in (getattr(spec, "values", None) or {}).items()
            },
        )


def _plain(text: str) -> str:
    """NFKC, case-folded, diacritics removed, surrounding whitespace stripped."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.strip().casefold()


def answer_key(plain: str) -> str:
    """A plain answer as compared with "don't know" phrases and `values`: apostrophes and a
    trailing full stop dropped, runs of whitespace made one space."""
    text = re.sub(r"['\u2019\u2018`\u00b4]", "", plain)
    return re.sub(r"\s+", " ", text).strip().rstrip(".").strip()


def _whole(text: str) -> int | None:
    match = WHOLE_NUMBER.fullmatch(text)
    return int(match.group(1)) if match else None


def normalise_element(value: Any, kind: Any) -> str | None:
    """Canonical form of one SGIC answer: "" when it is blank or means "don't know", None when
    it is unusable. `kind` is a kind name or a config element with options (ElementRule.of).

    - letter: the first `letters` letters (default 1) once spaces and punctuation are dropped,
      each a-z after diacritics are removed ("Kate" -> "k", "É" -> "e", "O'Neill" -> "on"
      with 2 letters); a digit or another script is invalid.
    - month: 1-12, "01"-"12" or a month name or abbreviation (MONTH_NAMES) -> "01".."12".
    - number: a whole number >= 0, as digits or a word ("02", "two", "deux", "none" -> "2",
      "2", "2", "0").
    - year: a year 1900-2100 ("1987"), cut to its band when one is set.
    - text: the answer's letters and digits ("Non-binary" -> "nonbinary").

    Returns "" for a blank answer and None for an invalid one, so callers can tell them apart.
    """
    rule = ElementRule.of(kind)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = _plain(value if isinstance(value, str) else str(value))
    key = answer_key(text)
    if not key or key in DONT_KNOW or key in rule.missing:
        return ""
    if key in rule.values:
        text = _plain(rule.values[key])
        key = answer_key(text)
        if not key:
            return ""
    return _by_kind(text, key, rule)


def _by_kind(text: str, key: str, rule: ElementRule) -> str | None:
    if rule.kind == "letter":
        chars = [ch for ch in text if ch.isalnum()][: rule.letters]
        ok = chars and all("a" <= ch <= "z" for ch in chars)
        return "".join(chars) if ok else None
    if rule.kind == "month":
        number = _whole(key)
        if number is not None:
            return f"{number:02d}" if 1 <= number <= 12 else None
        month = MONTHS.get(key)
        return f"{month:02d}" if month else None
    if rule.kind == "number":
        # only ASCII digits: str.isdigit() accepts digits such as U+1369 that int() rejects
        number = _whole(key)
        if number is None:
            number = NUMBER_WORDS.get(key)
        return None if number is None else str(number)
    if rule.kind == "year":
        year = _whole(key)
        if year is None or len(key.split(".")[0]) != 4 or not FIRST_YEAR <= year <= LAST_YEAR:
            return None
        return str(year - year % rule.band) if rule.band else str(year)
    if rule.kind == "text":
        kept = "".join(ch for ch in text if ch.isalnum())
        return kept or None
    raise ValueError(f"unknown SGIC element kind: {rule.kind}")


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
    suffix = _covariate_suffix([_name(c) for c in covariates], covs)  # type: ignore[arg-type]
    positions = bad or range(len(parts))
    return {
        n + 1: "|".join(MASK if m == n else p for m, p in enumerate(parts)) + suffix  # type: ignore[misc]
        for n in positions
    }


def _name(spec: Any) -> str:
    return spec if isinstance(spec, str) else spec.name


def _covariate_suffix(names: Sequence[str], parts: Sequence[str]) -> str:
    if not names:
        return ""
    return "|covariates|" + "|".join(f"{n}={p}" for n, p in zip(names, parts, strict=True))


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
        [_name(c) for c in covariates],
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
