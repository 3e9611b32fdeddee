"""Published ITA results: one assessment per organisation and fiscal year, with its tool,
indicator, question and item scores as the NACC published them. Computed values live in
`ita.scoring` and are only ever a check.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita.enums import AgencyType, ItemStatus
from ita.judgement import Verdict
from ita.models.frameworks import (
    Channel,
    Framework,
    Indicator,
    Item,
    Question,
    Tool,
    new_figures_version,
    score_field,
)
from ita.models.organisations import Organisation

VERDICT_CHOICES = [
    (Verdict.IMPROVE.value, _("Improve")),
    (Verdict.MAINTAIN.value, _("Maintain the level")),
]


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
    # Not audited: a new token on every write to the results (see `ita.figures`).
    figures_version = models.CharField(max_length=32, default=new_figures_version, editable=False)

    history = HistoricalRecords(excluded_fields=["figures_version"])

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
        # The admin's "view on site" opens the year's analysis, not the admin again.
        return reverse(
            "ita:year-dashboard",
            kwargs={"organisation_id": self.organisation_id, "year": self.framework.fiscal_year},
        )

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
    # The report's remark column (ข้อบกพร่อง/ข้อแก้ไข/ปรับปรุง/รักษาระดับ); empty prints the draft.
    remark = models.TextField(_("remark"), blank=True)
    # The organisation's verdict (improve / maintain); empty follows the drafted one
    # (``ita.judgement``), so a later change of the lines still reaches an unedited report.
    verdict = models.CharField(
        _("verdict"), max_length=10, choices=VERDICT_CHOICES, blank=True, default=""
    )

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
