"""Where the signed copies of documents live: outside MEDIA_ROOT and without a public URL.

A signed copy (the plan PDF as approved, a report as signed) is served by
``documents.views.stored_file`` to members of its organisation, and by the public page only
for the years its administrator published. The folder is ``settings.DOCUMENTS_STORED_ROOT``,
read on every call so tests can point it at a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def stored_root() -> Path:
    configured = getattr(settings, "DOCUMENTS_STORED_ROOT", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "private" / "documents"


@deconstructible(path="documents.storage.StoredDocumentStorage")
class StoredDocumentStorage(FileSystemStorage):
    # A signed copy is written once: a second file under the same name is a new name,
    # never an overwrite (FileSystemStorage's default, kept on purpose).
    def __init__(self) -> None:
        super().__init__(base_url=None, file_permissions_mode=0o440)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(stored_root())

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Signed copies have no public URL; use documents:stored-file.")
