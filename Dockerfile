# The potenzial app (API + map). Used by docker-compose.yml; not needed for `make demo`.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY potenzial ./potenzial
COPY api ./api
COPY web ./web
COPY layers ./layers
RUN pip install --no-cache-dir -e . && npm ci --prefix web --no-audit --no-fund
ENV POTENZIAL_DATA_DIR=/app/data POTENZIAL_RASTER_CACHE=/app/raster_cache \
    GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR GDAL_CACHEMAX=256 MALLOC_ARENA_MAX=2
EXPOSE 8000
# db init and run write as POTENZIAL_STORE's role; the server reads as the read-only role db init
# created (POTENZIAL_READER_STORE; without one, the embedded store or POTENZIAL_STORE)
CMD ["sh", "-c", "potenzial db init && potenzial run && potenzial serve --store \"${POTENZIAL_READER_STORE:-$POTENZIAL_STORE}\" --host 0.0.0.0 --port 8000"]
