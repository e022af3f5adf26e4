"""Feed ``csv.reader`` line by line, tracking where each record starts, its raw text, its size
and any byte that was not UTF-8, so one bad record is rejected without losing the rest."""

from __future__ import annotations

from collections.abc import Callable

from ingest.files.formats import CHUNK
from ravine.errors import RavineError

MAX_RAW_CHARS = 10_000


class TooLongError(RavineError):
    """A record outgrew its size budget: a field over the limit, or a quote never closed."""


class LineFeed:
    """Hands ``csv.reader`` one physical line at a time and remembers each record's lines."""

    __slots__ = ("_readline", "bad", "limit", "line", "parts", "size", "start")

    def __init__(self, readline: Callable[[int], str], limit: int) -> None:
        self._readline = readline
        self.limit = limit
        self.line = 0
        self.start = 1
        self.parts: list[str] = []
        self.size = 0
        self.bad: tuple[int, int, str] | None = None  # line, column, character of bad UTF-8

    def begin(self) -> None:
        """Start a new record at the next line."""
        self.start = self.line + 1
        self.parts = []
        self.size = 0
        self.bad = None

    def __iter__(self) -> LineFeed:
        return self

    def __next__(self) -> str:
        line = self._readline(self.limit - self.size + 1)
        if not line:
            raise StopIteration
        self.line += 1
        if self.size < MAX_RAW_CHARS:
            self.parts.append(line)
        self.size += len(line)
        if not line.isascii() and self.bad is None:
            try:
                line.encode("utf-8")
            except UnicodeEncodeError as exc:  # a byte that was not UTF-8, surrogate-escaped
                self.bad = (self.line, exc.start + 1, line[exc.start])
        if self.size > self.limit:
            while line and line[-1] not in "\r\n":  # drop the rest of this physical line
                line = self._readline(CHUNK)
            raise TooLongError
        return line

    def raw(self) -> str:
        text = self.parts[0] if len(self.parts) == 1 else "".join(self.parts)
        return text[:MAX_RAW_CHARS].rstrip("\r\n")

    def bad_utf8(self) -> str | None:
        if self.bad is None:
            return None
        line, column, char = self.bad
        where = f"column {column}" if line == self.start else f"line {line}, column {column}"
        return f"invalid UTF-8 (byte 0x{ord(char) - 0xDC00:02x} at {where}); save the file as UTF-8"
