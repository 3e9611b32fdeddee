"""Plain rules for plans and their follow-up (no ORM): periods, overdue, evidence files.

Views, services and the daily overdue command all decide "overdue" and "acceptable file"
here, so the page, the e-mail and the refusal message can never disagree.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.utils.translation import gettext_noop

from ita.bilingual import bilingual
from ita.thai import ce_year
from plans.enums import ActionStatus, PlanStatus

# Short names for the choices the rules compare against (one source: plans.enums).
NOT_STARTED = ActionStatus.NOT_STARTED
IN_PROGRESS = ActionStatus.IN_PROGRESS
DONE = ActionStatus.DONE
CANCELLED = ActionStatus.CANCELLED
CLOSED_STATUSES = ActionStatus.CLOSED

DRAFT = PlanStatus.DRAFT
APPROVED = PlanStatus.APPROVED
PRESENTED = PlanStatus.PRESENTED

# Actions are planned for the first half of the fiscal year, as in the reference document
# (ตุลาคม ๒๕๖๘ – มีนาคม ๒๕๖๙ for FY 2569): results arrive in autumn, the council meets early.
DEFAULT_START_MONTH = 10
DEFAULT_END_MONTH = 3

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def default_period(fiscal_year: int) -> tuple[date, date]:
    """October before the fiscal year (B.E.) starts to March of it, as first days of months."""
    return (
        date(ce_year(fiscal_year) - 1, DEFAULT_START_MONTH, 1),
        date(ce_year(fiscal_year), DEFAULT_END_MONTH, 1),
    )


def is_overdue(*, status: str, end_month: date | None, today: date) -> bool:
    """Open work whose period ended before today (the whole end month counts as in time)."""
    if end_month is None or status in CLOSED_STATUSES:
        return False
    return today > month_end(end_month)


def is_frozen(plan_status: str) -> bool:
    """An approved (or presented) plan's content changes only through a new revision."""
    return plan_status != DRAFT


@dataclass(frozen=True)
class FileKind:
    content_type: str
    signatures: tuple[bytes, ...]
    inline: bool = False


_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# Evidence people attach in practice: scanned orders (PDF, photos) and office documents.
# The first bytes must match the extension, so a renamed executable is refused too.
ALLOWED_FILES: dict[str, FileKind] = {
    ".pdf": FileKind("application/pdf", (b"%PDF-",), inline=True),
    ".png": FileKind("image/png", (b"\x89PNG\r\n\x1a\n",), inline=True),
    ".jpg": FileKind("image/jpeg", (b"\xff\xd8\xff",), inline=True),
    ".jpeg": FileKind("image/jpeg", (b"\xff\xd8\xff",), inline=True),
    ".gif": FileKind("image/gif", (b"GIF87a", b"GIF89a"), inline=True),
    ".doc": FileKind("application/msword", _OLE),
    ".xls": FileKind("application/vnd.ms-excel", _OLE),
    ".ppt": FileKind("application/vnd.ms-powerpoint", _OLE),
    ".docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP
    ),
    ".xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP
    ),
    ".odt": FileKind("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": FileKind("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".odp": FileKind("application/vnd.oasis.opendocument.presentation", _ZIP),
}
SIGNATURE_BYTES = 16


def file_kind(name: str) -> FileKind | None:
    return ALLOWED_FILES.get(PurePath(name).suffix.lower())


def evidence_file_error(*, name: str, size: int, head: bytes, max_bytes: int) -> str | None:
    """Why an uploaded evidence file is refused (Thai / English), or None when acceptable."""
    kind = file_kind(name)
    if kind is None:
        return bilingual(
            gettext_noop(
                "%(name)s: this type of file is not accepted. Use PDF, an image "
                "(JPG, PNG, GIF) or an office document (Word, Excel, PowerPoint, "
                "OpenDocument)."
            ),
            name=name,
        )
    if size > max_bytes:
        return bilingual(
            gettext_noop("%(name)s is %(size)s MB; the limit is %(limit)s MB."),
            name=name,
            size=f"{size / 1024 / 1024:.1f}",
            limit=f"{max_bytes / 1024 / 1024:g}",
        )
    if size == 0 or not any(head.startswith(sig) for sig in kind.signatures):
        return bilingual(
            gettext_noop("%(name)s does not look like a %(extension)s file; it was not saved."),
            name=name,
            extension=PurePath(name).suffix.lower().lstrip(".").upper(),
        )
    return None
