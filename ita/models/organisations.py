"""Organisations (อปท.), their divisions (กอง/สำนัก) and who works for which of them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita.enums import AgencyType, MemberRole
from ita.orgnames import (
    normalise_district,
    normalise_organisation_name,
    normalise_province,
    province_spellings,
)


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

    def get_absolute_url(self) -> str:
        return reverse("ita:dashboard", kwargs={"organisation_id": self.pk})

    def clean(self) -> None:
        """One stored spelling for the name and place (`ita.orgnames`), so an import or the
        admin's form cannot add "อบต.คลองหินปูน" beside "องค์การบริหารส่วนตำบลคลองหินปูน"."""
        self.name = normalise_organisation_name(self.name)
        self.province = normalise_province(self.province)
        self.district = normalise_district(self.district)
        # Rows stored before migration 0012 may be spelt otherwise: compare them normalised.
        same = [
            other
            for other in Organisation.objects.filter(
                province__in=province_spellings(self.province)
            ).exclude(pk=self.pk)
            if (
                normalise_organisation_name(other.name),
                normalise_province(other.province),
                normalise_district(other.district),
            )
            == (self.name, self.province, self.district)
        ]
        if same:
            raise ValidationError(
                {
                    "name": _("This organisation is already stored as “%(name)s” (%(province)s).")
                    % {"name": same[0].name, "province": same[0].province}
                }
            )


class Division(models.Model):
    """A division (กอง/สำนัก) of an organisation that can be made responsible for actions."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="divisions",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("division name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    # The tables keep the names they had when divisions belonged to the plans app.
    history = HistoricalRecords(table_name="plans_historicaldivision")

    class Meta:
        db_table = "plans_division"
        ordering = ["organisation", "order", "name"]
        verbose_name = _("division")
        verbose_name_plural = _("division")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="division_name_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


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
        Division,
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
