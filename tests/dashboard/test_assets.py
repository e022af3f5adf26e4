"""The page and its files: Plotly.js served by the app itself, gzipped, cached for a year under
a versioned name; the app's own files revalidated, so a deploy shows at once."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ravine.config import load_settings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(database_url=f"sqlite:///{tmp_path}/x.db"))) as c:
        yield c


def test_plotly_is_served_by_the_app_and_cached_for_a_year(client: TestClient) -> None:
    page = client.get("/").text
    found = re.search(r'<script src="(/assets/plotly-basic-[\d.]+\.min\.js)" defer>', page)
    assert found is not None
    response = client.get(found.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert b"plotly.js (basic - minified)" in response.content  # httpx has unzipped it
    assert len(gzip.compress(response.content)) < 500_000  # the full bundle is ~1.5 MB


def test_app_files_are_revalidated_and_unknown_ones_are_404(client: TestClient) -> None:
    first = client.get("/assets/app.js")
    assert first.headers["cache-control"] == "no-cache"
    again = client.get("/assets/app.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/assets/plotly-9.9.9.min.js").status_code == 404
    assert client.get("/assets/..%2Fassets.py").status_code == 404
