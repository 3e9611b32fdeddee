"""ITA frameworks (per fiscal year, as data) and published results.

A framework is the NACC's method for one fiscal year (B.E.): its tools with weights, the 10
indicators, the questions and open-data items, and the rating bands. Results store what
the NACC *published*; computed values live in `ita.scoring` and are only ever a check.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
    PAO = "pao", _("องค์การบริหารส่วนจังหวัด")
    CITY_MUNICIPALITY = "city", _("เทศบาลนคร")
    TOWN_MUNICIPALITY = "town", _("เทศบาลเมือง")
    SUBDISTRICT_MUNICIPALITY = "subdistrict", _("เทศบาลตำบล")
    SAO = "sao", _("องค์การบริหารส่วนตำบล")
    SPECIAL = "special", _("อปท.รูปแบบพิเศษ")


class Aggregation(models.TextChoices):
    """How a tool's indicator score follows from its questions or items."""

    QUESTION_MEAN = "question_mean", _("ค่าเฉลี่ยของข้อคำถาม")
    CHANNEL_MEAN = "channel_mean", _("ค่าเฉลี่ยของค่าเฉลี่ยแต่ละช่องทาง")
    SUBINDICATOR_MEAN = "subindicator_mean", _("ค่าเฉลี่ยของตัวชี้วัดย่อย (แต่ละตัวเฉลี่ยจากข้อ)")
    PUBLISHED_ONLY = "published_only", _("ไม่ทราบวิธีคำนวณ (ใช้ค่าที่ประกาศ)")


class ItemStatus(models.TextChoices):
    PASS = "pass", _("ผ่าน")
    PARTIAL = "partial", _("ผ่านบางส่วน")
    FAIL = "fail", _("ไม่ผ่าน")


class Framework(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(
        _("ปีงบประมาณ (พ.ศ.)"), unique=True, validators=YEAR_VALIDATORS
    )
    family = models.SlugField(
        _("ชุดตัวชี้วัด"),
        max_length=40,
        help_text=_("ปีที่อยู่ในชุดเดียวกันเปรียบเทียบรายตัวชี้วัดตามหมายเลขได้ เช่น ita-10"),
    )
    name = models.CharField(_("ชื่อกรอบการประเมิน"), max_length=200)
    description = models.TextField(_("หมายเหตุ/ที่มา"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = _("กรอบการประเมิน")
        verbose_name_plural = _("กรอบการประเมิน")

    def __str__(self) -> str:
        return f"{self.name} ({self.fiscal_year})"


class Tool(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="tools", verbose_name=_("กรอบการประเมิน")
    )
    code = models.CharField(_("รหัส"), max_length=10, help_text=_("เช่น IIT, EIT, OIT"))
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("น้ำหนัก (%)"),
        max_digits=5,
        decimal_places=2,
        validators=SCORE_VALIDATORS,
    )
    aggregation = models.CharField(
        _("วิธีคำนวณตัวชี้วัด"),
        max_length=20,
        choices=Aggregation.choices,
        default=Aggregation.QUESTION_MEAN,
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("เครื่องมือ")
        verbose_name_plural = _("เครื่องมือ")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="tool_code_unique_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.framework.fiscal_year}"


class Channel(models.Model):
    """A source of a question's score, e.g. EIT's open online channel and sample survey."""

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="channels", verbose_name=_("เครื่องมือ")
    )
    code = models.SlugField(_("รหัส"), max_length=20, help_text=_("เช่น public, survey"))
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=100)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["tool", "order", "code"]
        verbose_name = _("ช่องทางเก็บคะแนน")
        verbose_name_plural = _("ช่องทางเก็บคะแนน")
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
        verbose_name=_("กรอบการประเมิน"),
    )
    tool = models.ForeignKey(
        Tool, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("เครื่องมือ")
    )
    number = models.PositiveSmallIntegerField(
        _("ตัวชี้วัดที่"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="indicator_number_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_th}"

    def clean(self) -> None:
        if self.tool_id and self.framework_id and self.tool.framework_id != self.framework_id:
            raise ValidationError({"tool": _("เครื่องมือต้องอยู่ในกรอบการประเมินปีเดียวกับตัวชี้วัด")})


class Question(models.Model):
    """An IIT or EIT question of one year; codes (i1, e1) are never joined across years."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="questions", verbose_name=_("ตัวชี้วัด")
    )
    code = models.CharField(_("รหัสข้อ"), max_length=10, help_text=_("เช่น i1, e1"))
    theme = models.CharField(_("ประเด็น"), max_length=300, blank=True)
    text = models.TextField(_("ข้อคำถาม"), blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__framework", "indicator__number", "order", "code"]
        verbose_name = _("ข้อคำถาม")
        verbose_name_plural = _("ข้อคำถาม")
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
            raise ValidationError({"code": _("รหัสข้อนี้มีอยู่แล้วในปีเดียวกัน")})


class Item(models.Model):
    """An OIT open-data item (o1..) of one year, optionally under a sub-indicator (9.1)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="items", verbose_name=_("ตัวชี้วัด")
    )
    code = models.CharField(_("รหัสข้อ"), max_length=10, help_text=_("เช่น o1"))
    sub_indicator = models.CharField(
        _("ตัวชี้วัดย่อย"), max_length=10, blank=True, help_text=_("เช่น 9.1")
    )
    title = models.CharField(_("ชื่อข้อมูล"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__framework", "order", "code"]
        verbose_name = _("ข้อมูลเปิดเผย (OIT)")
        verbose_name_plural = _("ข้อมูลเปิดเผย (OIT)")
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
            raise ValidationError({"code": _("รหัสข้อนี้มีอยู่แล้วในปีเดียวกัน")})


class RatingBand(models.Model):
    """One step of a year's rating rule; the first band (by order) that fits is the level."""

    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="rating_bands",
        verbose_name=_("กรอบการประเมิน"),
    )
    label = models.CharField(_("ระดับผล"), max_length=60)
    min_overall = models.DecimalField(
        _("คะแนนรวมขั้นต่ำ"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    min_each_tool = models.DecimalField(
        _("คะแนนขั้นต่ำของทุกเครื่องมือ"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    passes = models.BooleanField(_("ถือว่าผ่าน"), default=False)
    order = models.PositiveSmallIntegerField(_("ลำดับการตรวจ"), default=0)

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("เกณฑ์ระดับผล")
        verbose_name_plural = _("เกณฑ์ระดับผล")

    def __str__(self) -> str:
        return self.label


class Organisation(models.Model):
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    agency_type = models.CharField(
        _("ประเภทหน่วยงาน (ปัจจุบัน)"), max_length=20, choices=AgencyType.choices
    )
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
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
        verbose_name=_("หน่วยงาน"),
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("ปีงบประมาณ"),
    )
    agency_type = models.CharField(
        _("ประเภทหน่วยงานในปีนั้น"), max_length=20, choices=AgencyType.choices
    )
    published_overall = score_field(_("คะแนนรวมที่ประกาศ"), null=True, blank=True)
    published_level = models.CharField(_("ระดับผลที่ประกาศ"), max_length=60, blank=True)
    note = models.TextField(_("หมายเหตุ"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-framework__fiscal_year"]
        verbose_name = _("ผลการประเมิน")
        verbose_name_plural = _("ผลการประเมิน")
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
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, verbose_name=_("เครื่องมือ"))
    score = score_field(_("คะแนนที่ประกาศ"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "tool__order"]
        verbose_name = _("คะแนนรายเครื่องมือ")
        verbose_name_plural = _("คะแนนรายเครื่องมือ")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "tool"], name="tool_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tool.code}: {self.score}"


class IndicatorResult(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="indicator_results"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, verbose_name=_("ตัวชี้วัด"))
    score = score_field(_("คะแนนที่ประกาศ"), null=True, blank=True)
    analysis = models.TextField(_("ผลการวิเคราะห์ที่เผยแพร่"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "indicator__number"]
        verbose_name = _("คะแนนรายตัวชี้วัด")
        verbose_name_plural = _("คะแนนรายตัวชี้วัด")
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
    question = models.ForeignKey(Question, on_delete=models.PROTECT, verbose_name=_("ข้อคำถาม"))
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("ช่องทาง")
    )
    score = score_field(_("คะแนน"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "question__indicator__number", "question__order"]
        verbose_name = _("คะแนนรายข้อคำถาม")
        verbose_name_plural = _("คะแนนรายข้อคำถาม")
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
            raise ValidationError({"channel": _("ช่องทางนี้ไม่ใช่ของเครื่องมือของข้อคำถามนี้")})


class ItemResult(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="item_results"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, verbose_name=_("ข้อมูล"))
    score = score_field(_("คะแนน"), null=True, blank=True)
    status = models.CharField(_("ผล"), max_length=10, choices=ItemStatus.choices, blank=True)
    reason = models.TextField(_("เหตุผล/ข้อสังเกต"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "item__order"]
        verbose_name = _("ผลรายข้อ OIT")
        verbose_name_plural = _("ผลรายข้อ OIT")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="item_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.score}"
