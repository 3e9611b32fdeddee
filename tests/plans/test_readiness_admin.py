"""The OIT readiness board in the admin: scoped to the user's organisations, changed only by
a supervisor and only through the readiness services (the same refusals as on the board)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ita.models import Division, Item
from plans.readiness import services
from plans.readiness.models import ReadinessItem, ReadinessYear
from tests.security.admin_sweep import form_data

DUE = date(2026, 2, 27)


@pytest.fixture
def year(organisation, people):
    return services.readiness_open(
        organisation=organisation, fiscal_year=2569, default_due_date=DUE, user=people.supervisor
    )


def _item_post(entry, **fields):
    data = {
        "division": "",
        "due_date": "",
        "evidence_url": "",
        "status": "not_started",
        "note": "",
    }
    data.update(fields)
    return data


def test_supervisor_changes_an_item_through_the_service(client, people, divisions, year):
    entry = year.items.get(item__code="o11")
    url = reverse("admin:plans_readinessitem_change", args=[entry.pk])
    client.force_login(people.supervisor)

    response = client.post(
        url,
        _item_post(
            entry,
            division=divisions["กองคลัง"].pk,
            due_date="2026-01-31",
            evidence_url="https://www.example.go.th.invalid/oit/o11",
            status="checked",
            note="ตรวจแล้ว",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry.refresh_from_db()
    assert (entry.division, entry.due_date, entry.status) == (
        divisions["กองคลัง"],
        date(2026, 1, 31),
        "checked",
    )
    assert entry.updated_by == people.supervisor and entry.updated_at is not None
    assert entry.history.first().history_user == people.supervisor


def test_admin_refuses_a_non_http_address_and_a_due_date_outside_the_year(client, people, year):
    entry = year.items.get(item__code="o4")
    url = reverse("admin:plans_readinessitem_change", args=[entry.pk])
    client.force_login(people.supervisor)

    response = client.post(
        url, _item_post(entry, evidence_url="ftp://files.example/o4", due_date="2026-10-01")
    )

    errors = response.context["adminform"].form.errors
    assert response.status_code == 200
    assert "http://" in errors["evidence_url"][0] and "https://" in errors["evidence_url"][0]
    assert "2569" in errors["due_date"][0] and "fiscal year" in errors["due_date"][0]
    entry.refresh_from_db()
    assert (entry.evidence_url, entry.due_date) == ("", None)


def test_admin_offers_no_division_of_another_organisation(client, people, year):
    other = Division.objects.create(
        organisation=people.outsider.memberships.get().organisation, name="กองอื่น", order=1
    )
    entry = year.items.get(item__code="o4")
    client.force_login(people.supervisor)

    response = client.post(
        reverse("admin:plans_readinessitem_change", args=[entry.pk]),
        _item_post(entry, division=other.pk),
    )

    assert "division" in response.context["adminform"].form.errors
    entry.refresh_from_db()
    assert entry.division is None


def test_admin_opens_a_year_from_its_framework_and_refuses_a_year_without_one(
    client, people, organisation
):
    client.force_login(people.supervisor)
    add = reverse("admin:plans_readinessyear_add")

    refused = client.post(
        add,
        {"organisation": organisation.pk, "fiscal_year": 2575, "default_due_date": "2032-02-27"},
    )
    opened = client.post(
        add,
        {"organisation": organisation.pk, "fiscal_year": 2569, "default_due_date": "2026-02-27"},
    )

    assert "2575" in refused.context["adminform"].form.errors["fiscal_year"][0]
    assert opened.status_code == 302, opened.context["adminform"].form.errors
    year = ReadinessYear.objects.get(organisation=organisation, fiscal_year=2569)
    assert year.created_by == people.supervisor and year.framework.fiscal_year == 2569
    assert year.items.count() == Item.objects.filter(indicator__framework=year.framework).count()


def test_admin_changes_the_default_due_date_within_the_year_only(client, people, year):
    url = reverse("admin:plans_readinessyear_change", args=[year.pk])
    client.force_login(people.supervisor)

    form = form_data(client.get(url).content.decode())  # as the browser posts it, inline too

    outside = client.post(url, {**form, "default_due_date": "2026-10-01"})
    inside = client.post(url, {**form, "default_due_date": "2026-03-15"})

    assert "default_due_date" in outside.context["adminform"].form.errors
    assert inside.status_code == 302
    year.refresh_from_db()
    assert year.default_due_date == date(2026, 3, 15)


def test_admin_shows_no_other_organisations_board_and_adds_or_deletes_no_item(client, people, year):
    entry = year.items.first()
    client.force_login(people.outsider)

    years = client.get(reverse("admin:plans_readinessyear_changelist"))
    items = client.get(reverse("admin:plans_readinessitem_changelist"))
    change = client.get(reverse("admin:plans_readinessitem_change", args=[entry.pk]))

    assert list(years.context["cl"].result_list) == []
    assert list(items.context["cl"].result_list) == []
    assert change.status_code in (302, 404)
    client.force_login(people.supervisor)
    own = client.get(reverse("admin:plans_readinessitem_changelist"))
    assert own.context["cl"].result_count == year.items.count()
    assert client.get(reverse("admin:plans_readinessitem_add")).status_code == 403
    delete = client.post(
        reverse("admin:plans_readinessitem_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403 and ReadinessItem.objects.filter(pk=entry.pk).exists()


def test_clerk_reads_but_cannot_change_an_item_in_the_admin(client, people, divisions, year):
    people.finance_clerk.is_staff = True
    people.finance_clerk.save()
    entry = year.items.get(item__code="o11")
    client.force_login(people.finance_clerk)

    response = client.post(
        reverse("admin:plans_readinessitem_change", args=[entry.pk]),
        _item_post(entry, status="checked"),
    )

    entry.refresh_from_db()
    assert response.status_code in (302, 403) and entry.status == "not_started"
