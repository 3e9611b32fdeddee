"""Opening an OIT readiness year from its framework, updating items, and recording link checks."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ita.models import Framework, Indicator, Item, Tool
from plans.enums import LinkCheckState, ReadinessStatus
from plans.readiness import services
from plans.readiness.models import LinkCheckRequest, ReadinessItem, ReadinessYear
from plans.readiness.services import ItemChange

DUE = date(2026, 3, 1)


def _open(organisation, user=None, year=2569, due=DUE):
    return services.readiness_open(
        organisation=organisation, fiscal_year=year, default_due_date=due, user=user
    )


def _codes(fiscal_year):
    items = Item.objects.filter(indicator__framework__fiscal_year=fiscal_year)
    return sorted(items.values_list("code", flat=True))


def test_readiness_open_makes_one_row_per_oit_item_of_the_years_framework(organisation, people):
    year = _open(organisation, people.supervisor)

    codes = sorted(year.items.values_list("item__code", flat=True))
    assert codes == _codes(2569)
    assert len(codes) == 26
    assert year.framework.fiscal_year == 2569
    assert year.created_by == people.supervisor
    assert {i.status for i in year.items.all()} == {ReadinessStatus.NOT_STARTED}


def test_readiness_open_uses_a_framework_entered_later_as_data(organisation):
    framework = Framework.objects.create(fiscal_year=2570, family="ita-10", name="ITA 2570")
    tool = Tool.objects.create(framework=framework, code="OIT", name_th="OIT", weight=30)
    indicator = Indicator.objects.create(framework=framework, tool=tool, number=9, name_th="เปิดเผย")
    for order, code in enumerate(["x1", "x2", "x3"], start=1):
        Item.objects.create(indicator=indicator, code=code, title=f"ข้อ {code}", order=order)

    year = _open(organisation, year=2570, due=date(2027, 2, 1))

    assert sorted(year.items.values_list("item__code", flat=True)) == ["x1", "x2", "x3"]


def test_readiness_open_again_adds_items_the_framework_gained_and_keeps_the_rest(organisation):
    year = _open(organisation)
    entry = year.items.get(item__code="o1")
    entry.note = "kept"
    entry.save()
    indicator = Item.objects.get(indicator__framework__fiscal_year=2569, code="o1").indicator
    Item.objects.create(indicator=indicator, code="o99", title="ข้อใหม่", order=99)

    again = _open(organisation, due=date(2026, 4, 1))

    assert again.pk == year.pk
    assert again.items.count() == 27
    assert again.items.get(item__code="o1").note == "kept"
    assert again.default_due_date == date(2026, 4, 1)


def test_readiness_open_without_a_framework_is_refused_in_thai_and_english(organisation):
    with pytest.raises(ValidationError) as caught:
        _open(organisation, year=2575, due=date(2032, 3, 1))

    message = caught.value.messages[0]
    assert "2575" in message and "There is no framework for fiscal year 2575" in message
    assert "ยังไม่มี" in message
    assert not ReadinessYear.objects.exists()


def test_readiness_open_with_a_due_date_outside_the_fiscal_year_saves_nothing(organisation):
    with pytest.raises(ValidationError) as caught:
        _open(organisation, due=date(2026, 10, 1))

    assert "default_due_date" in caught.value.message_dict
    assert "fiscal year 2569" in caught.value.message_dict["default_due_date"][0]
    assert not ReadinessYear.objects.exists()
    assert not ReadinessItem.objects.exists()


def test_item_update_records_who_when_and_history(organisation, divisions, people):
    year = _open(organisation)
    entry = year.items.get(item__code="o1")

    services.readiness_item_update(
        item=entry,
        change=ItemChange(
            status=ReadinessStatus.READY,
            evidence_url="https://khlonghinpun.go.th/oit/o1",
            note="หน้าโครงสร้าง",
            division=divisions["กองคลัง"],
            due_date=date(2026, 2, 1),
            set_owner=True,
        ),
        user=people.supervisor,
    )

    entry.refresh_from_db()
    assert entry.status == "ready"
    assert entry.division == divisions["กองคลัง"]
    assert entry.due == date(2026, 2, 1)
    assert entry.updated_by == people.supervisor
    assert entry.updated_at is not None
    assert entry.history.count() == 2
    assert entry.history.first().history_user == people.supervisor


def test_item_update_by_a_clerk_keeps_owner_and_due_date(organisation, divisions, people):
    year = _open(organisation)
    entry = year.items.get(item__code="o2")
    entry.division = divisions["กองคลัง"]
    entry.due_date = date(2026, 1, 15)
    entry.save()

    services.readiness_item_update(
        item=entry,
        change=ItemChange(status="in_progress", evidence_url="", note="", set_owner=False),
        user=people.finance_clerk,
    )

    entry.refresh_from_db()
    assert (entry.status, entry.division, entry.due_date) == (
        "in_progress",
        divisions["กองคลัง"],
        date(2026, 1, 15),
    )


@pytest.mark.parametrize("url", ["ftp://khlonghinpun.go.th/o1.pdf", "file:///etc/passwd"])
def test_item_update_refuses_an_evidence_url_that_is_not_http(organisation, people, url):
    entry = _open(organisation).items.get(item__code="o3")

    with pytest.raises(ValidationError) as caught:
        services.readiness_item_update(
            item=entry,
            change=ItemChange(status="ready", evidence_url=url, note=""),
            user=people.finance_clerk,
        )

    assert "http://" in caught.value.message_dict["evidence_url"][0]
    entry.refresh_from_db()
    assert entry.evidence_url == "" and entry.status == "not_started"


def test_item_update_refuses_an_own_due_date_outside_the_year(organisation, people):
    entry = _open(organisation).items.get(item__code="o4")

    with pytest.raises(ValidationError) as caught:
        services.readiness_item_update(
            item=entry,
            change=ItemChange(
                status="ready", evidence_url="", note="", due_date=date(2027, 1, 1), set_owner=True
            ),
            user=people.supervisor,
        )

    assert "due_date" in caught.value.message_dict


def test_new_evidence_url_clears_the_old_link_check_result(organisation, people):
    entry = _open(organisation).items.get(item__code="o5")
    entry.evidence_url = "https://old.example/"
    entry.link_status = 404
    entry.link_error = "HTTP 404"
    entry.save()

    services.readiness_item_update(
        item=entry,
        change=ItemChange(status="ready", evidence_url="https://new.example/", note=""),
        user=people.supervisor,
    )

    entry.refresh_from_db()
    assert entry.link_status is None and entry.link_error == ""


def test_link_check_request_is_recorded_and_starts_a_thread_on_commit(
    organisation, people, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.EVIDENCE_LINKS_IN_THREAD = True
    year = _open(organisation)
    started: list[int] = []
    monkeypatch.setattr(services, "_start_thread", started.append)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request = services.link_check_request(year=year, user=people.supervisor)

    assert len(callbacks) == 1
    assert started == [request.pk]
    assert request.state == LinkCheckState.PENDING
    assert request.requested_by == people.supervisor


def test_link_check_request_while_one_waits_returns_it_without_a_second(
    organisation, people, settings, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_LINKS_IN_THREAD = False
    year = _open(organisation)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.link_check_request(year=year, user=people.supervisor)
        second = services.link_check_request(year=year, user=people.supervisor)

    assert first.pk == second.pk
    assert LinkCheckRequest.objects.count() == 1
    assert callbacks == []
