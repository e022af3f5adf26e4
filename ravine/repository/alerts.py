"""Alert events and their deliveries: stored once, claimed before sending, never dropped.

An event's key is (rule, entity, day): the insert does nothing when the key exists, so a
rerun, a crash or two overlapping checks store it once, and only the check that stored it
creates its deliveries. A delivery is claimed (``sending``) in a transaction of its own before
its message leaves, and finished (``sent`` or ``failed``) in another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ravine.analytics.alerts import Finding
from ravine.models import AlertDelivery, AlertEvent, Entity, utcnow
from ravine.repository.bulk import upsert_into
from ravine.repository.totals import bump_versions

DeliveryStatus = Literal["pending", "sending", "sent", "failed", "skipped"]
MAX_CHECKS = 10  # checks that try a failed delivery again before it stays failed for good
_OPEN = ("pending", "sending", "failed")


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event with its entity and each channel's delivery, as lists and the API show it."""

    event: AlertEvent
    entity_slug: str
    entity_name: str
    deliveries: tuple[AlertDelivery, ...]

    def as_json(self) -> dict[str, Any]:
        """The event as the API, webhooks and the chart give it."""
        event = self.event
        return {
            "id": event.id, "rule": event.rule, "kind": event.kind, "entity": self.entity_slug,
            "entity_name": self.entity_name, "day": event.day.isoformat(),
            "started": event.started and event.started.isoformat(),
            "direction": event.direction, "value": event.value, "expected": event.expected,
            "low": event.low, "high": event.high, "ci_low": event.ci_low,
            "ci_high": event.ci_high, "score": event.score, "detail": event.detail,
            "detected_at": event.detected_at.isoformat(timespec="seconds"),
        }  # fmt: skip


def days_caught(
    session: Session, *, rule: str, entity_id: int, since: date, until: date
) -> list[date]:
    """The days of the rule's stored events for the entity in [since, until]."""
    query = select(AlertEvent.day).where(
        AlertEvent.rule == rule,
        AlertEvent.entity_id == entity_id,
        AlertEvent.day.between(since, until),
    )
    return list(session.scalars(query.order_by(AlertEvent.day)))


def store_event(
    session: Session,
    *,
    rule: str,
    entity_id: int,
    finding: Finding,
    channels: Sequence[str],
    send: bool,
) -> int | None:
    """Store the event and a delivery per channel (``skipped`` unless ``send``); None, and
    nothing written, when the rule already caught this entity on this day."""
    values = {
        "rule": rule, "kind": finding.kind, "entity_id": entity_id, "day": finding.day,
        "started": finding.started, "direction": finding.direction, "value": finding.value,
        "expected": finding.expected, "low": finding.low, "high": finding.high,
        "ci_low": finding.ci_low, "ci_high": finding.ci_high, "score": finding.score,
        "detail": finding.detail[:1000], "detected_at": utcnow(),
    }  # fmt: skip
    insert = upsert_into(session.get_bind().dialect.name, AlertEvent).values(**values)
    statement = insert.on_conflict_do_nothing(index_elements=["rule", "entity_id", "day"])
    event_id: int | None = session.scalar(statement.returning(AlertEvent.id))
    if event_id is None:
        return None
    status: DeliveryStatus = "pending" if send else "skipped"
    session.add_all(
        AlertDelivery(event_id=event_id, channel=channel, status=status, attempts=0)
        for channel in channels
    )
    session.flush()
    bump_versions(session, [entity_id])  # the chart draws events: its cached answers are stale
    return event_id


def open_deliveries(session: Session) -> list[tuple[AlertDelivery, StoredEvent]]:
    """Deliveries still to make, oldest event first: pending ones, ones a killed check left
    ``sending``, and failed ones that have not yet used up :data:`MAX_CHECKS`."""
    query = (
        select(AlertDelivery, AlertEvent, Entity.slug, Entity.name)
        .join(AlertEvent, AlertEvent.id == AlertDelivery.event_id)
        .join(Entity, Entity.id == AlertEvent.entity_id)
        .where(AlertDelivery.status.in_(_OPEN), AlertDelivery.attempts < MAX_CHECKS)
        .order_by(AlertEvent.day, AlertEvent.id, AlertDelivery.id)
    )
    return [
        (delivery, StoredEvent(event, slug, name, ()))
        for delivery, event, slug, name in session.execute(query)
    ]


def claim_delivery(session: Session, delivery_id: int) -> None:
    """Mark a delivery as being sent (committed before the message leaves)."""
    session.execute(
        update(AlertDelivery)
        .where(AlertDelivery.id == delivery_id)
        .values(status="sending", attempts=AlertDelivery.attempts + 1, updated_at=utcnow())
    )


def finish_delivery(session: Session, delivery_id: int, *, error: str | None) -> None:
    """Record a delivery as sent, or as failed with its one-line ``error``."""
    now = utcnow()
    values = {"status": "failed", "error": error[:1000]} if error else {
        "status": "sent", "error": None, "sent_at": now
    }  # fmt: skip
    session.execute(
        update(AlertDelivery)
        .where(AlertDelivery.id == delivery_id)
        .values(**values, updated_at=now)
    )


def events_between(
    session: Session,
    *,
    entity_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 1000,
) -> list[StoredEvent]:
    """Stored events (of one entity, or all) with days in [since, until], newest first."""
    query = select(AlertEvent, Entity.slug, Entity.name).join(
        Entity, Entity.id == AlertEvent.entity_id
    )
    if entity_id is not None:
        query = query.where(AlertEvent.entity_id == entity_id)
    if since is not None:
        query = query.where(AlertEvent.day >= since)
    if until is not None:
        query = query.where(AlertEvent.day <= until)
    rows = session.execute(query.order_by(AlertEvent.day.desc(), AlertEvent.id.desc()).limit(limit))
    found = [(event, slug, name) for event, slug, name in rows]
    deliveries: dict[int, list[AlertDelivery]] = {event.id: [] for event, _, _ in found}
    if deliveries:
        for delivery in session.scalars(
            select(AlertDelivery)
            .where(AlertDelivery.event_id.in_(deliveries))
            .order_by(AlertDelivery.id)
        ):
            deliveries[delivery.event_id].append(delivery)
    return [
        StoredEvent(event, slug, name, tuple(deliveries[event.id])) for event, slug, name in found
    ]


def count_failed(session: Session) -> int:
    """Deliveries that have failed (tried again by the next checks until they give up)."""
    query = select(func.count()).where(AlertDelivery.status == "failed")
    return session.scalar(query.select_from(AlertDelivery)) or 0
