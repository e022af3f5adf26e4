"""Access tokens from token endpoints (Bluesky's sessions, Reddit's OAuth).

Tokens are held in memory only: never in a cursor, a message or a log. Errors name the URL and
what the endpoint said, never a request or response body, where credentials and tokens are.
"""

from __future__ import annotations

import json
from typing import Any

from ingest.connectors.errors import FatalError, PayloadError
from ingest.connectors.http import HttpClient, where


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post_for_tokens(http: HttpClient, url: str, **body: Any) -> dict[str, Any]:
    """The JSON object a token endpoint answers a POST with (``body``: httpx's ``data``,
    ``json``, ``auth``, ``headers``)."""
    response = http.post(url, **body)
    try:
        answer = json.loads(response.content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        answer = None
    if not isinstance(answer, dict):
        raise PayloadError(f"{where(url)} did not send a JSON object; the next run tries again")
    return answer


def token_field(answer: dict[str, Any], name: str, url: str) -> str:
    """A token the answer must hold (some endpoints say ``{"error": …}`` with a 200)."""
    value = answer.get(name)
    if not isinstance(value, str) or not value:
        error = answer.get("error")
        said = f"it says {error!r}" if isinstance(error, str) else f"no {name} in its answer"
        raise FatalError(f"{where(url)} gave no token ({said}); check the source's credentials")
    return value
