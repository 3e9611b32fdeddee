"""python manage.py import_results FILE [--dry-run]: results sheets into the database.

An .xlsx file may hold several worksheets (one assessment each); a .csv file holds one.
All or nothing: any bad row refuses the whole file. Exit status 0 when saved (or when a
dry run found nothing wrong), 1 when the file was refused.

Each sheet's organisation is matched by name and province in any spelling; one that is not
stored yet is created only with --create-organisations (the admin's preview asks for a tick
per organisation instead), so a misspelt name cannot add a second organisation unnoticed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, ngettext

from ita.services.results_import import match_key, parse_tables, results_import
from ita.sheets import RowError, SheetErrors, SheetFileError, read_sheet_file
from ita.sheets.cells import MAX_FILE_BYTES
from ita.sheets.files import file_too_big


class Command(BaseCommand):
    help = (
        "Import ITA results from a results sheet (.xlsx, one worksheet per assessment, or "
        ".csv). Any bad row refuses the whole file; nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="an .xlsx or .csv file in the layout of docs/spreadsheet-layout.md"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check everything and report, but save nothing",
        )
        parser.add_argument(
            "--create-organisations",
            action="store_true",
            help="create the organisations the file names that are not stored yet "
            "(without it such a file is refused)",
        )

    def handle(
        self, *args: Any, file: str, dry_run: bool, create_organisations: bool, **options: Any
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(gettext("No such file: %(file)s") % {"file": file})
        try:
            tables = read_sheet_file(path.name, self._read(path))
            self.stdout.write(
                ngettext(
                    "Read %(rows)s rows from %(count)s sheet.",
                    "Read %(rows)s rows from %(count)s sheets.",
                    len(tables),
                )
                % {"rows": sum(len(t.rows) for t in tables), "count": len(tables)}
            )
            sheets = parse_tables(tables)
            outcomes = results_import(
                sheets=sheets,
                dry_run=dry_run,
                new_organisations=(
                    [match_key(s.meta.organisation, s.meta.province) for s in sheets if s.meta]
                    if create_organisations
                    else []
                ),
            )
        except SheetFileError as exc:
            raise CommandError(str(exc)) from exc
        except SheetErrors as exc:
            self._refuse(exc.errors)

        for outcome in outcomes:
            self.stdout.write(outcome.summary())
            if outcome.match is not None:
                self.stdout.write("  " + outcome.match.describe())
            new = outcome.match is not None and outcome.match.existing is None
            if dry_run and new and not create_organisations:
                self.stdout.write(
                    "  "
                    + gettext(
                        "Not stored yet: the real import needs --create-organisations, "
                        "or a corrected name."
                    )
                )
        if dry_run:
            self.stdout.write(gettext("Dry run: the file is fine; nothing was saved."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "%(count)s assessment saved.", "%(count)s assessments saved.", len(outcomes)
                    )
                    % {"count": len(outcomes)}
                )
            )

    @staticmethod
    def _read(path: Path) -> bytes:
        """The file's bytes, never more than the size limit plus one (a file may grow)."""
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise file_too_big()
        return data

    def _refuse(self, errors: list[RowError]) -> None:
        for error in errors:
            self.stderr.write(str(error))
        raise CommandError(
            ngettext(
                "%(count)s error: the file was refused and nothing was saved.",
                "%(count)s errors: the file was refused and nothing was saved.",
                len(errors),
            )
            % {"count": len(errors)}
        )
