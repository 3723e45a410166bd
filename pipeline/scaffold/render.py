"""The scaffolded config as YAML, with the scaffold's reasons as comments beside each survey."""

from __future__ import annotations

import textwrap

import yaml

HEADER = """\
# Ripple project config, scaffolded by `ripple init` from the exports listed under sources.
# Every guess is commented; review them, then run `ripple validate -c <this file>`.
# Keys are documented in the README ("The project config"). Columns not mapped here are never
# read: identifiers and free text stay in the export.
"""


def dump(value: object) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100)


def render(config: dict, drafts: list) -> str:
    """YAML text of `config`, each survey followed by its comments."""
    parts = [HEADER]
    top = {k: config[k] for k in ("project", "instruments_dir", "out_dir", "min_cell_size")}
    parts.append(dump(top))
    parts.append(dump({"waves": config["waves"]}))
    parts.append(dump({"programmes": config["programmes"]}))
    parts.append("surveys:\n")
    comments = {d.name: d.comments for d in drafts}
    for name, mapping in config["surveys"].items():
        parts.append(textwrap.indent(dump({name: mapping}), "  "))
        for comment in comments.get(name, []):
            parts.append(f"    # {comment}\n")
    parts.append(dump({"sources": config["sources"]}))
    return "".join(parts)
