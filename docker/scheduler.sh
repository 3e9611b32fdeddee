#!/usr/bin/env bash
# The scheduler container's command (docker-compose.yml): the same image as the app, running
# the daily commands once at start and then every day at SCHEDULER_TIME (Bangkok time).
# A plain sleep loop rather than cron: nothing more to install, and it logs to stdout.
#
#   SCHEDULER_TIME (07:00)      when the daily run starts, HH:MM in Asia/Bangkok
#   SCHEDULER_ONCE (unset)      1 = run the daily commands once and exit (for a test or by hand)
#   BACKUP_DIR (unset)          a folder for a daily backup_site archive; unset = no backups
#   BACKUP_KEEP_DAYS (14)       archives older than this many days are removed from BACKUP_DIR
#   PYTHON: the interpreter to use (python from PATH)
set -euo pipefail

cd "$(dirname "$0")/.."
python=${PYTHON:-python}
at=${SCHEDULER_TIME:-07:00}
keep=${BACKUP_KEEP_DAYS:-14}

say() { printf '[scheduler] %s\n' "$*"; }

if ! [[ $at =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]]; then
    echo "SCHEDULER_TIME must look like 07:00 (24-hour HH:MM), not '$at'" >&2
    exit 1
fi
if ! [[ $keep =~ ^[0-9]+$ ]]; then
    echo "BACKUP_KEEP_DAYS must be a whole number of days, not '$keep'" >&2
    exit 1
fi

# Each command on its own: one failing (mail server down, disk full) must not skip the others
# nor stop the loop; notify_overdue retries unsent notices on the next run by itself.
run_daily() {
    say "Daily run $(date -u +%Y-%m-%dT%H:%MZ)"
    "$python" manage.py notify_overdue || say "notify_overdue failed with exit code $?"
    "$python" manage.py notify_reminders || say "notify_reminders failed with exit code $?"
    # Daily, but it writes each supervisor's digest once a week (the week's first run).
    "$python" manage.py notify_digest || say "notify_digest failed with exit code $?"
    "$python" manage.py clearsessions || say "clearsessions failed with exit code $?"
    # Link checks asked for on the OIT board normally run in a thread at once; this picks up
    # any that a restart interrupted or that ran with EVIDENCE_LINKS_IN_THREAD=0.
    "$python" manage.py check_evidence_links || say "check_evidence_links failed with exit code $?"
    if [ -n "${BACKUP_DIR:-}" ]; then
        mkdir -p "$BACKUP_DIR"
        archive="$BACKUP_DIR/ita-$(TZ=Asia/Bangkok date +%Y-%m-%d).tar.gz"
        if "$python" manage.py backup_site "$archive"; then
            find "$BACKUP_DIR" -maxdepth 1 -name 'ita-*.tar.gz' -mtime "+$keep" -delete
        else
            say "backup_site failed with exit code $?"
        fi
    fi
}

seconds_until_next_run() {
    "$python" - "$at" <<'PY'
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

hour, minute = map(int, sys.argv[1].split(":"))
now = datetime.now(ZoneInfo("Asia/Bangkok"))
run = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
if run <= now:
    run += timedelta(days=1)
print(int((run - now).total_seconds()) + 1)
PY
}

say "Waiting for the database"
"$python" -m config.health wait-for-database
run_daily
if [ "${SCHEDULER_ONCE:-}" = "1" ]; then
    exit 0
fi
while true; do
    wait_for=$(seconds_until_next_run)
    say "Next run at $at Bangkok time, in $wait_for s"
    sleep "$wait_for"
    run_daily
done
