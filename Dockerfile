# The CMS as an image: slim, runs as a non-root user, dependencies in their own layer (rebuilt only when
# pyproject.toml changes). `docker compose up` runs it with PostgreSQL and MinIO (docker-compose.yml).
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first: the package is installed once with a placeholder module so that pip resolves and
# installs every dependency; the real code replaces it below without touching this layer.
COPY pyproject.toml README.md ./
RUN mkdir cms && touch cms/__init__.py && pip install . && pip uninstall -y cms && rm -rf cms build

COPY cms ./cms
COPY content_types ./content_types
COPY graphql ./graphql
RUN pip install --no-deps . && rm -rf build

RUN useradd --system --uid 10001 --home-dir /app cms && mkdir -p /app/media && chown cms /app/media
USER cms

ENV CMS_HOST=0.0.0.0 CMS_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=2).status == 200 else 1)"
CMD ["cms", "serve", "--host", "0.0.0.0", "--port", "8000"]
