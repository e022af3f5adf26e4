"""The rejects file: every row an import skipped, with its line and the reason, as JSON Lines.

Written as rejects arrive so a crash keeps what was found, and only created when there is
something to say; a file left by an earlier run is emptied at the start so it never mixes runs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TextIO

from ingest.files.readers import MAX_RAW_CHARS
from ravine.errors import ConfigError

__all__ = ["MAX_SAMPLES", "RejectWriter"]

MAX_SAMPLES = 20


class RejectWriter:
    """Counts rejected rows, keeps the first few for the summary, and writes them to ``path``."""

    def __init__(self, path: Path | None, *, source: str) -> None:
        self.count = 0
        self.samples: list[tuple[int, str]] = []
        self._path = path
        self._source = source
        self._file: TextIO | None = None
        if path is None:
            return
        if path.is_dir():
            raise ConfigError(f"--rejects {path} is a directory; give a file name")
        parent = path.parent
        if not parent.is_dir() or not os.access(parent, os.W_OK):
            raise ConfigError(
                f"--rejects {path}: cannot write to the folder {parent}; "
                "create it or choose another path"
            )
        if path.exists():
            self._open(path)

    def add(self, *, line: int, error: str, raw: str) -> None:
        """Record one rejected row found at ``line`` of the source file."""
        self.count += 1
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append((line, error))
        if self._path is None:
            return
        out = self._file if self._file is not None else self._open(self._path)
        record = {"file": self._source, "line": line, "error": error, "raw": raw[:MAX_RAW_CHARS]}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        """Push written rejects to disk, so they match the rows committed so far."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> RejectWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _open(self, path: Path) -> TextIO:
        try:
            # backslashreplace: a stray surrogate in ``raw`` must not lose the whole report.
            self._file = path.open("w", encoding="utf-8", errors="backslashreplace", newline="\n")
        except OSError as exc:
            raise ConfigError(
                f"cannot write the rejects file {path}: {exc.strerror}; "
                "choose another path with --rejects"
            ) from None
        return self._file
