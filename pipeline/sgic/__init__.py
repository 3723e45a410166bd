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

The package, by concern: `vocabulary` (month names, "don't know" phrases, number words),
`elements` (one answer by its kind), `codes` (one code and its leave-one-out variants) and
`columns` (the same, vectorised over an export's columns). Every name is importable from
`pipeline.sgic` as before.
"""

from pipeline.sgic.codes import (
    MASK,
    MIN_ELEMENTS_FOR_VARIANTS,
    SgicStatus,
    masked_codes,
    normalise_code,
)
from pipeline.sgic.columns import UNUSABLE, code_fields, normalise_elements, variant_columns
from pipeline.sgic.elements import (
    ASCII_DIGITS,
    FIRST_YEAR,
    LAST_YEAR,
    WHOLE_NUMBER,
    ElementRule,
    answer_key,
    normalise_element,
)
from pipeline.sgic.vocabulary import DONT_KNOW, MONTH_NAMES, MONTHS, NUMBER_NAMES, NUMBER_WORDS

__all__ = [
    "ASCII_DIGITS",
    "DONT_KNOW",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MASK",
    "MIN_ELEMENTS_FOR_VARIANTS",
    "MONTHS",
    "MONTH_NAMES",
    "NUMBER_NAMES",
    "NUMBER_WORDS",
    "UNUSABLE",
    "WHOLE_NUMBER",
    "ElementRule",
    "SgicStatus",
    "answer_key",
    "code_fields",
    "masked_codes",
    "normalise_code",
    "normalise_element",
    "normalise_elements",
    "variant_columns",
]
