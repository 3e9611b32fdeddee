"""Divisions of an organisation and, later, its improvement plans and their follow-up."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita.models import Organisation


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

    history = HistoricalRecords()

    class Meta:
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
