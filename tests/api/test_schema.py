"""Schemathesis fuzzes every operation of the OpenAPI schema: no 5xx, and every response
(errors included) matches the schema and its declared status codes."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.core.transport import Response

from api.app import create_app
from ravine.config import load_settings
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.repository.apikeys import create_key


@pytest.fixture(scope="module")
def api_key(sample_url: str) -> str:
    engine = make_engine(sample_url)
    with session_scope(make_session_factory(engine), write=True) as session:
        _, key = create_key(session, name=f"schemathesis-{id(session)}")
    engine.dispose()
    return key


@pytest.fixture
def api_schema(sample_url: str) -> schemathesis.BaseSchema:
    app = create_app(load_settings(database_url=sample_url))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case: schemathesis.Case, api_key: str) -> None:
    response: Response = case.call(headers={"X-API-Key": api_key})
    assert response.status_code < 500, response.text
    # Some schema-valid values are still refused on their meaning (since after until, a cursor
    # this API did not issue): 422 with a problem is right there, so that check is left out.
    case.validate_response(response, excluded_checks=[checks.positive_data_acceptance])
