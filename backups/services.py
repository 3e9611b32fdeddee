"""Back up and restore a whole site: the database, the evidence, signed and media files.

Why not plain `dumpdata`/`loaddata`: loading an action re-sets its divisions, and that
m2m change makes django-simple-history write a new history row for it. On PostgreSQL the
new row takes a history id the fixture holds too (the sequence is reset only after loading)
and the load fails; on SQLite it silently adds one history row per action. So the restore
loads with history recording off. Content types and permissions are left out of the dump
(a fresh `migrate` makes them, in its own order and ids) and referred to by natural keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from backups.archive import (
    DATABASE,
    MANIFEST,
    ArchiveError,
    Manifest,
    check_counts,
    check_members,
    files_under,
    fixture_counts,
    safe_member_name,
)
from documents.storage import stored_root
from ita.bilingual import bilingual
from ita.models import Organisation
from plans.storage import evidence_root

# Made by `migrate` on the new site (content types, permissions) or not worth keeping.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
_EXCLUDED_TABLES = {"django_content_type", "auth_permission", "django_session"}


def file_roots() -> dict[str, Path]:
    return {
        "evidence": evidence_root(),
        "media": Path(settings.MEDIA_ROOT),
        "documents": stored_root(),
    }


def applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def restorable_tables() -> list[str]:
    """The tables a restore empties and fills: every table of the dump, m2m tables too."""
    names = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return sorted(set(names) - _EXCLUDED_TABLES)


def table_counts() -> dict[str, int]:
    """Rows in each restorable table (for checks and tests)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in restorable_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@contextmanager
def _snapshot() -> Iterator[None]:
    # One consistent view of every table while dumping, even if someone saves meanwhile.
    # (Inside an outer transaction, as in tests, that one's view is used as it is.)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def site_backup(*, output: Path) -> Manifest:
    """Write the archive to `output` (through a temporary file beside it)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="ita-backup-") as work:
        dump = Path(work) / DATABASE
        with _snapshot():
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                output=str(dump),
                verbosity=0,
            )
            migrations = applied_migrations()
        with dump.open("rb") as stream:
            objects = json.load(stream)
        manifest = Manifest(
            migrations=migrations,
            tables=fixture_counts(objects),
            created_at=timezone.now().isoformat(),
        )
        with tarfile.open(partial, "w:gz") as tar:
            _add(tar, dump, DATABASE, manifest)
            for prefix, root in file_roots().items():
                for path in files_under(root):
                    _add(tar, path, f"{prefix}/{path.relative_to(root).as_posix()}", manifest)
            data = manifest.as_json().encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            with tempfile.TemporaryFile() as buffer:
                buffer.write(data)
                buffer.seek(0)
                tar.addfile(info, buffer)
    os.replace(partial, output)
    return manifest


def _add(tar: tarfile.TarFile, path: Path, name: str, manifest: Manifest) -> None:
    # Hash what goes into the archive, read once, so a file changed meanwhile cannot differ.
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as stream, _HashingReader(stream) as reader:
        tar.addfile(info, reader)
        manifest.files[name] = reader.hexdigest()


class _HashingReader:
    """Passes a binary stream through, hashing what is read."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self._digest.hexdigest()

    def __enter__(self) -> _HashingReader:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    rows: int
    files: int


def _extract(archive: Path, into: Path) -> dict[str, str]:
    """Unpack every member into `into`, refusing anything unsafe; name -> SHA-256."""
    hashes: dict[str, str] = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                name = str(safe_member_name(member.name))
                if not member.isfile():
                    raise ArchiveError(f"Not a regular file in the archive: {member.name!r}")
                if name in hashes:
                    raise ArchiveError(f"Twice in the archive: {member.name!r}")
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has content
                with target.open("wb") as out, _HashingReader(source) as reader:
                    shutil.copyfileobj(reader, out)
                hashes[name] = reader.hexdigest()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveError(f"Not a readable .tar.gz archive: {exc}") from exc
    return hashes


def _site_is_empty() -> bool:
    # What `migrate` leaves (frameworks, groups, standard measures) is not the site's own data.
    return not (get_user_model().objects.exists() or Organisation.objects.exists())


def _refuse(message: str, **params: object) -> ArchiveError:
    return ArchiveError(bilingual(message, **params))


def site_restore(*, archive: Path, replace: bool = False) -> RestoreResult:
    """Replace the database content and the files with the archive's, or change nothing.

    The whole archive is unpacked into a temporary folder and checked (hashes, row counts,
    migrations) before the first write; the database is loaded in one transaction, and the
    files are moved into place only once it has committed.
    """
    roots = file_roots()
    with tempfile.TemporaryDirectory(prefix="ita-restore-") as work:
        staged = Path(work)
        hashes = _extract(archive, staged)
        if MANIFEST not in hashes:
            raise ArchiveError("The archive has no manifest.json.")
        del hashes[MANIFEST]
        manifest = Manifest.from_json((staged / MANIFEST).read_text(encoding="utf-8"))
        check_members(manifest, hashes)
        try:
            objects = json.loads((staged / DATABASE).read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ArchiveError(f"database.json is not JSON: {exc}") from exc
        check_counts(manifest, fixture_counts(objects))
        del objects
        if manifest.migrations != applied_migrations():
            raise _refuse(
                gettext_noop(
                    "The backup was made by another version of the application (other "
                    "migrations). Restore it with the version that made it, then upgrade."
                )
            )
        if not replace:
            busy = [str(root) for root in roots.values() if files_under(root)]
            if not _site_is_empty() or busy:
                raise _refuse(
                    gettext_noop(
                        "This site already holds data; nothing was restored. Use --replace "
                        "to overwrite it with the backup."
                    )
                )
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            _empty_tables()
            call_command("loaddata", str(staged / DATABASE), verbosity=0)
        for prefix, root in roots.items():
            _replace_folder(root, staged / prefix)
    return RestoreResult(
        manifest=manifest, rows=sum(manifest.tables.values()), files=len(hashes) - 1
    )


def _empty_tables() -> None:
    statements = connection.ops.sql_flush(
        no_style(), restorable_tables(), reset_sequences=True, allow_cascade=False
    )
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred checks pending in this transaction (rows
        # written earlier in it); check those now, then defer again for the load.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(statements)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.ops.execute_sql_flush(statements)


def _replace_folder(root: Path, staged: Path) -> None:
    # The folder itself stays (in a container it is a mounted volume); its content changes.
    root.mkdir(parents=True, exist_ok=True)
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    if staged.is_dir():
        for entry in staged.iterdir():
            shutil.move(str(entry), str(root / entry.name))
