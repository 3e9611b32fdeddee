"""The choice values of the documents app, shared by its model and its pure rules (no ORM)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    REPORT = "report", _("analysis report")
    PLAN = "plan", _("plan for the council")
    FOLLOWUP = "followup", _("follow-up report")


class SignedEdition(models.TextChoices):
    """The follow-up editions that are signed off (the values of ``followup.Edition``)."""

    NONE = "", _("not an edition")
    MID_YEAR = "mid", _("six-month report")
    YEAR_END = "end", _("year-end report")


class DocumentState(models.TextChoices):
    """Where a document stands: a plan follows its own status, the others are signed or not."""

    DRAFT = "draft", pgettext_lazy("document state", "draft")
    APPROVED = "approved", pgettext_lazy("document state", "approved")
    PRESENTED = "presented", pgettext_lazy("document state", "presented to the council")
    SIGNED = "signed", pgettext_lazy("document state", "signed")
