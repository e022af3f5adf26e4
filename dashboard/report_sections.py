"""The report's sections as HTML fragments. Every text that comes from the data (labels,
terms, reasons, links) goes through :func:`html.escape` here, so a label holding markup is
shown as text, never run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from ravine.analytics.alerts import kind_label
from ravine.analytics.drivers import Distinctive, TermDriver
from ravine.drivers import Drivers
from ravine.models import Annotation
from ravine.repository.alerts import StoredEvent

VOICE_NAMES = {"corporate": "Corporate statements", "public": "The public"}
ESTIMATES = (
    ("mean_ravine", "Mean ravine"),
    ("trend_per_30_days", "Trend per 30 days"),
    ("mean_effect_size", "Mean effect size"),
)
METHODS = {"newey_west": "Newey–West"}


def _number(x: float | None) -> str:
    return "—" if x is None else f"{x:+.3f}".replace("-", "−")


def _interval(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None else f"{_number(low)} to {_number(high)}"


def _estimate(name: str, estimate: Mapping[str, Any]) -> str:
    """A summary row: the value, then its 95% CI and how it was computed, or why it is null."""
    ci = _interval(estimate["ci_low"], estimate["ci_high"])
    if ci:
        method = METHODS.get(estimate["method"], estimate["method"])
        how = (
            f"95% CI {ci} ({method}, lag {estimate['lag']}, {estimate['df']:.1f} df), "
            f"p = {estimate['p_value']:.3g}"
        )
    elif estimate["value"] is None:
        how = f"no value: {estimate['null_reason']}"
    else:
        how = str(estimate["null_reason"])
    return (
        f"<tr><th>{name}</th><td class=number>{_number(estimate['value'])}</td>"
        f"<td>{escape(how)}</td></tr>"
    )


def summary_html(summary: Mapping[str, Any]) -> str:
    """The summary's estimates with their intervals, and the widest periods as descriptive."""
    rows = "".join(_estimate(name, summary[key]) for key, name in ESTIMATES)
    widest = "".join(
        f"<tr><td>{escape(w['label'])}</td><td class=number>{_number(w['ravine'])}</td>"
        f"<td>{_interval(w['ci_low'], w['ci_high']) or '—'}</td>"
        f"<td class=number>{_number(w['effect_size'])}</td></tr>"
        for w in summary["widest"]
    )
    periods = summary["periods"]
    parts = [
        f"<p>Over the {periods} periods with a ravine (corporate minus public; positive: the "
        "company sounds rosier than its public).</p>",
        f"<table>{rows}</table>",
    ]
    if widest:
        parts += [
            "<h3>Widest periods (descriptive)</h3>",
            "<table><tr><th>period</th><th>ravine</th><th>its 95% CI</th>"
            f"<th>effect size</th></tr>{widest}</table>",
            f"<p class=note>{escape(summary['widest_note'])}</p>",
        ]
    return "\n".join(parts)


def _ranked(title: str, items: str) -> str:
    return f"<h4>{title}</h4>" + (f"<ol>{items}</ol>" if items else "<p class=note>none</p>")


def _terms(title: str, terms: Sequence[TermDriver]) -> str:
    return _ranked(title, "".join(
        f"<li>{escape(t.term)} <span class=note>{_number(t.mean_shift)} to the mean, "
        f"in {t.documents} documents</span></li>"
        for t in terms
    ))  # fmt: skip


def _words(title: str, words: Sequence[Distinctive]) -> str:
    return _ranked(title, "".join(
        f"<li>{escape(w.term)} <span class=note>{w.count} vs {w.comparison_count}, "
        f"z = {w.z:.1f}</span></li>"
        for w in words
    ))  # fmt: skip


def _voice(found: Drivers) -> str:
    here, there = found.range, found.comparison
    read = (
        f"{here.read:,} of its {here.total:,} documents read, against {there.read:,} of "
        f"{there.total:,} in the previous range ({there.since} to {there.until})."
    )
    if found.rescored:
        read += f" {found.rescored:,} were scored by another scorer version than today's."
    return (
        f"<div><h3>{VOICE_NAMES[here.voice]}</h3><p class=note>{read}</p>"
        + _terms("Raised the mean most", found.positive_terms)
        + _terms("Lowered the mean most", found.negative_terms)
        + _words("More frequent than in the previous range", found.distinctive)
        + _words("More frequent in the previous range", found.distinctive_comparison)
        + "</div>"
    )


def drivers_html(drivers: Sequence[Drivers]) -> str:
    """Each voice's drivers side by side: the terms that moved its mean, and its words that
    set the range apart from the previous range of equal length."""
    return '<div class="voices">' + "".join(_voice(found) for found in drivers) + "</div>"


def _annotation(annotation: Annotation) -> str:
    days = str(annotation.start_date)
    if annotation.end_date is not None:
        days += f" to {annotation.end_date}"
    label = escape(annotation.label)
    url = annotation.url or ""
    if url.startswith(("https://", "http://")):
        label += f' (<a href="{escape(url)}" rel="noopener noreferrer">{escape(url)}</a>)'
    return f"<li>{days}: {label}</li>"


def annotations_html(annotations: Sequence[Annotation]) -> str:
    """The events marked in the range, oldest first, as the chart draws them."""
    if not annotations:
        return "<p class=note>No events are marked in this range.</p>"
    return "<ul>" + "".join(_annotation(a) for a in annotations) + "</ul>"


def _alert(stored: StoredEvent) -> str:
    event = stored.event
    return (
        f"<li>{event.day}, {escape(kind_label(event.kind))}: {escape(event.detail)} "
        f"<span class=note>(rule {escape(event.rule)})</span></li>"
    )


def alerts_html(alerts: Sequence[StoredEvent]) -> str:
    """The alert events of the range, oldest first, as the chart marks them; saying so when
    there were none, since a reader cannot tell an empty section from a missing one."""
    if not alerts:
        return "<p class=note>No alert rule caught an event in this range.</p>"
    return "<ul>" + "".join(_alert(a) for a in alerts) + "</ul>"
