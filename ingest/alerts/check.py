"""Check the alert rules of a sources file: store each new event once, then deliver.

One check runs at a time (:func:`ravine.repository.locks.alerts_check_lock`); an overlapping
one finds the lock taken and leaves at once. Each rule and entity is judged in a transaction
of its own, which stores its new events with a delivery per channel; deliveries are then
made one by one, each claimed before its message leaves and finished after. So a rerun never
stores or sends an event twice, a check killed mid-send sends that one message again (under
the same key, which receivers can drop), and a delivery that failed is tried again by the
next checks until :data:`ravine.repository.alerts.MAX_CHECKS`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ingest.alerts.config import AlertsConfig, ChannelSpec, WebhookSpec
from ingest.alerts.delivery import DeliveryFailed, Message, Retry
from ingest.alerts.email import send_email
from ingest.alerts.messages import alert_message
from ingest.alerts.webhook import post_webhook
from ravine.alerting import AlertRule, SeriesCache, history_days, new_findings
from ravine.analytics.errors import AnalyticsError
from ravine.db import session_scope
from ravine.errors import ConfigError
from ravine.models import Entity
from ravine.repository.alerts import claim_delivery, finish_delivery, open_deliveries, store_event
from ravine.repository.entities import find_entity, list_entities
from ravine.repository.locks import alerts_check_lock

log = logging.getLogger(__name__)
Sleep = Callable[[float], None]


@dataclass(slots=True)
class CheckReport:
    """What a check did; ``problems`` are one line each (a rule that could not be judged, a
    delivery that failed)."""

    locked: bool = False  # another check held the lock: this one did nothing
    events: int = 0
    sent: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertCheck:
    config: AlertsConfig
    engine: Engine
    factory: sessionmaker[Session]
    environ: Mapping[str, str]
    dashboard_url: str | None = None
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    sleep: Sleep = time.sleep

    def run(self, *, since: date | None = None, send: bool = True) -> CheckReport:
        """Judge every enabled rule (from ``since``, or its lookback days) and deliver."""
        report = CheckReport()
        with alerts_check_lock(self.engine) as taken:
            if not taken:
                report.locked = True
                return report
            rules = [rule for rule in self.config.rules if rule.enabled]
            cache = SeriesCache(max((history_days(rule) for rule in rules), default=0))
            for rule in rules:
                self._judge(rule, since, send, report, cache)
            self._deliver(report)
        return report

    def _judge(
        self,
        rule: AlertRule,
        since: date | None,
        send: bool,
        report: CheckReport,
        cache: SeriesCache,
    ) -> None:
        today = self.now().astimezone(ZoneInfo(rule.tz)).date()
        first = since or date.fromordinal(today.toordinal() - rule.lookback_days + 1)
        with session_scope(self.factory) as session:
            entities = _entities(session, rule)
        if not entities:
            report.problems.append(
                f"alert {rule.name!r}: no entity {rule.entity!r} in the database; add it "
                "(`ravine entities add`) or fix the rule's entity"
            )
            return
        for entity_id, slug in entities:
            try:
                with session_scope(self.factory, write=True) as session:
                    series = cache.series(session, rule, entity_id, first=first, last=today)
                    found = new_findings(session, rule, entity_id, series, first=first, last=today)
                    for finding in found:
                        store_event(
                            session, rule=rule.name, entity_id=entity_id, finding=finding,
                            channels=rule.channels, send=send,
                        )  # fmt: skip
                        log.info(
                            "alert %s: %s %s: %s", rule.name, slug, finding.day, finding.detail,
                            extra={"fields": {"alert": rule.name, "entity": slug,
                                              "day": finding.day.isoformat()}},
                        )  # fmt: skip
                report.events += len(found)
            except AnalyticsError as exc:
                report.problems.append(f"alert {rule.name!r} on {slug}: {exc}")

    def _deliver(self, report: CheckReport) -> None:
        with session_scope(self.factory) as session:
            due = open_deliveries(session)
        rules = {rule.name: rule for rule in self.config.rules}
        for delivery, stored in due:
            with session_scope(self.factory, write=True) as session:
                claim_delivery(session, delivery.id)
            rule = rules.get(stored.event.rule)
            message = alert_message(stored, delivery.id, rule, self.dashboard_url)
            error = self._send(delivery.channel, message)
            with session_scope(self.factory, write=True) as session:
                finish_delivery(session, delivery.id, error=error)
            if error:
                report.problems.append(
                    f"alert {stored.event.rule!r} to {delivery.channel}: {error}"
                )
            else:
                report.sent += 1

    def _send(self, name: str, message: Message) -> str | None:
        """None once the channel took the message; else why not, in one line."""
        channel = self.config.channel(name)
        try:
            if channel is None:
                raise DeliveryFailed(
                    f"channel {name!r} is no longer in the sources file; declare it again "
                    "in [[channels]] so the message can go",
                    retriable=False,
                )
            _send_to(channel, message, self.environ, self.sleep)
        except (DeliveryFailed, ConfigError) as exc:  # ConfigError: a malformed SMTP URL
            return str(exc)
        return None


def _send_to(
    channel: ChannelSpec, message: Message, environ: Mapping[str, str], sleep: Sleep
) -> None:
    retry = Retry(attempts=channel.attempts, backoff=channel.backoff)
    if isinstance(channel, WebhookSpec):
        url = channel.url or _secret(environ, channel.url_env, "url_env")
        post_webhook(url, message, retry=retry, timeout=channel.timeout, sleep=sleep)
        return
    smtp_url = _secret(environ, channel.smtp_url_env, "smtp_url_env")
    send_email(
        smtp_url, message, sender=channel.sender, recipients=channel.to, retry=retry,
        timeout=channel.timeout, sleep=sleep,
    )  # fmt: skip


def _secret(environ: Mapping[str, str], variable: str | None, key: str) -> str:
    value = environ.get(variable or "")
    if not value:
        raise DeliveryFailed(
            f"environment variable {variable} (named by {key}) is not set; export it where "
            "`ravine alerts check` runs",
            retriable=True,
        )
    return value


def _entities(session: Session, rule: AlertRule) -> list[tuple[int, str]]:
    """The (id, slug) of each entity the rule watches."""
    found: list[Entity]
    if rule.entity == "*":
        found = list_entities(session)
    else:
        entity = find_entity(session, rule.entity)
        found = [entity] if entity is not None else []
    return [(entity.id, entity.slug) for entity in found]
