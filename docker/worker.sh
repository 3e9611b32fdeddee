#!/usr/bin/env bash
# The worker container's command (docker-compose.yml): the same image and settings as the
# app, running the background tasks (large plan documents, documents.tasks) that the app
# enqueues in the database when TASKS_BACKEND=database.
#
#   WORKER_INTERVAL (1)   seconds between looks at the queue when it is empty
#   PYTHON: the interpreter to use (python from PATH)
set -euo pipefail

cd "$(dirname "$0")/.."
python=${PYTHON:-python}
interval=${WORKER_INTERVAL:-1}
if ! [[ $interval =~ ^[0-9]+$ ]] || [[ $interval -lt 1 ]]; then
    echo "WORKER_INTERVAL must be a whole number of seconds (1 or more), not '$interval'" >&2
    exit 1
fi

printf '[worker] running background tasks (queue "default", every %ss when idle)\n' "$interval"
# exec: the container's stop signal reaches the worker, which finishes its task and exits.
exec "$python" manage.py db_worker --queue-name default --interval "$interval" --no-reload
