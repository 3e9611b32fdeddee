"""Writes of the documents app: storing signed copies.

The PDF is rendered once, outside the transaction (WeasyPrint takes seconds), then its bytes,
SHA-256 and size are written in one atomic step; a file whose row could not be saved is
removed again, so nothing is half-stored. A signed copy is never replaced: signing twice is
refused (`documents.signing`) and the database's unique constraints back that up.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from documents import exports
from documents.content import DocumentOptions, plan_document, report_data
from documents.enums import DocumentKind
from documents.exports import followup as followup_exports
from documents.followup import Edition, edition_date, followup_report
from documents.models import StoredDocument
from documents.signing import sign_refusal
from ita.bilingual import bilingual
from ita.models import Organisation
from plans.models import Plan, PlanRevision

logger = logging.getLogger(__name__)

User = AbstractBaseUser


def _refuse_if(reason: str | None) -> None:
    if reason:
        raise ValidationError(bilingual(reason))


def stored_document_create(
    *,
    kind: DocumentKind,
    organisation: Organisation,
    fiscal_year: int,
    content: bytes,
    user: User | None,
    plan: Plan | None = None,
    revision: PlanRevision | None = None,
    edition: str = "",
) -> StoredDocument:
    """Keep `content` as the signed copy; the file is removed again if the row is not saved."""
    document = StoredDocument(
        kind=kind,
        organisation=organisation,
        fiscal_year=fiscal_year,
        plan=plan,
        revision=revision,
        edition=edition,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    document.file.save("signed.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.full_clean()
            document.save()
    except IntegrityError as error:
        # Signed at the same moment by someone else: theirs is the copy that stays.
        document.file.storage.delete(document.file.name)
        raise ValidationError(
            bilingual(
                gettext_noop(
                    "This document has already been signed; its signed copy never changes."
                )
            )
        ) from error
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


def _analysed_year(plan: Plan) -> int:
    return plan.assessment.framework.fiscal_year


def plan_copy_store(*, plan: Plan, user: User | None) -> StoredDocument:
    """Store the approved plan's PDF as its current revision's signed copy."""
    revision = PlanRevision.objects.filter(plan=plan, number=plan.revision).first()
    already = (
        revision is not None
        and StoredDocument.objects.filter(kind=DocumentKind.PLAN, revision=revision).exists()
    )
    _refuse_if(sign_refusal(DocumentKind.PLAN, already_signed=already, plan_status=plan.status))
    assert revision is not None  # an approved plan has the revision approval made
    document = plan_document(plan.organisation, plan.fiscal_year)
    assert document is not None
    content = exports.plan_pdf(document, DocumentOptions())
    return stored_document_create(
        kind=DocumentKind.PLAN,
        organisation=plan.organisation,
        fiscal_year=_analysed_year(plan),
        content=content,
        user=user,
        plan=plan,
        revision=revision,
    )


def report_sign(
    *, organisation: Organisation, fiscal_year: int, user: User | None
) -> StoredDocument:
    """Store the year's analysis report as signed; from then on its PDF is this copy."""
    already = (
        StoredDocument.objects.of_year(organisation.pk, fiscal_year)
        .filter(kind=DocumentKind.REPORT)
        .exists()
    )
    _refuse_if(sign_refusal(DocumentKind.REPORT, already_signed=already))
    options = DocumentOptions()
    report = report_data(organisation, fiscal_year, options)
    if report is None:
        raise ValidationError(bilingual(gettext_noop("There are no ITA results for this year.")))
    return stored_document_create(
        kind=DocumentKind.REPORT,
        organisation=organisation,
        fiscal_year=fiscal_year,
        content=exports.report_pdf(report, options),
        user=user,
    )


def followup_sign(*, plan: Plan, edition: str, user: User | None, today: date) -> StoredDocument:
    """Sign off one follow-up edition (six-month or year-end): it is frozen from then on."""
    already = StoredDocument.objects.filter(
        kind=DocumentKind.FOLLOWUP, plan=plan, edition=edition
    ).exists()
    as_of = (
        edition_date(Edition(edition), plan.fiscal_year, today)
        if edition in (Edition.MID_YEAR, Edition.YEAR_END)
        else None
    )
    _refuse_if(
        sign_refusal(
            DocumentKind.FOLLOWUP, already_signed=already, edition=edition, as_of=as_of, today=today
        )
    )
    report = followup_report(plan, Edition(edition), today=today)
    return stored_document_create(
        kind=DocumentKind.FOLLOWUP,
        organisation=plan.organisation,
        fiscal_year=_analysed_year(plan),
        content=followup_exports.followup_pdf(report, DocumentOptions()),
        user=user,
        plan=plan,
        edition=edition,
    )


def store_approved_plan(sender: Any, *, plan: Plan, user: User | None, **kwargs: Any) -> None:
    """Receiver of `plans.signals.plan_approved`: the approved plan's PDF, stored once."""
    plan = Plan.objects.select_related("organisation", "assessment__framework").get(pk=plan.pk)
    try:
        plan_copy_store(plan=plan, user=user)
    except ValidationError:
        # Already stored (a repeated signal) or reopened meanwhile: nothing to keep.
        logger.info("Plan %s: no signed copy stored (already stored or not approved).", plan.pk)
