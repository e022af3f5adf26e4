"""Plain values out of what APIs send: text from HTML, UTC times, engagement counts.

VADER reads words, so markup must go, entities must be decoded and block elements must still
separate sentences. The standard library's HTML parser is enough for the sanitised HTML that
feeds and APIs send (Mastodon allows ``p br span a``; feedparser sanitises feed content).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_HIDDEN = frozenset({"script", "style", "template", "noscript", "head"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def clean_text(text: str) -> str:
    """Control characters out (PostgreSQL refuses NUL), spaces collapsed, blank lines dropped."""
    lines = (_SPACES.sub(" ", line).strip() for line in _CONTROL.sub("", text).splitlines())
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blocks on their own line."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return clean_text("".join(collector.parts))


def parse_utc(value: str) -> datetime:
    """An RFC 3339 / ISO 8601 time as an aware UTC datetime; ValueError when it is neither."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        raise ValueError(f"time {value!r} has no UTC offset")
    return parsed.astimezone(UTC)


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def as_count(value: object) -> int | None:
    """An engagement count, or None when the API sent none (or nonsense)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        return None
    return value


def json_safe(value: object) -> Any:
    """``value`` with what JSON cannot hold left out (feedparser puts ``time.struct_time``
    values beside the strings), so a parsed record can be stored as ``documents.raw``."""
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items() if _is_json(item)}
    if isinstance(value, list):
        return [json_safe(item) for item in value if _is_json(item)]
    return value


def _is_json(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | Mapping)
