"""SQL helpers. Values are always bound as parameters; only identifiers, which come from
validated YAML or from the code itself, are quoted into SQL, and only through this helper."""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    """`name` as a double-quoted SQL identifier, with embedded quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """`text` as a single-quoted SQL string literal. Only for DDL that cannot take parameters
    (COMMENT ON), and only with text from Ripple's own schema documentation."""
    return "'" + text.replace("'", "''") + "'"


def split_statements(script: str) -> list[str]:
    """The statements of a SQL script, split on semicolons outside quotes and `--` comments,
    so each one runs on its own (multi-statement strings are not atomic in DuckDB 2)."""
    statements, current, quote, in_comment = [], [], "", False
    for char in script:
        if in_comment:
            in_comment = char != "\n"
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "-" and current and current[-1] == "-":
            in_comment = True
        elif char == ";":
            statements.append("".join(current))
            current = []
            continue
        current.append(char)
    statements.append("".join(current))
    return [s.strip() for s in statements if _has_code(s)]


def _has_code(statement: str) -> bool:
    return any(
        line.strip() and not line.strip().startswith("--") for line in statement.splitlines()
    )
