"""Field maps (synonyms, --map, messages) and the rules every imported row must pass."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ingest.files.fields import (
    FIELDS,
    SYNONYMS,
    FieldMap,
    ParsedRow,
    RowError,
    document_key,
    parse_map_options,
    parse_row,
    resolve_field_map,
)
from ravine.errors import ConfigError

AIRLINE_COLUMNS = [
    "tweet_id",
    "airline_sentiment",
    "airline_sentiment_confidence",
    "negativereason",
    "airline",
    "name",
    "retweet_count",
    "text",
    "tweet_coord",
    "tweet_created",
    "tweet_location",
    "user_timezone",
]
FULL = FieldMap(columns={f: f for f in FIELDS}, entity_column=None)
NEW_YORK = ZoneInfo("America/New_York")


def parse(values: dict[str, object], fmap: FieldMap = FULL, *, max_text: int = 1000) -> ParsedRow:
    row: dict[str, object] = {"text": "hello", "created_at": "2015-02-24T19:35:52Z"}
    row.update(values)
    return parse_row(row, fmap, default_tz=NEW_YORK, max_text_chars=max_text)


def row_error(values: dict[str, object], fmap: FieldMap = FULL, *, max_text: int = 1000) -> str:
    with pytest.raises(RowError) as caught:
        parse(values, fmap, max_text=max_text)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- field maps --------------------------------------------------------------------------


def test_synonyms_cover_the_twitter_airline_dataset() -> None:
    fmap = resolve_field_map(
        AIRLINE_COLUMNS, overrides={}, entity_column="airline", source="Tweets.csv"
    )
    assert fmap.columns == {
        "external_id": "tweet_id",
        "text": "text",
        "created_at": "tweet_created",
        "author": "name",
        "reposts": "retweet_count",
    }
    assert fmap.entity_column == "airline"


def test_synonyms_are_tried_in_order_and_case_insensitively() -> None:
    columns = ["Body", "Message", "DATE", "Timestamp", "Retweet_Count", "Favorite_Count", "Lang"]
    fmap = resolve_field_map(columns, overrides={}, entity_column=None, source="x.csv")
    assert fmap.columns == {
        "text": "Body",
        "created_at": "DATE",
        "reposts": "Retweet_Count",
        "likes": "Favorite_Count",
        "lang": "Lang",
    }


def test_retweets_are_reposts_not_likes() -> None:
    assert "retweet_count" in SYNONYMS["reposts"]
    assert not {"retweet_count", "favourites_count"} & set(SYNONYMS["likes"])
    assert set(SYNONYMS) == set(FIELDS)


def test_an_exact_case_match_wins() -> None:
    fmap = resolve_field_map(
        ["TEXT", "text", "date"], overrides={}, entity_column=None, source="x.csv"
    )
    assert fmap.columns["text"] == "text"


def test_overrides_win_and_their_columns_are_not_reused() -> None:
    columns = ["text", "full_text", "date", "published_at", "name"]
    fmap = resolve_field_map(
        columns,
        overrides={"text": "FULL_TEXT", "created_at": "date", "external_id": "text"},
        entity_column="name",
        source="x.csv",
    )
    assert fmap.columns == {"text": "full_text", "created_at": "date", "external_id": "text"}
    assert fmap.entity_column == "name"  # not taken as the author too


@pytest.mark.parametrize(
    ("columns", "overrides", "entity", "message"),
    [
        (
            ["a", "b", "date"],
            {},
            None,
            r"^no 'text' column in tweets\.csv \(columns: a, b, date\); "
            r"map one with --map text=COLUMN$",
        ),
        (["text", "b"], {}, None, r"^no 'created_at' column in tweets\.csv .*--map created_at="),
        (
            ["text", "date"],
            {"txt": "body"},
            None,
            r"unknown field 'txt'; valid fields: external_id, text, created_at, author",
        ),
        (
            ["text", "date"],
            {"text": "body"},
            None,
            r"^--map text=body: no column 'body' in tweets\.csv \(columns: text, date\)",
        ),
        (["text", "date"], {}, "airline", r"^--entity-column: no column 'airline' in tweets\.csv"),
    ],
)
def test_field_map_errors(
    columns: list[str], overrides: dict[str, str], entity: str | None, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        resolve_field_map(columns, overrides=overrides, entity_column=entity, source="tweets.csv")
    assert "\n" not in str(caught.value)


def test_long_column_lists_are_shortened() -> None:
    columns = [f"col{i}" for i in range(50)]
    with pytest.raises(ConfigError, match=r"col19, … \(50 in all\)\)") as caught:
        resolve_field_map(columns, overrides={}, entity_column=None, source="x.csv")
    assert "col20" not in str(caught.value)


def test_parse_map_options() -> None:
    assert parse_map_options([" Text = body ", "created_at=Date Posted"]) == {
        "text": "body",
        "created_at": "Date Posted",
    }
    assert parse_map_options([]) == {}
    assert parse_map_options(["url=a=b"]) == {"url": "a=b"}
    for bad in ("text", "=body", "text=", " = "):
        with pytest.raises(ConfigError, match="is not FIELD=COLUMN; write it like --map text="):
            parse_map_options([bad])
    with pytest.raises(ConfigError, match="gives 'text' twice"):
        parse_map_options(["text=a", "TEXT=b"])


# --- rows --------------------------------------------------------------------------------


def test_a_full_row() -> None:
    fmap = FieldMap(columns={f: f"c_{f}" for f in FIELDS}, entity_column="airline")
    values: dict[str, object] = {
        "c_external_id": " 570306133677760513 ",
        "c_text": "  @united thanks!  ",
        "c_created_at": "2015-02-24 11:35:52 -0800",
        "c_author": " jnardino ",
        "c_url": "https://x.com/1",
        "c_title": "",
        "c_lang": "en",
        "c_likes": "12",
        "c_reposts": " 7 ",
        "c_replies": "",
        "airline": " United ",
        "ignored": [1, 2],
    }
    assert parse_row(values, fmap, default_tz=NEW_YORK, max_text_chars=280) == ParsedRow(
        external_id="570306133677760513",
        text="@united thanks!",
        published_at=datetime(2015, 2, 24, 19, 35, 52, tzinfo=UTC),
        author="jnardino",
        url="https://x.com/1",
        title=None,
        lang="en",
        likes=12,
        reposts=7,
        replies=None,
        entity="United",
    )


def test_fields_not_in_the_map_are_none() -> None:
    fmap = FieldMap(columns={"text": "t", "created_at": "d"}, entity_column=None)
    row = parse_row(
        {"t": "hi", "d": "2015-02-24", "likes": "x"}, fmap, default_tz=UTC, max_text_chars=10
    )
    assert row == ParsedRow(
        None,
        "hi",
        datetime(2015, 2, 24, tzinfo=UTC),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )


def test_text_rules() -> None:
    assert row_error({"text": "   \n "}) == "text is empty"
    assert row_error({"text": None}) == "text is empty"
    assert row_error({"text": "x" * 1001}) == "text is 1,001 characters, over the 1,000 limit"
    assert parse({"text": f"  {'x' * 1000}  "}).text == "x" * 1000  # limit counts stripped text
    assert parse({"text": 42}).text == "42"  # a JSON number where a string is expected
    assert row_error({"text": ["a"]}) == "text: expected a string, found a list"
    assert row_error({"text": {"a": 1}}) == "text: expected a string, found an object"
    assert row_error({"text": True}) == "text: expected a string, found a boolean"


def test_a_missing_text_key_is_empty() -> None:
    fmap = FieldMap(columns={"text": "body", "created_at": "created_at"}, entity_column=None)
    with pytest.raises(RowError, match=r"^text is empty$"):
        parse_row({"created_at": "2015-02-24"}, fmap, default_tz=UTC, max_text_chars=10)


def test_created_at_rules() -> None:
    assert parse({"created_at": 1424806552}).published_at == datetime(
        2015, 2, 24, 19, 35, 52, tzinfo=UTC
    )
    assert parse({"created_at": "2025-03-09 02:30"}).published_at == datetime(
        2025, 3, 9, 7, 30, tzinfo=UTC
    )
    assert row_error({"created_at": ""}) == "created_at is empty"
    assert row_error({"created_at": None}) == "created_at is empty"
    assert row_error({"created_at": "soon"}).startswith(
        "created_at: 'soon' is not a timestamp; use ISO 8601"
    )
    assert "boolean" in row_error({"created_at": False})
    assert "outside the years 1970-2100" in row_error({"created_at": "1900-01-01"})
    assert row_error({"created_at": [1]}).startswith("created_at: list [1] is not a timestamp")


@pytest.mark.parametrize("field", ["author", "url", "title", "lang"])
def test_optional_string_rules(field: str) -> None:
    assert getattr(parse({field: "  value  "}), field) == "value"
    assert getattr(parse({field: "   "}), field) is None
    assert getattr(parse({field: None}), field) is None
    assert getattr(parse({field: 7}), field) == "7"
    assert getattr(parse({field: "x" * 2000}), field) == "x" * 2000
    assert row_error({field: "x" * 2001}) == f"{field} is 2,001 characters, over the 2,000 limit"
    assert row_error({field: {"name": "x"}}) == f"{field}: expected a string, found an object"
    assert row_error({field: ["x"]}) == f"{field}: expected a string, found a list"


@pytest.mark.parametrize("field", ["likes", "reposts", "replies"])
def test_count_rules(field: str) -> None:
    for value, expected in [
        (12, 12),
        (0, 0),
        (12.0, 12),
        ("12", 12),
        ("12.0", 12),
        (" 7 ", 7),
        ("007", 7),
        ("", None),
        ("  ", None),
        (None, None),
        (2**31 - 1, 2**31 - 1),
        (str(2**31 - 1), 2**31 - 1),
    ]:
        assert getattr(parse({field: value}), field) == expected, value
    for value, message in [
        ("1,234", "'1,234' is not a whole number"),
        ("1_234", "'1_234' is not a whole number"),
        ("many", "'many' is not a whole number"),
        ("12.5", "'12.5' is not a whole number"),
        ("1e3", "'1e3' is not a whole number"),
        ("+3", "'+3' is not a whole number"),
        ("٣", "'٣' is not a whole number"),
        (12.5, "12.5 is not a whole number"),
        (float("nan"), "nan is not a whole number"),
        (float("inf"), "inf is not a whole number"),
        (-1, "-1 is negative; counts start at 0"),
        ("-4", "-4 is negative; counts start at 0"),
        (-2.0, "-2 is negative; counts start at 0"),
        (True, "expected a whole number, found a boolean"),
        ([1], "expected a whole number, found a list"),
        ({"n": 1}, "expected a whole number, found an object"),
        (2**31, "2.15e+09 is too large for a count"),
        (str(2**31), "2.15e+09 is too large for a count"),
        (str(2**63), f"'{2**63}' is too large for a count"),
        ("9" * 30, f"'{'9' * 30}' is too large for a count"),
        ("9" * 5000, f"'{'9' * 37}...' is too large for a count"),  # int() would refuse it
    ]:
        assert row_error({field: value}) == f"{field}: {message}"


def test_external_id_rules() -> None:
    assert parse({"external_id": 570306133677760513}).external_id == "570306133677760513"
    assert parse({"external_id": "  abc  "}).external_id == "abc"
    assert parse({"external_id": ""}).external_id is None
    assert parse({"external_id": "x" * 512}).external_id == "x" * 512
    assert row_error({"external_id": "x" * 513}) == (
        "external_id is 513 characters, over the 512 limit"
    )
    assert row_error({"external_id": 5.703061336777605e17}).startswith(
        "external_id: 5.703061336777605e+17 is a float, which loses digits"
    )
    assert row_error({"external_id": True}) == "external_id: expected a string, found a boolean"
    assert row_error({"external_id": [1]}) == "external_id: expected a string, found a list"


def test_entity_rules() -> None:
    fmap = FieldMap(columns=FULL.columns, entity_column="airline")
    assert parse({"airline": "  Delta "}, fmap).entity == "Delta"
    assert row_error({"airline": "  "}, fmap) == "entity is empty"
    assert row_error({}, fmap) == "entity is empty"
    assert row_error({"airline": ["Delta"]}, fmap) == "entity: expected a string, found a list"
    assert parse({"airline": "x"}).entity is None  # no entity column: the CLI names the entity


def test_document_key() -> None:
    when = datetime(2015, 2, 24, 19, 35, 52, tzinfo=UTC)
    key = document_key(entity="united", author="jane", published_at=when, text="hi")
    expected = "united\x1fjane\x1f2015-02-24T19:35:52+00:00\x1fhi"
    assert key == hashlib.sha256(expected.encode()).hexdigest()
    same_instant = when.astimezone(timezone(timedelta(hours=-8)))
    assert document_key(entity="united", author="jane", published_at=same_instant, text="hi") == key
    others = {
        document_key(entity="delta", author="jane", published_at=when, text="hi"),
        document_key(entity="united", author=None, published_at=when, text="hi"),
        document_key(entity="united", author="jane", published_at=when, text="hi!"),
        document_key(
            entity="united", author="jane", published_at=when + timedelta(seconds=1), text="hi"
        ),
        key,
    }
    assert len(others) == 5
    with pytest.raises(ValueError, match="aware"):
        document_key(entity="u", author=None, published_at=datetime(2015, 1, 1), text="hi")
