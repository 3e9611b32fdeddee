"""The OIT readiness board: one year per organisation, one row per OIT item of that year's
framework, and the supervisors' requests to check the evidence links.

Imported by `plans.models`, so Django finds these models in the plans app. Writes go through
`plans.readiness.services`; the rules (due date in the fiscal year, http(s) only, overdue)
live in `plans.readiness.rules`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita.models import Division, Framework, Item, Organisation
from plans.enums import LinkCheckState, ReadinessStatus
from plans.readiness import rules


def validate_evidence_url(value: str) -> None:
    error = rules.evidence_url_error(value)
    if error:
        raise ValidationError(error, code="evidence_url")


class ReadinessYear(models.Model):
    """An organisation's preparation of the OIT evidence for one assessment year."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="readiness_years",
        verbose_name=_("organisation"),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("assessment year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="+", verbose_name=_("framework")
    )
    default_due_date = models.DateField(
        _("default due date"),
        help_text=_("Every item is due on this day unless it has its own due date."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-fiscal_year"]
        verbose_name = _("OIT readiness year")
        verbose_name_plural = _("OIT readiness years")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="readiness_year_unique"
            )
        ]

    def __str__(self) -> str:
        return f"OIT {self.fiscal_year} {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("plans:readiness-board", args=[self.organisation_id, self.fiscal_year])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        # No year yet (a form refused it): the due date cannot be judged, the year's error says so.
        due_error = (
            rules.due_date_error(self.default_due_date, self.fiscal_year)
            if self.fiscal_year
            else None
        )
        if due_error:
            errors["default_due_date"] = due_error
        if self.framework_id and self.framework.fiscal_year != self.fiscal_year:
            errors["framework"] = str(_("Choose the framework of the same year."))
        if errors:
            raise ValidationError(errors)


class ReadinessItem(models.Model):
    """One OIT item of the year: who gathers its evidence, by when, where it is, how far."""

    year = models.ForeignKey(
        ReadinessYear,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("OIT readiness year"),
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("open-data item (OIT)")
    )
    division = models.ForeignKey(
        Division,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="oit_items",
        verbose_name=_("owning division"),
    )
    due_date = models.DateField(
        _("own due date"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the year's default due date."),
    )
    evidence_url = models.CharField(
        _("evidence address (URL)"),
        max_length=rules.MAX_URL_LENGTH,
        blank=True,
        validators=[validate_evidence_url],
        help_text=_("The page on the organisation's own web site where the evidence is."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReadinessStatus.choices,
        default=ReadinessStatus.NOT_STARTED,
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    # What the last link check found; written by the checker only.
    link_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    link_final_url = models.CharField(_("address after redirects"), max_length=1000, blank=True)
    link_error = models.CharField(_("link error"), max_length=300, blank=True)
    link_checked_at = models.DateTimeField(_("link checked at"), null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["link_status", "link_final_url", "link_error", "link_checked_at"]
    )

    class Meta:
        ordering = ["year_id", "item__order", "item__code"]
        verbose_name = _("OIT readiness item")
        verbose_name_plural = _("OIT readiness items")
        constraints = [
            models.UniqueConstraint(fields=["year", "item"], name="readiness_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.year.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("plans:readiness-item", args=[self.pk])

    @property
    def due(self) -> date | None:
        return self.due_date or self.year.default_due_date

    @property
    def link_ok(self) -> bool:
        return self.link_status is not None and 200 <= self.link_status < 400

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.year_id:
            due_error = rules.due_date_error(self.due_date, self.year.fiscal_year)
            if due_error:
                errors["due_date"] = due_error
            if self.item_id and self.item.indicator.framework_id != self.year.framework_id:
                errors["item"] = str(_("The item must belong to the year's framework."))
            if self.division_id and self.division.organisation_id != self.year.organisation_id:
                errors["division"] = str(_("Choose a division of the same organisation."))
        if errors:
            raise ValidationError(errors)


class LinkCheckRequest(models.Model):
    """A supervisor asked for every evidence link of a year to be checked (in the background)."""

    year = models.ForeignKey(
        ReadinessYear,
        on_delete=models.CASCADE,
        related_name="link_checks",
        verbose_name=_("OIT readiness year"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=10, choices=LinkCheckState.choices, default=LinkCheckState.PENDING
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    checked = models.PositiveSmallIntegerField(_("links checked"), default=0)
    failed = models.PositiveSmallIntegerField(_("links that failed"), default=0)
    skipped = models.PositiveSmallIntegerField(_("links left for the time limit"), default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")

    def __str__(self) -> str:
        return f"{self.year} {self.get_state_display()}"
