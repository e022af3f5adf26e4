"""The drivers answer (:class:`api.ravine_schemas.DriversOut`) from the core's result."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ravine.drivers import Drivers, Side
from ravine.repository.drivers import DriverDocument
from ravine.titles import display_title


def _side(side: Side) -> dict[str, Any]:
    return {
        "voice": side.voice, "since": side.since.isoformat(), "until": side.until.isoformat(),
        "documents_read": side.read, "documents_total": side.total,
    }  # fmt: skip


def _document(document: DriverDocument) -> dict[str, Any]:
    return {
        "id": document.id, "published_at": document.published_at.isoformat(),
        "title": display_title(document.title, document.text), "compound": document.compound,
        "url": document.url,
    }  # fmt: skip


def drivers_body(entity: str, against: str, found: Drivers) -> dict[str, Any]:
    return {
        "entity": entity,
        "against": against,
        "range": _side(found.range),
        "comparison": _side(found.comparison),
        "rescored": found.rescored,
        "terms": {
            "positive": [asdict(term) for term in found.positive_terms],
            "negative": [asdict(term) for term in found.negative_terms],
        },
        "distinctive": {
            "range": [asdict(item) for item in found.distinctive],
            "comparison": [asdict(item) for item in found.distinctive_comparison],
        },
        "documents": {
            "positive": [_document(document) for document in found.positive_documents],
            "negative": [_document(document) for document in found.negative_documents],
        },
    }
