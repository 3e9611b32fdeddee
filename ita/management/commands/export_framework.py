"""Write a year's framework to an XLSX framework file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ita.frameworks.files import write_xlsx
from ita.models import Framework
from ita.services.framework_import import framework_spec


class Command(BaseCommand):
    help = "Export a fiscal year's framework as an XLSX framework file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="fiscal year (B.E.)")
        parser.add_argument("--output", help="file name (default ita-framework-YEAR.xlsx)")

    def handle(self, *args: Any, year: int, output: str | None, **options: Any) -> None:
        framework = Framework.objects.filter(fiscal_year=year).first()
        if framework is None:
            raise CommandError(f"No framework for fiscal year {year}.")
        path = Path(output or f"ita-framework-{year}.xlsx")
        path.write_bytes(write_xlsx(framework_spec(framework)))
        self.stdout.write(str(path))
