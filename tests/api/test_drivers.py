"""Drivers through the API, on both backends: a week of posts about delayed and cancelled
flights after a calm week must be explained by "delayed" and "cancelled", and never by a name."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import ravine.drivers
from ravine.db import session_scope
from ravine.records import DocumentRecord
from ravine.repository.documents import upsert_documents
from ravine.repository.entities import tracked_terms
from ravine.repository.sources import get_or_create_source
from ravine.scoring import get_scorer
from tests.api.conftest import client_for
from tests.factories import make_source

WEEK = datetime(2025, 3, 10, tzinfo=UTC)  # a Monday
BAD_WEEK = {"entity": "northwind-air", "since": "2025-03-10", "until": "2025-03-16"}
OPENERS = ["My", "Our", "Today my", "The", "This morning the", "Yesterday our"]
CITIES = ["Oslo", "Paris", "Lisbon", "Rome", "Vienna", "Madrid", "Prague", "Dublin", "Riga"]
TAILS = ["with Northwind", "on @northwind", "at terminal 2", "for the 9:40", "via Frankfurt"]
CALM = ["friendly crew", "smooth landing", "decent coffee", "comfortable seats", "nice lounge"]


def post(i: int, week: int) -> str:
    opener, city, tail = OPENERS[i % 6], CITIES[i % 9], TAILS[i % 5]
    if week == 1 and i < 30:  # the bad week: delays and cancellations
        return f"{opener} flight to {city} {tail} was delayed and then cancelled"
    return f"{opener} flight to {city} {tail} was on time, {CALM[i % 5]}"


@dataclass(frozen=True)
class Stored:
    compounds: dict[str, float]  # external id -> compound as stored


def store(factory: sessionmaker[Session]) -> Stored:
    """40 public posts in the bad week (30 of them delays), 30 calm ones the week before, 3
    corporate statements in the bad week; scored by the real scorer, one with an old score."""
    with session_scope(factory, write=True) as session:
        entity_id, public_id = make_source(session, voice="public")
        corporate_id = get_or_create_source(
            session, name="test-corporate", kind="file", voice="corporate", entity_id=entity_id
        ).id
        terms = tracked_terms(session)
        scorer = get_scorer()
        texts = [(f"bad-{i}", post(i, 1), WEEK + timedelta(hours=4 * i)) for i in range(40)]
        texts += [(f"calm-{i}", post(i, 0), WEEK - timedelta(hours=5 * i + 1)) for i in range(30)]
        compounds: dict[str, float] = {}
        records = []
        for external_id, text, at in texts:
            scores = scorer.score(text, lang="en", mask_terms=terms).scores
            assert scores is not None
            compound = 0.9 if external_id == "bad-39" else scores.compound  # an older scorer's
            compounds[external_id] = compound
            records.append(
                DocumentRecord(
                    external_id=external_id, entity_id=entity_id, voice="public", text=text,
                    published_at=at, url=f"https://example.com/{external_id}", neg=scores.neg,
                    neu=scores.neu, pos=scores.pos, compound=compound,
                    sentences=scores.sentences, scorer_version=scorer.version(terms),
                )
            )  # fmt: skip
        upsert_documents(session, source_id=public_id, records=records)
        statements = [
            DocumentRecord(
                external_id=f"statement-{i}", entity_id=entity_id, voice="corporate",
                text="We are proud of our excellent punctuality and outstanding service",
                title=f"Statement {i}", published_at=WEEK + timedelta(days=i), neg=0.0,
                neu=0.5, pos=0.5, compound=0.9, sentences=1, scorer_version="test",
            )
            for i in range(3)
        ]  # fmt: skip
        upsert_documents(session, source_id=corporate_id, records=statements)
    return Stored(compounds)


@pytest.fixture
def stored(session_factory: sessionmaker[Session]) -> Stored:
    return store(session_factory)


@pytest.fixture
def client(db_url: str, stored: Stored) -> Iterator[TestClient]:
    with client_for(db_url) as test_client:
        yield test_client


def get(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/ravine/drivers", params={**BAD_WEEK, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def every_term(body: dict[str, Any]) -> set[str]:
    lists = [*body["terms"].values(), *body["distinctive"].values()]
    return {entry["term"] for entries in lists for entry in entries}


def test_delays_head_the_negative_terms_and_the_distinctive_words(client: TestClient) -> None:
    body = get(client, voice="public", against="previous")
    assert body["range"] == {
        "voice": "public", "since": "2025-03-10", "until": "2025-03-16",
        "documents_read": 40, "documents_total": 40,
    }  # fmt: skip
    assert body["comparison"] == {
        "voice": "public", "since": "2025-03-03", "until": "2025-03-09",
        "documents_read": 30, "documents_total": 30,
    }  # fmt: skip
    negative = body["terms"]["negative"]
    assert {term["term"] for term in negative[:2]} == {"delayed", "cancelled"}
    assert all(term["documents"] == 30 for term in negative[:2])
    assert all(term["contribution"] < 0 and term["share"] > 0 for term in negative)
    assert math.isclose(math.fsum(term["share"] for term in negative), 1.0)
    assert {item["term"] for item in body["distinctive"]["range"][:2]} == {"delayed", "cancelled"}
    assert body["distinctive"]["range"][0]["count"] == 30
    assert body["distinctive"]["range"][0]["comparison_count"] == 0
    # "on time" is what the calm week had and the bad one mostly lost
    assert "time" in {item["term"] for item in body["distinctive"]["comparison"]}


def test_no_name_of_an_entity_is_a_driver(client: TestClient) -> None:
    for against in ("previous", "other-voice"):
        terms = every_term(get(client, voice="public", against=against, limit=100))
        assert not terms & {"northwind", "@northwind", "xentity", "northwind air"}
        assert not any("northwind" in term or "xentity" in term for term in terms)


def test_the_terms_add_up_to_the_documents_compounds(client: TestClient) -> None:
    """Every term listed (limit 100 lists them all): their contributions sum to the summed
    compounds of the documents as scored now, and their mean shifts to the mean."""
    body = get(client, voice="public", limit=100)
    scorer = get_scorer()
    now = [scorer.score(post(i, 1), mask_terms=("Northwind Air", "Northwind", "@northwind"))
           for i in range(40)]  # fmt: skip
    total = math.fsum(outcome.scores.compound for outcome in now if outcome.scores)
    terms = [*body["terms"]["positive"], *body["terms"]["negative"]]
    assert math.fsum(term["contribution"] for term in terms) == pytest.approx(total, abs=1e-9)
    assert math.fsum(term["mean_shift"] for term in terms) == pytest.approx(total / 40)
    assert body["rescored"] == 1  # bad-39 was stored with an older score


def test_documents_are_ranked_by_stored_compound(client: TestClient, stored: Stored) -> None:
    body = get(client, voice="public", limit=5)
    negative, positive = body["documents"]["negative"], body["documents"]["positive"]
    assert len(negative) == 5
    assert [d["compound"] for d in negative] == sorted(d["compound"] for d in negative)
    assert negative[0]["compound"] == min(
        value for key, value in stored.compounds.items() if key.startswith("bad-")
    )
    assert positive[0]["compound"] == 0.9 and positive[0]["url"].endswith("/bad-39")
    assert "delayed" in negative[0]["title"]
    assert all("2025-03-10" <= d["published_at"][:10] <= "2025-03-16" for d in negative)


def test_against_the_other_voice(client: TestClient) -> None:
    body = get(client, voice="corporate", against="other-voice")
    assert body["range"]["documents_read"] == 3
    assert body["comparison"]["voice"] == "public"
    assert body["comparison"]["documents_read"] == 40
    positive = [term["term"] for term in body["terms"]["positive"]]
    assert set(positive[:2]) == {"excellent", "outstanding"}
    assert not body["terms"]["negative"]
    assert "delayed" in {item["term"] for item in body["distinctive"]["comparison"]}


def test_reading_is_bounded_and_says_so(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ravine.drivers, "MAX_DOCUMENTS", 10)
    body = get(client, voice="public", limit=100)
    assert body["range"]["documents_read"] == 10 and body["range"]["documents_total"] == 40
    # every fourth post, 0, 4, …, 36, across the week: eight delays among the ten, not the
    # newest ten (posts 30-39, none of them a delay)
    negative = {t["term"]: t["documents"] for t in body["terms"]["negative"]}
    assert negative["delayed"] == 8
    read = [d["published_at"] for side in ("positive", "negative")
            for d in body["documents"][side]]  # fmt: skip
    assert min(read) < "2025-03-11" and max(read) >= "2025-03-14"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"entity": "nobody", "voice": "public"}, 404),
        ({"voice": "public", "since": "2025-03-17", "until": "2025-03-16"}, 422),
        ({"voice": "everyone"}, 422),
        ({"voice": "public", "against": "yesterday"}, 422),
        ({"voice": "public", "limit": 0}, 422),
        ({}, 422),
    ],
)
def test_bad_input_is_refused(client: TestClient, params: dict[str, str], status: int) -> None:
    response = client.get("/api/v1/ravine/drivers", params={**BAD_WEEK, **params})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
