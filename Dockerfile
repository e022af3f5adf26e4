# syntax=docker/dockerfile:1
# Ravine: a self-hosted tracker of the gap between corporate and public sentiment.
#
#   docker build -t ravine .
#   docker run --rm -v ravine-data:/data ravine db upgrade
#   docker run -d -p 8000:8000 -v ravine-data:/data ravine
#
# The same image runs every `ravine` command, live ingest included:
#   docker run --rm -v ravine-data:/data -v "$PWD/sources.toml:/config/sources.toml:ro" \
#     -e RAVINE_SOURCES=/config/sources.toml ravine ingest run
#
# Configuration is only through RAVINE_* environment variables (see ravine/config.py).

# Stage 1: wheels for Ravine and every dependency, built where the build tools are. What
# reaches the build context is decided by .dockerignore, so new packages need no edit here.
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /src
COPY . .
RUN pip wheel --wheel-dir /wheels '.[postgres]'

# Stage 2: only the installed wheels. They are bind-mounted from stage 1 rather than copied,
# so the wheel files themselves never become a layer of the image.
FROM python:3.11-slim-bookworm

LABEL org.opencontainers.image.title="Ravine" \
      org.opencontainers.image.description="Self-hosted tracker of the gap between what organisations say and what the public says about them." \
      org.opencontainers.image.licenses="MIT"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    RAVINE_DATABASE_URL=sqlite:////data/ravine.db

# --no-index: nothing is fetched here, so the image holds exactly what stage 1 resolved.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels /wheels/*.whl

# A fixed numeric uid, so file ownership on bind mounts is predictable and Kubernetes'
# runAsNonRoot can verify it without reading /etc/passwd.
RUN groupadd --system --gid 10001 ravine \
    && useradd --system --uid 10001 --gid ravine --home-dir /data --no-create-home ravine \
    && mkdir /data \
    && chown ravine:ravine /data

# The SQLite database, and files `ravine demo` writes to the working directory.
VOLUME /data
WORKDIR /data
USER 10001:10001

EXPOSE 8000
# Liveness only (/readyz also checks the database and schema); slim images have no curl.
# Containers that run another command (ingest, db upgrade) turn it off: --no-healthcheck.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

ENTRYPOINT ["ravine"]
CMD ["serve", "--host", "0.0.0.0"]
