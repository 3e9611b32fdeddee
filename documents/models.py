"""Signed copies of the printed documents: the bytes as approved or signed, never rewritten.

A plan's PDF is stored when the plan is approved (one copy per revision); the analysis
report and each follow-up edition when a supervisor signs them. From then on the document
URLs serve the stored bytes instead of a fresh render, so later changes to the data or the
templates never change what was signed. The SHA-256 lets anyone check a downloaded copy.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from documents.enums import DocumentKind, SignedEdition
from documents.storage import StoredDocumentStorage
from ita.models import Organisation
from plans.models import Plan, PlanRevision


def stored_path(instance: StoredDocument, filename: str) -> str:
    """A random name under the organisation: a copy is never found by guessing its name."""
    return f"{instance.organisation_id}/{instance.fiscal_year}/{uuid.uuid4().hex}.pdf"


class StoredDocumentQuerySet(models.QuerySet["StoredDocument"]):
    def of_year(self, organisation_id: int, fiscal_year: int) -> StoredDocumentQuerySet:
        return self.filter(organisation_id=organisation_id, fiscal_year=fiscal_year)


class StoredDocument(models.Model):
    """One signed PDF: which document, of which organisation and year, who stored it, when."""

    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="stored_documents",
        verbose_name=_("organisation"),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year of the ITA results (B.E.)"),
        validators=[MinValueValidator(2500), MaxValueValidator(2700)],
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan"),
    )
    revision = models.ForeignKey(
        PlanRevision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved revision"),
    )
    edition = models.CharField(
        _("edition"), max_length=4, choices=SignedEdition.choices, blank=True, default=""
    )
    file = models.FileField(
        _("file"), upload_to=stored_path, storage=StoredDocumentStorage(), max_length=200
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    created_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    objects = StoredDocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-fiscal_year", "kind", "pk"]
        verbose_name = _("signed copy")
        verbose_name_plural = _("signed copies")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"],
                condition=Q(kind="report"),
                name="stored_report_once_per_year",
            ),
            models.UniqueConstraint(
                fields=["revision"], condition=Q(kind="plan"), name="stored_plan_once_per_revision"
            ),
            models.UniqueConstraint(
                fields=["plan", "edition"],
                condition=Q(kind="followup"),
                name="stored_followup_once_per_edition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.fiscal_year} ({self.sha256[:12]})"

    def get_absolute_url(self) -> str:
        return reverse("documents:stored-file", args=[self.pk])

    @property
    def title(self) -> str:
        """What the copy is, in the interface language: the document, revision or edition."""
        parts = [str(self.get_kind_display())]
        if self.revision is not None:
            parts.append(gettext("revision %(number)s") % {"number": self.revision.number})
        if self.edition:
            parts.append(str(self.get_edition_display()))
        return " ".join(parts)

    @property
    def signer_name(self) -> str:
        """Who stored the copy ("" when the account is gone or none was given)."""
        user = self.created_by
        return (user.get_full_name() or user.get_username()) if user else ""

    def download_name(self) -> str:
        """A Thai file name: the document, its year, the organisation (needs organisation)."""
        return f"{self.title}-{self.fiscal_year}-{self.organisation.name}.pdf".replace(" ", "-")

    def read(self) -> bytes:
        with self.file.open("rb") as stored:
            return stored.read()
