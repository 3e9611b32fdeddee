"""Run the OIT evidence link checks that supervisors asked for and no thread has run yet."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from plans.readiness.services import (
    CheckLimits,
    link_check_run,
    link_checks_pending,
    link_checks_release_stale,
)


class Command(BaseCommand):
    help = "Check the evidence links of every pending OIT link-check request."

    def handle(self, *args: Any, **options: Any) -> None:
        limits = CheckLimits.from_settings()
        # A run cut off by a restart left its request 'running': give it another go.
        released = link_checks_release_stale(older_than_seconds=2 * limits.total + 60)
        done = 0
        for request_id in link_checks_pending():
            request = link_check_run(request_id=request_id, limits=limits)
            if request is not None:
                done += 1
                self.stdout.write(
                    f"{request.year}: {request.checked} checked, {request.failed} failed, "
                    f"{request.skipped} left for the time limit"
                )
        self.stdout.write(f"{done} link checks run, {released} stale ones released.")
