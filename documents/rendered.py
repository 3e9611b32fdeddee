"""Generated documents stored once per content: the same bytes until what they print changes.

A document (report, plan, follow-up, OIT checklist in one format) lives in a *slot* named
for what it is (``plan-12/pdf-thai-th``); the file in the slot is named for a *version*, a
digest of everything the document depends on: data tokens (`Assessment.figures_version`,
`Framework.figures_version`, `Plan.content_version`), the organisation's printed fields, the
options, the language and a digest of the code and templates that lay it out. A download
serves the slot's file when its name is the current version, else renders, writes the new
file and removes the slot's older ones. Nothing expires by time; a write that changes what
prints changes the version.

Writes are atomic (a temporary file in the same folder, then ``os.replace``) so a reader
sees a whole file or none, and a failed render leaves nothing behind. Two workers asked for
the same slot take turns on a lock file: the second finds the first's file instead of
rendering again. The signed copies (``documents.models.StoredDocument``) are a different
thing, never touched here.

The folder is ``settings.DOCUMENTS_CACHE_ROOT`` (read on every call so tests can move it).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import get_language

TEMP_PREFIX = ".render-"
LOCK_NAME = ".lock"


@dataclass(frozen=True)
class DocumentKey:
    slot: str  # "report-12-2568/pdf-thai-th": one document in one format and option set
    version: str  # digest of all it prints; the file name in the slot
    suffix: str  # "pdf", "docx", "xlsx"

    @property
    def filename(self) -> str:
        return f"{self.version}.{self.suffix}"


def cache_root() -> Path:
    configured = getattr(settings, "DOCUMENTS_CACHE_ROOT", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "private" / "rendered"


# --- The code version ----------------------------------------------------------------------

# What lays a document out: a deploy that changes any of it never serves the old bytes.
_CODE_GLOBS = (
    ("documents", "**/*.py"),
    ("templates/documents", "**/*.html"),
    ("ita/charts", "*.py"),
    ("ita", "narratives.py"),
    ("ita", "thai.py"),
    ("ita", "judgement.py"),
    ("ita/templatetags", "*.py"),
    ("static/css", "*.css"),
    ("locale", "**/*.mo"),
)


@cache
def code_version() -> str:
    """A digest of the modules, templates, styles and catalogues documents are built from."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder, pattern in _CODE_GLOBS:
        for path in sorted((base / folder).glob(pattern)):
            if "migrations" in path.parts or not path.is_file():
                continue
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- Versions: digests of what a document depends on ----------------------------------------


def _plain(value: Any) -> Any:
    """A value as plain, stable data for hashing. Unknown objects are refused: a default
    ``repr`` carries a memory address and would make every version new (or worse, hide a
    field that should count)."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, Promise):  # lazy translations: the text in the active language
        return str(value)
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, Decimal):
        return f"Decimal:{value}"
    if isinstance(value, date):  # datetimes too
        return f"{type(value).__name__}:{value.isoformat()}"
    if is_dataclass(value) and not isinstance(value, type):
        named = [[f.name, _plain(getattr(value, f.name))] for f in fields(value)]
        return [type(value).__name__, *named]
    if isinstance(value, Mapping):
        return sorted([str(k), _plain(v)] for k, v in value.items())
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    raise TypeError(f"No stable form for {type(value).__name__} in a document version.")


def version_of(*parts: Any) -> str:
    """The digest of `parts` (plain values and dataclasses), with the code version and the
    active language, as a file name."""
    digest = hashlib.sha256()
    digest.update(repr(_plain([code_version(), get_language() or "", list(parts)])).encode())
    return digest.hexdigest()[:32]


def slot_name(document: str, suffix: str, *options: str) -> str:
    """The folder of one document in one format: `document` like "plan-12", options the
    printing choices ("thai"), with the active language."""
    return f"{document}/{'-'.join([suffix, *options, get_language() or 'xx'])}"


# --- The storage ---------------------------------------------------------------------------


def _slot_folder(key: DocumentKey) -> Path:
    folder = cache_root().joinpath(*key.slot.split("/"))
    if cache_root().resolve() not in folder.resolve().parents:  # slot names come from code
        raise ValueError(f"Bad document slot: {key.slot}")
    return folder


def stored(key: DocumentKey) -> bytes | None:
    """The stored bytes of this version, None when it was not rendered (or was replaced)."""
    try:
        return (_slot_folder(key) / key.filename).read_bytes()
    except FileNotFoundError:
        return None


def is_stored(key: DocumentKey) -> bool:
    return (_slot_folder(key) / key.filename).is_file()


def store(key: DocumentKey, content: bytes) -> None:
    """Write this version atomically and remove the slot's older versions."""
    folder = _slot_folder(key)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, folder / key.filename)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    for old in folder.iterdir():
        # Another worker's temporary file and the lock stay; every other version goes.
        if old.name != key.filename and not old.name.startswith((TEMP_PREFIX, LOCK_NAME)):
            with contextlib.suppress(FileNotFoundError):
                old.unlink()


@contextlib.contextmanager
def _slot_lock(key: DocumentKey) -> Iterator[None]:
    folder = _slot_folder(key)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_NAME, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def rendered(key: DocumentKey, build: Callable[[], bytes]) -> bytes:
    """The stored bytes of `key`, rendering them with `build` once when they are missing.

    A build that raises stores nothing (the error goes to the caller)."""
    content = stored(key)
    if content is not None:
        return content
    with _slot_lock(key):
        content = stored(key)  # another worker may have finished it while we waited
        if content is None:
            # The builders run their heavy part in a child (documents.exports.children)
            # and free what they built here themselves: nothing to release at this level.
            content = build()
            store(key, content)
    return content
