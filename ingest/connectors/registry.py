"""Every kind of source Ravine can read; a new kind is one module plus one line here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.connectors.app_store import AppStoreConnector
from ingest.connectors.base import Connector
from ingest.connectors.bluesky import BlueskyConnector
from ingest.connectors.files import FilesConnector
from ingest.connectors.hackernews import HackerNewsConnector
from ingest.connectors.mastodon import MastodonConnector
from ingest.connectors.reddit import RedditConnector
from ingest.connectors.rss import RssConnector
from ingest.connectors.sec_edgar import SecEdgarConnector

CONNECTORS: Mapping[str, type[Connector[Any, Any]]] = {
    connector.kind: connector
    for connector in (
        RssConnector,
        HackerNewsConnector,
        MastodonConnector,
        FilesConnector,
        SecEdgarConnector,
        BlueskyConnector,
        AppStoreConnector,
        RedditConnector,
    )
}
