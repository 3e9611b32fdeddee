"""The OIT readiness pages: the supervisors' board, a clerk's items on my-work, one item's
form, asking for a link check; access by role and division; query counts pinned."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.enums import LinkCheckState
from plans.readiness import services
from plans.readiness.models import LinkCheckRequest, ReadinessYear
from public.models import PublicPage, PublishedYear

DUE = date(2026, 3, 1)


@pytest.fixture
def year(organisation, people):
    return services.readiness_open(
        organisation=organisation, fiscal_year=2569, default_due_date=DUE, user=people.supervisor
    )


def _assign(year, division, codes, **fields):
    year.items.filter(item__code__in=codes).update(division=division, **fields)


def _board_url(organisation, fiscal_year=2569):
    return reverse("plans:readiness-board", args=[organisation.pk, fiscal_year])


def _rows(response):
    return [row.entry.item.code for row in response.context["board"].rows]


@pytest.mark.parametrize("count", [1, 3])
def test_board_query_count_does_not_grow_with_assigned_items_or_divisions(
    client, people, divisions, year, django_assert_num_queries, count
):
    for division in list(divisions.values())[:count]:
        codes = [f"o{n}" for n in range(division.order, division.order + 3 * count, 3)]
        _assign(year, division, codes, status="ready", updated_by=people.finance_clerk)
    client.force_login(people.supervisor)

    with django_assert_num_queries(14):
        response = client.get(_board_url(year.organisation))

    assert response.context["board"].total == 26
    assert len(response.context["board"].division_counts) == count + 1


def test_board_lists_every_item_overdue_first_with_counts(
    client, people, divisions, year, settings
):
    _assign(year, divisions["กองคลัง"], ["o7", "o8"], status="ready")
    _assign(year, divisions["กองช่าง"], ["o9"], status="in_progress", due_date=date(2026, 1, 5))
    client.force_login(people.supervisor)

    response = client.get(_board_url(year.organisation))

    board = response.context["board"]
    codes = _rows(response)
    assert len(codes) == 26
    assert set(codes) == set(year.items.values_list("item__code", flat=True))
    # Today is after the due dates: every open item is overdue, o9's own earlier date first.
    if timezone.localdate() > DUE:
        assert codes[0] == "o9"
        assert board.overdue == 24
        assert {"o7", "o8"} == set(codes[-2:])
    counts = {c.value: c.count for c in board.status_counts}
    assert counts == {"not_started": 23, "in_progress": 1, "ready": 2, "checked": 0}
    by_division = {c.name: (c.total, c.done) for c in board.division_counts}
    assert by_division["กองคลัง"] == (2, 2)
    assert by_division["กองช่าง"] == (1, 0)
    content = response.content.decode()
    assert "o9" in content and "กองช่าง" in content


def test_board_filters_by_division_and_status_but_counts_the_whole_year(
    client, people, divisions, year
):
    _assign(year, divisions["กองคลัง"], ["o1", "o2"], status="ready")
    _assign(year, divisions["กองคลัง"], ["o3"])
    client.force_login(people.supervisor)
    url = _board_url(year.organisation)

    by_division = client.get(url, {"division": divisions["กองคลัง"].pk})
    by_both = client.get(url, {"division": divisions["กองคลัง"].pk, "status": "ready"})

    assert sorted(_rows(by_division)) == ["o1", "o2", "o3"]
    assert sorted(_rows(by_both)) == ["o1", "o2"]
    assert by_both.context["board"].total == 26


def test_board_of_a_year_without_framework_is_refused_with_a_clear_message(
    client, people, organisation
):
    client.force_login(people.supervisor)

    response = client.get(_board_url(organisation, 2580))

    assert response.status_code == 404
    assert "There is no framework for fiscal year 2580" in response.content.decode()
    assert "board" not in response.context


def test_supervisor_opens_the_board_of_a_year_from_its_framework(client, people, organisation):
    client.force_login(people.supervisor)
    url = _board_url(organisation)

    page = client.get(url)
    response = client.post(
        reverse("plans:readiness-open", args=[organisation.pk, 2569]),
        {"default_due_date_0": "1", "default_due_date_1": "3", "default_due_date_2": "2569"},
        follow=True,
    )

    assert page.context["open_form"] is not None
    assert response.redirect_chain[-1][0] == url
    year = ReadinessYear.objects.get(organisation=organisation)
    assert year.default_due_date == date(2026, 3, 1)
    assert response.context["board"].total == 26


def test_opening_with_a_due_date_outside_the_year_shows_the_bilingual_error(
    client, people, organisation
):
    client.force_login(people.supervisor)

    response = client.post(
        reverse("plans:readiness-open", args=[organisation.pk, 2569]),
        {"default_due_date_0": "1", "default_due_date_1": "10", "default_due_date_2": "2569"},
        follow=True,
    )

    assert "The due date must lie within fiscal year 2569" in response.content.decode()
    assert not ReadinessYear.objects.exists()


def test_clerk_cannot_open_a_board(client, people, organisation):
    client.force_login(people.finance_clerk)

    response = client.post(
        reverse("plans:readiness-open", args=[organisation.pk, 2569]),
        {"default_due_date_0": "1", "default_due_date_1": "3", "default_due_date_2": "2569"},
    )

    assert response.status_code == 403
    assert not ReadinessYear.objects.exists()


def test_clerk_sees_only_their_divisions_items_on_my_work(client, people, divisions, year):
    _assign(year, divisions["กองคลัง"], ["o4", "o5"])
    _assign(year, divisions["สำนักปลัด"], ["o1"])
    client.force_login(people.finance_clerk)

    response = client.get(reverse("plans:organisation-my-work", args=[year.organisation_id]))

    assert sorted(r.entry.item.code for r in response.context["oit_rows"]) == ["o4", "o5"]
    links = [
        reverse("plans:readiness-item", args=[r.entry.pk]) for r in response.context["oit_rows"]
    ]
    assert all(link in response.content.decode() for link in links)


@pytest.mark.parametrize("count", [1, 3])
def test_my_work_query_count_does_not_grow_with_oit_items(
    client, people, divisions, year, django_assert_num_queries, count
):
    _assign(year, divisions["กองคลัง"], [f"o{n}" for n in range(1, count + 1)])
    client.force_login(people.finance_clerk)

    with django_assert_num_queries(11):
        response = client.get(reverse("plans:my-work"))

    assert len(response.context["oit_rows"]) == count


def test_clerk_updates_their_item_and_the_board_shows_it(client, people, divisions, year):
    _assign(year, divisions["กองคลัง"], ["o4"])
    entry = year.items.get(item__code="o4")
    client.force_login(people.finance_clerk)

    response = client.post(
        reverse("plans:readiness-item", args=[entry.pk]),
        {"status": "ready", "evidence_url": "https://khlonghinpun.go.th/oit/o4", "note": "งบ"},
    )

    assert response.url == reverse("plans:organisation-my-work", args=[year.organisation_id])
    entry.refresh_from_db()
    assert (entry.status, entry.updated_by) == ("ready", people.finance_clerk)
    client.force_login(people.supervisor)
    board = client.get(_board_url(year.organisation)).content.decode()
    assert "https://khlonghinpun.go.th/oit/o4" in board
    assert "finance" in board


def test_clerk_gets_a_bilingual_error_for_a_non_http_address(client, people, divisions, year):
    _assign(year, divisions["กองคลัง"], ["o4"])
    entry = year.items.get(item__code="o4")
    client.force_login(people.finance_clerk)

    response = client.post(
        reverse("plans:readiness-item", args=[entry.pk]),
        {"status": "ready", "evidence_url": "ftp://khlonghinpun.go.th/o4.pdf", "note": ""},
    )

    assert response.status_code == 200
    assert "ที่อยู่หลักฐานต้องขึ้นต้นด้วย http://" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "not_started"


def test_clerk_cannot_edit_another_divisions_item(client, people, divisions, year):
    _assign(year, divisions["สำนักปลัด"], ["o1"])
    entry = year.items.get(item__code="o1")
    client.force_login(people.finance_clerk)

    response = client.post(
        reverse("plans:readiness-item", args=[entry.pk]), {"status": "ready", "note": ""}
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.status == "not_started"


def test_outsider_finds_no_board_and_no_item(client, people, year):
    client.force_login(people.outsider)
    entry = year.items.first()

    assert client.get(_board_url(year.organisation)).status_code == 404
    assert client.get(reverse("plans:readiness-item", args=[entry.pk])).status_code == 404


def test_supervisor_sets_owner_and_own_due_date(client, people, divisions, year):
    entry = year.items.get(item__code="o6")
    client.force_login(people.supervisor)

    response = client.post(
        reverse("plans:readiness-item", args=[entry.pk]),
        {
            "status": "in_progress",
            "evidence_url": "",
            "note": "",
            "division": divisions["กองช่าง"].pk,
            "due_date_0": "15",
            "due_date_1": "2",
            "due_date_2": "2569",
        },
    )

    assert response.url == _board_url(year.organisation)
    entry.refresh_from_db()
    assert (entry.division, entry.due_date) == (divisions["กองช่าง"], date(2026, 2, 15))


def test_supervisor_asks_for_a_link_check_and_the_board_says_so(
    client, people, year, settings, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_LINKS_IN_THREAD = False
    client.force_login(people.supervisor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("plans:readiness-check-links", args=[year.organisation_id, 2569]), follow=True
        )

    request = LinkCheckRequest.objects.get()
    assert request.state == LinkCheckState.PENDING
    assert request.requested_by == people.supervisor
    assert response.context["board"].last_check == request
    assert "ตรวจลิงก์" in response.content.decode() or "Check links" in response.content.decode()


def test_clerk_cannot_ask_for_a_link_check(client, people, year):
    client.force_login(people.finance_clerk)

    response = client.post(
        reverse("plans:readiness-check-links", args=[year.organisation_id, 2569])
    )

    assert response.status_code == 403
    assert not LinkCheckRequest.objects.exists()


def test_board_is_reachable_from_the_main_menu(client, people, year):
    client.force_login(people.supervisor)
    home = client.get(reverse("plans:organisation-plans", args=[year.organisation_id]))
    index = reverse("plans:readiness-index", args=[year.organisation_id])

    assert f'href="{index}"' in home.content.decode()
    assert client.get(index).url == _board_url(year.organisation)


def test_items_the_app_produces_link_to_the_public_year_page(client, people, year):
    page = PublicPage.objects.create(
        organisation=year.organisation, slug="khlong-hin-pun", is_enabled=True
    )
    PublishedYear.objects.create(page=page, fiscal_year=2568)
    client.force_login(people.supervisor)

    content = client.get(_board_url(year.organisation)).content.decode()

    assert f'href="{reverse("public:year", args=["khlong-hin-pun", 2568])}"' in content
    # The measures report of 2569 belongs on the 2567 page, which is not public.
    assert reverse("public:year", args=["khlong-hin-pun", 2567]) not in content


def test_board_speaks_thai_first_and_english_when_switched(client, people, year, settings):
    settings.LANGUAGE_CODE = "th"
    client.force_login(people.supervisor)

    thai = client.get(_board_url(year.organisation), headers={"accept-language": "en"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's choice
    english = client.get(_board_url(year.organisation))

    assert "การเตรียมข้อมูล OIT ปีที่ประเมิน 2569" in thai.content.decode()
    assert "ตรวจลิงก์" in thai.content.decode()
    assert "OIT readiness, assessment year 2569" in english.content.decode()


def test_item_page_shows_its_history(client, people, divisions, year):
    _assign(year, divisions["กองคลัง"], ["o4"])
    entry = year.items.get(item__code="o4")
    client.force_login(people.finance_clerk)
    url = reverse("plans:readiness-item", args=[entry.pk])
    client.post(url, {"status": "in_progress", "evidence_url": "", "note": "เริ่มแล้ว"})

    response = client.get(url)

    history = response.context["history"]
    assert [record.status for record in history] == ["in_progress", "not_started"]
    assert history[0].history_user == people.finance_clerk
    assert "เริ่มแล้ว" in response.content.decode()


def test_clerk_cannot_mark_an_item_checked(client, people, divisions, year):
    _assign(year, divisions["กองคลัง"], ["o4"])
    entry = year.items.get(item__code="o4")
    client.force_login(people.finance_clerk)

    response = client.post(
        reverse("plans:readiness-item", args=[entry.pk]),
        {"status": "checked", "evidence_url": "", "note": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    entry.refresh_from_db()
    assert entry.status == "not_started"
