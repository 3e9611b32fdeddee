"""The backup archive's layout and checks, without the database.

An archive is a gzipped tar holding:

- `database.json`: every table but content types, permissions and sessions (which `migrate`
  makes and a restore keeps from the new site), as Django fixtures with natural foreign keys;
- `evidence/...`, `documents/...` and `media/...`: the private evidence files, the signed
  copies of documents and the public media files;
- `manifest.json`, written last: the format, the migrations the data belongs to, the row
  count of every model and the SHA-256 of every other member.

A restore checks all of it before it writes anything.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

FORMAT = "ita-site-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
FILE_ROOTS = ("evidence", "media", "documents")
_CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be restored; the message says why."""


@dataclass
class Manifest:
    migrations: list[list[str]]
    tables: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)
    created_at: str = ""

    def as_json(self) -> str:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            "migrations": self.migrations,
            "tables": self.tables,
            "files": self.files,
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ArchiveError(f"manifest.json is not JSON: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ArchiveError("manifest.json is not the manifest of a site backup.")
        if data.get("version") != VERSION:
            raise ArchiveError(f"Backup format version {data.get('version')!r} is not {VERSION}.")
        try:
            return cls(
                migrations=[[str(app), str(name)] for app, name in data["migrations"]],
                tables={str(k): int(v) for k, v in data["tables"].items()},
                files={str(k): str(v) for k, v in data["files"].items()},
                created_at=str(data.get("created_at", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ArchiveError(f"manifest.json is incomplete: {exc!r}") from exc


def sha256_of(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def safe_member_name(name: str) -> PurePosixPath:
    """The member's path if it may be extracted: relative, no '..', in a known place."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise ArchiveError(f"Unsafe path in the archive: {name!r}")
    if str(path) in (MANIFEST, DATABASE):
        return path
    if path.parts[0] not in FILE_ROOTS or len(path.parts) < 2:
        raise ArchiveError(f"Unexpected member in the archive: {name!r}")
    return path


def fixture_counts(objects: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Rows per model label ("plans.action") in a list of serialized objects."""
    try:
        return dict(sorted(Counter(str(obj["model"]) for obj in objects).items()))
    except (KeyError, TypeError) as exc:
        raise ArchiveError(f"database.json holds something that is not a row: {exc!r}") from exc


def check_members(manifest: Manifest, hashes: dict[str, str]) -> None:
    """Every member but the manifest is listed with the hash it has, and nothing is missing."""
    missing = sorted(set(manifest.files) - set(hashes))
    extra = sorted(set(hashes) - set(manifest.files))
    wrong = sorted(n for n in set(hashes) & set(manifest.files) if hashes[n] != manifest.files[n])
    if DATABASE not in manifest.files:
        raise ArchiveError("The archive has no database.json.")
    if missing or extra or wrong:
        raise ArchiveError(
            "The archive does not match its manifest"
            + (f"; missing: {', '.join(missing[:5])}" if missing else "")
            + (f"; not listed: {', '.join(extra[:5])}" if extra else "")
            + (f"; changed: {', '.join(wrong[:5])}" if wrong else "")
        )


def check_counts(manifest: Manifest, counts: dict[str, int]) -> None:
    if counts != {k: v for k, v in manifest.tables.items() if v}:
        differ = sorted(
            label
            for label in set(counts) | set(manifest.tables)
            if counts.get(label, 0) != manifest.tables.get(label, 0)
        )
        raise ArchiveError(f"database.json's rows differ from the manifest for {', '.join(differ)}")


def files_under(root: Path) -> list[Path]:
    """Regular files below root, sorted; links are left out (they could point anywhere)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
