"""Read a report's HTML the way the tests need it: visible text, the figures' data, every
count of people, and every address a tag could load."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

#: Attributes through which a tag can make a browser load something.
LOADING_ATTRIBUTES = {"src", "srcset", "href", "action", "poster", "data", "formaction"}

#: Numbers of people as the report and the dashboard's sentences write them.
PEOPLE_PATTERNS = [
    re.compile(r"(?<![\d.,])(\d[\d,]*) (?:people|persons|pairs|responses|records|respondents)"),
    re.compile(r"\bn = (\d[\d,]*)"),
    re.compile(r"\bthe (\d[\d,]*) (?:people )?who\b"),
    re.compile(r"(?<![\d.,−-])(\d[\d,]*) \(\d+%\)"),
]


class Report(HTMLParser):
    """The parts of a report page the tests look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.figures: list[dict] = []
        self.counts: list[int] = []  # every data-n
        self.addresses: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.scripts: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._in: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {k: (v or "") for k, v in attrs}
        self.tags.append((tag, attributes))
        for name, value in attributes.items():
            if name in LOADING_ATTRIBUTES:
                self.addresses.append((tag, name, value))
        if "data-n" in attributes:
            self.counts.append(int(attributes["data-n"]))
        if tag in ("script", "style"):
            self._in.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1][0] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if not self._in:
            self.text.append(data)
            return
        tag, attributes = self._in[-1]
        if tag == "script" and attributes.get("type") == "application/json":
            self.figures.append(json.loads(data))
        elif tag == "script":
            self.scripts.append(data)

    @property
    def visible(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))


def parse(html: str) -> Report:
    report = Report()
    report.feed(html)
    report.close()
    return report


def figure_strings(figure: dict) -> list[str]:
    """Every string a figure can show: hover text, text, tick labels, annotations, names."""
    out: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for key, inner in value.items():
                if key in ("hovertext", "text", "ticktext", "name", "hovertemplate") or \
                        isinstance(inner, (dict, list)):  # fmt: skip
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(figure.get("data", []))
    layout = figure.get("layout", {})
    walk(layout.get("annotations", []))
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            walk(axis.get("ticktext", []))
    return [re.sub(r"<[^>]+>", " ", s) for s in out]


def people_counts(strings: list[str]) -> list[tuple[int, str]]:
    """Every number of people found in the strings, with its context."""
    found = []
    for string in strings:
        for pattern in PEOPLE_PATTERNS:
            for match in pattern.finditer(string):
                number = int(match.group(1).replace(",", ""))
                start = max(match.start() - 60, 0)
                found.append((number, string[start : match.end() + 20]))
    return found
