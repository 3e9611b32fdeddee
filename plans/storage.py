"""Where evidence files live: outside MEDIA_ROOT and without a public URL.

Evidence (signed orders, photos of staff) is shown only to members of the organisation, so
it is served by `plans.views.evidence_download` after an access check, never by the web
server. The folder is `settings.PLANS_EVIDENCE_ROOT` when set, else `private/evidence`
beside the project; it is read on every call so tests can point it at a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def evidence_root() -> Path:
    configured = getattr(settings, "PLANS_EVIDENCE_ROOT", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "private" / "evidence"


@deconstructible(path="plans.storage.EvidenceStorage")
class EvidenceStorage(FileSystemStorage):
    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(evidence_root())

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Evidence files have no public URL; use plans:evidence-download.")


def shortened_name(name: str, max_length: int) -> str:
    """`name` cut to `max_length` characters, keeping its extension.

    The extension decides the file's type when it is downloaded; a name cut in the middle of
    it (or before it) would make the file impossible to serve.
    """
    if len(name) <= max_length:
        return name
    path = PurePath(name)
    suffix = path.suffix if len(path.suffix) < max_length else ""
    return path.stem[: max_length - len(suffix)] + suffix
