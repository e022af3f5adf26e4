"""`ravine annotations`: add (with the API's checks), list by overlap as JSON or CSV, delete;
mistakes are one line and a non-zero exit."""

from __future__ import annotations

import json

import pytest

from tests.cli import ravine


def test_add_list_delete(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    assert ravine(capsys, db_url, "entities", "add", "Acme").code == 0
    added = ravine(capsys, db_url, "annotations", "add", "acme", "2025-03-10", "Launch",
                   "--url", "https://acme.example/news")  # fmt: skip
    assert added.code == 0
    launch = int(added.out.strip())
    assert ravine(capsys, db_url, "annotations", "add", "Acme", "2025-04-01", "Outage",
                  "--end-date", "2025-04-03").code == 0  # fmt: skip
    rows = json.loads(ravine(capsys, db_url, "annotations", "list", "acme", "--json").out)
    assert [(r["date"], r["end_date"], r["label"], r["created_by"]) for r in rows] == [
        ("2025-03-10", None, "Launch", None), ("2025-04-01", "2025-04-03", "Outage", None)
    ]  # fmt: skip
    sheet = ravine(capsys, db_url, "annotations", "list", "acme", "--since", "2025-04-02", "--csv")
    assert sheet.out.splitlines()[1].split(",")[1:4] == ["2025-04-01", "2025-04-03", "Outage"]
    assert ravine(capsys, db_url, "annotations", "delete", str(launch)).code == 0
    rows = json.loads(ravine(capsys, db_url, "annotations", "list", "acme", "--json").out)
    assert [r["label"] for r in rows] == ["Outage"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("add", "nobody", "2025-03-10", "Launch"), "no entity 'nobody'"),
        (("add", "acme", "2025-03-10", "Launch", "--end-date", "2025-03-01"), "is before date"),
        (("add", "acme", "2025-03-10", "Launch", "--url", "file:///etc/passwd"), "https://"),
        (("list", "acme", "--until", "2025-13-01"), "--until: '2025-13-01' is not a calendar"),
        (("delete", "99"), "no annotation 99"),
    ],
)
def test_mistakes_are_one_line(
    capsys: pytest.CaptureFixture[str], db_url: str, args: tuple[str, ...], words: str
) -> None:
    assert ravine(capsys, db_url, "entities", "add", "Acme").code == 0
    failed = ravine(capsys, db_url, "annotations", *args)
    assert failed.code != 0
    assert words in failed.err and len(failed.err.strip().splitlines()) == 1
