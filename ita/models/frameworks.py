"""ITA frameworks per fiscal year, as data: tools with weights, the 10 indicators, the
questions and open-data items, the channels and the rating bands.

A framework is the NACC's method for one fiscal year (B.E.); frameworks change yearly, so
none of this is a constant in code.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita.enums import Aggregation, DataYear, DocumentRole, FrameworkStatus
from ita.judgement import DEFAULT_IMPROVE_BELOW

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
YEAR_VALIDATORS = [MinValueValidator(2500), MaxValueValidator(2700)]


def score_field(verbose_name: str | object, **kwargs: object) -> models.DecimalField:
    """A 0–100 score with 2 decimals, as the NACC publishes it."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=SCORE_VALIDATORS,
        **kwargs,
    )


def new_figures_version() -> str:
    """A fresh token for the figures cache: any write that changes a figure stores a new one,
    so a cached figure is found only while its data is unchanged (see `ita.figures`)."""
    return uuid.uuid4().hex


class Framework(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), unique=True, validators=YEAR_VALIDATORS
    )
    family = models.SlugField(
        _("indicator family"),
        max_length=40,
        help_text=_(
            "Years in the same family can be compared indicator by indicator number, e.g. ita-10."
        ),
    )
    name = models.CharField(_("framework name"), max_length=200)
    description = models.TextField(_("notes and sources"), blank=True)
    # A new year starts provisional: nothing official may be published when staff set it up.
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=FrameworkStatus.choices,
        default=FrameworkStatus.PROVISIONAL,
    )
    source_note = models.TextField(
        _("source of this framework"),
        blank=True,
        help_text=_("Where the tools, weights, items and levels come from, and what is guessed."),
    )
    improve_below = models.DecimalField(
        _("improve below"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_IMPROVE_BELOW,
        validators=SCORE_VALIDATORS,
        help_text=_(
            "Indicators scoring below this line get the verdict 'improve' and a proposed "
            "action in the plan; at or above it, 'maintain'. The pass line comes from the "
            "rating bands."
        ),
    )

    # Not audited: a new token whenever the framework or any of its rows changes.
    figures_version = models.CharField(max_length=32, default=new_figures_version, editable=False)

    history = HistoricalRecords(excluded_fields=["figures_version"])

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = _("framework")
        verbose_name_plural = _("framework")

    def __str__(self) -> str:
        return f"{self.name} ({self.fiscal_year})"

    @property
    def is_provisional(self) -> bool:
        return self.status == FrameworkStatus.PROVISIONAL


class Tool(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="tools", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("e.g. IIT, EIT, OIT"))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=SCORE_VALIDATORS,
    )
    aggregation = models.CharField(
        _("indicator calculation"),
        max_length=20,
        choices=Aggregation.choices,
        default=Aggregation.QUESTION_MEAN,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("tool")
        verbose_name_plural = _("tool")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="tool_code_unique_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.framework.fiscal_year}"


class Channel(models.Model):
    """A source of a question's score, e.g. EIT's open online channel and sample survey."""

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="channels", verbose_name=_("tool")
    )
    code = models.SlugField(_("code"), max_length=20, help_text=_("e.g. public, survey"))
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["tool", "order", "code"]
        verbose_name = _("score channel")
        verbose_name_plural = _("score channel")
        constraints = [
            models.UniqueConstraint(fields=["tool", "code"], name="channel_code_unique_per_tool")
        ]

    def __str__(self) -> str:
        return self.name_th


class Indicator(models.Model):
    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("framework"),
    )
    # RESTRICT, not PROTECT: a tool with indicators cannot be deleted on its own, but a whole
    # framework (e.g. a copy made for the wrong year) can, taking its indicators with it.
    tool = models.ForeignKey(
        Tool, on_delete=models.RESTRICT, related_name="indicators", verbose_name=_("tool")
    )
    number = models.PositiveSmallIntegerField(
        _("indicator number"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicator")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="indicator_number_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_th}"

    def clean(self) -> None:
        if self.tool_id and self.framework_id and self.tool.framework_id != self.framework_id:
            raise ValidationError(
                {"tool": _("The tool must belong to the same year's framework as the indicator.")}
            )


class Question(models.Model):
    """An IIT or EIT question of one year; codes (i1, e1) are never joined across years."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="questions", verbose_name=_("indicator")
    )
    code = models.CharField(_("item code"), max_length=10, help_text=_("e.g. i1, e1"))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    text = models.TextField(_("question"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__framework", "indicator__number", "order", "code"]
        verbose_name = _("question")
        verbose_name_plural = _("question")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="question_code_unique")
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if not self.indicator_id:
            return
        clash = Question.objects.filter(
            indicator__framework_id=self.indicator.framework_id, code=self.code
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"code": _("This code is already used in the same year.")})


class Item(models.Model):
    """An OIT open-data item (o1..) of one year, optionally under a sub-indicator (9.1)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="items", verbose_name=_("indicator")
    )
    code = models.CharField(_("item code"), max_length=10, help_text=_("e.g. o1"))
    sub_indicator = models.CharField(
        _("sub-indicator"), max_length=10, blank=True, help_text=_("e.g. 9.1")
    )
    title = models.CharField(_("item title"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_known = models.BooleanField(_("title is known"), default=True)
    data_year = models.CharField(
        _("data year"), max_length=12, choices=DataYear.choices, default=DataYear.NOT_STATED
    )
    document_role = models.CharField(
        _("document role"), max_length=24, choices=DocumentRole.choices, default=DocumentRole.NONE
    )
    note = models.CharField(_("what is unknown or guessed"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__framework", "order", "code"]
        verbose_name = _("open-data item (OIT)")
        verbose_name_plural = _("open-data item (OIT)")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="item_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        if not self.indicator_id:
            return
        clash = Item.objects.filter(
            indicator__framework_id=self.indicator.framework_id, code=self.code
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"code": _("This code is already used in the same year.")})


class RatingBand(models.Model):
    """One step of a year's rating rule; the first band (by order) that fits is the level."""

    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="rating_bands",
        verbose_name=_("framework"),
    )
    label = models.CharField(_("level"), max_length=60)
    min_overall = models.DecimalField(
        _("minimum overall score"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    min_each_tool = models.DecimalField(
        _("minimum score of every tool"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    passes = models.BooleanField(_("counts as a pass"), default=False)
    order = models.PositiveSmallIntegerField(_("check order"), default=0)

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("rating band")
        verbose_name_plural = _("rating band")

    def __str__(self) -> str:
        return self.label
