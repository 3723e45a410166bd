"""Files that are not UTF-8: `charset-normalizer` ranks a short list of legacy codecs that Excel
and other tools write (Windows-1252 first), and one is accepted only when the text looks clean.

A guessed codec comes with a confidence: charset-normalizer's own (1 - its "mess" ratio, what
its chardet-compatible `detect()` reports; its language-coherence score is 0 on the short
samples survey exports give, so it cannot rank codecs here), capped at 0.5 when another codec
fits as cleanly but reads some characters differently. A guess always warns `encoding_guessed`
with the way to declare the encoding.
"""

from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline.ingest.decoded import Decoded, canonical
from pipeline.ingest.encoding_damage import mojibake_warnings
from pipeline.ingest.errors import IngestError

# Legacy codecs in order of preference: when two decode the sample equally cleanly (Western
# text reads the same in cp1252 and cp1250 unless it uses the letters where they differ), the
# earlier one wins. Excel's "CSV (Comma delimited)" writes the system ANSI code page.
LEGACY_CODECS: tuple[str, ...] = (
    "cp1252",
    "gb18030",
    "cp1250",
    "cp1251",
    "big5",
    "cp932",
    "cp949",
    "mac_roman",
    "cp1253",
    "cp1254",
    "cp1257",
    "latin_1",
)
MAX_CHAOS = 0.10  # charset-normalizer "mess" ratio above which a decoding is not accepted
CHAOS_TIE = 0.01
LEGACY_SAMPLE_BYTES = 256 * 1024
VALID_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
HIGH_BYTES = bytes(range(0x80, 0x100))
HIGH_BYTE = re.compile(rb"[\x80-\xff]")
LINE_END = re.compile(rb"[\r\n]")
RIVAL_CONFIDENCE = 0.5  # an equally clean codec reads the text differently: a coin toss


def mostly_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8 sequences (so the rest is corruption).

    Called on the sample of non-ASCII lines, which is enough to tell UTF-8 from legacy text.
    """
    high = len(data) - len(data.translate(None, HIGH_BYTES))
    matches = VALID_UTF8_MULTIBYTE.findall(data)
    valid = sum(len(m) for m in matches)
    return len(matches) >= 3 and valid >= 0.9 * high


def non_ascii_lines(data: bytes, limit: int = LEGACY_SAMPLE_BYTES) -> bytes:
    """The physical lines that hold non-ASCII bytes, joined by LF, up to about `limit` bytes."""
    picked: list[bytes] = []
    size = position = 0
    while size < limit:
        found = HIGH_BYTE.search(data, position)
        if found is None:
            break
        at = found.start()
        # `position` is 0 or the line break ending the previous picked line
        start = max(data.rfind(b"\n", position, at), data.rfind(b"\r", position, at)) + 1
        line_end = LINE_END.search(data, found.end())
        position = line_end.start() if line_end else len(data)
        picked.append(data[start:position])
        size += position - start + 1
    return b"\n".join(picked)


def rank_legacy(sample: bytes) -> list[tuple[float, str]]:
    """(chaos, codec) for each legacy codec that decodes `sample` and looks clean, best first.

    Lower chaos is better; within `CHAOS_TIE` of the best, `LEGACY_CODECS` order decides.
    """
    candidates = []
    for codec in LEGACY_CODECS:
        try:
            sample.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append(codec)
    if not candidates:
        return []
    chaos: dict[str, float] = {}
    for match in from_bytes(sample, cp_isolation=candidates, preemptive_behaviour=False):
        for codec in (match.encoding, *match.could_be_from_charset):
            name = canonical(codec)
            chaos[name] = min(chaos.get(name, 1.0), match.chaos)
    scored = [(chaos[canonical(c)], c) for c in candidates if canonical(c) in chaos]
    scored = [(mess, codec) for mess, codec in scored if mess <= MAX_CHAOS]
    if not scored:
        return []
    best = min(mess for mess, _ in scored)
    tied = [item for item in scored if item[0] <= best + CHAOS_TIE]
    rest = sorted(item for item in scored if item[0] > best + CHAOS_TIE)
    return tied + rest


def rivals(sample: bytes, chosen: str, ranked: list[tuple[float, str]]) -> list[str]:
    """Codecs that fit `sample` as well as `chosen` but would read it as different text."""
    best = min(mess for mess, _ in ranked)
    text = sample.decode(chosen)
    return [
        canonical(codec)
        for mess, codec in ranked
        if codec != chosen and mess <= best + CHAOS_TIE and sample.decode(codec) != text
    ]


def decode_legacy(data: bytes, sample: bytes, path: Path) -> Decoded:
    """Decode a file that is not UTF-8 with the best-ranked legacy codec, or fail.

    When an equally clean codec would read some characters differently (cp1252 and cp1254
    differ only in six letters), the file is still read, with a warning naming the rivals.
    """
    ranked = rank_legacy(sample)
    for chaos, codec in ranked:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        others = rivals(sample, codec, ranked)
        confidence = round(1.0 - chaos, 3)
        if others:
            confidence = min(confidence, RIVAL_CONFIDENCE)
        warning = (
            f"encoding_guessed: the file is not UTF-8; it was decoded as {canonical(codec)}, "
            f"a guess (confidence {confidence:.2f})"
        )
        if others:
            warning += (
                f", first in Ripple's order of preference among equally clean candidates: "
                f"{', '.join(others[:3])} would read some non-ASCII characters differently"
            )
        warning += (
            "; check the non-ASCII text, and declare the encoding with `encoding: "
            f"{canonical(codec)}` (or the right one) on the source in ripple.yml"
        )
        warnings = (*mojibake_warnings(text), warning)
        return Decoded(text, canonical(codec), "detected", warnings, confidence)
    raise IngestError(
        path,
        "encoding_undetermined",
        "the file is not UTF-8 and no legacy encoding (Windows-1252, GB18030, ...) decodes it "
        "cleanly; re-save the export as 'CSV UTF-8 (Comma delimited)', or name its encoding "
        "explicitly",
    )
