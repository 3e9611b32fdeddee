"""Choice values shared by the models and the pure framework-file rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkStatus(models.TextChoices):
    """Whether a year's framework matches a published NACC source, or is a working guess."""

    PROVISIONAL = "provisional", _("provisional")
    CONFIRMED = "confirmed", _("confirmed")


class DataYear(models.TextChoices):
    """Which fiscal year the evidence of an OIT item must cover."""

    NOT_STATED = "not_stated", _("not stated")
    THIS_YEAR = "this_year", _("this fiscal year")
    LAST_YEAR = "last_year", _("last fiscal year")


class DocumentRole(models.TextChoices):
    """The part an OIT item plays for the documents this app produces, whatever its code.

    The same document changes its item code from year to year (o42 until 2566, o27 in 2568,
    O25 in 2569), so pages and documents find it by role, never by code.
    """

    NONE = "none", _("none")
    IMPROVEMENT_MEASURES = (
        "improvement_measures",
        _("improvement measures (analysis of last year's results and this year's plan)"),
    )
    MEASURES_REPORT = "measures_report", _("report on how last year's measures went")
