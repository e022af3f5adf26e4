"""A directory of CSV / JSON Lines files (a drop folder), each file read once.

Files are read with the file importer's own reader and row checks (:mod:`ingest.files`), so
they accept exactly what ``ravine ingest file`` accepts. The cursor keeps, per file name, the
file's SHA-256 and how many records were read: an unchanged complete file is skipped, an
interrupted one resumes, a changed one is read again (the upsert stores only what changed).
A file that cannot be read at all is reported once and skipped until it changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationInfo, field_validator

from ingest.connectors.base import Connector, CursorModel, Item, Page, SettingsModel
from ingest.connectors.errors import FatalError
from ingest.files.fields import (
    FIELDS,
    FieldMap,
    RowError,
    document_key,
    parse_row,
    resolve_field_map,
)
from ingest.files.readers import Format, RawRecord, RecordReader, sha256_file
from ingest.live.file_values import TimeZone
from ravine.errors import ConfigError

PATTERNS = ("*.csv", "*.csv.gz", "*.tsv", "*.jsonl", "*.jsonl.gz", "*.ndjson")


class FilesSettings(SettingsModel):
    path: Path = Field(description="The folder to read.", examples=["/srv/ravine/drop"])
    patterns: list[str] = Field(default=list(PATTERNS), description="File name patterns to read.")
    map: dict[str, str] = Field(
        default_factory=dict,
        description=f"field -> column, as --map of `ravine ingest file`; fields: {FIELDS}.",
        examples=[{"external_id": "post_id"}],
    )
    format: Format | None = Field(default=None, description="csv or jsonl; default: detected.")
    tz: TimeZone = Field(default="UTC", description="Time zone of times that carry none.")
    batch_size: int = Field(default=500, ge=1, le=100_000, description="Records per page.")

    @field_validator("path")
    @classmethod
    def _relative_to_config(cls, value: Path, info: ValidationInfo) -> Path:
        """A relative path is read from the sources file's folder, not from cron's cwd."""
        base = (info.context or {}).get("base_dir")
        return value if value.is_absolute() or base is None else Path(base) / value


class FileProgress(CursorModel):
    sha256: str
    records: int = 0
    complete: bool = False


class FilesCursor(CursorModel):
    files: dict[str, FileProgress] = Field(default_factory=dict)  # by file name


class FilesConnector(Connector[FilesSettings, FilesCursor]):
    kind = "files"
    settings_model = FilesSettings
    cursor_model = FilesCursor
    matches_public_by_default = False  # a person chose these documents

    @property
    def key(self) -> str:
        return str(self.settings.path.resolve())

    @cached_property
    def _zone(self) -> ZoneInfo:
        """The zone naive times are read in, looked up once rather than for every row."""
        return ZoneInfo(self.settings.tz)

    def pages(self, cursor: FilesCursor) -> Iterator[Page[FilesCursor]]:
        folder = self.settings.path
        if not folder.is_dir():
            raise FatalError(f"{folder} is not a folder; check the source's path")
        names = {p.name: p for pattern in self.settings.patterns for p in folder.glob(pattern)}
        for name in sorted(names):
            digest = sha256_file(names[name])
            done = cursor.files.get(name)
            if done is not None and done.sha256 == digest and done.complete:
                continue
            start = done.records if done is not None and done.sha256 == digest else 0
            for page in self._file_pages(names[name], digest=digest, start=start, cursor=cursor):
                yield page
                cursor = page.cursor

    def _file_pages(
        self, path: Path, *, digest: str, start: int, cursor: FilesCursor
    ) -> Iterator[Page[FilesCursor]]:
        def after(records: int, *, complete: bool) -> FilesCursor:
            progress = FileProgress(sha256=digest, records=records, complete=complete)
            return FilesCursor(files={**cursor.files, path.name: progress})

        items: list[Item] = []
        rejected: list[str] = []
        consumed = start
        try:
            with RecordReader(
                path, fmt=self.settings.format, max_field_chars=self.context.max_text_chars
            ) as reader:
                fmap = resolve_field_map(
                    reader.columns,
                    overrides=self.settings.map,
                    entity_column=None,
                    source=path.name,
                )
                for index, record in enumerate(reader):
                    if index < start:
                        continue
                    consumed = index + 1
                    try:
                        items.append(self._item(record, fmap))
                    except RowError as exc:
                        rejected.append(f"{path.name} line {record.line}: {exc}")
                    if len(items) + len(rejected) >= self.settings.batch_size:
                        yield Page(items, after(consumed, complete=False), rejected)
                        items, rejected = [], []
        except ConfigError as exc:  # the whole file (or its rest) is unreadable: say so once
            rejected.append(f"{path.name}: {exc}")
        yield Page(items, after(consumed, complete=True), rejected)

    def _item(self, record: RawRecord, fmap: FieldMap) -> Item:
        if record.values is None:
            raise RowError(record.error or "unreadable record")
        row = parse_row(
            record.values,
            fmap,
            default_tz=self._zone,
            max_text_chars=self.context.max_text_chars,
        )
        key = row.external_id or document_key(
            entity="", author=row.author, published_at=row.published_at, text=row.text
        )
        return Item(
            external_id=key,
            text=row.text,
            published_at=row.published_at,
            title=row.title,
            url=row.url,
            author=row.author,
            lang=row.lang,
            likes=row.likes,
            reposts=row.reposts,
            replies=row.replies,
            raw=record.values,
        )
