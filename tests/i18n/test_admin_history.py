"""A version in the admin's history reads as labels, not as stored codes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ita.templatetags.admin_history import history_change
from plans.models import Action, Plan
from tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db


def test_history_change_shows_choice_labels_booleans_and_dashes():
    with translation.override("th"):
        status = history_change({"field": "สถานะ", "old": "draft", "new": "approved"}, Plan._meta)
        empty = history_change({"field": "approved_at", "old": "None", "new": "x"}, Plan._meta)
        everyone = history_change(
            {"field": Action._meta.get_field("all_divisions").verbose_name.capitalize(),
             "old": "False", "new": "True"},
            Action._meta,
        )  # fmt: skip
        unknown = history_change({"field": "ไม่มีช่องนี้", "old": 1, "new": 2}, Plan._meta)

    assert (status.old, status.new) == ("ร่าง", "อนุมัติแล้ว")
    assert empty.old == "—"
    assert (everyone.old, everyone.new) == ("ไม่ใช่", "ใช่")
    assert (unknown.label, unknown.old, unknown.new) == ("ไม่มีช่องนี้", 1, 2)


def test_history_page_shows_dashes_and_buddhist_era_dates_not_none(admin_client):
    division = DivisionFactory()
    division.name = "กองช่าง"
    division.save()  # a second version, neither with a change reason

    with translation.override("th"):
        page = admin_client.get(reverse("admin:ita_division_history", args=[division.pk]))

    content = page.content.decode()
    table = content[content.index('id="change-history"') :]
    year = timezone.localdate().year
    assert page.context["page_obj"].paginator.count == 2
    assert table.count('<td class="ita-history-reason">—</td>') == 2
    assert "None" not in table
    assert f" {year + 543} " in table and f" {year} " not in table
