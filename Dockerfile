# Ravine: a self-hosted tracker of the gap between corporate and public sentiment.
#   docker build -t ravine .
#   docker run --rm -v ravine-data:/data -e RAVINE_DATABASE_URL=sqlite:////data/ravine.db ravine stats
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    RAVINE_DATABASE_URL=sqlite:////data/ravine.db

RUN useradd --create-home --uid 1000 ravine && mkdir /data && chown ravine /data
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY ravine ./ravine
COPY ingest ./ingest
COPY api ./api
COPY dashboard ./dashboard
COPY migrations ./migrations
COPY examples ./examples
RUN pip install '.[postgres]'

USER ravine
VOLUME /data
ENTRYPOINT ["ravine"]
CMD ["--help"]
