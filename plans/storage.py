"""Where evidence files live: outside MEDIA_ROOT and without a public URL.

Evidence (signed orders, photos of staff) is shown only to members of the organisation, so
it is served by `plans.views.evidence_download` after an access check, never by the web
server. The folder is `settings.PLANS_EVIDENCE_ROOT` when set, else `private/evidence`
beside the project; it is read on every call so tests can point it at a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

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
