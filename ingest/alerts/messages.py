"""What an alert says: one subject line, a few plain lines, a link to the event's chart."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from ingest.alerts.delivery import Message
from ravine.alerting import AlertRule
from ravine.analytics.alerts import kind_label
from ravine.repository.alerts import StoredEvent

CHART_BEFORE, CHART_AFTER = timedelta(days=60), timedelta(days=14)


def chart_link(
    stored: StoredEvent, rule: AlertRule | None, dashboard_url: str | None
) -> str | None:
    """The dashboard's chart around the event, when the installation says where it is."""
    if not dashboard_url:
        return None
    day = stored.event.day
    query = {
        "entity": stored.entity_slug,
        "since": (day - CHART_BEFORE).isoformat(),
        "until": (day + CHART_AFTER).isoformat(),
    }
    if rule is not None:
        query |= {"tz": rule.tz, "corporate_window": str(rule.corporate_window)}
    return f"{dashboard_url.rstrip('/')}/?{urlencode(query)}"


def alert_message(
    stored: StoredEvent, delivery_id: int, rule: AlertRule | None, dashboard_url: str | None
) -> Message:
    """The message of one event for one channel (one delivery); its key, the same on every
    try, lets a receiver drop a copy sent again after a check died mid-send."""
    event = stored.event
    what = kind_label(event.kind)
    subject = f"Ravine alert: {stored.entity_name}, {what}, {event.day.isoformat()}"
    lines = [f"{stored.entity_name}, {event.day.isoformat()}: {event.detail}"]
    if event.started is not None:
        lines.append(f"The shift seems to have started on {event.started.isoformat()}.")
    lines.append(f"Rule {event.rule!r} ({event.kind}).")
    return Message(
        key=f"ravine-alert-{event.id}.{delivery_id}",
        subject=subject,
        text="\n".join(lines),
        link=chart_link(stored, rule, dashboard_url),
        event=stored.as_json(),
    )
