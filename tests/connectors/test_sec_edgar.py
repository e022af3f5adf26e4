"""SEC EDGAR: 8-K exhibits as documents, Eastern times, the contact rule and the client pace."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from ingest.connectors import sec_edgar
from ingest.connectors.base import Context
from ingest.connectors.errors import PayloadError
from ingest.connectors.sec_edgar import SecEdgarSettings, eastern_to_utc, filing_day_to_utc
from ingest.live.config_reader import read_sources
from tests.connectors.cases import connector_for, drain, ids, walk
from tests.connectors.conftest import USER_AGENT
from tests.connectors.server import LocalServer, Reply
from tests.connectors.upstreams import FakeEdgar

ARCHIVE = "/Archives/edgar/data/1234567"


def settings(server: LocalServer, **more: object) -> dict[str, object]:
    return {
        "cik": FakeEdgar.cik, "contact": USER_AGENT, "since": "2025-01-01",
        "base_url": server.base_url, "archives_url": server.base_url, **more,
    }  # fmt: skip


def test_press_release_exhibits_become_plain_documents(
    server: LocalServer, context: Context
) -> None:
    FakeEdgar(server)
    pages = drain(connector_for("sec_edgar", settings(server), context))
    assert ids(pages) == [  # oldest filing first; 8-K/A included; the 2024 filing is too old
        "0001234567-25-000017/nwa-ex991_20250307.htm",
        "0001234567-25-000021/nwa-ex991_20250310.htm",
        "0001234567-25-000021/nwa-ex992_20250310.htm",
        "0001234567-25-000033/nwa-ex99-1_20250410.htm",  # no Type on the index: by file name
        "0001234567-25-000052/nwa-ex991_20250602.htm",
    ]
    release = pages[-1].items[0]
    assert release.text.splitlines()[:3] == [
        "Exhibit 99.1",
        "Northwind Air Reports Record Second-Quarter Bookings",
        "DENVER, June 2, 2025 – Northwind Air Holdings, Inc. (NASDAQ: NWND) today reported record "
        "bookings for the second quarter, driven by strong summer demand and the successful "
        "launch of eight new routes.",
    ]
    assert "“Our teams delivered an outstanding quarter" in release.text
    assert "company’s history" in release.text and "$ 2,431" in release.text
    assert release.title == "8-K 2025-06-02 EX-99.1"
    assert pages[1].items[1].title == "8-K 2025-03-10 EX-99.2: INVESTOR PRESENTATION"
    assert pages[2].items[0].title == "8-K/A 2025-04-10 EX-99: INVESTOR UPDATE"
    assert release.url == (f"{server.base_url}{ARCHIVE}/000123456725000052/nwa-ex991_20250602.htm")
    assert release.author == "NORTHWIND AIR HOLDINGS, INC. (CIK 1234567)"
    assert release.lang == "en" and release.likes is None
    # The 8-K of 2025-05-01 has item 5.02 only: no exhibits, so its index is not even fetched.
    assert sum(page.skipped for page in pages) == 1
    assert not server.requests_to(f"{ARCHIVE}/000123456725000041/0001234567-25-000041-index.htm")
    assert {r.headers["user-agent"] for r in server.requests} == {USER_AGENT}


def test_accepted_times_are_new_york_time_across_the_dst_change(
    server: LocalServer, context: Context
) -> None:
    """EDGAR labels acceptanceDateTime "Z" even where it is New York time (8:30 here): the
    index's "Accepted" is read as US/Eastern, EST before 9 March 2025 and EDT after."""
    FakeEdgar(server)
    pages = drain(connector_for("sec_edgar", settings(server), context))
    items = {item.external_id.split("/")[0]: item for page in pages for item in page.items}
    assert items["0001234567-25-000017"].published_at == datetime(2025, 3, 7, 21, 5, 12, tzinfo=UTC)
    assert items["0001234567-25-000021"].published_at == datetime(2025, 3, 10, 12, 30, tzinfo=UTC)
    assert items["0001234567-25-000052"].published_at == datetime(2025, 6, 2, 20, 5, 12, tzinfo=UTC)
    assert eastern_to_utc("2025-11-03 09:00:00") == datetime(2025, 11, 3, 14, 0, tzinfo=UTC)
    assert filing_day_to_utc("2025-07-04") == datetime(2025, 7, 4, 4, 0, tzinfo=UTC)


def test_without_accepted_on_the_index_the_filing_day_in_new_york_is_used(
    server: LocalServer, context: Context
) -> None:
    FakeEdgar(server)
    index = f"{ARCHIVE}/000123456725000017/0001234567-25-000017-index.htm"
    page = (Path(__file__).parents[1] / "fixtures" / "sec_edgar" / index.lstrip("/")).read_text()
    server.queue(index, Reply(200, page.replace(">Accepted<", ">Period<").encode()))
    first = drain(connector_for("sec_edgar", settings(server), context))[0].items[0]
    assert first.published_at == datetime(2025, 3, 7, 5, 0, tzinfo=UTC)  # midnight EST


def test_requests_are_paced_to_at_most_five_a_second(server: LocalServer, context: Context) -> None:
    edgar = FakeEdgar(server)
    drain(connector_for("sec_edgar", settings(server), context))
    arrivals = edgar.arrivals
    assert len(arrivals) == 10  # submissions, 4 indexes, 5 exhibits
    # Sent 0.2 s apart. Arrivals carry the loaded server's scheduling jitter (one late arrival
    # makes the next gap short), so the property is checked as the rate limit is defined:
    # any six consecutive requests span a second, and the i-th comes 0.2·i s after the first.
    spans = [arrivals[i + 5] - arrivals[i] for i in range(len(arrivals) - 5)]
    assert min(spans) > 0.95, spans
    assert all(at - arrivals[0] > 0.2 * i - 0.05 for i, at in enumerate(arrivals)), arrivals
    with pytest.raises(ValidationError, match="less than or equal to 5"):
        SecEdgarSettings.model_validate(settings(server, requests_per_second=10))


def test_a_contact_with_an_email_is_required(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r'contact = "Acme Research admin@acme\.com"'):
        SecEdgarSettings.model_validate({"cik": 320193, "contact": "Ravine/0.1"})
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[entities]]\nname = "Northwind Air"\n\n[[sources]]\nname = "edgar"\n'
        'kind = "sec_edgar"\nentity = "northwind-air"\nvoice = "corporate"\ncik = 1234567\n'
    )
    _, problems = read_sources(path, environ={})
    assert [p.render(Path("sources.toml")) for p in problems] == [
        'sources.toml:4: sources[0] "edgar": contact is missing; add it, e.g. '
        'contact = "Acme Research admin@acme.com"'
    ]


@pytest.mark.slow
def test_seen_accessions_are_bounded_and_new_filings_resume_the_stream(
    server: LocalServer, context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    edgar = FakeEdgar(server)
    connector = connector_for("sec_edgar", settings(server), context)
    first, second = walk(connector.pages(connector.cursor_model()), 2)
    assert first.cursor.seen == ["0001234567-25-000017"]
    assert second.cursor.seen == ["0001234567-25-000017", "0001234567-25-000021"]
    done = drain(connector, second.cursor)[-1].cursor
    assert ids(drain(connector, done)) == []
    edgar.advance()
    assert ids(drain(connector, done)) == ["0001234567-25-000058/nwa-ex991_20250603.htm"]
    # ``filings.recent`` lists at most 1,000 filings, so 1,000 accessions are always enough.
    monkeypatch.setattr(sec_edgar, "MAX_SEEN", 3)
    assert drain(connector)[-1].cursor.seen == [
        "0001234567-25-000041", "0001234567-25-000052", "0001234567-25-000058",
    ]  # fmt: skip


def test_the_first_run_without_since_reads_backfill_days(
    server: LocalServer, context: Context
) -> None:
    FakeEdgar(server)
    configured = {**settings(server, backfill_days=2), "since": None}
    pages = drain(connector_for("sec_edgar", configured, context))
    assert ids(pages) == ["0001234567-25-000052/nwa-ex991_20250602.htm"]
    assert pages[-1].cursor.since == datetime(2025, 6, 1).date()


def test_filings_whose_columns_do_not_line_up_are_a_payload_error(
    server: LocalServer, context: Context
) -> None:
    edgar = FakeEdgar(server)
    edgar.submissions["filings"]["recent"]["form"].pop()
    with pytest.raises(PayloadError, match="columns differ in length"):
        drain(connector_for("sec_edgar", settings(server), context))


def test_a_filing_missing_from_the_archive_is_skipped_not_a_stuck_source(
    server: LocalServer, context: Context
) -> None:
    """EDGAR lists a filing whose index page answers 404: that filing is reported and
    skipped, the others are read, and the next run does not ask for it again."""
    FakeEdgar(server)
    missing = f"{ARCHIVE}/000123456725000021/0001234567-25-000021-index.htm"
    server.route(missing, lambda _: Reply(404, b"Not Found", {"Content-Type": "text/plain"}))
    connector = connector_for("sec_edgar", settings(server), context)
    pages = drain(connector)
    assert "0001234567-25-000021/nwa-ex991_20250310.htm" not in ids(pages)
    assert "0001234567-25-000052/nwa-ex991_20250602.htm" in ids(pages)
    reasons = [reason for page in pages for reason in page.rejected]
    assert reasons == [f"filing 0001234567-25-000021: {server.base_url}{missing} is missing "
                       "(404); skipped"]  # fmt: skip
    asked = len(server.requests_to(missing))
    drain(connector_for("sec_edgar", settings(server), context), cursor=pages[-1].cursor)
    assert len(server.requests_to(missing)) == asked
