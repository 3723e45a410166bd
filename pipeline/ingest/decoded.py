"""Decoded text, and what every decoding step names: a codec's canonical name and the line a
byte offset is on (messages point at lines, never quote the bytes)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

LINE_BREAK = re.compile(rb"\r\n|\n|\r")


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
