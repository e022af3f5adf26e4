"""``ravine score --rescore`` moves stored scores between the finance model and plain VADER."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from tests.cli import ravine
from tests.test_cli_score import scores
from tests.test_repository_documents import assert_rollups_match_a_rebuild

STATEMENTS = {
    "s1": "Operating profit fell to EUR 3 mn from EUR 9 mn.",
    "s2": "The net loss narrowed to EUR 4 mn in the second quarter.",
    "s3": "Material costs rose sharply in the first half.",
    "s4": "We are thrilled to welcome our new customers!",
    "s5": "Our app was down for an hour this morning, sorry.",
}
FINANCE = {"s1", "s2", "s3"}


def _load(capsys: pytest.CaptureFixture[str], db_url: str, folder: Path) -> None:
    assert ravine(capsys, db_url, "entities", "add", "Helio Bank").code == 0
    path = folder / "statements.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {"id": key, "entity": "helio-bank", "text": text,
                 "published_at": f"2025-03-0{n}T09:00:00+00:00"}
            ) + "\n"
            for n, (key, text) in enumerate(STATEMENTS.items(), start=1)
        ),
        encoding="utf-8",
    )  # fmt: skip
    result = ravine(
        capsys, db_url, "ingest", "file", str(path), "--voice", "corporate",
        "--entity-column", "entity", "--workers", "1",
    )  # fmt: skip
    assert result.code == 0, result.err


def _compound(row: tuple[object, ...]) -> float:
    value = row[3]
    assert isinstance(value, float)
    return value


def _rescore(capsys: pytest.CaptureFixture[str], db_url: str) -> int:
    result = ravine(capsys, db_url, "score", "--rescore", "--workers", "1")
    assert result.code == 0, result.err
    return int(result.err.split("scored ")[1].split(" documents")[0])


def test_rescore_switches_the_model_both_ways(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RAVINE_SENTIMENT_MODEL", raising=False)
    _load(capsys, db_url, tmp_path)
    finance = scores(db_url)
    assert all(str(row[6]).startswith("finvader3.3.2-") for row in finance.values())
    assert _compound(finance["s1"]) < 0 < _compound(finance["s2"])
    assert _compound(finance["s3"]) < 0

    monkeypatch.setenv("RAVINE_SENTIMENT_MODEL", "vader")
    assert _rescore(capsys, db_url) == len(STATEMENTS)
    vader = scores(db_url)
    assert all(str(row[6]).startswith("vader3.3.2-") for row in vader.values())
    reference = SentimentIntensityAnalyzer()
    for key, text in STATEMENTS.items():
        assert _compound(vader[key]) == reference.polarity_scores(text)["compound"]
    assert {key for key in STATEMENTS if vader[key][:4] != finance[key][:4]} == FINANCE
    assert_rollups_match_a_rebuild(session_factory)
    assert _rescore(capsys, db_url) == 0  # nothing is stale under one model

    monkeypatch.setenv("RAVINE_SENTIMENT_MODEL", "finance")
    assert _rescore(capsys, db_url) == len(STATEMENTS)
    assert scores(db_url) == finance
    assert_rollups_match_a_rebuild(session_factory)
