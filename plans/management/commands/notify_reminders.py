"""Remind divisions of actions ending within 30 days or silent for 60 days (run daily).

    0 7 * * *  cd /srv/ita && .venv/bin/python manage.py notify_reminders

Safe to run more than once a day: a division hears once per action and end month that it
ends soon, and once per silence (a new progress note starts a new count). Each run also
retries every notice that could not be sent before.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from plans.management.commands.notify_overdue import add_date_argument, today_from
from plans.notifications import reminders_notify


class Command(BaseCommand):
    help = (
        "E-mail each division about its plan actions ending within 30 days and those without "
        "progress for 60 days (once each), and retry notices that could not be sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_date_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        today = today_from(options["date"])
        report = reminders_notify(today=today)
        self.stdout.write(f"{report.sent} reminder(s) sent for {today.isoformat()}.")
        if report.failed:
            self.stderr.write(f"{report.failed} notice(s) could not be sent; the next run retries.")
