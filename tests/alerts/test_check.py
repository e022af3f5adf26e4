"""Alert checks end to end on both backends: the sample's June outage caught once, delivered
once to a real webhook receiver and a real SMTP server, across reruns, failures and locks."""

from __future__ import annotations

import itertools
import os
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete, func, select

from cli.main import run
from ingest.alerts.check import AlertCheck, CheckReport
from ingest.live.config_reader import load_sources
from ravine.alerting import AlertRule, SeriesCache, daily_series, history_days
from ravine.db import make_engine, make_session_factory
from ravine.models import AlertDelivery, AlertEvent
from ravine.repository.entities import find_entity
from ravine.repository.locks import alerts_check_lock
from tests.alerts.receivers import Answer, SmtpServer, WebhookReceiver
from tests.api.conftest import load_sample_into
from tests.cli import RAVINE_PROCESS
from tests.databases import DatabaseFactory

NOW = datetime(2025, 6, 20, 12, tzinfo=UTC)  # four days after Northwind Air's outage
RULES = """\
[[channels]]
name = "hook"
kind = "webhook"
url_env = "TEST_HOOK_URL"
backoff = "1s"

[[channels]]
name = "mail"
kind = "email"
smtp_url_env = "TEST_SMTP_URL"
from = "ravine@example.com"
to = ["analysts@example.com"]

[[alerts]]
name = "northwind-band"
kind = "band"
entity = "northwind-air"
notify = [{channels}]
"""


@pytest.fixture(scope="module")
def sample_db(databases: DatabaseFactory) -> str:
    url = databases.migrated()
    load_sample_into(url)
    return url


@pytest.fixture
def alert_db(sample_db: str) -> Iterator[str]:
    """The sample, with the events and deliveries of each test removed after it."""
    yield sample_db
    engine = make_engine(sample_db)
    with engine.begin() as connection:
        connection.execute(delete(AlertDelivery))
        connection.execute(delete(AlertEvent))
    engine.dispose()


def _rules(tmp_path: Path, channels: str = '"hook", "mail"') -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(RULES.replace("{channels}", channels), encoding="utf-8")
    return path


def _check(
    url: str, rules: Path, environ: dict[str, str], sleeps: list[float], **kw: object
) -> CheckReport:
    engine = make_engine(url)
    try:
        config = load_sources(rules, environ=environ, need_env=False)
        check = AlertCheck(
            config=config.alerts, engine=engine, factory=make_session_factory(engine),
            environ=environ, dashboard_url="https://ravine.example.com", now=lambda: NOW,
            sleep=sleeps.append,
        )  # fmt: skip
        return check.run(**kw)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def _stored(url: str) -> tuple[list[date], list[tuple[str, str, int]]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        days = list(connection.scalars(select(AlertEvent.day).order_by(AlertEvent.day)))
        deliveries = connection.execute(
            select(AlertDelivery.channel, AlertDelivery.status, AlertDelivery.attempts).order_by(
                AlertDelivery.channel
            )
        )
        found = [(channel, status, attempts) for channel, status, attempts in deliveries]
    engine.dispose()
    return days, found


def test_the_outage_is_caught_once_and_each_channel_hears_of_it_once(
    alert_db: str,
    tmp_path: Path,
    webhook_receiver: WebhookReceiver,
    smtp_server: SmtpServer,
    sleeps: list[float],
) -> None:
    environ = {"TEST_HOOK_URL": webhook_receiver.url, "TEST_SMTP_URL": smtp_server.url()}
    first = _check(alert_db, _rules(tmp_path), environ, sleeps)
    assert (first.events, first.sent, first.problems) == (1, 2, [])
    again = _check(alert_db, _rules(tmp_path), environ, sleeps)
    assert (again.events, again.sent, again.problems) == (0, 0, [])
    days, deliveries = _stored(alert_db)
    assert days == [date(2025, 6, 16)]
    assert deliveries == [("hook", "sent", 1), ("mail", "sent", 1)]
    (post,) = webhook_receiver.posts
    assert post.body["ravine"]["day"] == "2025-06-16" and post.body["ravine"]["kind"] == "band"
    assert "Northwind Air" in post.body["text"] and "outside its 90-day band" in post.body["text"]
    assert post.headers["idempotency-key"].startswith("ravine-alert-")
    (mail,) = smtp_server.received
    assert (
        str(mail.message["Subject"])
        .strip()
        .startswith("Ravine alert: Northwind Air, ravine outside its band, 2025-06-16")
    )
    assert mail.message["Message-ID"] == f"<{post.headers['idempotency-key'][:-1]}2@ravine.local>"
    body = mail.message.get_body()
    assert body is not None
    assert "https://ravine.example.com/?entity=northwind-air&since=2025-04-17" in body.get_content()


def test_a_webhook_answering_500_is_retried_then_failed_then_sent_by_the_next_check(
    alert_db: str, tmp_path: Path, webhook_receiver: WebhookReceiver, sleeps: list[float]
) -> None:
    environ = {"TEST_HOOK_URL": webhook_receiver.url}
    webhook_receiver.script(*[Answer.of(500)] * 4)
    failed = _check(alert_db, _rules(tmp_path, '"hook"'), environ, sleeps)
    assert failed.events == 1 and failed.sent == 0
    (problem,) = failed.problems
    assert "HTTP 500 Internal Server Error after 4 attempts" in problem and "s3cr3t" not in problem
    assert sleeps == [1.0, 2.0, 4.0]
    assert _stored(alert_db)[1] == [("hook", "failed", 1)]
    recovered = _check(alert_db, _rules(tmp_path, '"hook"'), environ, sleeps)
    assert (recovered.events, recovered.sent, recovered.problems) == (0, 1, [])
    assert _stored(alert_db)[1] == [("hook", "sent", 2)]
    assert len(webhook_receiver.posts) == 5 and len(webhook_receiver.accepted) == 1
    assert len({post.headers["idempotency-key"] for post in webhook_receiver.posts}) == 1


def test_an_unset_secret_fails_the_delivery_and_keeps_it(
    alert_db: str, tmp_path: Path, sleeps: list[float]
) -> None:
    report = _check(alert_db, _rules(tmp_path, '"hook"'), {}, sleeps)
    assert report.events == 1
    assert report.problems == [
        "alert 'northwind-band' to hook: environment variable TEST_HOOK_URL (named by url_env) "
        "is not set; export it where `ravine alerts check` runs"
    ]
    assert _stored(alert_db)[1] == [("hook", "failed", 1)]


def test_a_check_finding_another_one_running_does_nothing(
    alert_db: str, tmp_path: Path, sleeps: list[float]
) -> None:
    engine = make_engine(alert_db)
    with alerts_check_lock(engine) as taken:
        assert taken
        report = _check(alert_db, _rules(tmp_path, ""), {}, sleeps)
    engine.dispose()
    assert report.locked and report.events == 0
    assert _stored(alert_db) == ([], [])


def test_a_backfill_stores_events_without_sending_and_later_checks_leave_them(
    alert_db: str, tmp_path: Path, webhook_receiver: WebhookReceiver, sleeps: list[float]
) -> None:
    environ = {"TEST_HOOK_URL": webhook_receiver.url}
    backfill = _check(alert_db, _rules(tmp_path, '"hook"'), environ, sleeps,
                      since=date(2025, 1, 1), send=False)  # fmt: skip
    assert backfill.events >= 2 and backfill.sent == 0
    days, deliveries = _stored(alert_db)
    assert date(2025, 6, 16) in days and {status for _, status, _ in deliveries} == {"skipped"}
    assert _check(alert_db, _rules(tmp_path, '"hook"'), environ, sleeps).sent == 0
    assert webhook_receiver.posts == []


def test_ingest_run_checks_the_rules_and_alerts_events_lists_them(
    alert_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = _rules(tmp_path, "")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TEST_HOOK_URL", "http://127.0.0.1:9/")
        assert run(["--database-url", alert_db, "ingest", "run", "--config", str(rules)]) == 0
    capsys.readouterr()
    assert run(["--database-url", alert_db, "alerts", "events", "--entity", "northwind-air",
                "--since", "2025-06-01", "--json"]) == 0  # fmt: skip
    listed = capsys.readouterr().out
    today = datetime.now(UTC).date()
    # The check judged the last lookback days before today: the sample's 2025 holds none.
    assert (today.year > 2025 and listed.strip() == "[]") or "2025-06" in listed
    assert run(["--database-url", alert_db, "alerts", "check", "--config", str(rules),
                "--since", "2025-06-10"]) == 0  # fmt: skip
    assert run(["--database-url", alert_db, "alerts", "events", "--csv"]) == 0
    events = capsys.readouterr().out
    assert "2025-06-16,northwind-air,northwind-band,band,up," in events


def _count(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = connection.scalar(select(func.count()).select_from(AlertEvent)) or 0
    engine.dispose()
    return found


# Channels slow to give up: a killed check must die mid-request or mid-backoff.
KILLABLE = RULES.replace('backoff = "1s"', 'timeout = 30\nbackoff = "60s"').replace(
    "{channels}", '"hook", "mail"'
)


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["mid-request", "mid-backoff"])
def test_a_check_killed_mid_delivery_sends_each_event_once_across_reruns(
    alert_db: str,
    tmp_path: Path,
    webhook_receiver: WebhookReceiver,
    smtp_server: SmtpServer,
    moment: str,
) -> None:
    rules = tmp_path / "sources.toml"
    rules.write_text(KILLABLE, encoding="utf-8")
    command = [*RAVINE_PROCESS, "--database-url", alert_db, "alerts", "check", "--config",
               str(rules), "--since", "2025-06-10"]  # fmt: skip
    environ = {**os.environ, "TEST_HOOK_URL": webhook_receiver.url,
               "TEST_SMTP_URL": smtp_server.url()}  # fmt: skip
    # The receiver holds the first message (and then refuses it), or refuses it at once and
    # the check sleeps through its backoff: either way the check is killed with it unsent.
    webhook_receiver.script(Answer.of(500, delay=4.0 if moment == "mid-request" else 0.0))
    process = subprocess.Popen(command, env=environ)
    deadline = time.monotonic() + 60
    while not webhook_receiver.posts and time.monotonic() < deadline:
        assert process.poll() is None, "the check ended before its first message"
        time.sleep(0.05)
    time.sleep(0.3)
    process.kill()
    process.wait(timeout=10)
    assert _count(alert_db) >= 2  # both of 2025's band events were stored before delivery
    for _ in range(2):  # the rerun delivers; the one after it finds nothing to do
        assert subprocess.run(command, env=environ, timeout=120).returncode == 0
    keys = [post.headers["idempotency-key"] for post in webhook_receiver.accepted]
    assert len(keys) == len(set(keys)) == _count(alert_db)
    assert webhook_receiver.posts[0].headers["idempotency-key"] in keys  # sent again, same key
    mails = [mail.message["Message-ID"] for mail in smtp_server.received]
    assert len(mails) == len(set(mails)) == _count(alert_db)
    assert {status for _, status, _ in _stored(alert_db)[1]} == {"sent"}


def test_a_check_reads_each_series_once_and_gives_each_rule_its_own_history(
    alert_db: str,
) -> None:
    """Rules of one entity, zone and corporate window share one read, over the longest
    history among them; each rule is handed the days its own history starts at, so it judges
    them as it would alone (a CUSUM started earlier would run differently)."""
    band = AlertRule(name="band", kind="band", entity="northwind-air", baseline_days=120)
    volume = AlertRule(name="volume", kind="volume_spike", entity="northwind-air", window=28)
    shift = AlertRule(name="shift", kind="change_point", entity="northwind-air", tz="Asia/Tokyo")
    cache = SeriesCache(lead_days=max(map(history_days, (band, volume, shift))))
    first, last = date(2025, 7, 1), date(2025, 7, 31)
    engine = make_engine(alert_db)
    with make_session_factory(engine)() as session:
        entity = find_entity(session, "northwind-air")
        assert entity is not None
        alone = daily_series(session, band, entity.id, since=date(2025, 3, 3), until=last)
        got = {rule.name: cache.series(session, rule, entity.id, first=first, last=last)
               for rule in (band, volume, shift)}  # fmt: skip
    engine.dispose()
    assert len(cache.found) == 2  # one read per zone: UTC for band and volume, Tokyo for shift
    assert got["band"].days[0] == date(2025, 3, 3) and got["band"].days[-1] == last
    assert got["volume"].days[0] == date(2025, 6, 3)
    assert got["shift"].days[0] == date(2025, 4, 2)
    assert got["band"].days == alone.days
    assert np.array_equal(got["band"].ravine, alone.ravine, equal_nan=True)
    assert np.array_equal(
        got["volume"].public_documents, alone.since(date(2025, 6, 3)).public_documents
    )


@pytest.mark.slow
def test_two_checks_at_once_send_each_event_once(
    alert_db: str, tmp_path: Path, webhook_receiver: WebhookReceiver, smtp_server: SmtpServer
) -> None:
    rules = tmp_path / "sources.toml"
    rules.write_text(KILLABLE.replace('backoff = "60s"', 'backoff = "1s"'), encoding="utf-8")
    command = [*RAVINE_PROCESS, "--database-url", alert_db, "alerts", "check", "--config",
               str(rules), "--since", "2025-06-10"]  # fmt: skip
    environ = {**os.environ, "TEST_HOOK_URL": webhook_receiver.url,
               "TEST_SMTP_URL": smtp_server.url()}  # fmt: skip
    webhook_receiver.script(Answer.of(200, delay=1.0), Answer.of(200, delay=1.0))
    checks = [subprocess.Popen(command, env=environ) for _ in range(2)]
    assert [check.wait(timeout=120) for check in checks] == [0, 0]
    assert subprocess.run(command, env=environ, timeout=120).returncode == 0
    keys = [post.headers["idempotency-key"] for post in webhook_receiver.posts]
    assert len(keys) == len(set(keys)) == _count(alert_db) >= 2
    mails = [mail.message["Message-ID"] for mail in smtp_server.received]
    assert len(mails) == len(set(mails)) == _count(alert_db)


def test_a_rule_stays_quiet_for_its_cooldown(
    alert_db: str, tmp_path: Path, sleeps: list[float]
) -> None:
    def backfill(cooldown: int) -> list[date]:
        rules = tmp_path / f"cooldown-{cooldown}.toml"
        text = RULES.replace("notify = [{channels}]", f"notify = []\ncooldown_days = {cooldown}")
        rules.write_text(text, encoding="utf-8")
        _check(alert_db, rules, {}, sleeps, since=date(2025, 1, 1), send=False)
        days = _stored(alert_db)[0]
        engine = make_engine(alert_db)
        with engine.begin() as connection:
            connection.execute(delete(AlertEvent))
        engine.dispose()
        return days

    every = backfill(0)
    quiet = backfill(7)
    assert any((b - a).days < 7 for a, b in itertools.pairwise(every))  # the summer
    assert all((b - a).days >= 7 for a, b in itertools.pairwise(quiet))
    assert set(quiet) < set(every) and date(2025, 6, 16) in quiet
