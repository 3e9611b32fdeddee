"""ITA frameworks (per fiscal year, as data) and published results.

A framework is the NACC's method for one fiscal year (B.E.): its tools with weights, the 10
indicators, the questions and open-data items, and the rating bands. Results store what
the NACC *published*; computed values live in `ita.scoring` and are only ever a check.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita.enums import DataYear, DocumentRole, FrameworkStatus

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

    history = HistoricalRecords()

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


class Organisation(models.Model):
    name = models.CharField(_("organisation name"), max_length=200)
    agency_type = models.CharField(
        _("agency type (current)"), max_length=20, choices=AgencyType.choices
    )
    district = models.CharField(_("district"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "district", "province"], name="organisation_unique_place"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """One organisation's published ITA result for one fiscal year."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("organisation"),
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("fiscal year"),
    )
    agency_type = models.CharField(
        _("agency type that year"), max_length=20, choices=AgencyType.choices
    )
    published_overall = score_field(_("published overall score"), null=True, blank=True)
    published_level = models.CharField(_("published level"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-framework__fiscal_year"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessment")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "framework"], name="assessment_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.framework.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("admin:ita_assessment_change", args=[self.pk])

    @property
    def fiscal_year(self) -> int:
        return self.framework.fiscal_year


class ToolResult(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="tool_results"
    )
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, verbose_name=_("tool"))
    score = score_field(_("published score"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "tool__order"]
        verbose_name = _("tool score")
        verbose_name_plural = _("tool score")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "tool"], name="tool_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tool.code}: {self.score}"


class IndicatorResult(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="indicator_results"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, verbose_name=_("indicator"))
    score = score_field(_("published score"), null=True, blank=True)
    analysis = models.TextField(_("published analysis"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "indicator__number"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator score")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="indicator_result_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.number}: {self.score}"


class QuestionScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="question_scores"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, verbose_name=_("question"))
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("channel")
    )
    score = score_field(_("score"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "question__indicator__number", "question__order"]
        verbose_name = _("question score")
        verbose_name_plural = _("question score")
        constraints = [
            # Two partial constraints because NULL channels are distinct in a plain unique
            # index on both SQLite and PostgreSQL.
            models.UniqueConstraint(
                fields=["assessment", "question", "channel"],
                condition=models.Q(channel__isnull=False),
                name="question_score_unique_per_channel",
            ),
            models.UniqueConstraint(
                fields=["assessment", "question"],
                condition=models.Q(channel__isnull=True),
                name="question_score_unique_single_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.score}"

    def clean(self) -> None:
        if self.question_id is None:
            return
        tool_id = self.question.indicator.tool_id
        if self.channel_id is not None and self.channel.tool_id != tool_id:
            raise ValidationError(
                {"channel": _("This channel does not belong to the question's tool.")}
            )


class ItemResult(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="item_results"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, verbose_name=_("item"))
    score = score_field(_("score"), null=True, blank=True)
    status = models.CharField(_("result"), max_length=10, choices=ItemStatus.choices, blank=True)
    reason = models.TextField(_("reason or remark"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "item__order"]
        verbose_name = _("OIT item result")
        verbose_name_plural = _("OIT item result")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="item_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.score}"


class Membership(models.Model):
    """Which organisation a user works for, and in which division (if any).

    Every page filters by the user's memberships: a user never sees another organisation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    division = models.ForeignKey(
        "plans.Division",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("division"),
    )
    role = models.CharField(
        _("role in this organisation"),
        max_length=20,
        choices=MemberRole.choices,
        blank=True,
        help_text=_(
            "Applies to this organisation only. Leave it empty to use the role of the "
            "user's groups."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    def clean(self) -> None:
        if self.division_id and self.division.organisation_id != self.organisation_id:
            raise ValidationError(
                {"division": _("The division must belong to the same organisation.")}
            )
