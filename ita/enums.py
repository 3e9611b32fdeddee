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
