"""The FastAPI application factory: ``uvicorn --factory api.app:create_app``."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from api import problems
from api.admission import Admission
from api.body_limit import BodyLimit
from api.deps import ReadCaches, check_read_access, reject_nul
from api.routers import alerts, dashboard, documents, entities, health, ingest_runs, push, ravine
from api.routers.annotations import router as annotation_router
from api.security_headers import SecurityHeaders
from ravine.config import Settings, load_settings
from ravine.db import make_engine, make_session_factory
from ravine.release import RELEASE
from ravine.scoring import ScorerConfig

API_PREFIX = "/api/v1"


def create_served_app() -> FastAPI:
    """The app as ``ravine serve`` runs it, one per server process. What start-up built
    (modules, routes, models, pandas and numpy) lives as long as the process, so it is frozen
    out of the collector's full passes: each would otherwise walk it all, adding tens of
    milliseconds to whichever request triggers one."""
    app = create_app()
    gc.freeze()
    return app


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the engine lives as long as the app (closed on shutdown)."""
    settings = settings or load_settings()
    engine = make_engine(settings.database_url, echo=settings.echo_sql)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        dependencies=[Depends(reject_nul)],
        title="Ravine",
        version=RELEASE,
        summary="The gap between what organisations say and what the public says about them.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    # Read the lexicon overrides once, not on every push.
    app.state.scorer_config = ScorerConfig.from_settings(settings)
    app.state.caches = ReadCaches.from_settings(settings)
    # Assets and cached reads arrive compressed; level 6 keeps the rest cheap to compress.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(Admission, limit=settings.concurrent_requests)
    app.add_middleware(BodyLimit, limit=settings.max_body_mb * 1_000_000)
    app.add_middleware(SecurityHeaders)
    problems.install(app)
    problems.install_openapi(app)
    app.include_router(health.router)
    reads = [Depends(check_read_access)]
    for router in (
        entities.router,
        documents.router,
        ravine.router,
        ingest_runs.router,
        alerts.router,
    ):
        app.include_router(router, prefix=API_PREFIX, dependencies=reads)
    app.include_router(push.router, prefix=API_PREFIX)  # needs a key of its own
    app.include_router(annotation_router, prefix=API_PREFIX)  # keys for writes, per route
    app.include_router(dashboard.router)
    app.include_router(dashboard.data_router, dependencies=reads)
    return app
