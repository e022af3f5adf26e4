"""Line numbers of the tables and keys of a TOML file, so every problem can name its line.

``tomllib`` parses without positions; this scan of the text finds where each ``[table]``,
``[[array-of-tables]]`` entry and ``key =`` starts. It only serves error messages: a key it
cannot place falls back to its table's header line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
_KEY = re.compile(r"""^\s*("[^"]+"|'[^']+'|[A-Za-z0-9_-]+)\s*=""")
_MULTILINE = re.compile(r'"""|\'\'\'')

Where = tuple[str, int | None]  # (table, index in its array of tables, or None)


@dataclass
class KeyLines:
    """Where each table starts and each of its keys is set (1-based line numbers)."""

    headers: dict[Where, int] = field(default_factory=dict)
    keys: dict[tuple[str, int | None, str], int] = field(default_factory=dict)

    def line(self, table: str, index: int | None = None, key: str | None = None) -> int | None:
        if key is not None and (found := self.keys.get((table, index, key))) is not None:
            return found
        return self.headers.get((table, index))


def locate(text: str) -> KeyLines:
    lines = KeyLines()
    counts: dict[str, int] = {}
    current: Where = ("", None)
    in_string = False
    for number, line in enumerate(text.splitlines(), start=1):
        quotes = len(_MULTILINE.findall(line))
        if in_string:
            in_string = quotes % 2 == 0
            continue
        if array := _ARRAY_HEADER.match(line):
            name = array.group(1)
            counts[name] = counts.get(name, -1) + 1
            current = (name, counts[name])
            lines.headers[current] = number
        elif table := _TABLE_HEADER.match(line):
            name = table.group(1)
            parent = name.rsplit(".", 1)[0]
            # [sources.x] after [[sources]] belongs to the latest source: report its keys there.
            current = (
                (parent, counts[parent]) if parent in counts and parent != name else (name, None)
            )
            lines.headers.setdefault(current, number)
        elif key := _KEY.match(line):
            lines.keys.setdefault((*current, key.group(1).strip("\"'")), number)
        in_string = quotes % 2 == 1
    return lines
