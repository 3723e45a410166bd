"""The pipeline never needs the network: a whole run (read, validate with Great Expectations,
anonymise, build, publish) succeeds with every outbound connection refused, and nothing tried
to reach an address that is not this machine's."""

import socket
from pathlib import Path

import yaml

from pipeline.config import load_config
from pipeline.keys import Key
from pipeline.run import run_project


def test_a_run_succeeds_with_the_network_blocked(tmp_path, sample_dir, monkeypatch):
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args[1] if len(args) > 1 else args)
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", lambda self, address: refuse(self, address))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, address: refuse(self, address))
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: refuse(None, host))
    config = yaml.safe_load((sample_dir / "ripple.yml").read_text(encoding="utf-8"))
    config["instruments_dir"] = str(sample_dir.parents[1] / "instruments")
    config["sources"] = [
        {**s, "path": str(sample_dir / s["path"])}
        for s in config["sources"]
        if s["programme"] == "peer_support"
    ]
    path = tmp_path / "ripple.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    report = run_project(load_config(path), Key(b"n" * 32), tmp_path / "out")
    assert report.ok
    assert (tmp_path / "out" / "dashboard.duckdb").exists()
    assert Path(report.outputs["warehouse"]).exists()
    # nothing even tried to leave the machine (a refused attempt would still be a leak risk)
    assert attempts == []
