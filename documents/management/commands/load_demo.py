from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ita.demo import demo_load, fictional_2569_load, reference_data
from ita.models import Division

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-ita-2568"  # documented in the README; for local use only


class Command(BaseCommand):
    help = "Load demo organisations, results, divisions and a demo login (safe to re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-peers",
            action="store_true",
            help="leave out the fictional peers of the peers page (quicker; for tests)",
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="load even with DEBUG off (a throw-away database: tests, benchmarks, a trial)",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        # The demo resets superuser "demo" to a password printed in the README: on a real
        # database that is a published administrator login.
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "load_demo creates superuser demo with a published password and is refused "
                "with DEBUG off. On a throw-away database add --i-know-this-is-not-production."
            )
        summary = demo_load(peers=not options["no_peers"])
        reference = summary.organisations[0]
        for order, name in enumerate(reference_data()["divisions"], start=1):
            Division.objects.update_or_create(
                organisation=reference, name=name, defaults={"order": order}
            )

        user, _created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = True
        user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        self._load_plan(reference, summary)

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(summary.organisations)} organisations, "
                f"{len(summary.assessments)} assessments. "
                f"Login: {DEMO_USERNAME} / {DEMO_PASSWORD}"
            )
        )

    def _load_plan(self, reference: Any, summary: Any) -> None:
        try:
            from plans.demo import (
                load_fictional_2569_plan,
                load_fictional_2570_plan,
                load_fictional_readiness,
                load_reference_plan,
            )
        except ImportError:  # the plans workflow is optional in older checkouts
            return
        assessment = next(a for a in summary.assessments if a.organisation_id == reference.pk)
        load_reference_plan(organisation=reference, assessment=assessment)
        # The fictional organisation goes through the yearly cycle: its 2569 results judge
        # its 2569 plan, and its 2570 plan carries the unfinished measures on.
        fictional = summary.organisations[1]
        results_2568 = next(
            a
            for a in summary.assessments
            if a.organisation_id == fictional.pk and a.framework.fiscal_year == 2568
        )
        load_fictional_2569_plan(organisation=fictional, assessment=results_2568)
        load_fictional_2570_plan(organisation=fictional, assessment=fictional_2569_load())
        # Its OIT board of 2569: the evidence gathered while that plan ran, one item overdue.
        load_fictional_readiness(organisation=fictional)
