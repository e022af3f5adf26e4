"""``ravine alerts``: the alert rules of a sources file, checking them, and the events caught."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from api.routers.ravine_params import local_day
from cli.alert_check import check_alerts
from cli.entity_commands import AsCsv, AsJson, entity_named
from cli.output import choose_format, render
from cli.sources_file import ConfigPath, load_config
from cli.state import state_of
from ravine.alerting import AlertRule
from ravine.repository.alerts import StoredEvent, events_between

RULE_COLUMNS = ("name", "kind", "entity", "settings", "notify", "enabled", "line")
EVENT_COLUMNS = ("id", "day", "entity", "rule", "kind", "direction", "detail", "deliveries")
TABLE_COLUMNS = ("id", "day", "entity", "rule", "kind", "direction", "deliveries")
Since = Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="From this local day.")]


def _settings(rule: AlertRule) -> str:
    """The keys that shape the rule's detector, as the file would write them."""
    if rule.kind == "volume_spike":
        shape = f"k={rule.k:g} window_days={rule.window} min_documents={rule.min_documents}"
    elif rule.kind == "band":
        shape = f"k={rule.k:g} baseline_days={rule.baseline_days}"
    else:
        shape = (
            f"drift={rule.drift:g} threshold={rule.threshold:g} baseline_days={rule.baseline_days}"
        )
    return f"{shape} cooldown_days={rule.cooldown_days} tz={rule.tz}"


def _rule_row(rule: AlertRule) -> dict[str, Any]:
    return {
        "name": rule.name, "kind": rule.kind, "entity": rule.entity, "settings": _settings(rule),
        "notify": ", ".join(rule.channels), "enabled": rule.enabled, "line": rule.line,
    }  # fmt: skip


def _event_row(stored: StoredEvent) -> dict[str, Any]:
    event = stored.event
    deliveries = ", ".join(
        f"{delivery.channel}: {delivery.status}" for delivery in stored.deliveries
    )
    return {
        "id": event.id, "day": event.day.isoformat(), "entity": stored.entity_slug,
        "rule": event.rule, "kind": event.kind, "direction": event.direction,
        "detail": event.detail, "deliveries": deliveries,
    }  # fmt: skip


def register(app: typer.Typer) -> None:
    alerts = typer.Typer(
        help="Hear when the ravine moves: rules in the sources file, events, deliveries.",
        no_args_is_help=True,
    )
    app.add_typer(alerts, name="alerts")

    @alerts.command("list")
    def list_(
        ctx: typer.Context, config: ConfigPath, as_json: AsJson = False, as_csv: AsCsv = False
    ) -> None:
        """List the alert rules of a sources file ([[alerts]] tables) with their settings,
        channels and lines; an unknown key stops with its line.

        Example:

            ravine alerts list --config sources.toml
        """
        state = state_of(ctx)
        loaded = load_config(state, config, need_env=False)
        rows = [_rule_row(rule) for rule in loaded.alerts.rules]
        render(rows, columns=RULE_COLUMNS, fmt=choose_format(as_json=as_json, as_csv=as_csv),
               console=state.out)  # fmt: skip

    @alerts.command("check")
    def check(
        ctx: typer.Context,
        config: ConfigPath,
        since: Annotated[
            str | None,
            typer.Option(
                metavar="YYYY-MM-DD",
                help="Judge every day from this one (default: each rule's lookback_days).",
            ),
        ] = None,
        send: Annotated[
            bool,
            typer.Option(
                "--send/--no-send",
                help="--no-send stores the events without messages (a backfill).",
            ),
        ] = True,
    ) -> None:
        """Judge every enabled rule, store each new event once and deliver it to the rule's
        channels; failed deliveries of earlier checks are tried again. Safe from cron: one
        check runs at a time, an overlapping one does nothing. Exit code 1 when a rule could
        not be judged or a message could not be delivered (it is kept for the next check).

        Example:

            ravine alerts check --config sources.toml
        """
        state = state_of(ctx)
        loaded = load_config(state, config, need_env=False)
        raise typer.Exit(check_alerts(state, loaded, since=local_day(since, "--since"), send=send))

    @alerts.command("events")
    def events(
        ctx: typer.Context,
        entity: Annotated[
            str | None, typer.Option(help="Only this entity (slug, name or alias).")
        ] = None,
        since: Since = None,
        until: Annotated[
            str | None, typer.Option(metavar="YYYY-MM-DD", help="To this local day.")
        ] = None,
        as_json: AsJson = False,
        as_csv: AsCsv = False,
    ) -> None:
        """List the events the rules caught, newest first, with each channel's delivery.

        Example:

            ravine alerts events --entity acme --since 2025-01-01
        """
        state = state_of(ctx)
        with state.reading() as session:
            entity_id = None if entity is None else entity_named(session, entity).id
            stored = events_between(
                session, entity_id=entity_id, since=local_day(since, "--since"),
                until=local_day(until, "--until"),
            )  # fmt: skip
            rows = [_event_row(event) for event in stored]
        fmt = choose_format(as_json=as_json, as_csv=as_csv)
        if fmt != "table":
            render(rows, columns=EVENT_COLUMNS, fmt=fmt, console=state.out)
            return
        render(rows, columns=TABLE_COLUMNS, fmt=fmt, console=state.out)
        for row in rows:  # a terminal is narrow: each event's sentence goes below
            state.out.print(f"{row['id']}: {row['detail']}", markup=False, highlight=False)
