"""Exported spreadsheets never turn a text into a formula (CSV/formula injection).

A name, reason or analysis typed as "=..." (or + - @) must reach Excel/LibreOffice as text:
in XLSX as a string cell (not a formula), in CSV behind an apostrophe.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ita.models import Assessment, IndicatorResult, ItemResult, Organisation
from ita.resources import assessments_for_export, export_csv, export_xlsx
from plans.models import Action, Plan
from tests.ita.sheet_data import save_khp

pytestmark = pytest.mark.django_db
EVIL = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x","y")']
TRIGGERS = ("=", "+", "-", "@")


def _poison_results(assessment: Assessment) -> None:
    Organisation.objects.filter(pk=assessment.organisation_id).update(name=EVIL[0])
    IndicatorResult.objects.filter(assessment=assessment, indicator__number=1).update(
        analysis=EVIL[1]
    )
    ItemResult.objects.filter(assessment=assessment).update(reason=EVIL[3])


def _xlsx_cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _assert_xlsx_safe(data: bytes) -> list[str]:
    """No formula cell anywhere; returns the texts that start with a trigger."""
    cells = list(_xlsx_cells(data))
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(TRIGGERS)]


def test_export_injection_results_xlsx_keeps_texts_as_text():
    assessment = save_khp()
    _poison_results(assessment)

    data = export_xlsx(list(assessments_for_export(Assessment.objects.filter(pk=assessment.pk))))

    texts = _assert_xlsx_safe(data)
    assert EVIL[0] in texts and EVIL[1] in texts and EVIL[3] in texts


def test_export_injection_results_csv_puts_an_apostrophe_before_formulas():
    assessment = save_khp()
    _poison_results(assessment)
    exported = assessments_for_export(Assessment.objects.filter(pk=assessment.pk)).get()

    rows = list(csv.reader(io.StringIO(export_csv(exported).decode("utf-8-sig"))))

    cells = [c for row in rows[1:] for c in row]
    assert [c for c in cells if c.startswith(TRIGGERS)] == []
    assert "'" + EVIL[0] in cells and "'" + EVIL[3] in cells


@pytest.fixture
def poisoned_demo(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("load_demo", "--i-know-this-is-not-production", stdout=io.StringIO())
    organisation = Organisation.objects.get(name__contains="คลองหินปูน")
    assessment = Assessment.objects.get(organisation=organisation, framework__fiscal_year=2568)
    _poison_results(assessment)
    plan = Plan.objects.filter(organisation=organisation).first()
    Action.objects.filter(plan=plan).update(measure=EVIL[2], finding=EVIL[4])
    return organisation, plan


@pytest.mark.parametrize("kind", ["report", "plan"])
def test_export_injection_document_spreadsheets_keep_texts_as_text(client, poisoned_demo, kind):
    organisation, plan = poisoned_demo
    client.force_login(get_user_model().objects.get(username="demo"))
    url = (
        reverse("documents:report-xlsx", args=[organisation.pk, 2568])
        if kind == "report"
        else reverse("plan_documents:plan-xlsx", args=[plan.pk])
    )

    response = client.get(url)

    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data[:2] == b"PK"
    texts = _assert_xlsx_safe(data)
    assert any(t.startswith("=") for t in texts)  # the poisoned text is there, as text
