"""Mail each supervisor the week's digest of their plans (run daily; writes once a week).

    0 7 * * *  cd /srv/ita && .venv/bin/python manage.py notify_digest

The first run of a week (Monday to Sunday) with something to report writes each supervisor's
digest; later runs that week write nothing new and only retry what could not be sent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from plans.digest import digest_notify
from plans.management.commands.notify_overdue import add_date_argument, today_from


class Command(BaseCommand):
    help = (
        "E-mail each supervisor a weekly digest (done but fell, overdue, due soon, no progress), "
        "once a week, and retry notices that could not be sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_date_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        today = today_from(options["date"])
        report = digest_notify(today=today)
        self.stdout.write(f"{report.sent} digest(s) and notice(s) sent for {today.isoformat()}.")
        if report.failed:
            self.stderr.write(f"{report.failed} notice(s) could not be sent; the next run retries.")
