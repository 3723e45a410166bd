"""Turn an export's bytes into text, choosing the codec carefully and never guessing blindly.

Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); then UTF-16 without a mark is
recognised from its NUL-byte pattern; then strict UTF-8; then, only for files that are not
UTF-8, `charset-normalizer` ranks a short list of legacy codecs that Excel and other tools write
(Windows-1252 first). A legacy codec is accepted only when the decoded text looks clean, else
the file fails with `encoding_undetermined`. Nothing is ever decoded with `errors="replace"`.

A guessed codec comes with a confidence: charset-normalizer's own (1 - its "mess" ratio, what
its chardet-compatible `detect()` reports; its language-coherence score is 0 on the short
samples survey exports give, so it cannot rank codecs here), capped at 0.5 when another codec
fits as cleanly but reads some characters differently. A guess always warns `encoding_guessed`
with the way to declare the encoding.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline.ingest.errors import IngestError

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
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
LINE_BREAK = re.compile(rb"\r\n|\n|\r")
MOJIBAKE = re.compile("[ÂÃ][\u0080-\u00bf]|â€")
RIVAL_CONFIDENCE = 0.5  # an equally clean codec reads the text differently: a coin toss
# NUL bytes in a file that is not UTF-16: a few are damage and kept as data; a line holding more
# than this many control bytes (NUL, other C0 codes but tab and line breaks, DEL), or more NULs
# than MAX_NULS and this share of the bytes, make it a binary file.
MAX_CONTROL_PER_LINE = 3
MAX_NULS = 16
MAX_NUL_SHARE = 0.001
CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec that produced it, and how that codec was chosen."""

    text: str
    encoding: str
    source: str  # "bom" | "utf-8" | "utf-16-pattern" | "detected" | "override"
    warnings: tuple[str, ...] = ()
    confidence: float = 1.0  # below 1 only when the codec was guessed ("detected")


def canonical(codec: str) -> str:
    """Python's canonical codec name ('latin_1' -> 'iso8859-1', 'UTF8' -> 'utf-8')."""
    return codecs.lookup(codec).name


def line_of(data: bytes, offset: int) -> int:
    """1-based physical line number of a byte offset (counting CRLF, LF or CR breaks)."""
    return len(LINE_BREAK.findall(data, 0, offset)) + 1


def strict_decode(data: bytes, codec: str, path: Path, how: str) -> str:
    """Decode without replacement; an undecodable byte is an `invalid_encoding` error."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if canonical(codec) in ("utf-8", "utf-8-sig") else canonical(codec)
        skipped = codec == "utf-8-sig" and data.startswith(codecs.BOM_UTF8)
        offset = exc.start + (len(codecs.BOM_UTF8) if skipped else 0)
        place = f"byte {offset}"
        if not codec.startswith(("utf-16", "utf-32")):
            place += f" (line {line_of(data, offset)})"
        raise IngestError(
            path,
            "invalid_encoding",
            f"{how} says the file is {name}, but {place} is not valid {name}; re-save the "
            "export as 'CSV UTF-8'",
        ) from None
    except LookupError:
        raise IngestError(path, "invalid_encoding", f"unknown encoding '{codec}'") from None


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the NUL bytes fall where UTF-16 puts them for ASCII text."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    half = len(sample) // 2
    if half < 2:
        return None
    zeros_even = sample[0::2].count(0) / half
    zeros_odd = sample[1::2].count(0) / half
    if zeros_odd > 0.6 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.6 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


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


def mojibake_count(text: str) -> int:
    """How many sequences like 'Ã©' or 'â€™' (UTF-8 once read as cp1252) the text holds."""
    if "Ã" not in text and "Â" not in text and "â€" not in text:
        return 0
    return len(MOJIBAKE.findall(text))


def mojibake_warnings(text: str, found: int | None = None) -> tuple[str, ...]:
    """A warning when the text holds sequences like 'Ã©' or 'â€™' (UTF-8 read as cp1252);
    `found` gives the count instead, for text read in pieces."""
    found = mojibake_count(text) if found is None else found
    if not found:
        return ()
    return (
        f"mojibake_suspected: {found} character sequence(s) like 'Ã©' or 'â€™' suggest text "
        "that was already garbled (UTF-8 read as Windows-1252) before this export; check "
        "free-text and label columns",
    )


def decode_bytes(data: bytes, path: Path, encoding: str | None = None) -> Decoded:
    """Decode an export's bytes (see the module docstring for the order of checks)."""
    if encoding:
        try:
            codec = canonical(encoding)
        except LookupError:
            raise IngestError(path, "invalid_encoding", f"unknown encoding '{encoding}'") from None
        if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        text = strict_decode(data, codec, path, f"the encoding given ('{encoding}')")
        return Decoded(text, canonical(codec), "override", mojibake_warnings(text))
    for bom, codec in BOMS:
        if data.startswith(bom):
            label = "UTF-8" if codec == "utf-8-sig" else codec.upper()
            text = strict_decode(data, codec, path, f"its {label} byte-order mark")
            name = codec if codec == "utf-8-sig" else canonical(codec)
            return Decoded(text, name, "bom", mojibake_warnings(text))
    nul_warnings: tuple[str, ...] = ()
    if b"\x00" in data:
        codec = utf16_without_bom(data)
        if codec is not None:
            text = strict_decode(data, codec, path, "its NUL-byte pattern")
            return Decoded(text, codec, "utf-16-pattern", mojibake_warnings(text))
        nul_warnings = stray_nul_warnings(data, path)
    decoded = decode_text(data, path)
    if nul_warnings:
        return replace(decoded, warnings=(*nul_warnings, *decoded.warnings))
    return decoded


def stray_nul_warnings(data: bytes, path: Path) -> tuple[str, ...]:
    """A warning for a few NUL bytes in a text file (kept as data: a mapped cell holding one
    fails validation and its row is quarantined); a file with many, or a line with many, is
    binary and fails `unexpected_file_type`."""
    count = data.count(0)
    first = line_of(data, data.index(0))
    busiest = max(
        len(line) - len(line.translate(None, CONTROL_BYTES))
        for line in data.splitlines()
        if 0 in line
    )
    if count > max(MAX_NULS, len(data) * MAX_NUL_SHARE) or busiest > MAX_CONTROL_PER_LINE:
        raise IngestError(
            path,
            "unexpected_file_type",
            f"line {first} holds NUL bytes ({count:,} in the file), so this is a binary file, "
            "not a CSV export; export the responses again as CSV",
        )
    return (
        f"nul_bytes: {count} NUL byte(s), the first on line {first}, were kept as data (a "
        "file damaged in copying?); a mapped cell holding one fails validation, so its row is "
        "quarantined",
    )


def decode_text(data: bytes, path: Path) -> Decoded:
    """Decode text without a byte-order mark or UTF-16 pattern: strict UTF-8, else legacy."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        sample = non_ascii_lines(data)
        if mostly_utf8(sample):
            raise IngestError(
                path,
                "invalid_utf8",
                f"the file is UTF-8 but byte {exc.start} (line {line_of(data, exc.start)}) is "
                "not: it mixes encodings or is corrupted (e.g. files joined together); re-save "
                "it as 'CSV UTF-8'",
            ) from None
        return decode_legacy(data, sample, path)
    return Decoded(text, "utf-8", "utf-8", mojibake_warnings(text))
