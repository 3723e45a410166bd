"""Turn an export's bytes into text, choosing the codec carefully and never guessing blindly.

Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); then UTF-16 without a mark is
recognised from its NUL-byte pattern; then strict UTF-8; then, only for files that are not
UTF-8, `charset-normalizer` ranks a short list of legacy codecs that Excel and other tools write
(Windows-1252 first). A legacy codec is accepted only when the decoded text looks clean, else
the file fails with `encoding_undetermined`. Nothing is ever decoded with `errors="replace"`.

A guessed codec comes with a confidence and a warning (`encoding_legacy`); a few NUL bytes and
mojibake are kept with a warning (`encoding_damage`).
"""

from __future__ import annotations

import codecs
from dataclasses import replace
from pathlib import Path

# also imported from here: Decoded (detect, detection), canonical (pieces), mojibake_count and
# mojibake_warnings (stream)
from pipeline.ingest.decoded import Decoded, canonical, line_of
from pipeline.ingest.encoding_damage import mojibake_count, mojibake_warnings, stray_nul_warnings  # noqa: F401
from pipeline.ingest.encoding_legacy import decode_legacy, mostly_utf8, non_ascii_lines
from pipeline.ingest.errors import IngestError

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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
