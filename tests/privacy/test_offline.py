"""The pipeline never needs the network: a whole run (read, validate with Great Expectations,
anonymise, build, publish) succeeds with every outbound connection refused, and nothing tried
to reach an address that is not this machine's."""

import socket
from pathlib import Path

from pipeline.config import load_config
from pipeline.keys import Key
from pipeline.run import run_project
from tests.sample_project import small_project


def test_a_run_succeeds_with_the_network_blocked(tmp_path, sample_dir, monkeypatch):
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args[1] if len(args) > 1 else args)
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", lambda self, address: refuse(self, address))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, address: refuse(self, address))
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: refuse(None, host))
    path = small_project(tmp_path, sample_dir)
    report = run_project(load_config(path), Key(b"n" * 32), tmp_path / "out")
    assert report.ok
    assert (tmp_path / "out" / "dashboard.duckdb").exists()
    assert Path(report.outputs["warehouse"]).exists()
    # nothing even tried to leave the machine (a refused attempt would still be a leak risk)
    assert attempts == []
