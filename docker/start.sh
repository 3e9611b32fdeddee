#!/usr/bin/env bash
# The app container's command (docker-compose.yml); .ci/run also runs it directly against
# PostgreSQL. Waits for the database, migrates, compiles the Thai catalogue if it is missing
# or stale, collects static files and hands the process over to gunicorn.
#
#   HOST (0.0.0.0), PORT (8000), WEB_CONCURRENCY (2 workers), GUNICORN_THREADS (4 per
#   worker), GUNICORN_TIMEOUT (120 s), DB_WAIT_SECONDS (60)
#   PYTHON: the interpreter to use (python from PATH; .ci/run passes .venv/bin/python)
set -euo pipefail

cd "$(dirname "$0")/.."
python=${PYTHON:-python}

say() { printf '[start] %s\n' "$*"; }

say "Waiting for the database"
"$python" -m config.health wait-for-database

say "Applying migrations"
"$python" manage.py migrate --noinput

# The image compiles the catalogue at build time; this covers a mounted or edited locale/.
for po in locale/*/LC_MESSAGES/*.po; do
    [ -e "$po" ] || continue
    if [ ! -e "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
        say "Compiling translations"
        "$python" manage.py compilemessages --ignore=.venv -v 0
        break
    fi
done

say "Collecting static files"
"$python" manage.py collectstatic --noinput -v 0

say "Starting gunicorn on ${HOST:-0.0.0.0}:${PORT:-8000}"
# Threaded workers (gthread): a request waiting on the database or building a PDF holds one
# thread, not a whole worker. Slow clients are nginx's to absorb (docker/nginx.conf).
exec "$python" -m gunicorn config.wsgi:application \
    --bind "${HOST:-0.0.0.0}:${PORT:-8000}" \
    --workers "${WEB_CONCURRENCY:-2}" \
    --worker-class gthread \
    --threads "${GUNICORN_THREADS:-4}" \
    --timeout "${GUNICORN_TIMEOUT:-120}" \
    --access-logfile -
