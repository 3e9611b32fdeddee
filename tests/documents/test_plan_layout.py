"""The plan's signature block stays with the last rows of its table."""

from __future__ import annotations

import pytest
from django.utils import translation

from documents import exports
from documents.content import DocumentOptions, plan_document
from tests.documents.conftest import organisation_with_years, plan_with_actions
from tests.documents.test_exports import page_count, poppler

pytestmark = pytest.mark.django_db

ARABIC = DocumentOptions(thai_digits=False)


def plan_pdf_for(count: int) -> bytes:
    organisation = organisation_with_years([2568])
    plan_with_actions(organisation, count)
    with translation.override("en"):
        return exports.plan_pdf(plan_document(organisation, 2569), ARABIC)


def test_plan_pdf_of_three_actions_fits_one_page():
    pdf = plan_pdf_for(3)
    assert page_count(poppler("pdfinfo", pdf)) == 1
    assert "Approved by" in poppler("pdftotext", pdf)


@pytest.mark.parametrize("count", [4, 9])
def test_plan_pdf_signatures_share_the_last_page_with_the_last_rows(count):
    pdf = plan_pdf_for(count)
    pages = poppler("pdftotext", pdf).split("\f")
    last = next(page for page in reversed(pages) if page.strip())
    assert "Approved by" in last
    assert "Approved by" not in "".join(pages[: pages.index(last)])
    # At least one action row (its period) is printed above the signatures.
    assert last.index("256") < last.index("Approved by")
