#!/usr/bin/env bash
# Set everything up and run the app with demo data on http://127.0.0.1:8000 (SQLite unless
# DATABASE_URL is set). HOST and PORT change the address.
set -euo pipefail

cd "$(dirname "$0")"
scripts/setup.sh

# The development server, its debug pages and the built-in development SECRET_KEY belong
# together: this script is for a workstation, never for a server (see docker/start.sh).
export DEBUG=1
host=${HOST:-127.0.0.1}
port=${PORT:-8000}

.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
echo "[run] Open http://$host:$port/ and log in as demo / demo-ita-2568 (local use only)."
exec .venv/bin/python manage.py runserver "$host:$port"
