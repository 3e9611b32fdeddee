"""The choice values of the ITA app, shared by its models and its pure rules (no ORM here)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyType(models.TextChoices):
    PAO = "pao", _("Provincial Administrative Organisation")
    CITY_MUNICIPALITY = "city", _("City Municipality")
    TOWN_MUNICIPALITY = "town", _("Town Municipality")
    SUBDISTRICT_MUNICIPALITY = "subdistrict", _("Subdistrict Municipality")
    SAO = "sao", _("Subdistrict Administrative Organisation")
    SPECIAL = "special", _("Special local government")


class Aggregation(models.TextChoices):
    """How a tool's indicator score follows from its questions or items."""

    QUESTION_MEAN = "question_mean", _("mean of question scores")
    CHANNEL_MEAN = "channel_mean", _("mean of the channel means")
    SUBINDICATOR_MEAN = "subindicator_mean", _("mean of sub-indicator means (each a mean of items)")
    PUBLISHED_ONLY = "published_only", _("unknown (use the published value)")


class MemberRole(models.TextChoices):
    """A member's role in one organisation (the plans workflow's roles, `plans.roles`)."""

    VIEWER = "viewer", _("viewer")
    STAFF = "staff", _("division staff")
    SUPERVISOR = "supervisor", _("executive or supervisor")
    ADMINISTRATOR = "administrator", _("administrator")


class ItemStatus(models.TextChoices):
    PASS = "pass", _("pass")
    PARTIAL = "partial", _("partial")
    FAIL = "fail", _("fail")


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
