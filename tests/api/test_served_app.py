"""The app `ravine serve` runs keeps what start-up built out of the collector's full passes."""

from __future__ import annotations

import gc

import pytest

from api.app import create_served_app


def test_the_served_app_freezes_what_start_up_built(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAVINE_DATABASE_URL", db_url)
    gc.unfreeze()
    try:
        app = create_served_app()
        assert gc.get_freeze_count() > 10_000  # the modules, routes and models, at least
        assert app.state.settings.database_url == db_url
    finally:
        gc.unfreeze()
