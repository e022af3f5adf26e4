"""Recognise an input file: open it, tell CSV from JSON Lines, find the CSV delimiter, hash it."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Literal

from ravine.errors import ConfigError

Format = Literal["csv", "jsonl"]

_SUFFIXES: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
BOM = b"\xef\xbb\xbf"
SAMPLE_BYTES = 64 * 1024
_DELIMITERS = ",;\t|"
CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file's bytes, read in 1 MiB chunks (the import cursor keys on it)."""
    digest = hashlib.sha256()
    with open_binary(path) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def open_binary(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except IsADirectoryError:
        raise ConfigError(f"{path} is a directory; give the path of a file") from None
    except OSError as exc:
        raise ConfigError(f"cannot open {path}: {exc.strerror}; check the path") from None


def suffix(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    return Path(name).suffix


def detect_format(sample: bytes, *, path: Path, fmt: Format | None) -> Format:
    """The format from ``fmt``, else the file name, else the first bytes of content."""
    start = sample.removeprefix(BOM).lstrip()
    if sample.startswith(_ZIP_MAGIC):
        raise ConfigError(f"{path} is a ZIP archive (an Excel workbook?); export it as CSV")
    if not start and len(sample) < SAMPLE_BYTES:
        raise ConfigError(f"{path} has no records, only blank lines; export the data again")
    if fmt or suffix(path) in _SUFFIXES:
        return fmt or _SUFFIXES[suffix(path)]
    if start.startswith((b"{", b"[")):
        return "jsonl"
    if b"\x00" in sample:
        raise ConfigError(
            f"cannot tell the format of {path} (binary content); pass --format csv or jsonl"
        )
    return "csv"


def sniff_delimiter(sample: bytes) -> str:
    """``csv.Sniffer``'s pick of , ; tab |, if the header has it; else the header's commonest."""
    text = sample.decode("utf-8-sig", errors="surrogateescape")
    if len(sample) == SAMPLE_BYTES and "\n" in text:
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
