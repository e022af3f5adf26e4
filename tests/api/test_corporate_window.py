"""The corporate voice over a trailing window: statements are sparse, posts dense.

Each period's corporate value must be the plain mean of the statements whose local day lies in
the window's days, counted here from the stored records themselves, on both backends.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Iterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import client_for
from tests.databases import DatabaseFactory
from tests.sparse import NINE_DAYS, load_sparse, records

TZ = "America/New_York"
RANGE = {"since": NINE_DAYS.first.isoformat(), "until": NINE_DAYS.last.isoformat(), "tz": TZ}


@pytest.fixture(scope="module")
def sparse(databases: DatabaseFactory) -> Iterator[tuple[TestClient, str]]:
    url = databases.migrated()
    slug = load_sparse(url, NINE_DAYS)
    with client_for(url) as client:
        yield client, slug


def _local_days(voice: str) -> list[tuple[date, float]]:
    zone = ZoneInfo(TZ)
    return [
        (r.published_at.astimezone(zone).date(), float(r.compound or 0))
        for r in records(NINE_DAYS, entity_id=0)[voice]
    ]


def _expected(first: date, last: date) -> tuple[int, float | None]:
    """The statements of local days first..last: their count and mean compound."""
    scores = [score for day, score in _local_days("corporate") if first <= day <= last]
    return len(scores), (statistics.fmean(scores) if scores else None)


@pytest.mark.parametrize(("freq", "length"), [("day", 1), ("week", 7)])
@pytest.mark.parametrize("window", [14, 30])
def test_each_period_pools_the_statements_of_its_trailing_days(
    sparse: tuple[TestClient, str], freq: str, length: int, window: int
) -> None:
    client, slug = sparse
    params = {**RANGE, "entity": slug, "freq": freq, "corporate_window": window}
    body = client.get("/api/v1/ravine", params=params).json()
    assert body["corporate_window"] == window
    assert body["periods"]
    for period in body["periods"]:
        end = date.fromisoformat(period["period"]) + timedelta(days=length)
        n, mean = _expected(end - timedelta(days=window), end - timedelta(days=1))
        corporate = period["corporate"]
        assert corporate["n"] == n, period["period"]
        if n >= 5:
            assert corporate["value"] == pytest.approx(mean, abs=1e-9)
            assert period["ravine"]["value"] is not None
        else:
            assert corporate["value"] is None


def test_the_window_defines_the_ravine_where_per_period_statements_cannot(
    sparse: tuple[TestClient, str],
) -> None:
    client, slug = sparse
    params = {**RANGE, "entity": slug}
    per_day = client.get("/api/v1/ravine", params=params).json()["periods"]
    trailing = client.get("/api/v1/ravine", params={**params, "corporate_window": 14}).json()
    defined = [p["ravine"]["value"] is not None for p in trailing["periods"]]
    assert not any(p["ravine"]["value"] is not None for p in per_day)
    assert sum(defined) >= 0.8 * len(defined)
    # The public voice is untouched by the corporate window.
    assert [p["public"] for p in per_day] == [p["public"] for p in trailing["periods"]]


def test_the_sheet_counts_each_period_s_own_documents(sparse: tuple[TestClient, str]) -> None:
    client, slug = sparse
    params = {**RANGE, "entity": slug, "corporate_window": 30, "format": "csv"}
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/ravine", params=params).text)))
    for row in rows:
        day = date.fromisoformat(row["period"])
        assert int(row["corporate_documents"]) == _expected(day, day)[0]
        assert int(row["corporate_n"]) == _expected(day - timedelta(days=29), day)[0]
        posts = sum(1 for d, _ in _local_days("public") if d == day)
        assert int(row["public_documents"]) == int(row["public_n"]) == posts


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"view": "baseline", "corporate_window": 14}, "corporate window applies to the raw view"),
        ({"corporate_window": 366}, "corporate_window"),
        ({"corporate_window": -1}, "corporate_window"),
    ],
)
def test_a_window_that_cannot_apply_is_a_clear_error(
    sparse: tuple[TestClient, str], params: dict[str, object], words: str
) -> None:
    client, slug = sparse
    sent = client.get("/api/v1/ravine", params={**RANGE, "entity": slug, **params})
    assert sent.status_code == 422
    assert words in sent.text
