"""The words SGIC answers are read with: month names, "don't know" phrases and number words,
in the languages surveys are most often run in here (English, French, Spanish, German, Italian,
Portuguese, Dutch and Welsh). Every word is listed without diacritics, as answers are compared
after `pipeline.sgic.elements` removes them.
"""

from __future__ import annotations

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
