"""Which column holds which document field, and the checks every imported row must pass.

Exports name their columns in many ways (``tweet_created``, ``full_text``, ``retweet_count``);
common names are matched automatically and ``--map field=column`` covers the rest. A row that
fails a check raises :class:`RowError`, which the import counts and reports without stopping.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from ingest.files.timestamps import parse_timestamp
from ingest.storable import text_problem
from ravine.errors import ConfigError, RavineError

__all__ = [
    "FIELDS",
    "SYNONYMS",
    "FieldMap",
    "ParsedRow",
    "RowError",
    "document_key",
    "parse_map_options",
    "parse_row",
    "resolve_field_map",
]

FIELDS: tuple[str, ...] = (
    "external_id",
    "text",
    "created_at",
    "author",
    "url",
    "title",
    "lang",
    "likes",
    "reposts",
    "replies",
)
# Header names tried in order, case-insensitively, for a field not given with --map.
# Twitter's ``favourites_count`` is left out on purpose: it counts the likes a *user* has given.
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "external_id": ("external_id", "id", "tweet_id", "post_id", "status_id", "uri", "guid"),
    "text": ("text", "content", "body", "message", "full_text", "review", "tweet"),
    "created_at": (
        "created_at",
        "published_at",
        "date",
        "datetime",
        "timestamp",
        "time",
        "tweet_created",
        "created_utc",
        "created",
        "published",
    ),
    "author": ("author", "user", "username", "name", "screen_name", "handle", "user_name"),
    "url": ("url", "link", "permalink"),
    "title": ("title", "headline", "subject"),
    "lang": ("lang", "language"),
    "likes": ("likes", "like_count", "likes_count", "favorite_count", "favourite_count"),
    "reposts": (
        "reposts",
        "repost_count",
        "retweet_count",
        "retweets",
        "reblogs_count",
        "share_count",
        "shares",
    ),
    "replies": ("replies", "reply_count", "replies_count", "num_comments", "comment_count"),
}
REQUIRED = ("text", "created_at")
MAX_STRING_CHARS = 2_000
MAX_ID_CHARS = 512
_MAX_COUNT = 2**31 - 1  # the documents table stores counts as INTEGER
_MAX_COUNT_DIGITS = len(str(_MAX_COUNT))
_WHOLE = re.compile(r"(\d+)(?:\.0*)?", re.ASCII)


class RowError(RavineError, ValueError):
    """One row cannot be imported; the message names the field and the problem, on one line."""


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Where each document field is found in a file's columns."""

    columns: Mapping[str, str]  # field -> column name, only for fields present
    entity_column: str | None


@dataclass(slots=True)
class ParsedRow:
    """One valid row, ready to be scored and stored."""

    external_id: str | None
    text: str
    published_at: datetime
    author: str | None
    url: str | None
    title: str | None
    lang: str | None
    likes: int | None
    reposts: int | None
    replies: int | None
    entity: str | None


def parse_map_options(options: Sequence[str]) -> dict[str, str]:
    """Turn ``--map text=body`` options into {field: column}; field names are checked later."""
    mapping: dict[str, str] = {}
    for option in options:
        field, sep, column = option.partition("=")
        field, column = field.strip().lower(), column.strip()
        if not sep or not field or not column:
            raise ConfigError(
                f"--map {option!r} is not FIELD=COLUMN; write it like --map text=body"
            )
        if field in mapping:
            raise ConfigError(f"--map gives {field!r} twice; keep one --map {field}=COLUMN")
        mapping[field] = column
    return mapping


def resolve_field_map(
    columns: Sequence[str],
    *,
    overrides: Mapping[str, str],
    entity_column: str | None,
    source: str,
) -> FieldMap:
    """Match fields to ``columns``: ``overrides`` first, then :data:`SYNONYMS`."""
    by_name = {name.lower(): name for name in reversed(columns)}  # first of equal names wins
    by_name.update({name: name for name in columns})  # an exact-case match beats the others

    def find(name: str, what: str) -> str:
        found = by_name.get(name) or by_name.get(name.lower())
        if found is None:
            raise ConfigError(
                f"{what}: no column {name!r} in {source} (columns: {_listing(columns)}); "
                "check the spelling"
            )
        return found

    mapped: dict[str, str] = {}
    for field, column in overrides.items():
        if field not in FIELDS:
            raise ConfigError(
                f"--map {field}={column}: unknown field {field!r}; "
                f"valid fields: {', '.join(FIELDS)}"
            )
        mapped[field] = find(column, f"--map {field}={column}")
    entity = find(entity_column, "--entity-column") if entity_column is not None else None
    taken = set(mapped.values())
    if entity is not None:
        taken.add(entity)
    for field in FIELDS:
        if field in mapped:
            continue
        for synonym in SYNONYMS[field]:
            found = by_name.get(synonym)
            if found is not None and found not in taken:
                mapped[field] = found
                taken.add(found)
                break
    for field in REQUIRED:
        if field not in mapped:
            raise ConfigError(
                f"no {field!r} column in {source} (columns: {_listing(columns)}); "
                f"map one with --map {field}=COLUMN"
            )
    return FieldMap(columns=mapped, entity_column=entity)


def parse_row(
    values: Mapping[str, object], fmap: FieldMap, *, default_tz: tzinfo, max_text_chars: int
) -> ParsedRow:
    """Check and convert one row; raise :class:`RowError` naming the first bad field.

    Spelled out field by field, with positional calls: this runs once per imported row.
    """
    get, column = values.get, fmap.columns.get
    text = _string(get(fmap.columns["text"]), "text", max_text_chars)
    if text is None:
        raise RowError("text is empty")
    created = get(fmap.columns["created_at"])
    if created is None or created == "":
        raise RowError("created_at is empty")
    try:
        published_at = parse_timestamp(created, default_tz=default_tz)
    except ValueError as exc:
        raise RowError(f"created_at: {exc}") from None
    entity = None
    if fmap.entity_column is not None:
        entity = _string(get(fmap.entity_column), "entity", MAX_STRING_CHARS)
        if entity is None:
            raise RowError("entity is empty")
    return ParsedRow(
        _external_id(get(c)) if (c := column("external_id")) else None,
        text,
        published_at,
        _string(get(c), "author", MAX_STRING_CHARS) if (c := column("author")) else None,
        _string(get(c), "url", MAX_STRING_CHARS) if (c := column("url")) else None,
        _string(get(c), "title", MAX_STRING_CHARS) if (c := column("title")) else None,
        _string(get(c), "lang", MAX_STRING_CHARS) if (c := column("lang")) else None,
        _count(get(c), "likes") if (c := column("likes")) else None,
        _count(get(c), "reposts") if (c := column("reposts")) else None,
        _count(get(c), "replies") if (c := column("replies")) else None,
        entity,
    )


def document_key(*, entity: str, author: str | None, published_at: datetime, text: str) -> str:
    """A stable id for a row without one, so importing the same file twice adds nothing."""
    if published_at.tzinfo is None:
        raise ValueError("document_key needs an aware published_at; parse it with parse_row")
    instant = published_at.astimezone(UTC).isoformat()
    joined = "\x1f".join((entity, author or "", instant, text))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _string(value: object, field: str, limit: int) -> str | None:
    """A stripped string, None when missing or blank; numbers are accepted as their text."""
    if isinstance(value, str):
        text = value.strip()
    elif value is None:
        return None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)
    else:
        raise RowError(f"{field}: expected a string, found {_json_type(value)}")
    if len(text) > limit:
        raise RowError(f"{field} is {len(text):,} characters, over the {limit:,} limit")
    problem = text_problem(text, field)
    if problem is not None:
        raise RowError(problem)
    return text or None


def _count(value: object, field: str) -> int | None:
    """A non-negative whole number from an int, an integral float or a numeric string."""
    if value is None:
        return None
    if type(value) is str and len(value) < 19 and value.isascii() and value.isdigit():  # fast path
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        match = _WHOLE.fullmatch(text.removeprefix("-"))
        if match is None:
            raise RowError(f"{field}: {_quote(text)} is not a whole number")
        if len(match[1].lstrip("0")) > _MAX_COUNT_DIGITS:  # also spares int() a huge string
            raise RowError(f"{field}: {_quote(text)} is too large for a count")
        number = -int(match[1]) if text.startswith("-") else int(match[1])
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise RowError(f"{field}: expected a whole number, found {_json_type(value)}")
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise RowError(f"{field}: {value!r} is not a whole number")
        number = int(value)
    else:
        number = value
    if number < 0:
        raise RowError(f"{field}: {number} is negative; counts start at 0")
    if number > _MAX_COUNT:
        raise RowError(f"{field}: {number:.3g} is too large for a count")
    return number


def _external_id(value: object) -> str | None:
    if isinstance(value, float):
        raise RowError(
            f"external_id: {value!r} is a float, which loses digits; "
            "write ids as strings or whole numbers"
        )
    return _string(value, "external_id", MAX_ID_CHARS)


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _quote(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")


def _listing(columns: Sequence[str]) -> str:
    shown = ", ".join(columns[:20])
    return shown + f", … ({len(columns)} in all)" if len(columns) > 20 else shown
