"""SEC EDGAR: a company's 8-K filings and their press-release exhibits (EX-99.x), by CIK.

SEC's fair-access rules shape this module: every request names a contact (``contact`` is sent
as the User-Agent; SEC answers 403 without one) and requests are paced client-side, since EDGAR
sends no rate-limit headers and blocks an IP for about ten minutes above 10 requests/s. The
submissions JSON lists filings newest first; new ones are read oldest first, one filing per
page, so each page's cursor (the accession numbers read) is a safe restart point.

Times: ``acceptanceDateTime`` ends in ``Z`` but is New York time for some filers, so it is not
used. The filing index's "Accepted" (US/Eastern wall-clock time) is, else ``filingDate`` at
midnight in New York; both become UTC through the zone's rules, DST included.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from pydantic import Field, HttpUrl, field_validator

from ingest.connectors.base import Connector, CursorModel, Item, Page, SettingsModel
from ingest.connectors.errors import GoneError, PayloadError
from ingest.connectors.http import where
from ingest.connectors.text import clean_text, html_to_text

EASTERN = ZoneInfo("America/New_York")
MAX_SEEN = 1_000  # ``filings.recent`` never lists more filings than this
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_EXHIBIT_NAME = re.compile(r"ex-?99", re.IGNORECASE)
_COLUMNS = ("accessionNumber", "filingDate", "form", "items")


class SecEdgarSettings(SettingsModel):
    cik: int = Field(ge=1, lt=10**10, description="The company's CIK.", examples=[1234567])
    contact: str = Field(
        description="Who SEC may contact: sent as the User-Agent (SEC requires an e-mail).",
        examples=["Acme Research admin@acme.com"],
    )
    forms: list[str] = Field(default=["8-K", "8-K/A"], description="Form types to read.")
    since: date | None = Field(
        default=None, description="First run: filings from this date on.", examples=["2025-01-01"]
    )
    backfill_days: int = Field(default=90, ge=0, le=3650, description="First run without since.")
    requests_per_second: float = Field(default=5.0, gt=0, le=5, description="Client-side pace.")
    base_url: HttpUrl = Field(default=HttpUrl("https://data.sec.gov"), description="API root.")
    archives_url: HttpUrl = Field(
        default=HttpUrl("https://www.sec.gov"), description="Root of /Archives/edgar."
    )

    @field_validator("contact")
    @classmethod
    def _has_email(cls, value: str) -> str:
        if not _EMAIL.search(value):
            raise ValueError(
                "SEC refuses requests without a contact e-mail in the User-Agent; write e.g. "
                'contact = "Acme Research admin@acme.com"'
            )
        return value.strip()


class SecEdgarCursor(CursorModel):
    since: date | None = None  # filings filed before this day are never read
    seen: list[str] = Field(default_factory=list)  # accession numbers read, oldest first


class Pace:
    """At most one request per interval. One instance serves every EDGAR source of the process:
    SEC counts requests per machine, not per source."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self, interval: float) -> None:
        with self._lock:
            now = time.monotonic()
            if self._next > now:
                time.sleep(self._next - now)
                now = self._next
            self._next = now + interval


PACE = Pace()


class _IndexPage(HTMLParser):
    """The filing index (``…-index.htm``): its "Accepted" time and its documents' rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.info: list[tuple[str, str]] = []  # (infoHead, info) in page order
        self.rows: list[tuple[list[str], str | None]] = []  # (cell texts, first link)
        self._class: str | None = None
        self._text: list[str] = []
        self._cells: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and found.get("class") in ("infoHead", "info"):
            self._class, self._text = found["class"], []
        elif tag == "tr":
            self._cells, self._href = [], None
        elif tag in ("td", "th"):
            self._text = []
        elif tag == "a" and self._cells is not None and self._href is None:
            self._href = found.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._class is not None:
            text = clean_text("".join(self._text))
            if self._class == "infoHead":
                self.info.append((text, ""))
            elif self.info:
                self.info[-1] = (self.info[-1][0], text)
            self._class = None
        elif tag in ("td", "th") and self._cells is not None:
            self._cells.append(clean_text("".join(self._text)))
        elif tag == "tr" and self._cells is not None:
            self.rows.append((self._cells, self._href))
            self._cells = None

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def accepted(self) -> str | None:
        return next((value for head, value in self.info if head == "Accepted"), None)

    def exhibits(self) -> list[tuple[str, str, str]]:
        """(description, type, href) of each EX-99 document (by type, else by file name)."""
        found = []
        for cells, href in self.rows:
            if len(cells) < 4 or not href or not href.lower().endswith((".htm", ".html", ".txt")):
                continue
            kind = cells[3].upper()
            name = href.rsplit("/", 1)[-1]
            if kind.startswith("EX-99") or (not kind and _EXHIBIT_NAME.search(name)):
                found.append((cells[1], kind or "EX-99", href))
        return found


def eastern_to_utc(wall_clock: str) -> datetime:
    """An EDGAR "2025-03-10 08:30:00" (New York wall-clock time) as an aware UTC datetime."""
    return datetime.fromisoformat(wall_clock.strip()).replace(tzinfo=EASTERN).astimezone(UTC)


def filing_day_to_utc(day: str) -> datetime:
    return eastern_to_utc(date.fromisoformat(day).isoformat() + " 00:00:00")


def _filings(body: Any, url: str) -> tuple[str, list[dict[str, str]]]:
    """The company's name and its recent filings (newest first) as one dict per filing."""
    try:
        recent: Mapping[str, Sequence[Any]] = body["filings"]["recent"]
        columns = [list(recent[name]) for name in _COLUMNS]
        name = str(body["name"])
    except (TypeError, KeyError):
        raise PayloadError(f"{where(url)} did not send EDGAR submissions") from None
    if len({len(column) for column in columns}) != 1:
        raise PayloadError(f"{where(url)}: the filings' columns differ in length")
    rows = zip(*columns, strict=True)
    return name, [dict(zip(_COLUMNS, map(str, row), strict=True)) for row in rows]


class SecEdgarConnector(Connector[SecEdgarSettings, SecEdgarCursor]):
    kind = "sec_edgar"
    settings_model = SecEdgarSettings
    cursor_model = SecEdgarCursor

    @property
    def key(self) -> str:
        settings = self.settings
        return f"{settings.base_url}|CIK{settings.cik:010d}|{','.join(settings.forms)}"

    def pages(self, cursor: SecEdgarCursor) -> Iterator[Page[SecEdgarCursor]]:
        settings = self.settings
        if cursor.since is None:
            start = (
                settings.since or (self.context.now() - timedelta(settings.backfill_days)).date()
            )
            cursor = cursor.model_copy(update={"since": start})
        url = f"{str(settings.base_url).rstrip('/')}/submissions/CIK{settings.cik:010d}.json"
        self._pace()
        body, _ = self.context.http.get_json(url, headers=self._contact)
        company, filings = _filings(body, url)
        seen = set(cursor.seen)
        due = [
            filing
            for filing in reversed(filings)  # oldest first
            if filing["form"] in settings.forms
            and filing["accessionNumber"] not in seen
            and filing["filingDate"] >= str(cursor.since)
        ]
        if not due:
            yield Page(items=(), cursor=cursor)
        for filing in due:
            items, rejected = self._filing(filing, author=f"{company} (CIK {settings.cik})")
            read = [*cursor.seen, filing["accessionNumber"]][-MAX_SEEN:]
            cursor = cursor.model_copy(update={"seen": read})
            skipped = int(not items and not rejected)  # a filing without press releases
            yield Page(items=items, cursor=cursor, rejected=rejected, skipped=skipped)

    def _filing(self, filing: dict[str, str], *, author: str) -> tuple[list[Item], list[str]]:
        """The filing's EX-99 exhibits as items; none when its items lack 9.01 (exhibits)."""
        accession = filing["accessionNumber"]
        if filing["items"] and "9.01" not in filing["items"].split(","):
            return [], []
        archives = str(self.settings.archives_url).rstrip("/")
        folder = f"{archives}/Archives/edgar/data/{self.settings.cik}/"
        index_url = f"{folder}{accession.replace('-', '')}/{accession}-index.htm"
        index = _IndexPage()
        try:
            index.feed(self._get(index_url).text)
        except GoneError:  # listed in the submissions, not (yet, or any more) in the archive
            return [], [f"filing {accession}: {where(index_url)} is missing (404); skipped"]
        index.close()
        try:
            accepted = index.accepted()
            published = (
                eastern_to_utc(accepted) if accepted else filing_day_to_utc(filing["filingDate"])
            )
        except ValueError as exc:
            return [], [f"filing {accession}: unreadable date ({exc})"]
        items, rejected = [], []
        for description, kind, href in index.exhibits():
            exhibit_url = str(httpx.URL(index_url).join(href))
            try:
                text = html_to_text(self._get(exhibit_url).text)
            except GoneError:
                rejected.append(f"filing {accession}: {where(exhibit_url)} is missing (404)")
                continue
            items.append(
                Item(
                    external_id=f"{accession}/{href.rsplit('/', 1)[-1]}",
                    text=text,
                    title=" ".join((filing["form"], filing["filingDate"], kind))
                    + (f": {description}" if description not in ("", kind) else ""),
                    published_at=published,
                    url=exhibit_url,
                    author=author,
                    lang="en",
                    raw=filing,
                )
            )
        return items, rejected

    @property
    def _contact(self) -> dict[str, str]:
        return {"User-Agent": self.settings.contact}

    def _pace(self) -> None:
        PACE.wait(1.0 / self.settings.requests_per_second)

    def _get(self, url: str) -> httpx.Response:
        self._pace()
        return self.context.http.get(url, headers=self._contact)
