from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ita.demo import reference_data
from ita.models import Organisation
from public.demo import demo_publish


class Command(BaseCommand):
    help = "Switch on the public page of the demo organisation (run after load_demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        name = reference_data()["organisation"]["name"]
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            raise CommandError("Load the demo first: manage.py load_demo")
        page = demo_publish(organisation)
        self.stdout.write(self.style.SUCCESS(f"Public page: /public/{page.slug}/"))
