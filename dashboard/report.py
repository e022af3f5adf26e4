"""One self-contained HTML report of an entity's ravine over a range, for an analyst to attach
to an e-mail: the dashboard's own chart, the summary with its caveats, each voice's drivers,
the range's annotations and alert events, and the method in words. It opens with no network:
Plotly.js is inlined from this installation's copy, and its content policy lets run only the
scripts it carries, whatever the data's texts hold."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

from sqlalchemy.orm import Session

from dashboard.assets import PLOTLY_JS
from dashboard.chart import Chart, query_caption, ravine_chart
from dashboard.report_sections import alerts_html, annotations_html, drivers_html, summary_html
from ravine.analytics import metric_info, summarise
from ravine.analytics.clusters import AuthorSample
from ravine.drivers import Drivers, DriversQuery, drivers
from ravine.gap import VOICES, GapQuery
from ravine.models import Entity
from ravine.repository.authors import author_sample
from ravine.repository.entities import tracked_terms
from ravine.repository.series import hour_columns
from ravine.scoring import Scorer

TEMPLATES = Path(str(files("dashboard"))) / "templates"
DRIVER_TERMS = 8  # entries per list of drivers
# A JSON text inside <script> must not close it: these become \u escapes, which JSON reads back.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


@dataclass(frozen=True, slots=True)
class Report:
    entity: str  # its name
    query: GapQuery
    generated: datetime
    chart: Chart
    summary: dict[str, Any]  # :func:`ravine.analytics.summarise`
    drivers: list[Drivers]  # one per voice, against the previous range


def gather(
    session: Session, entity: Entity, query: GapQuery, scorer: Scorer, generated: datetime
) -> Report:
    """Everything the report shows, read in one session; ``scorer`` reads the drivers' texts."""

    def samples(voice: str, since: datetime, until: datetime) -> AuthorSample:
        return author_sample(session, entity_id=entity.id, voice=voice, since=since, until=until)

    chart = ravine_chart(session, query, hour_columns(session, entity_id=entity.id), samples)
    terms = tracked_terms(session)
    found = [
        drivers(
            session, scorer,
            DriversQuery(entity.id, voice, query.since, query.until, query.tz, "previous",
                         DRIVER_TERMS),
            terms,
        )
        for voice in VOICES
    ]  # fmt: skip
    return Report(entity.name, query, generated, chart, summarise(chart.series.frame), found)


def _method(query: GapQuery) -> str:
    """How to read the report, in words: the report travels without the documentation."""
    info = metric_info(query.options.metric)
    return (
        f"Each document is scored for tone, and the ravine of a {query.freq} compares the "
        f"{info.label} of the company's own statements with that of what the public wrote "
        "about it: positive means the company sounds rosier than its public. It measures tone "
        "in the texts collected, not reputation or truth. Every mean has a 95% confidence "
        "interval for sampling variability, widened for authors who post many times; a "
        f"{query.freq} with fewer than {query.options.min_n} documents of a voice has no value "
        "and is a gap in the chart, never a zero. The summary's intervals allow for "
        "neighbouring periods moving together (Newey–West), and the widest periods, picked "
        "for being largest, are descriptive only. Read changes rather than the level: "
        "corporate prose is upbeat by habit, so almost every company has a positive ravine, "
        "and its size depends on which sources are collected; within one entity, with its "
        "sources unchanged, the trend and the moves around marked events are what can be "
        "interpreted. The drivers apportion each document's score to the words the scorer "
        "read in it, and compare the range's words with those of the previous range of equal "
        "length."
    )


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _policy(scripts: list[str]) -> str:
    """Only the page's own scripts run (by their hashes), nothing is fetched; Plotly.js sets
    styles from its code and exports the chart as data: and blob: images."""
    return (
        f"default-src 'none'; script-src {' '.join(map(_digest, scripts))}; "
        "style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'"
    )


def render(report: Report) -> str:
    """The report as one HTML document."""
    query = report.query
    plotly = PLOTLY_JS.read_text(encoding="utf-8")
    draw = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    figure = json.dumps(report.chart.figure, separators=(",", ":")).translate(_SCRIPT_SAFE)
    page = Template((TEMPLATES / "report.html").read_text(encoding="utf-8"))
    return page.substitute(
        policy=_policy([plotly, draw]),
        title=escape(f"Ravine report: {report.entity}"),
        range=escape(f"{query.since} to {query.until}, by {query.freq}, local days in {query.tz}"),
        generated=escape(f"{report.generated:%Y-%m-%d %H:%M %Z}"),
        caption=escape(query_caption(report.entity, query)),
        style=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
        summary=summary_html(report.summary),
        drivers=drivers_html(report.drivers),
        annotations=annotations_html(report.chart.annotations),
        alerts=alerts_html(report.chart.alerts),
        method=escape(_method(query)),
        figure=figure,
        plotly=plotly,
        draw=draw,
    )
