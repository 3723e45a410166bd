"""The programme's pseudonymisation key: where it comes from, how it is made, how it is used.

The key never lives in the config, the repository or any database. It comes from the
`RIPPLE_KEY` environment variable (64 or more hex characters) or from a key file named by
`RIPPLE_KEY_FILE` (as written by `ripple keygen`). Without a key Ripple refuses to run: it never
falls back to an unkeyed hash, which could be reversed by enumerating every possible code
(privacy-and-reliability.md section 2.4).

Domain separation: every keyed digest is HMAC-SHA256(key, "<version>|<purpose>|<programme>|
<value>") (`domain`), so a digest made for one purpose (a response id, a self-generated code,
one of its leave-one-out variants, a platform participant id) or one programme can never equal
a digest made for another, even when the values are equal.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import KeyMissingError

KEY_BYTES = 32
DIGEST_HEX_CHARS = 32  # 128 bits: ample for pseudonyms, and shorter to store
VERSION = "v1"
# What each kind of digest is for (the segment after the version). `sgic-loo|<i>` is the
# leave-one-out variant of a self-generated code without its element i (pipeline.sgic).
PURPOSE = re.compile(r"(?:response|row|sgic|sgic-loo\|[1-9][0-9]*|participant-id)")
PROGRAMME = re.compile(r"[a-z][a-z0-9_]*")  # config.Programme.id: never holds "|"


def domain(purpose: str, programme: str) -> str:
    """The prefix of every HMAC message for `purpose` within `programme`:
    "v1|<purpose>|<programme>|". Purposes and programme ids hold no free "|", so two
    (purpose, programme) pairs never share a prefix."""
    if not PURPOSE.fullmatch(purpose):
        raise ValueError(f"unknown pseudonym purpose: {purpose!r}")
    if not PROGRAMME.fullmatch(programme):
        raise ValueError(f"not a programme id: {programme!r}")
    return f"{VERSION}|{purpose}|{programme}|"


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
    """Write a new random key (hex, one line) to `path`, readable and writable by its owner
    only (0600; a folder it creates is 0700)."""
    if path.exists():
        raise KeyMissingError(f"{path} already exists; refusing to overwrite a key")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Key(secrets.token_bytes(KEY_BYTES))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.secret.hex() + "\n")
    os.chmod(path, 0o600)  # whatever the umask
    return key


def check_warehouse_key(path: Path, key: Key) -> None:
    """Refuse to add to a warehouse that another key built: its pseudonyms would never meet
    this key's, so no later wave would link and every re-exported response would load twice.
    Compares key ids (runs.key_id), never keys."""
    import duckdb  # local: reading the key needs no database

    with duckdb.connect(str(path), read_only=True) as con:
        try:
            ids = {i for (i,) in con.execute("select distinct key_id from runs").fetchall()}
        except duckdb.Error:
            return  # not a warehouse this version reads: read_prior_state says so
    if ids and key.key_id not in ids:
        raise KeyMissingError(
            f"{path} was built with key {', '.join(sorted(ids))}, but this run's key is "
            f"{key.key_id}: its pseudonyms would not link to the warehouse's. Use the key that "
            "built it (RIPPLE_KEY_FILE), or run with --rebuild to re-read every export under "
            "the new key."
        )


def keygen_advice(path: Path, key: Key) -> str:
    """What `ripple keygen` tells the user: where the key is, how to use it and back it up,
    and what losing or leaking it means. Names the key id, never the key."""
    return f"""Created pseudonymisation key {key.key_id} at {path} (readable by you only).

Use it:   export RIPPLE_KEY_FILE={path}
          Use one key per programme or study, for every wave, from the first run on.

Back it up now, before the first run:
  - copy the file to a password manager or an encrypted drive, kept apart from the exports
    and from ripple.duckdb (for example: gpg --symmetric {path});
  - keep it out of the project folder, git, ripple.yml, e-mail and chat; never paste it
    into a command line or a log.

If it is lost: there is no recovery (Ripple keeps no copy). Later waves can no longer be
linked to earlier ones, and responses already loaded are no longer recognised when a new
export repeats them; the existing warehouse stays readable but cannot be added to.
If it leaks: whoever has it and the warehouse can test guessed self-generated codes or
participant ids against the digests. Make a new key with `ripple keygen`, rebuild from
the exports (`ripple run --rebuild`), and delete the old warehouse and key.
Runs record only the key id ({key.key_id}, runs.key_id) so you can tell which key built a
warehouse."""
