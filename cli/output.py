"""Render rows as a table for people, or as JSON / CSV for scripts (``--json``, ``--csv``)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ravine.errors import ConfigError


def choose_format(*, as_json: bool, as_csv: bool) -> str:
    if as_json and as_csv:
        raise ConfigError("choose one of --json or --csv")
    return "json" if as_json else "csv" if as_csv else "table"


def render(
    rows: Sequence[Mapping[str, Any]], *, columns: Sequence[str], fmt: str, console: Console
) -> None:
    if fmt == "json":
        json.dump([{c: row[c] for c in columns} for row in rows], sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(*columns, show_edge=False, header_style="bold")
        for row in rows:
            table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
        console.print(table)
