"""python manage.py export_results [--year Y] [--org NAME] --format json|xlsx|csv [--output PATH]

JSON: per assessment the published and computed overall, level, tool and indicator scores
with mismatch flags. XLSX: one worksheet per assessment, in the import layout. CSV: one
file per assessment (several need --output DIR). --template writes a year's blank sheet,
with Thai column names and keys like the admin's blank sheet (--english for the English ones).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from ita.models import Assessment, Framework
from ita.sheets import write_csv, write_xlsx
from ita.sheets.cells import COLUMNS
from ita.sheets.export import (
    assessment_filename,
    assessment_summary,
    assessments_for_export,
    export_csv,
    export_xlsx,
    framework_for_template,
    template_rows,
)
from ita.sheets.vocabulary import thai_headers, thai_rows


class Command(BaseCommand):
    help = "Export ITA results as JSON (published vs computed) or as results sheets (XLSX/CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="fiscal year (B.E.); all years if left out")
        parser.add_argument("--org", help="only organisations whose name contains this text")
        parser.add_argument("--format", choices=["json", "xlsx", "csv"], default="json")
        parser.add_argument(
            "--output",
            help="file to write (a directory for several CSV files); JSON and CSV default to "
            "standard output",
        )
        parser.add_argument(
            "--template",
            action="store_true",
            help="write the blank results sheet of --year instead (xlsx or csv), in Thai",
        )
        parser.add_argument(
            "--english",
            action="store_true",
            help="with --template: English column names and keys (kind, code, score …)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year, file_format, output = options["year"], options["format"], options["output"]
        if file_format == "xlsx" and not output:
            raise CommandError(gettext("XLSX needs --output FILE."))
        if options["template"]:
            self._template(year, file_format, output, english=options["english"])
            return

        queryset = Assessment.objects.all()
        if year is not None:
            queryset = queryset.filter(framework__fiscal_year=year)
        if options["org"]:
            queryset = queryset.filter(organisation__name__icontains=options["org"])
        assessments = list(assessments_for_export(queryset))

        if file_format == "json":
            data = [assessment_summary(a) for a in assessments]
            self._write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output)
        elif not assessments:
            raise CommandError(gettext("No assessment matches."))
        elif file_format == "xlsx":
            Path(output).write_bytes(export_xlsx(assessments))  # type: ignore[arg-type]
        elif len(assessments) == 1 and not (output and Path(output).is_dir()):
            self._write_bytes(export_csv(assessments[0]), output)
        else:
            folder = Path(output) if output else None
            if folder is None or not folder.is_dir():
                raise CommandError(
                    gettext("%(count)s assessments: CSV needs --output DIRECTORY (one file each).")
                    % {"count": len(assessments)}
                )
            for assessment in assessments:
                (folder / assessment_filename(assessment, "csv")).write_bytes(
                    export_csv(assessment)
                )
        if output:
            self.stderr.write(
                gettext("%(count)s assessments written to %(output)s.")
                % {"count": len(assessments), "output": output}
            )

    def _template(
        self, year: int | None, file_format: str, output: str | None, *, english: bool
    ) -> None:
        if file_format == "json" or year is None:
            raise CommandError(gettext("--template needs --year and --format xlsx or csv."))
        if not Framework.objects.filter(fiscal_year=year).exists():
            raise CommandError(
                gettext("There is no ITA framework for fiscal year %(year)s.") % {"year": year}
            )
        rows = template_rows(framework_for_template(year))
        headers: list[str] = list(COLUMNS)
        if not english:  # Thai unless asked, as the admin's blank sheet (the import reads either)
            rows, headers = thai_rows(rows), thai_headers(COLUMNS)
        if file_format == "xlsx":
            assert output is not None  # checked in handle()
            Path(output).write_bytes(write_xlsx([(str(year), rows)], headers))
        else:
            self._write_bytes(write_csv(rows, headers), output)

    def _write_text(self, text: str, output: str | None) -> None:
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _write_bytes(self, content: bytes, output: str | None) -> None:
        if output:
            Path(output).write_bytes(content)
        else:
            self.stdout.write(content.decode("utf-8-sig"), ending="")
