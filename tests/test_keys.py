"""pipeline.keys: where the key comes from, and that Ripple refuses to run without one."""

import hashlib
import os
import secrets
import stat
import string

import pandas as pd
import pytest
import yaml

from pipeline.anonymise import link_keys, participant_keys
from pipeline.config import load_config
from pipeline.errors import ConfigError, KeyMissingError
from pipeline.keys import (
    DIGEST_HEX_CHARS,
    Key,
    check_warehouse_key,
    domain,
    generate_key_file,
    keygen_advice,
    load_key,
)

HEX_KEY = "ab" * 32


def test_it_refuses_without_a_key():
    """No RIPPLE_KEY and no RIPPLE_KEY_FILE: a clear error, never an unkeyed fallback."""
    with pytest.raises(KeyMissingError, match="No pseudonymisation key"):
        load_key({})


def test_it_reads_the_key_from_the_environment():
    assert load_key({"RIPPLE_KEY": HEX_KEY}).secret == bytes.fromhex(HEX_KEY)


def test_it_rejects_a_short_or_non_hex_key():
    with pytest.raises(KeyMissingError, match="at least 32 bytes"):
        load_key({"RIPPLE_KEY": "abcd"})
    with pytest.raises(KeyMissingError, match="not a hex key"):
        load_key({"RIPPLE_KEY": "correct horse battery staple"})


def test_keygen_writes_an_owner_only_file_that_load_key_reads(tmp_path):
    path = tmp_path / "keys" / "programme.key"
    key = generate_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key({"RIPPLE_KEY_FILE": str(path)}) == key


def test_keygen_never_overwrites_a_key(tmp_path):
    path = tmp_path / "programme.key"
    generate_key_file(path)
    with pytest.raises(KeyMissingError, match="refusing to overwrite"):
        generate_key_file(path)


def test_a_missing_key_file_is_named(tmp_path):
    with pytest.raises(KeyMissingError, match="cannot read key file"):
        load_key({"RIPPLE_KEY_FILE": str(tmp_path / "absent.key")})


def test_digests_are_keyed_deterministic_and_128_bit():
    key, other = Key(b"k" * 32), Key(b"o" * 32)
    assert key.digest("v1|x") == key.digest("v1|x")
    assert key.digest("v1|x") != other.digest("v1|x")
    assert len(key.digest("v1|x")) == 32


def test_the_secret_never_appears_in_repr_and_the_key_id_is_stable():
    key = Key(bytes.fromhex(HEX_KEY))
    assert HEX_KEY not in repr(key)
    assert len(key.key_id) == 8 and key.key_id == Key(bytes.fromhex(HEX_KEY)).key_id


def test_keygen_is_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        path = tmp_path / "new-folder" / "programme.key"
        generate_key_file(path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_keygen_says_how_to_back_up_and_what_losing_the_key_means(tmp_path):
    path = tmp_path / "programme.key"
    key = generate_key_file(path)
    advice = keygen_advice(path, key)
    assert f"RIPPLE_KEY_FILE={path}" in advice and key.key_id in advice
    for words in ("Back it up", "If it is lost", "no recovery", "If it leaks", "one key per"):
        assert words in advice
    assert key.secret.hex() not in advice


def test_errors_never_echo_the_key_text():
    secret = "zz" + "ab" * 31
    with pytest.raises(KeyMissingError) as bad:
        load_key({"RIPPLE_KEY": secret})
    assert secret not in str(bad.value)
    short = "ab" * 8
    with pytest.raises(KeyMissingError) as too_short:
        load_key({"RIPPLE_KEY": short})
    assert short not in str(too_short.value)


def test_the_key_cannot_live_in_the_config(sample_dir, tmp_path):
    config = yaml.safe_load((sample_dir / "ripple.yml").read_text(encoding="utf-8"))
    path = tmp_path / "ripple.yml"
    path.write_text(yaml.safe_dump({**config, "key": HEX_KEY}), encoding="utf-8")
    with pytest.raises(ConfigError, match="key") as refused:
        load_config(path)
    assert HEX_KEY not in str(refused.value)


def test_digests_are_domain_separated_by_purpose_and_programme():
    purposes = ["response", "row", "sgic", "sgic-loo|1", "sgic-loo|2", "participant-id"]
    prefixes = [domain(p, "p1") for p in purposes] + [domain("sgic", "p2")]
    assert len(set(prefixes)) == len(prefixes)
    assert not any(a != b and b.startswith(a) for a in prefixes for b in prefixes)
    key = Key(b"k" * 32)
    assert len({key.digest(prefix + "k|03|p|2") for prefix in prefixes}) == len(prefixes)
    for purpose, programme in (("email", "p1"), ("sgic|x", "p1"), ("sgic", "p1|x"), ("sgic", "")):
        with pytest.raises(ValueError):
            domain(purpose, programme)


ALL_CODES = [
    f"{mother}|{month:02d}|{street}|{siblings}"
    for mother in string.ascii_lowercase
    for month in range(1, 13)
    for street in string.ascii_lowercase
    for siblings in range(10)
]


def test_a_code_digest_cannot_be_reversed_by_enumerating_every_code_without_the_key():
    """Every possible 4-element code (26 x 12 x 26 x 10 = 81,120) is tried against a stored
    digest: as an unkeyed SHA-256 (with and without Ripple's message format) and as HMACs
    under other keys, nothing matches; only the real key finds it, which is why the key is
    kept out of every database, config and log."""
    key, wrong = Key(secrets.token_bytes(32)), Key(secrets.token_bytes(32))
    secret_code = "k|03|p|2"
    stored = participant_keys(pd.Series([secret_code]), key, "p1")[0]
    loo = link_keys(pd.DataFrame({"sgic_variant_2": ["k|*|p|2"]}), key, "p1")["link_key_2"][0]

    def sha(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:DIGEST_HEX_CHARS]

    prefix = domain("sgic", "p1")
    unkeyed = {sha(c) for c in ALL_CODES} | {sha(prefix + c) for c in ALL_CODES}
    assert stored not in unkeyed
    assert stored not in {wrong.digest(prefix + c) for c in ALL_CODES}
    masked = {"|".join("*" if i == 1 else p for i, p in enumerate(c.split("|"))) for c in ALL_CODES}
    loo_prefix = domain("sgic-loo|2", "p1")
    assert loo not in {sha(loo_prefix + m) for m in masked}
    assert loo not in {wrong.digest(loo_prefix + m) for m in masked}
    # with the key the same enumeration succeeds at once: the key is the only protection
    found = [c for c in ALL_CODES if key.digest(prefix + c) == stored]
    assert found == [secret_code]


def test_a_warehouse_built_with_another_key_is_refused(tmp_path):
    import duckdb

    path = tmp_path / "ripple.duckdb"
    built_with = Key(b"a" * 32)
    with duckdb.connect(str(path)) as con:
        con.execute("create table runs (key_id varchar)")
        con.execute("insert into runs values (?)", [built_with.key_id])
    check_warehouse_key(path, built_with)
    other = Key(b"b" * 32)
    with pytest.raises(KeyMissingError, match="--rebuild") as refused:
        check_warehouse_key(path, other)
    assert built_with.key_id in str(refused.value) and other.key_id in str(refused.value)
    assert built_with.secret.hex() not in str(refused.value)
