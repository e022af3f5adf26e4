"""Stream records out of CSV and JSON Lines files, plain or gzip-compressed, in flat memory.

A record that cannot be read (bad UTF-8, broken quoting, a wrong field count, invalid JSON) comes
out as a :class:`RawRecord` with an error instead of stopping the import; only problems with the
whole file raise :class:`~ravine.errors.ConfigError`.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, cast

from ravine.errors import ConfigError

__all__ = ["MAX_RAW_CHARS", "Format", "RawRecord", "RecordReader", "sha256_file"]

Format = Literal["csv", "jsonl"]

MAX_RAW_CHARS = 10_000
_SUFFIXES: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_BOM = b"\xef\xbb\xbf"
_SAMPLE_BYTES = 64 * 1024
_DELIMITERS = ",;\t|"
_HEADER_CHARS = 1 << 20
_JSONL_LOOKAHEAD = 100  # lines searched for the first object, whose keys name the columns
_CHUNK = 1 << 20
_JSON_TYPES = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
_CSV_FIELD_LIMIT = 2**31 - 1  # csv never refuses a size; records are checked against our limit


@dataclass(slots=True)
class RawRecord:
    """One record as read: its values, or the reason it could not be read."""

    line: int  # 1-based physical line where the record starts
    values: dict[str, object] | None
    raw: str  # the record's text, cut to MAX_RAW_CHARS, for the rejects file
    error: str | None


class _TooLongError(Exception):
    """A record outgrew its size budget: a field over the limit, or a quote never closed."""


class _LineFeed:
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

    def __iter__(self) -> _LineFeed:
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
                line = self._readline(_CHUNK)
            raise _TooLongError
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


class RecordReader:
    """Open ``path``, find its format, compression and columns, and iterate its records."""

    def __init__(
        self, path: Path, *, fmt: Format | None = None, max_field_chars: int = 1_000_000
    ) -> None:
        self.path = path
        self.max_field_chars = max_field_chars
        self.columns: list[str] = []
        self._pending: list[RawRecord] = []
        self._disk = _open(path)
        self._stream: IO[bytes] = self._disk
        self._text: io.TextIOWrapper | None = None  # kept: deleting it would close the file
        self._closed_at = 0
        try:
            self.total_bytes = os.fstat(self._disk.fileno()).st_size
            if self.total_bytes == 0:
                raise ConfigError(f"{path} is empty; export the data again")
            self.compressed = self._disk.read(2) == _GZIP_MAGIC
            self._disk.seek(0)
            if self.compressed:
                self._stream = cast(IO[bytes], gzip.GzipFile(fileobj=self._disk, mode="rb"))
            sample = self._stream.read(_SAMPLE_BYTES)
            self._stream.seek(0)
            self.format = _detect(sample, path, fmt)
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
        delimiter = "\t" if _suffix(self.path) == ".tsv" else _sniff_delimiter(sample)
        csv.field_size_limit(_CSV_FIELD_LIMIT)
        feed = _LineFeed(text.readline, _HEADER_CHARS)
        reader = csv.reader(feed, delimiter=delimiter, quotechar='"', doublequote=True)
        try:
            header = next(row for row in reader if _nonblank(row))
        except (StopIteration, csv.Error, _TooLongError):
            raise ConfigError(
                f"{self.path} has no readable header row; its first line must name the columns, "
                "e.g. id,text,created_at"
            ) from None
        if feed.bad is not None:
            raise ConfigError(f"header of {self.path}: {feed.bad_utf8()}")
        self.columns = _column_names(header)
        feed.limit = len(self.columns) * (2 * self.max_field_chars + 3)
        return self._csv_records(feed, reader)

    def _csv_records(self, feed: _LineFeed, reader: Iterator[list[str]]) -> Iterator[RawRecord]:
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
            except _TooLongError:
                yield RawRecord(feed.start, None, feed.raw(), _too_long(feed.limit, "characters"))
                continue
            if len(row) <= 1 and not _nonblank(row):
                continue
            error = feed.bad_utf8()
            if error is None and len(row) != width:
                error = f"expected {width} fields, found {len(row)}"
            elif error is None and max(map(len, row)) > limit:
                name, value = next(
                    (n, v) for n, v in zip(columns, row, strict=True) if len(v) > limit
                )
                error = f"field {name!r} is {len(value):,} characters, over the {limit:,} limit"
            if error is None:
                yield RawRecord(feed.start, dict(zip(columns, row, strict=True)), feed.raw(), None)
            else:
                yield RawRecord(feed.start, None, _printable(feed.raw()), error)

    def _start_jsonl(self) -> Iterator[RawRecord]:
        records = self._jsonl_records()
        for record in records:
            self._pending.append(record)
            if record.values is not None:
                self.columns = list(record.values)
                return records
            opens_array = record.raw.lstrip().startswith("[") and "JSON:" in str(record.error)
            if len(self._pending) == _JSONL_LOOKAHEAD or opens_array:  # "[" of a JSON array
                break
        first = f" (line {p.line}: {p.error})" if (p := next(iter(self._pending), None)) else ""
        raise ConfigError(
            f"{self.path} is not JSON Lines: no JSON object in its first {len(self._pending)} "
            f"records{first}; write one object per line (a JSON array converts with: "
            f"jq -c '.[]' {self.path.name} > {self.path.name.split('.')[0]}.lines.jsonl)"
        )

    def _jsonl_records(self) -> Iterator[RawRecord]:
        limit = 12 * self.max_field_chars + _CHUNK  # a JSON escape takes up to 12 bytes a char
        readline = self._stream.readline
        number = 0
        while data := readline(limit + 1):
            number += 1
            if number == 1:
                data = data.removeprefix(_BOM)
            if len(data) > limit:
                head = data[: 4 * MAX_RAW_CHARS].decode(errors="backslashreplace")
                while data and not data.endswith(b"\n"):
                    data = readline(_CHUNK)
                yield RawRecord(number, None, head[:MAX_RAW_CHARS], _too_long(limit, "bytes"))
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(data[: exc.start].decode()) + 1
                error = f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
                error += "save the file as UTF-8"
                yield RawRecord(number, None, _cut(data.decode(errors="backslashreplace")), error)
                continue
            if not text.strip():
                continue
            yield self._json_record(number, text)

    def _json_record(self, number: int, text: str) -> RawRecord:
        raw = _cut(text)
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            return RawRecord(number, None, raw, f"invalid JSON: {exc.msg} (column {exc.colno})")
        if not isinstance(value, dict):
            found = _JSON_TYPES.get(type(value), "a number")
            return RawRecord(number, None, raw, f"not a JSON object (found {found})")
        limit = self.max_field_chars
        for name, field in value.items():
            if isinstance(field, str) and len(field) > limit:
                error = f"field {name!r} is {len(field):,} characters, over the {limit:,} limit"
                return RawRecord(number, None, raw, error)
        return RawRecord(number, value, raw, None)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file's bytes, read in 1 MiB chunks (the import cursor keys on it)."""
    digest = hashlib.sha256()
    with _open(path) as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _open(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except IsADirectoryError:
        raise ConfigError(f"{path} is a directory; give the path of a file") from None
    except OSError as exc:
        raise ConfigError(f"cannot open {path}: {exc.strerror}; check the path") from None


def _suffix(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    return Path(name).suffix


def _detect(sample: bytes, path: Path, fmt: Format | None) -> Format:
    """The format from ``fmt``, else the file name, else the first bytes of content."""
    start = sample.removeprefix(_BOM).lstrip()
    if sample.startswith(_ZIP_MAGIC):
        raise ConfigError(f"{path} is a ZIP archive (an Excel workbook?); export it as CSV")
    if not start and len(sample) < _SAMPLE_BYTES:
        raise ConfigError(f"{path} has no records, only blank lines; export the data again")
    if fmt or _suffix(path) in _SUFFIXES:
        return fmt or _SUFFIXES[_suffix(path)]
    if start.startswith((b"{", b"[")):
        return "jsonl"
    if b"\x00" in sample:
        raise ConfigError(
            f"cannot tell the format of {path} (binary content); pass --format csv or jsonl"
        )
    return "csv"


def _sniff_delimiter(sample: bytes) -> str:
    """``csv.Sniffer``'s pick of , ; tab |, if the header has it; else the header's commonest."""
    text = sample.decode("utf-8-sig", errors="surrogateescape")
    if len(sample) == _SAMPLE_BYTES and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # whole lines only
    header = next((line for line in text.splitlines() if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(text, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    if delimiter in header:
        return delimiter
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


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


def _nonblank(row: list[str]) -> bool:
    return len(row) > 1 or (len(row) == 1 and bool(row[0].strip()))


def _too_long(limit: int, unit: str) -> str:
    return f"record is over {limit:,} {unit}: a field over the size limit, or a quote not closed"


def _printable(raw: str) -> str:
    """``raw`` with undecodable bytes written as \\xNN, so the rejects file stays valid UTF-8."""
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _cut(text: str) -> str:
    return text[:MAX_RAW_CHARS].rstrip("\r\n")
