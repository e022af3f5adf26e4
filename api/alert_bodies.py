"""Alert events as the API answers them (also in series and chart answers)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ravine.models import AlertDelivery
from ravine.repository.alerts import StoredEvent, events_between


class DeliveryOut(BaseModel):
    channel: str = Field(description="The channel's name in the sources file.")
    status: Literal["pending", "sending", "sent", "failed", "skipped"] = Field(
        description="skipped: stored by a check run with --no-send."
    )
    attempts: int = Field(description="Checks that tried it.")
    sent_at: dt.datetime | None


class AlertOut(BaseModel):
    id: int
    rule: str = Field(description="The rule's name in the sources file.")
    kind: Literal["band", "change_point", "volume_spike"]
    entity: str = Field(description="The entity's slug.")
    entity_name: str
    day: dt.date = Field(description="The local day the event is about (in the rule's zone).")
    started: dt.date | None = Field(description="A change point's estimated first day.")
    direction: Literal["up", "down"]
    value: float = Field(description="The day's ravine, or its public documents (volume).")
    expected: float = Field(description="The baseline mean, or the trailing median (volume).")
    low: float | None = Field(description="The baseline band's edges (band rules).")
    high: float | None
    ci_low: float | None = Field(description="The day's ravine 95% CI (band rules).")
    ci_high: float | None
    score: float = Field(description="sds from the mean, CUSUM in sds, or × the median.")
    detail: str = Field(description="The event in one sentence.")
    detected_at: dt.datetime
    deliveries: list[DeliveryOut]


class AlertList(BaseModel):
    items: list[AlertOut]


def _delivery_json(delivery: AlertDelivery) -> dict[str, Any]:
    sent = delivery.sent_at
    return {
        "channel": delivery.channel, "status": delivery.status, "attempts": delivery.attempts,
        "sent_at": sent and sent.isoformat(timespec="seconds"),
    }  # fmt: skip


def alert_json(stored: StoredEvent) -> dict[str, Any]:
    """An :class:`AlertOut` as plain JSON values (delivery errors stay on the server: they
    name the hosts messages go to)."""
    return {**stored.as_json(), "deliveries": [_delivery_json(d) for d in stored.deliveries]}


def alerts_json(
    session: Session, entity_id: int | None, since: dt.date | None, until: dt.date | None
) -> list[dict[str, Any]]:
    """Events with days in [since, until] (either open), newest first."""
    found = events_between(session, entity_id=entity_id, since=since, until=until)
    return [alert_json(stored) for stored in found]
