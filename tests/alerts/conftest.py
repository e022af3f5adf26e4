"""Fixtures for alert delivery tests: real receivers on 127.0.0.1, and waits recorded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.alerts.receivers import SmtpServer, WebhookReceiver


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    with receiver.running():
        yield receiver


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer().running() as server:
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    """The waits a delivery asked for (pass ``sleep=sleeps.append`` to record, not sleep)."""
    return []
