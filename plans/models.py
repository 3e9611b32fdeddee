"""Improvement plans, their actions and follow-up.

Writes go through `plans.services`; rules (overdue, frozen, acceptable files) live in
`plans.rules` so that models, views and the daily command share them.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita.models import Assessment, Division, Indicator, Item, Organisation, Question
from ita.models.frameworks import new_figures_version
from plans import rules
from plans.enums import ActionStatus, NotificationKind, PlanStatus
from plans.storage import EvidenceStorage


class MeasureTemplate(models.Model):
    """A standard measure (NACC-style remedy) for an indicator, or for one OIT item.

    Drafting fills a proposed action's measure and steps from here; offices edit the text
    in the admin to match their own practice.
    """

    family = models.SlugField(
        _("indicator family"),
        max_length=40,
        default="ita-10",
        help_text=_("The framework family whose indicator numbers this template uses."),
    )
    indicator_number = models.PositiveSmallIntegerField(
        _("indicator number"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    item_code = models.CharField(
        _("item code"),
        max_length=10,
        blank=True,
        help_text=_("e.g. o27; leave empty for the indicator's general measure."),
    )
    issue = models.TextField(
        _("typical weak point"), blank=True, help_text=_("Added to the finding of a draft.")
    )
    measure = models.TextField(_("measure"))
    steps = models.TextField(_("steps"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family", "indicator_number", "item_code"]
        verbose_name = _("standard measure")
        verbose_name_plural = _("standard measures")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "indicator_number", "item_code"],
                name="measure_template_unique",
            )
        ]

    def __str__(self) -> str:
        code = f" {self.item_code}" if self.item_code else ""
        return f"{self.indicator_number}{code}: {self.measure[:60]}"


class Plan(models.Model):
    """An organisation's improvement plan for one fiscal year, drawn from an assessment."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="plans", verbose_name=_("organisation")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("plan fiscal year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("based on the assessment"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    revision_reason = models.TextField(
        _("reason for this revision"), blank=True, help_text=_("Why an approved plan was reopened.")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    council_date = models.DateField(_("council meeting date"), null=True, blank=True)
    council_note = models.CharField(
        _("council meeting"), max_length=300, blank=True, help_text=_("e.g. session and number.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Replaced by every write to the plan, its revisions, actions, progress or evidence
    # (plans.versions): pages and documents cached under it are found only while unchanged.
    content_version = models.CharField(max_length=32, default=new_figures_version, editable=False)

    history = HistoricalRecords(excluded_fields=["content_version"])

    class Meta:
        ordering = ["organisation", "-fiscal_year"]
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="plan_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan-detail", args=[self.pk])

    def clean(self) -> None:
        if not self.assessment_id:
            return
        if self.organisation_id and self.assessment.organisation_id != self.organisation_id:
            raise ValidationError(
                {"assessment": _("The assessment must be the same organisation's.")}
            )
        if self.fiscal_year and self.fiscal_year <= self.assessment.framework.fiscal_year:
            raise ValidationError(
                {"fiscal_year": _("A plan is for a year after the assessment it is based on.")}
            )

    @property
    def is_frozen(self) -> bool:
        return rules.is_frozen(self.status)


class PlanRevision(models.Model):
    """The content of a plan as approved, kept when the plan is reopened for changes."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    reason = models.TextField(_("reason for this revision"), blank=True)
    snapshot = models.JSONField(_("approved content"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"))
    council_date = models.DateField(_("council meeting date"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("approved revision")
        verbose_name_plural = _("approved revisions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_unique")
        ]

    def __str__(self) -> str:
        return gettext("%(plan)s, revision %(number)s") % {"plan": self.plan, "number": self.number}


class Action(models.Model):
    """A measure (มาตรการ) of a plan: one row of the plan table."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("open-data item (OIT)"),
    )
    finding = models.TextField(_("finding"))
    measure = models.TextField(_("measure"))
    steps = models.TextField(_("steps"), blank=True)
    start_month = models.DateField(_("start month"))
    end_month = models.DateField(_("end month"))
    divisions = models.ManyToManyField(
        Division, blank=True, related_name="actions", verbose_name=_("responsible divisions")
    )
    all_divisions = models.BooleanField(_("all divisions"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    continued_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_in",
        verbose_name=_("continued from"),
        help_text=_("The unfinished action of the previous plan that this one carries on."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[divisions])

    class Meta:
        ordering = ["plan", "order", "indicator__number", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            # An unfinished action is carried into one next plan, not copied twice.
            models.UniqueConstraint(fields=["continued_from"], name="action_continued_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.number}. {self.measure[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("plans:action-detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.start_month:
            self.start_month = rules.month_start(self.start_month)
        if self.end_month:
            self.end_month = rules.month_start(self.end_month)
        if self.start_month and self.end_month and self.end_month < self.start_month:
            errors["end_month"] = _("The end month is before the start month.")
        if self.indicator_id and self.plan_id:
            if self.indicator.framework_id != self.plan.assessment.framework_id:
                errors["indicator"] = _("Choose an indicator of the assessment's year.")
            if self.question_id and self.question.indicator_id != self.indicator_id:
                errors["question"] = _("The question must belong to the indicator.")
            if self.item_id and self.item.indicator_id != self.indicator_id:
                errors["item"] = _("The item must belong to the indicator.")
        if errors:
            raise ValidationError(errors)


class ProgressReport(models.Model):
    """What a division did on an action, as of a date."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="reports", verbose_name=_("action")
    )
    reported_on = models.DateField(_("date"))
    text = models.TextField(_("what was done"))
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    division = models.ForeignKey(
        Division,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("division"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-reported_on", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.action_id} {self.reported_on} {self.percent}%"


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random name under the organisation: uploaded names are untrusted and may collide."""
    suffix = PurePath(filename).suffix.lower()
    organisation_id = instance.report.action.plan.organisation_id
    return f"{organisation_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file or a link that backs a progress report."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("progress report"),
    )
    file = models.FileField(
        _("file"), upload_to=evidence_path, storage=EvidenceStorage(), max_length=200, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name or self.link

    def clean(self) -> None:
        if bool(self.file) == bool(self.link):
            raise ValidationError(_("Evidence is either a file or a link."))

    @property
    def kind(self) -> rules.FileKind | None:
        return rules.file_kind(self.original_name) if self.file else None


class NotificationQuerySet(models.QuerySet["Notification"]):
    def pending(self) -> NotificationQuerySet:
        """Not sent yet and not given up on: what the daily run tries (again)."""
        return self.filter(sent_at__isnull=True, attempts__lt=NOTIFICATION_MAX_ATTEMPTS)


# A week of daily runs: an address the mail server keeps refusing stops being retried.
NOTIFICATION_MAX_ATTEMPTS = 7


class Notification(models.Model):
    """An e-mail to a division about an action, written before it is sent (an outbox).

    `sent_at` stays empty until the mail server took the mail, so a failed send is retried
    by the next daily run; overdue notices exist once per division and end month.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=NotificationKind.choices)
    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("action"),
    )
    division = models.ForeignKey(
        Division,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("division"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervisor"),
        help_text=_("Whom a weekly digest is for."),
    )
    due_month = models.DateField(_("end month notified"), null=True, blank=True)
    about = models.DateField(
        _("about the date"),
        null=True,
        blank=True,
        help_text=_("No progress since this date, or the week (its Monday) of a digest."),
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(
        _("text"), blank=True, help_text=_("A digest is written when it is created.")
    )
    recipients = models.TextField(_("recipients"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # The daily command may run twice or be retried: one overdue notice per division
            # and end month (a revision that moves the end month can warn again).
            models.UniqueConstraint(
                fields=["action", "division", "due_month"],
                condition=models.Q(kind="overdue"),
                name="overdue_notice_once",
            ),
            models.UniqueConstraint(
                fields=["action", "division", "due_month"],
                condition=models.Q(kind="due_soon"),
                name="due_soon_notice_once",
            ),
            # Once per silence: a new progress note starts a new count.
            models.UniqueConstraint(
                fields=["action", "division", "about"],
                condition=models.Q(kind="stale"),
                name="stale_notice_once",
            ),
            models.UniqueConstraint(
                fields=["user", "about"], condition=models.Q(kind="digest"), name="digest_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.action_id or ''} → {self.division or self.user}"


# The OIT readiness board's models live in their own module (see plans/readiness/).
from plans.readiness.models import (  # noqa: E402, F401
    LinkCheckRequest,
    ReadinessItem,
    ReadinessYear,
)
