"""Fixtures of the dashboard's browser tests: Chromium, and the sample served by `ravine serve`
with documents that try to run script."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ravine.db import make_engine, make_session_factory, session_scope
from ravine.repository.apikeys import create_key
from tests.api.conftest import load_sample_into
from tests.dashboard.browser import (
    CHROMIUM,
    DESKTOP,
    FLAGS,
    FORMULA,
    HTML_TITLE,
    PHONE,
    XSS,
    sync_api,
)
from tests.databases import DatabaseFactory
from tests.server import serving


@pytest.fixture(scope="session")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the views' screenshots are kept, to be looked at after a run."""
    folder = tmp_path_factory.mktemp("screens")
    print(f"dashboard screenshots: {folder}")
    return folder


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if shutil.which(CHROMIUM):
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    """The sample plus two documents that try to run script, served by `ravine serve`."""
    url = DatabaseFactory("sqlite", tmp_path_factory.mktemp("site")).migrated()
    load_sample_into(url)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine), write=True) as session:
        _, key = create_key(session, name="browser-tests")
    engine.dispose()
    with serving(url) as base:
        documents = [
            {"external_id": f"xss-{i}", "text": text, "created_at": "2025-07-16T12:00:00Z"}
            for i, text in enumerate([*XSS, FORMULA])
        ]
        pushed = httpx.post(
            f"{base}/api/v1/documents", headers={"X-API-Key": key}, timeout=30,
            json={"entity": "northwind-air", "voice": "public", "documents": documents},
        )  # fmt: skip
        assert pushed.status_code == 200, pushed.text
        statement = {"external_id": "html-title", "title": HTML_TITLE,
                     "text": "We are pleased.", "created_at": "2025-07-15T14:00:00Z"}  # fmt: skip
        pushed = httpx.post(
            f"{base}/api/v1/documents", headers={"X-API-Key": key}, timeout=30,
            json={"entity": "northwind-air", "voice": "corporate", "documents": [statement]},
        )  # fmt: skip
        assert pushed.status_code == 200, pushed.text
        yield base


@pytest.fixture
def page(site: str, chromium_path: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=FLAGS)
        # The tests' own scripts (wait_for_function) are evaluated strings, which the page's
        # content policy forbids; test_the_page_keeps_to_its_content_policy runs without this.
        context = browser.new_context(
            viewport={"width": 1280, "height": 1000}, accept_downloads=True, bypass_csp=True
        )
        tab = context.new_page()
        tab.dialogs = []
        tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
        yield tab
        browser.close()


@pytest.fixture(params=[DESKTOP, PHONE], ids=["1440x900", "390x844"])
def sized(page: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    page.set_viewport_size(request.param)
    page.size_name = f"{request.param['width']}x{request.param['height']}"
    yield page
