"""Import an XLSX framework file (ita.services.framework_import), showing what it changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ita.frameworks.files import FrameworkFileError, read_xlsx
from ita.services.framework_import import framework_import, framework_import_plan


class Command(BaseCommand):
    help = "Import a framework file; refused whole on any error, nothing written."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="show the changes only")
        parser.add_argument(
            "--allow-replace",
            action="store_true",
            help="replace a confirmed framework or one that results use",
        )

    def handle(self, *args: Any, file: str, dry_run: bool, allow_replace: bool, **options: Any):  # type: ignore[no-untyped-def]
        try:
            spec = read_xlsx(Path(file).read_bytes())
            if dry_run:
                plan = framework_import_plan(spec=spec)
            else:
                plan = framework_import(spec=spec, allow_replace=allow_replace)
        except OSError as error:
            raise CommandError(str(error)) from error
        except FrameworkFileError as error:
            raise CommandError("\n".join(error.messages)) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        for change in plan.changes:
            detail = "; ".join(f"{f.column}: {f.old} → {f.new}" for f in change.fields)
            self.stdout.write(f"{change.kind}\t{change.sheet}\t{change.key}\t{detail}")
        for reason in plan.refusals:
            self.stdout.write(f"! {reason}")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{plan.fiscal_year}: {len(plan.changes)} row(s) {verb}.")
