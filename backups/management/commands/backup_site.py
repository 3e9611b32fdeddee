"""Write the whole site (database, evidence files, media) into one .tar.gz archive.

    python manage.py backup_site /backups/ita-2026-12-01.tar.gz

The archive's manifest.json lists the row count of every table and the SHA-256 of every
file; `restore_site` checks all of it before it writes anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backups.services import site_backup


class Command(BaseCommand):
    help = "Back up the database, the evidence files and the media files into OUTPUT.tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", type=Path, help="The archive to write (.tar.gz).")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        manifest = site_backup(output=output)
        files = len(manifest.files) - 1  # database.json is not a site file
        self.stdout.write(
            f"Backed up {sum(manifest.tables.values())} rows of {len(manifest.tables)} "
            f"tables and {files} file(s) to {output}."
        )
