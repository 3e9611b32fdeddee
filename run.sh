#!/usr/bin/env bash
# Set everything up and run the app on http://127.0.0.1:8000 (SQLite unless DATABASE_URL is
# set). HOST and PORT change the address.
#
# The demo (organisations, results and superuser demo with a published password) is loaded
# only into the project's SQLite database; with DATABASE_URL set it is left out unless
# LOAD_DEMO=1 says the database is a throw-away one. LOAD_DEMO=0 leaves it out everywhere.
set -euo pipefail

cd "$(dirname "$0")"
scripts/setup.sh

# The development server, its debug pages and the built-in development SECRET_KEY belong
# together: this script is for a workstation, never for a server (see docker/start.sh).
export DEBUG=1
host=${HOST:-127.0.0.1}
port=${PORT:-8000}
if [ -n "${DATABASE_URL:-}" ]; then
    load_demo=${LOAD_DEMO:-0}
else
    load_demo=${LOAD_DEMO:-1}
fi

.venv/bin/python manage.py migrate --noinput
if [ "$load_demo" = 1 ]; then
    .venv/bin/python manage.py load_demo
    # The public transparency page of the demo organisation (public/ sits above documents).
    .venv/bin/python manage.py publish_demo
    echo "[run] Open http://$host:$port/ and log in as demo / demo-ita-2568 (local use only)."
else
    echo "[run] No demo loaded (DATABASE_URL is set; LOAD_DEMO=1 loads it into a throw-away database)."
    echo "[run] Create a login with: .venv/bin/python manage.py createsuperuser"
    echo "[run] Open http://$host:$port/"
fi
exec .venv/bin/python manage.py runserver "$host:$port"
