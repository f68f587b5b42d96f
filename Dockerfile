# The same install steps as `make run` / .ci/run, on Debian bookworm's Python 3.11.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    IPCLAIMS_DATABASE_URL=sqlite:////var/lib/ipclaims/ipclaims.db \
    IPCLAIMS_DATA_DIR=/var/lib/ipclaims/data

RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY ipclaims ./ipclaims
COPY alembic ./alembic
COPY templates ./templates
COPY fixtures ./fixtures
RUN pip install --no-cache-dir uv \
 && uv pip install --system --no-cache --compile-bytecode . \
 && useradd --system --home /var/lib/ipclaims ipclaims \
 && mkdir -p /var/lib/ipclaims/data && chown -R ipclaims /var/lib/ipclaims

USER ipclaims
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
# Production: set IPCLAIMS_ENV=production, IPCLAIMS_SECRET_KEY and a postgresql+psycopg:// IPCLAIMS_DATABASE_URL.
CMD ["sh", "-c", "ipclaims migrate && exec ipclaims serve --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2}"]
