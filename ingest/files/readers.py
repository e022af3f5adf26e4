"""Stream records out of CSV and JSON Lines files, plain or gzip-compressed, in flat memory.

A record that cannot be read (bad UTF-8, broken quoting, a wrong field count, invalid JSON) comes
out as a :class:`RawRecord` with an error instead of stopping the import; only problems with the
whole file raise :class:`~ravine.errors.ConfigError`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from ingest.files.csv_lines import MAX_RAW_CHARS, LineFeed, TooLongError
from ingest.files.formats import (
    BOM,
    CHUNK,
    GZIP_MAGIC,
    SAMPLE_BYTES,
    Format,
    detect_format,
    open_binary,
    sha256_file,
    sniff_delimiter,
    suffix,
)
from ravine.errors import ConfigError

__all__ = ["MAX_RAW_CHARS", "Format", "RawRecord", "RecordReader", "sha256_file"]


_HEADER_CHARS = 1 << 20
_JSONL_LOOKAHEAD = 100  # records whose keys name the columns (the first object may lack some)
_JSON_TYPES = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
_CSV_FIELD_LIMIT = 2**31 - 1
_LONG_FIELD = "field "  # how the error of a JSON object with a field over the limit begins
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"[0-9]+")  # csv never refuses a size; records are checked against our limit


@dataclass(slots=True)
class RawRecord:
    """One record as read: its values, or the reason it could not be read."""

    line: int  # 1-based physical line where the record starts
    values: dict[str, object] | None
    text: str | list[str]  # the record as read: its text, or a CSV record's physical lines
    error: str | None

    @property
    def raw(self) -> str:
        """The record's text, cut to MAX_RAW_CHARS, for the rejects file. Built when asked:
        most records are never rejected."""
        text = self.text if isinstance(self.text, str) else "".join(self.text)
        return text[:MAX_RAW_CHARS].rstrip("\r\n")


class RecordReader:
    """Open ``path``, find its format, compression and columns, and iterate its records."""

    def __init__(
        self, path: Path, *, fmt: Format | None = None, max_field_chars: int = 1_000_000
    ) -> None:
        self.path = path
        self.max_field_chars = max_field_chars
        self.columns: list[str] = []
        self._pending: list[RawRecord] = []
        self._disk = open_binary(path)
        self._stream: IO[bytes] = self._disk
        self._text: io.TextIOWrapper | None = None  # kept: deleting it would close the file
        self._closed_at = 0
        try:
            self.total_bytes = os.fstat(self._disk.fileno()).st_size
            if self.total_bytes == 0:
                raise ConfigError(f"{path} is empty; export the data again")
            self.compressed = self._disk.read(2) == GZIP_MAGIC
            self._disk.seek(0)
            if self.compressed:
                self._stream = cast(IO[bytes], gzip.GzipFile(fileobj=self._disk, mode="rb"))
            sample = self._stream.read(SAMPLE_BYTES)
            self._stream.seek(0)
            self.format = detect_format(sample, path=path, fmt=fmt)
            csv_file = self.format == "csv"
            self._records = self._start_csv(sample) if csv_file else self._start_jsonl()
        except (OSError, EOFError, zlib.error) as exc:
            self.close()
            raise self._unreadable(exc) from None
        except BaseException:
            self.close()
            raise

    @property
    def bytes_read(self) -> int:
        """Position in the file on disk (compressed bytes for gzip), for a progress bar."""
        return self._closed_at if self._disk.closed else self._disk.tell()

    def __iter__(self) -> Iterator[RawRecord]:
        pending, self._pending = self._pending, []
        yield from pending
        try:
            yield from self._records
        except (OSError, EOFError, zlib.error) as exc:
            raise self._unreadable(exc) from None

    def close(self) -> None:
        if not self._disk.closed:
            self._closed_at = self._disk.tell()
            for handle in (self._text, self._stream, self._disk):
                if handle is not None:
                    handle.close()

    def __enter__(self) -> RecordReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _unreadable(self, exc: BaseException) -> ConfigError:
        """A damaged or unreadable file (a truncated gzip, a disk error), as one line."""
        return ConfigError(
            f"cannot read {self.path} after {self.bytes_read:,} bytes: {exc}; "
            "check the file is complete (download it again) and readable"
        )

    def _start_csv(self, sample: bytes) -> Iterator[RawRecord]:
        text = self._text = io.TextIOWrapper(
            self._stream, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        delimiter = self._delimiter = (
            "\t" if suffix(self.path) == ".tsv" else sniff_delimiter(sample)
        )
        csv.field_size_limit(_CSV_FIELD_LIMIT)
        feed = LineFeed(text.readline, _HEADER_CHARS)
        reader = csv.reader(feed, delimiter=delimiter, quotechar='"', doublequote=True)
        try:
            header = next(row for row in reader if _nonblank(row))
        except (StopIteration, csv.Error, TooLongError):
            raise ConfigError(
                f"{self.path} has no readable header row; its first line must name the columns, "
                "e.g. id,text,created_at"
            ) from None
        if feed.bad is not None:
            raise ConfigError(f"header of {self.path}: {feed.bad_utf8()}")
        self.columns = _column_names(header)
        feed.limit = len(self.columns) * (2 * self.max_field_chars + 3)
        return self._csv_records(feed, reader)

    def _csv_records(self, feed: LineFeed, reader: Iterator[list[str]]) -> Iterator[RawRecord]:
        columns, width, limit = self.columns, len(self.columns), self.max_field_chars
        while True:
            feed.begin()
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RawRecord(feed.start, None, feed.raw(), f"CSV parse error: {exc}")
                continue
            except TooLongError:
                yield RawRecord(feed.start, None, feed.raw(), _too_long(feed.limit, "characters"))
                continue
            if len(row) <= 1 and not _nonblank(row):
                continue
            error = feed.bad_utf8()
            if error is None and len(row) != width:
                error = f"expected {width} fields, found {len(row)}"
            elif error is None and len(feed.parts) > 1:
                error = _swallowed_rows(feed.parts, feed.start, row, self._delimiter)
            elif error is None and feed.size > limit and max(map(len, row)) > limit:
                name, value = next(
                    (n, v) for n, v in zip(columns, row, strict=True) if len(v) > limit
                )
                error = f"field {name!r} is {len(value):,} characters, over the {limit:,} limit"
            if error is None:
                yield RawRecord(feed.start, dict(zip(columns, row, strict=True)), feed.parts, None)
            else:
                yield RawRecord(feed.start, None, _printable(feed.raw()), error)

    def _start_jsonl(self) -> Iterator[RawRecord]:
        """Columns are the keys of the first objects (optional keys may be missing from some)."""
        records = self._jsonl_records()
        keys: dict[str, None] = {}
        for record in records:
            self._pending.append(record)
            if record.values is not None:
                keys.update(dict.fromkeys(record.values))
            elif record.error is not None and record.error.startswith(_LONG_FIELD):
                keys.update(dict.fromkeys(json.loads(str(record.text))))  # an object, too long
            elif not keys and record.raw.lstrip().startswith("[") and "JSON:" in str(record.error):
                break  # the "[" of a JSON array, not JSON Lines
            if len(self._pending) == _JSONL_LOOKAHEAD:
                break
        if keys:
            self.columns = list(keys)
            return records
        first = f" (line {p.line}: {p.error})" if (p := next(iter(self._pending), None)) else ""
        raise ConfigError(
            f"{self.path} is not JSON Lines: no JSON object in its first {len(self._pending)} "
            f"records{first}; write one object per line (a JSON array converts with: "
            f"jq -c '.[]' {self.path.name} > {self.path.name.split('.')[0]}.lines.jsonl)"
        )

    def _jsonl_records(self) -> Iterator[RawRecord]:
        limit = 12 * self.max_field_chars + CHUNK  # a JSON escape takes up to 12 bytes a char
        readline = self._stream.readline
        number = 0
        while data := readline(limit + 1):
            number += 1
            if number == 1:
                data = data.removeprefix(BOM)
            if len(data) > limit:
                head = data[: 4 * MAX_RAW_CHARS].decode(errors="backslashreplace")
                while data and not data.endswith(b"\n"):
                    data = readline(CHUNK)
                yield RawRecord(number, None, head[:MAX_RAW_CHARS], _too_long(limit, "bytes"))
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(data[: exc.start].decode()) + 1
                error = f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
                error += "save the file as UTF-8"
                yield RawRecord(number, None, data.decode(errors="backslashreplace"), error)
                continue
            if not text.strip():
                continue
            yield self._json_record(number, text)

    def _json_record(self, number: int, text: str) -> RawRecord:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            return RawRecord(number, None, text, f"invalid JSON: {exc.msg} (column {exc.colno})")
        if not isinstance(value, dict):
            found = _JSON_TYPES.get(type(value), "a number")
            return RawRecord(number, None, text, f"not a JSON object (found {found})")
        limit = self.max_field_chars
        for name, field in value.items():
            if isinstance(field, str) and len(field) > limit:
                error = (
                    f"{_LONG_FIELD}{name!r} is {len(field):,} characters, over the {limit:,} limit"
                )
                return RawRecord(number, None, text, error)
        return RawRecord(number, value, text, None)


def _column_names(header: list[str]) -> list[str]:
    """Header names stripped; blanks named ``column_N`` and repeats suffixed ``_2``, ``_3``."""
    names: list[str] = []
    for index, cell in enumerate(header, start=1):
        name = cell.strip().lstrip("\ufeff").strip() or f"column_{index}"
        base, copy = name, 1
        while name in names:
            copy += 1
            name = f"{base}_{copy}"
        names.append(name)
    return names


def _swallowed_rows(lines: list[str], start: int, row: list[str], delimiter: str) -> str | None:
    """Why a record that spans several lines looks like rows run together by a quote left
    open, or None.

    A quoted field may hold line breaks (a post with paragraphs); a quote left open instead
    swallows every following row up to the next quote into one field, silently. A line inside
    the record that reads as a whole row, starting with a field shaped like the record's own
    first field (an id, a time), gives it away; prose with commas does not start like that."""
    for offset, line in enumerate(lines[1:], start=1):
        inner = next(csv.reader([line], delimiter=delimiter), [])
        if len(inner) == len(row) and inner[0] and _shape(inner[0]) == _shape(row[0]):
            return (
                f"lines {start}–{start + len(lines) - 1} were read as one record, and line "
                f"{start + offset} inside it reads as a record of its own: a quote left open? "
                'close it, or write a quote inside a field as ""'
            )
    return None


def _shape(field: str) -> str:
    """A field's shape: runs of letters as "a", of digits as "9" ("2025-01-01T10:00Z" and
    "2024-12-31T23:59Z" alike, "1" and "4711" alike)."""
    return _DIGITS.sub("9", _LETTERS.sub("a", field.strip()))


def _nonblank(row: list[str]) -> bool:
    return len(row) > 1 or (len(row) == 1 and bool(row[0].strip()))


def _too_long(limit: int, unit: str) -> str:
    return f"record is over {limit:,} {unit}: a field over the size limit, or a quote not closed"


def _printable(raw: str) -> str:
    """``raw`` with undecodable bytes written as \\xNN, so the rejects file stays valid UTF-8."""
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
