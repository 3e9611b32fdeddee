"""The choice values of the plans app, shared by its models and its pure rules (no ORM here)."""

from __future__ import annotations

from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    PRESENTED = "presented", _("presented to the council")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")

    # Closed actions are never overdue and take no more progress.
    CLOSED = nonmember(frozenset({"done", "cancelled"}))


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("action assigned")
    OVERDUE = "overdue", _("action overdue")
    DUE_SOON = "due_soon", _("action due within 30 days")
    STALE = "stale", _("no progress for 60 days")
    DIGEST = "digest", _("weekly digest for supervisors")


class OutcomeVerdict(models.TextChoices):
    """Did a measure work: its target's score in the plan's base year against the next year's."""

    IMPROVED = "improved", _("improved")
    UNCHANGED = "unchanged", _("unchanged")
    FELL = "fell", _("fell")
    NO_RESULT_YET = "no_result_yet", _("no result yet")
    NOT_COMPARABLE = "not_comparable", _("no comparable result")


class ReadinessStatus(models.TextChoices):
    """How far a division is with the evidence of one OIT item before the NACC's window."""

    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    READY = "ready", _("ready")
    CHECKED = "checked", _("checked")

    # Ready or checked items are never overdue.
    DONE = nonmember(frozenset({"ready", "checked"}))


class LinkCheckState(models.TextChoices):
    """A supervisor's request to check every evidence link of one readiness year."""

    PENDING = "pending", _("waiting")
    RUNNING = "running", _("checking")
    FINISHED = "finished", _("finished")
