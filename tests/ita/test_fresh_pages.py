"""Cached page bodies never outlive what they print (`ita.pagecache`).

Each case visits a page (filling the page and figures caches), writes through a path users
take, visits again through the same client and compares with a render from empty caches:
the next request must show exactly what a fresh render shows, and the write must have
changed the page. The control run strips the data versions from the cache key and checks
that the same cases then serve the stale body, so these tests can fail.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.urls import reverse

from ita import pagecache
from ita.models import Assessment, Division
from plans.models import ActionStatus
from plans.services import action_assign, action_create, plan_approve, plan_create, progress_record
from tests.factories import MembershipFactory
from tests.ita.test_fresh_figures import (
    NEW_TEXT,
    admin_entry,
    framework_indicator_renamed,
    framework_pass_line_moved,
    indicator_8,
    narratives_form,
    plan_action_changed,
    results_file_import,
)
from tests.ita.test_views import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def khp(admin_client) -> Assessment:
    from tests.ita.sheet_data import save_khp

    return save_khp()


def dashboard(a: Assessment) -> str:
    return reverse("ita:dashboard", args=[a.organisation_id])


def compare(a: Assessment) -> str:
    return reverse("ita:compare", args=[a.organisation_id])


def indicator(a: Assessment) -> str:
    return reverse("ita:indicator", args=[a.organisation_id, 8])


def report(a: Assessment) -> str:
    return reverse("documents:report", args=[a.organisation_id, 2568])


def plan_detail(a: Assessment) -> str:
    """The plan page of the year's plan, drawn here with one action if there is none yet."""
    plan = a.plans.first()
    if plan is None:
        plan = plan_create(organisation=a.organisation, assessment=a)
        action_create(plan=plan, indicator=indicator_8(a), finding="คะแนน", measure="มาตรการเดิม")
    return reverse("plans:plan-detail", args=[plan.pk])


# --- Writes beyond the figures' ------------------------------------------------------------


def plan_drawn(client, a: Assessment) -> None:
    plan = plan_create(organisation=a.organisation, assessment=a)
    action_create(plan=plan, indicator=indicator_8(a), finding="คะแนน", measure=NEW_TEXT)


def action_progress(client, a: Assessment) -> None:
    plan = a.plans.get()
    progress_record(
        action=plan.actions.get(),
        user=None,
        division=None,
        reported_on=datetime.date(2025, 12, 1),
        text="เริ่มดำเนินการแล้ว",
        percent=30,
        status=ActionStatus.IN_PROGRESS,
    )


def division_renamed(client, a: Assessment) -> None:
    division = Division.objects.get(organisation=a.organisation, name="กองเดิมทดสอบ")
    division.name = NEW_TEXT
    division.save()


def organisation_renamed(client, a: Assessment) -> None:
    organisation = a.organisation
    organisation.name = NEW_TEXT
    organisation.save()


def english_chosen(client, a: Assessment) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


# Arrangements some writes need before the first visit.
def _with_division_on_an_action(a: Assessment) -> None:
    plan = plan_create(organisation=a.organisation, assessment=a)
    action = action_create(plan=plan, indicator=indicator_8(a), finding="คะแนน", measure="ม")
    division = Division.objects.create(organisation=a.organisation, name="กองเดิมทดสอบ")
    action_assign(action=action, divisions=[division])


def _with_plan(a: Assessment) -> None:
    _with_division_on_an_action(a)
    approver = get_user_model().objects.get(username="admin")  # admin_client's user
    plan_approve(plan=a.plans.get(), user=approver)


Write = Callable[[object, Assessment], None]
CASES: list[tuple[Write, Callable[[Assessment], str], Callable[[Assessment], None] | None]] = [
    (admin_entry, dashboard, None),
    (admin_entry, compare, None),
    (admin_entry, indicator, None),
    (results_file_import, dashboard, None),
    (results_file_import, compare, None),
    (framework_indicator_renamed, dashboard, None),
    (framework_indicator_renamed, compare, None),
    (framework_pass_line_moved, dashboard, None),
    (narratives_form("analysis"), indicator, None),
    (plan_drawn, dashboard, None),
    (plan_drawn, indicator, None),
    (action_progress, dashboard, _with_plan),
    (action_progress, indicator, _with_plan),
    (division_renamed, indicator, _with_division_on_an_action),
    (organisation_renamed, dashboard, None),
    (organisation_renamed, compare, None),
    (organisation_renamed, indicator, None),
    (english_chosen, dashboard, None),
    (english_chosen, compare, None),
    (english_chosen, indicator, None),
    (plan_action_changed, plan_detail, None),
    (results_file_import, plan_detail, None),
    (action_progress, plan_detail, _with_plan),
    (division_renamed, plan_detail, _with_division_on_an_action),
    (admin_entry, report, None),
    (results_file_import, report, None),
    (narratives_form("remark"), report, None),
    (narratives_form("analysis"), report, None),
    (plan_drawn, report, None),
    (division_renamed, report, _with_division_on_an_action),
    (organisation_renamed, report, None),
]
IDS = [f"{w.__name__}->{p.__name__}" for w, p, _ in CASES]


def main_text(response) -> str:
    """The text of the page's main part, without the one-off messages a write leaves."""
    html = response.content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    main = re.sub(r'<ul class="messages">.*?</ul>', "", main, flags=re.S)
    return text(SimpleNamespace(content=main.encode()))


def visit_write_visit(client, a: Assessment, write: Write, page, arrange) -> tuple[str, str, str]:
    """The page before the write, right after it, and rendered from empty caches."""
    if arrange is not None:
        arrange(a)
    url = page(a)
    before = main_text(client.get(url))
    client.get(url)  # served from the page cache now
    write(client, a)
    after = main_text(client.get(url))
    caches["figures"].clear()
    return before, after, main_text(client.get(url))


@pytest.mark.parametrize(("write", "page", "arrange"), CASES, ids=IDS)
def test_a_write_shows_on_the_next_page_with_the_page_cache_warm(
    admin_client, khp, write, page, arrange
):
    before, after, fresh = visit_write_visit(admin_client, khp, write, page, arrange)

    assert after != before
    assert after == fresh


@pytest.fixture
def keys_without_versions(monkeypatch):
    """The cache key of a page body without its data versions: what would go wrong."""

    def key(request, page, owner, parts) -> str:
        return f"page-body:{page}:{owner}:{request.path}:{request.GET.urlencode()}"

    monkeypatch.setattr(pagecache, "request_key", key)


@pytest.mark.parametrize(("write", "page", "arrange"), CASES, ids=IDS)
def test_without_the_versions_in_the_key_the_pages_would_be_stale(
    admin_client, khp, write, page, arrange, keys_without_versions
):
    before, after, fresh = visit_write_visit(admin_client, khp, write, page, arrange)

    assert after == before != fresh


def test_a_new_staff_flag_shows_on_the_next_page(client, khp):
    """The empty dashboard offers staff the entry screen: a role change shows at once."""
    empty = khp.organisation.__class__.objects.create(
        name="อบต.ว่างทดสอบ", province="สระแก้ว", agency_type=khp.organisation.agency_type
    )
    membership = MembershipFactory(organisation=empty)
    client.force_login(membership.user)
    url = reverse("ita:dashboard", args=[empty.pk])
    assert reverse("admin:ita_assessment_add") not in client.get(url).content.decode()

    membership.user.is_staff = True
    membership.user.save()

    assert reverse("admin:ita_assessment_add") in client.get(url).content.decode()


def test_the_digit_switch_shows_on_the_next_report_page(admin_client, khp):
    url = report(khp)
    arabic = main_text(admin_client.get(url + "?digits=arabic"))

    thai = main_text(admin_client.get(url + "?digits=thai"))

    assert "๒๕๖๘" in thai and "๒๕๖๘" not in arabic
    assert main_text(admin_client.get(url + "?digits=arabic")) == arabic
