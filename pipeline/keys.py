"""The programme's pseudonymisation key: where it comes from, how it is made, how it is used.

The key never lives in the config, the repository or any database. It comes from the
`RIPPLE_KEY` environment variable (64 or more hex characters) or from a key file named by
`RIPPLE_KEY_FILE` (as written by `ripple keygen`). Without a key Ripple refuses to run: it never
falls back to an unkeyed hash, which could be reversed by enumerating every possible code
(privacy-and-reliability.md section 2.4).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import KeyMissingError

KEY_BYTES = 32
DIGEST_HEX_CHARS = 32  # 128 bits: ample for pseudonyms, and shorter to store


@dataclass(frozen=True)
class Key:
    """Secret key material; `key_id` is safe to store and print, the bytes are not."""

    secret: bytes

    def __repr__(self) -> str:  # never print the secret by accident
        return f"Key(id={self.key_id})"

    @property
    def key_id(self) -> str:
        """First 8 hex characters of HMAC(key, "ripple|key-id"): tells keys apart, reveals
        nothing about the key."""
        return hmac.new(self.secret, b"ripple|key-id", hashlib.sha256).hexdigest()[:8]

    def digest(self, message: str) -> str:
        """HMAC-SHA256 of `message`, truncated to 128 bits, as 32 hex characters."""
        mac = hmac.new(self.secret, message.encode("utf-8"), hashlib.sha256)
        return mac.hexdigest()[:DIGEST_HEX_CHARS]


def parse_key(text: str, where: str) -> Key:
    """Key from its hex form; `where` names the variable or file for the error message."""
    cleaned = text.strip()
    try:
        secret = bytes.fromhex(cleaned)
    except ValueError:
        raise KeyMissingError(
            f"{where} is not a hex key. Create one with `ripple keygen -o FILE`."
        ) from None
    if len(secret) < KEY_BYTES:
        raise KeyMissingError(
            f"{where} holds a {len(secret)}-byte key; at least {KEY_BYTES} bytes "
            f"({2 * KEY_BYTES} hex characters) are required. Create one with `ripple keygen`."
        )
    return Key(secret)


def load_key(environ: Mapping[str, str] | None = None) -> Key:
    """The key from RIPPLE_KEY, else from the file named by RIPPLE_KEY_FILE; refuse without one."""
    env = os.environ if environ is None else environ
    if env.get("RIPPLE_KEY"):
        return parse_key(env["RIPPLE_KEY"], "RIPPLE_KEY")
    if env.get("RIPPLE_KEY_FILE"):
        path = Path(env["RIPPLE_KEY_FILE"])
        try:
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyMissingError(f"RIPPLE_KEY_FILE: cannot read key file {path}: {exc}") from exc
        return parse_key(text, f"key file {path}")
    raise KeyMissingError(
        "No pseudonymisation key. Set RIPPLE_KEY, or RIPPLE_KEY_FILE to a key file made with "
        "`ripple keygen -o FILE`. Keep that key safe and outside the project: without it, "
        "later waves cannot be linked to earlier ones."
    )


def generate_key_file(path: Path) -> Key:
    """Write a new random key (hex, one line) to `path`, readable by its owner only."""
    if path.exists():
        raise KeyMissingError(f"{path} already exists; refusing to overwrite a key")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Key(secrets.token_bytes(KEY_BYTES))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.secret.hex() + "\n")
    return key
