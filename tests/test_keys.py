"""pipeline.keys: where the key comes from, and that Ripple refuses to run without one."""

import stat

import pytest

from pipeline.errors import KeyMissingError
from pipeline.keys import Key, generate_key_file, load_key

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
