"""Restore a `backup_site` archive into this site.

    python manage.py migrate            # a new, empty database at the same version
    python manage.py restore_site /backups/ita-2026-12-01.tar.gz

Refuses a site that already has users or organisations (or evidence/media files) unless
--replace is given. The archive is checked whole first; a refused archive changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.archive import ArchiveError
from backups.services import site_restore


class Command(BaseCommand):
    help = "Restore the database, evidence files and media files from a backup_site archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive made by backup_site.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a site that already holds data (all of it is replaced).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        try:
            result = site_restore(archive=archive, replace=options["replace"])
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {result.rows} rows and {result.files} file(s) "
            f"from the backup of {result.manifest.created_at}."
        )
