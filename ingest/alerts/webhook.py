"""Alerts by webhook: one JSON POST in the shape of a Slack incoming webhook.

The body is ``{"text": …, "blocks": […], "ravine": {…}}``:

- ``text`` is the whole message (subject, text, dashboard URL). Slack shows it in
  notifications; Mattermost, Rocket.Chat and Discord's ``/slack`` endpoint, which ignore
  Block Kit, show it as the message.
- ``blocks`` are mrkdwn sections, the subject in bold and a link to the dashboard, which Slack
  shows instead of ``text``.
- ``ravine`` is the event as data, for receivers of one's own (a ticketing hook, a script).
  Slack's documented refusals of a webhook body are about its structure (``invalid_payload``,
  no ``text``/``blocks``, a bad block) or the channel, never an unknown top-level key, which
  Slack and the Slack-compatible receivers ignore. Slack's own ``metadata`` field was not used:
  Slack checks its ``event_payload`` types and only Slack apps can read it.

``&``, ``<`` and ``>`` are control characters in Slack's text, so they are sent as ``&amp;``,
``&lt;`` and ``&gt;``, which Slack (and Markdown receivers) show as the characters.

Connection errors, timeouts, 5xx and 429 are retried (a 429 or 503 waits its ``Retry-After``,
at most 60 s); any other answer but a 2xx fails at once: the URL or the body needs a person.
Redirects are not followed (a moved webhook is a URL to fix). Slack's secret is the URL's path,
so messages and logs name only the URL's scheme://host[:port]. Unlike a source's URL, a webhook
is the operator's own setting, so private addresses (a Mattermost on the LAN) are allowed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import httpx

from ingest.alerts.delivery import DeliveryFailed, Message, Retry, Transient, with_retries
from ingest.connectors.waits import requested_wait

USER_AGENT = "Ravine alerts (self-hosted; webhook delivery)"
SECTION_LIMIT = 3000  # characters in a Slack section block's text


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a webhook URL: what messages may show of it. Raises
    :class:`DeliveryFailed` (not retriable) for a URL that is not http(s) with a host."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise DeliveryFailed(
            "webhook URL is not an http(s) URL with a host, e.g. "
            "https://hooks.slack.com/services/…; check the channel's url or url_env (not retried)",
            retriable=False,
        )
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"


def slack_escape(text: str) -> str:
    """Text shown as written in Slack: its three control characters as HTML entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def body(message: Message) -> dict[str, Any]:
    """The JSON body of the POST (see the module's docstring for why it has this shape)."""
    subject, text = slack_escape(message.subject), slack_escape(message.text)
    fallback = f"{subject}\n{text}"
    blocks = [_section(_clip(f"*{subject}*\n{text}", SECTION_LIMIT))]
    if message.link:
        target = slack_escape(message.link).replace("|", "%7C")  # "|" ends the URL in <url|label>
        fallback += f"\n{target}"
        blocks.append(_section(f"<{target}|Open in Ravine>"))
    return {"text": fallback, "blocks": blocks, "ravine": message.event}


def post_webhook(
    url: str,
    message: Message,
    *,
    retry: Retry = Retry(),
    timeout: float = 10.0,
    user_agent: str = USER_AGENT,
    sleep: Callable[[float], None] = time.sleep,
    client: httpx.Client | None = None,
) -> None:
    """POST ``message`` to ``url`` until a 2xx answer, retrying what may pass (module docstring).

    Raises :class:`DeliveryFailed`: retriable after the last try of a connection error,
    timeout, 5xx or 429; not retriable at once for any other answer or a URL that is not http(s).
    ``client`` lets a check reuse its connections; its redirect setting is overridden.
    """
    where = f"webhook {origin(url)}"
    content = json.dumps(body(message), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": message.key,
        "User-Agent": user_agent,
    }
    own = client is None
    http = httpx.Client() if client is None else client

    def send() -> None:
        try:
            response = http.post(
                url, content=content, headers=headers, timeout=timeout, follow_redirects=False
            )
        except httpx.TimeoutException:
            raise Transient(f"no answer within {timeout:g} s") from None
        except httpx.TransportError as exc:
            detail = _scrub(str(exc), url) or "no detail"
            raise Transient(f"{type(exc).__name__} ({detail})") from None
        _judge(response, where)

    try:
        with_retries(send, where=where, retry=retry, sleep=sleep)
    finally:
        if own:
            http.close()


def _scrub(text: str, url: str) -> str:
    """``text`` without the URL or its path and query (where a webhook keeps its secret)."""
    parsed = httpx.URL(url)
    for secret in (url, parsed.raw_path.decode("ascii"), parsed.path):
        if secret not in ("", "/"):
            text = text.replace(secret, "/…")
    return text


def _judge(response: httpx.Response, where: str) -> None:
    """Return on a 2xx; raise :class:`Transient` for a 429/5xx, else :class:`DeliveryFailed`."""
    status = response.status_code
    if 200 <= status < 300:
        return
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "(unknown status)"
    if status == 429 or status >= 500:
        wait = None
        if status in (429, 503):
            wait = requested_wait(response.headers, now=datetime.now(UTC))
        raise Transient(f"HTTP {status} {phrase}", wait=wait)
    if 300 <= status < 400:
        advice = "a redirect, not followed: set the URL it leads to"
    else:
        advice = "check the webhook URL and that the receiver accepts Slack-style JSON"
    raise DeliveryFailed(
        f"{where}: HTTP {status} {phrase}; {advice} (not retried)",
        retriable=False,
    )
