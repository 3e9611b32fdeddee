"""Mail divisions about actions that passed their period (run daily from cron).

    0 7 * * *  cd /srv/ita && .venv/bin/python manage.py notify_overdue

Safe to run more than once a day: each division hears about an action's end month once.
Each run also retries every notice (assignment or overdue) that could not be sent before.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from plans.notifications import overdue_notify


def add_date_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--date", help="Treat this day (YYYY-MM-DD) as today; default: today in Bangkok."
    )


def today_from(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError as exc:
        raise CommandError(f"--date must look like 2026-04-01, not {value!r}") from exc


class Command(BaseCommand):
    help = (
        "E-mail each division about its overdue plan actions (once per action and end month) "
        "and retry notices that could not be sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_date_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        today = today_from(options["date"])
        report = overdue_notify(today=today)
        self.stdout.write(f"{report.sent} notice(s) sent for {today.isoformat()}.")
        if report.failed:
            # Not an error exit: the scheduler must keep running; the log says why.
            self.stderr.write(f"{report.failed} notice(s) could not be sent; the next run retries.")
