#!/usr/bin/env bash
# The production stack on this machine: gunicorn (web + static files through whitenoise), a Celery worker and beat,
# against the local PostgreSQL and Redis. For trying production settings before deploying; see docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_DEBUG=0
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/reparto}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:8000}"
# Plain http on the loopback: no TLS redirect, no HSTS, cookies allowed without https. Never like this in production.
export SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 COOKIES_SECURE=0
export LOG_FORMAT="${LOG_FORMAT:-json}" LOG_LEVEL="${LOG_LEVEL:-INFO}"
# Keep database connections for a minute: opening one per request costs 20–50 ms at p95 (docs/load.md).
export DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-60}"
if [ -z "${SECRET_KEY:-}" ]; then
  mkdir -p var
  [ -s var/serve-prod-secret ] || .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/serve-prod-secret
  SECRET_KEY="$(cat var/serve-prod-secret)"
  export SECRET_KEY
fi

.venv/bin/python - <<'PY'
import os
from urllib.parse import urlparse

import psycopg

url = urlparse(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
PY
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py setup_roles
.venv/bin/python manage.py collectstatic --noinput --verbosity 0

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
.venv/bin/celery -A config worker --loglevel INFO --concurrency 2 & pids+=($!)
.venv/bin/celery -A config beat --loglevel INFO & pids+=($!)
echo "Reparto (production settings) on http://127.0.0.1:8000/ — health at /health/. Ctrl-C stops it."
.venv/bin/gunicorn config.wsgi:application --bind 127.0.0.1:8000 --workers 3 --timeout 120 --access-logfile - &
pids+=($!)
wait -n
