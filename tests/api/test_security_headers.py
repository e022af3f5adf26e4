"""Every response carries the headers that keep browsers from sniffing, framing or leaking."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_pages_data_and_errors_carry_the_headers(client: TestClient) -> None:
    for path in ("/", "/assets/app.js", "/api/v1/entities", "/api/v1/entities/nobody"):
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "no-referrer", path
        assert response.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path


def test_the_api_documentation_keeps_its_own_scripts(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "content-security-policy" not in docs.headers
    assert docs.headers["x-content-type-options"] == "nosniff"
