"""Webhook delivery against a real HTTP receiver: the body Slack accepts, and the retries."""

from __future__ import annotations

import time

import pytest

from ingest.alerts.delivery import DeliveryFailed, Message, Retry
from ingest.alerts.webhook import post_webhook
from tests.alerts.receivers import HOOK_PATH, Answer, WebhookReceiver, closed_port

EVENT = {
    "rule": "northwind-band",
    "kind": "band",
    "entity": "northwind-air",
    "day": "2025-06-03",
    "value": -0.42,
}
MESSAGE = Message(
    key="ravine-alert-42",
    subject="Northwind Air: the ravine left its band",
    text="The gap reached -0.42 on 2025-06-03 (band -0.20 to 0.15).",
    link="https://ravine.example.com/entities/northwind-air?day=2025-06-03",
    event=EVENT,
)


def test_the_body_is_a_slack_message_with_the_event(webhook_receiver: WebhookReceiver) -> None:
    post_webhook(webhook_receiver.url, MESSAGE, user_agent="Ravine tests")

    [post] = webhook_receiver.posts
    assert post.path == HOOK_PATH and post.accepted
    assert post.headers["content-type"] == "application/json"
    assert post.headers["idempotency-key"] == "ravine-alert-42"
    assert post.headers["user-agent"] == "Ravine tests"
    body = post.body
    assert set(body) == {"text", "blocks", "ravine"}
    assert body["text"].startswith("Northwind Air: the ravine left its band\nThe gap reached")
    assert "https://ravine.example.com/entities/northwind-air?day=2025-06-03" in body["text"]
    assert body["ravine"] == EVENT
    first, link = body["blocks"]
    assert first["type"] == "section" and first["text"]["type"] == "mrkdwn"
    assert first["text"]["text"].startswith("*Northwind Air: the ravine left its band*\n")
    assert link["text"]["text"] == (
        "<https://ravine.example.com/entities/northwind-air?day=2025-06-03|Open in Ravine>"
    )


def test_without_a_link_there_is_one_block(webhook_receiver: WebhookReceiver) -> None:
    message = Message(key="k", subject="s", text="t", link=None, event={})

    post_webhook(webhook_receiver.url, message)

    [post] = webhook_receiver.posts
    assert len(post.body["blocks"]) == 1 and post.body["text"] == "s\nt"


def test_slack_control_characters_are_escaped(webhook_receiver: WebhookReceiver) -> None:
    message = Message(
        key="k",
        subject="R&D <team> alert",
        text="gap > 0.3 & rising <!channel>",
        link="https://ravine.example.com/e?a=1&b=2|x",
        event={"entity": "R&D <team>"},
    )

    post_webhook(webhook_receiver.url, message)

    body = webhook_receiver.posts[0].body
    assert body["text"].startswith("R&amp;D &lt;team&gt; alert\ngap &gt; 0.3 &amp; rising &lt;!")
    assert body["blocks"][0]["text"]["text"] == (
        "*R&amp;D &lt;team&gt; alert*\ngap &gt; 0.3 &amp; rising &lt;!channel&gt;"
    )
    assert body["blocks"][1]["text"]["text"] == (
        "<https://ravine.example.com/e?a=1&amp;b=2%7Cx|Open in Ravine>"
    )
    assert body["ravine"] == {"entity": "R&D <team>"}  # data, not text: as it is
    assert "<" not in body["text"] and "<" not in body["blocks"][0]["text"]["text"]


def test_5xx_is_retried_with_doubling_waits(
    webhook_receiver: WebhookReceiver, sleeps: list[float]
) -> None:
    webhook_receiver.script(Answer.of(500), Answer.of(500))

    post_webhook(webhook_receiver.url, MESSAGE, sleep=sleeps.append)

    assert [post.status for post in webhook_receiver.posts] == [500, 500, 200]
    assert len(webhook_receiver.accepted) == 1
    assert sleeps == [1.0, 2.0]
    keys = {post.headers["idempotency-key"] for post in webhook_receiver.posts}
    assert keys == {"ravine-alert-42"}  # the receiver can tell a retry from a new event


def test_5xx_on_every_try_fails_retriable_without_the_secret_path(
    webhook_receiver: WebhookReceiver, sleeps: list[float]
) -> None:
    webhook_receiver.script(*[Answer.of(500)] * 4)

    with pytest.raises(DeliveryFailed) as failed:
        post_webhook(webhook_receiver.url, MESSAGE, sleep=sleeps.append)

    assert failed.value.retriable
    message = str(failed.value)
    assert message == (
        f"webhook {webhook_receiver.base_url}: HTTP 500 Internal Server Error after 4 attempts; "
        "the next check retries it"
    )
    assert "s3cr3t" not in message and "/services" not in message
    assert len(webhook_receiver.posts) == 4 and not webhook_receiver.accepted
    assert sleeps == [1.0, 2.0, 4.0]


def test_waits_are_capped_at_60_seconds(
    webhook_receiver: WebhookReceiver, sleeps: list[float]
) -> None:
    webhook_receiver.script(*[Answer.of(503)] * 3)

    post_webhook(
        webhook_receiver.url, MESSAGE, retry=Retry(attempts=4, backoff=40), sleep=sleeps.append
    )

    assert sleeps == [40.0, 60.0, 60.0]


def test_4xx_fails_at_once_not_retriable(
    webhook_receiver: WebhookReceiver, sleeps: list[float]
) -> None:
    webhook_receiver.script(Answer.of(404))

    with pytest.raises(DeliveryFailed) as failed:
        post_webhook(webhook_receiver.url, MESSAGE, sleep=sleeps.append)

    assert not failed.value.retriable
    assert "HTTP 404 Not Found" in str(failed.value) and "not retried" in str(failed.value)
    assert "s3cr3t" not in str(failed.value)
    assert len(webhook_receiver.posts) == 1 and sleeps == []


def test_a_redirect_is_not_followed(webhook_receiver: WebhookReceiver, sleeps: list[float]) -> None:
    webhook_receiver.script(Answer(301, b"", {"Location": "/elsewhere"}))

    with pytest.raises(DeliveryFailed) as failed:
        post_webhook(webhook_receiver.url, MESSAGE, sleep=sleeps.append)

    assert not failed.value.retriable and "redirect" in str(failed.value)
    assert [post.path for post in webhook_receiver.posts] == [HOOK_PATH]


def test_429_waits_what_retry_after_asks(
    webhook_receiver: WebhookReceiver, sleeps: list[float]
) -> None:
    webhook_receiver.script(Answer.of(429, retry_after="3"))

    post_webhook(webhook_receiver.url, MESSAGE, sleep=sleeps.append)

    assert sleeps == [3.0]
    assert [post.status for post in webhook_receiver.posts] == [429, 200]


def test_429_asking_for_too_long_waits_60_seconds(
    webhook_receiver: WebhookReceiver, sleeps: list[float]
) -> None:
    webhook_receiver.script(Answer.of(429, retry_after="3600"), Answer.of(429))

    post_webhook(webhook_receiver.url, MESSAGE, sleep=sleeps.append)

    assert sleeps == [60.0, 2.0]  # no Retry-After the second time: the backoff


def test_a_receiver_slower_than_the_timeout_is_retried(
    webhook_receiver: WebhookReceiver, sleeps: list[float]
) -> None:
    webhook_receiver.script(Answer.of(200, delay=1.0))

    post_webhook(webhook_receiver.url, MESSAGE, timeout=0.2, sleep=sleeps.append)

    assert sleeps == [1.0]
    assert len(webhook_receiver.posts) == 2
    # The slow receiver may have acted on the first try too: the same key lets it drop one.
    assert {post.headers["idempotency-key"] for post in webhook_receiver.posts} == {
        "ravine-alert-42"
    }


def test_timeouts_on_every_try_fail_retriable(
    webhook_receiver: WebhookReceiver, sleeps: list[float]
) -> None:
    webhook_receiver.script(Answer.of(200, delay=0.6), Answer.of(200, delay=0.6))

    with pytest.raises(DeliveryFailed, match=r"no answer within 0.2 s after 2 attempts") as failed:
        post_webhook(
            webhook_receiver.url,
            MESSAGE,
            retry=Retry(attempts=2),
            timeout=0.2,
            sleep=sleeps.append,
        )

    assert failed.value.retriable


def test_connection_refused_fails_retriable_after_the_attempts(sleeps: list[float]) -> None:
    url = f"http://127.0.0.1:{closed_port()}{HOOK_PATH}"

    with pytest.raises(DeliveryFailed) as failed:
        post_webhook(url, MESSAGE, retry=Retry(attempts=3), sleep=sleeps.append)

    assert failed.value.retriable
    message = str(failed.value)
    assert message.startswith("webhook http://127.0.0.1:") and "ConnectError" in message
    assert "after 3 attempts" in message and "s3cr3t" not in message
    assert sleeps == [1.0, 2.0]


def test_real_sleep_with_a_small_backoff(webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.script(Answer.of(502), Answer.of(502))
    started = time.monotonic()

    post_webhook(webhook_receiver.url, MESSAGE, retry=Retry(attempts=3, backoff=0.05))

    assert time.monotonic() - started >= 0.15  # 0.05 + 0.1
    assert len(webhook_receiver.accepted) == 1


@pytest.mark.parametrize(
    "url", ["ftp://hooks.example.com/x", "hooks.slack.com/services/T/B/s3cr3t", "https://"]
)
def test_a_url_that_is_not_http_fails_without_echoing_it(url: str) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        post_webhook(url, MESSAGE)

    assert not failed.value.retriable
    assert "s3cr3t" not in str(failed.value) and "hooks" not in str(failed.value).split(",")[0]


def test_userinfo_in_the_url_is_not_shown(sleeps: list[float]) -> None:
    url = f"http://user:pa55word@127.0.0.1:{closed_port()}/hook/s3cr3t?token=t0ken"

    with pytest.raises(DeliveryFailed) as failed:
        post_webhook(url, MESSAGE, retry=Retry(attempts=1), sleep=sleeps.append)

    message = str(failed.value)
    assert "after 1 attempt;" in message
    for secret in ("pa55word", "user", "s3cr3t", "t0ken", "/hook"):
        assert secret not in message


def test_retry_settings_are_checked() -> None:
    from ravine.errors import ConfigError

    with pytest.raises(ConfigError, match="attempts must be at least 1"):
        Retry(attempts=0)
    with pytest.raises(ConfigError, match="backoff"):
        Retry(backoff=-1)
