"""What an administrator has switched on for the public transparency page."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ita.models import Organisation

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _(
        "ที่อยู่หน้าเผยแพร่ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษพิมพ์เล็ก ตัวเลข และขีด (-) / "
        "Use lower-case letters a-z, digits and single hyphens only."
    ),
)


class PublicPage(models.Model):
    """The public page switch of one organisation and the slug of its stable URL."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="public_page",
        verbose_name=_("organisation"),
    )
    slug = models.CharField(
        _("public address"),
        max_length=60,
        unique=True,
        validators=[slug_validator],
        error_messages={
            "unique": _(
                "ที่อยู่นี้มีหน่วยงานอื่นใช้แล้ว / This address is already used by another organisation."
            )
        },
        help_text=_("The page is at /public/<address>/; keep it unchanged once shared."),
    )
    is_enabled = models.BooleanField(_("public page switched on"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("public:organisation", args=[self.slug])


class PublishedYear(models.Model):
    """A fiscal year whose results and approved plan the public page shows."""

    page = models.ForeignKey(
        PublicPage, on_delete=models.CASCADE, related_name="years", verbose_name=_("public page")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["page", "-fiscal_year"]
        verbose_name = _("published year")
        verbose_name_plural = _("published years")
        constraints = [
            models.UniqueConstraint(fields=["page", "fiscal_year"], name="published_year_unique")
        ]

    def __str__(self) -> str:
        return str(self.fiscal_year)
