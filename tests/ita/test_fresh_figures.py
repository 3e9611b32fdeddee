"""Cached figures never outlive their data: every write that changes a figure shows on the
next page, through the same client, with the figures cache warm from the visit before.

Each case visits the page (filling the cache), writes through the path users take (the admin
entry screen, the results import, the framework's rows, the analysis and remark form, the
plan's services), then visits again and looks for the new value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse

from ita.models import Assessment, Framework, Indicator, Question, RatingBand
from ita.results import IndicatorValue
from ita.services.results_import import parse_tables, results_import
from ita.sheets import SheetMeta, read_sheet_file, sheet_rows, write_csv
from ita.sheets.export import framework_for_template, sheet_layout
from plans.models import Action, Plan
from plans.services import action_create, action_update, plan_create
from tests.ita.sheet_data import KHP_NAME, khp_results, save_khp
from tests.ita.test_admin import change_url, khlong_hin_pun_post
from tests.ita.test_views import text

pytestmark = pytest.mark.django_db

NEW_TEXT = "ข้อความใหม่ทดสอบแคช"


@pytest.fixture
def khp(admin_client) -> Assessment:
    return save_khp()


def dashboard(a: Assessment) -> str:
    return reverse("ita:dashboard", args=[a.organisation_id])


def compare(a: Assessment) -> str:
    return reverse("ita:compare", args=[a.organisation_id])


def indicator(a: Assessment, number: int = 8) -> str:
    return reverse("ita:indicator", args=[a.organisation_id, number])


def peers(a: Assessment) -> str:
    return reverse("ita:peers", args=[a.organisation_id])


def report(a: Assessment) -> str:
    return reverse("documents:report", args=[a.organisation_id, 2568])


# --- The writes ----------------------------------------------------------------------------


def admin_entry(client, a: Assessment) -> str:
    data = khlong_hin_pun_post(a)
    data["published_overall"] = "81.23"
    response = client.post(change_url(a), data)
    assert response.status_code == 302
    return "81.23"


def results_file_import(client, a: Assessment) -> str:
    results = khp_results()
    results = dataclasses.replace(
        results, indicators={**results.indicators, 8: IndicatorValue(Decimal("12.34"))}
    )
    meta = SheetMeta(2568, KHP_NAME, "สระแก้ว", "sao", "วังน้ำเย็น", note="")
    rows = sheet_rows(sheet_layout(framework_for_template(2568)), meta, results)
    results_import(sheets=parse_tables(read_sheet_file("khp.csv", write_csv(rows))))
    return "12.34"


def framework_indicator_renamed(client, a: Assessment) -> str:
    row = Indicator.objects.get(framework=a.framework, number=8)
    row.name_th = NEW_TEXT
    row.save()
    return NEW_TEXT


def framework_question_reworded(client, a: Assessment) -> str:
    row = Question.objects.filter(indicator__framework=a.framework, indicator__number=8).first()
    row.theme = NEW_TEXT
    row.save()
    return NEW_TEXT


def framework_pass_line_moved(client, a: Assessment) -> str:
    """The lowest passing band's threshold is the pass line the dashboard colours by."""
    band = (
        RatingBand.objects.filter(framework=a.framework, passes=True)
        .order_by("min_overall")
        .first()
    )
    band.min_overall = Decimal("77.77")
    band.save()
    return "77.77"


def framework_renamed(client, a: Assessment) -> str:
    framework = Framework.objects.get(pk=a.framework_id)
    framework.name = NEW_TEXT
    framework.save()
    return NEW_TEXT


def organisation_moved(client, a: Assessment) -> str:
    """A new province puts the organisation in other peer groups."""
    organisation = a.organisation
    organisation.province = "จังหวัดทดสอบแคช"
    organisation.save()
    return "จังหวัดทดสอบแคช"


def narratives_form(field: str) -> Callable[[object, Assessment], str]:
    def edit(client, a: Assessment) -> str:
        url = reverse("documents:narratives-edit", args=[a.organisation_id, 2568])
        form = client.get(url).context["form"]
        data = {name: form[name].initial for name in form.fields if form[name].initial}
        data[f"{field}_8"] = NEW_TEXT
        response = client.post(url, data)
        assert response.status_code == 302
        return NEW_TEXT

    edit.__name__ = f"{field}_edit"
    return edit


def plan_detail(a: Assessment) -> str:
    """The plan page of the year's plan, drawn here with one action if there is none yet."""
    plan = Plan.objects.filter(assessment=a).first()
    if plan is None:
        plan = plan_create(organisation=a.organisation, assessment=a)
        action_create(plan=plan, indicator=indicator_8(a), finding="คะแนน", measure="มาตรการเดิม")
    return reverse("plans:plan-detail", args=[plan.pk])


def indicator_8(a: Assessment) -> Indicator:
    return Indicator.objects.get(framework=a.framework, number=8)


def plan_action_added(client, a: Assessment) -> str:
    plan = Plan.objects.get(assessment=a)
    action_create(plan=plan, indicator=indicator_8(a), finding="คะแนน 90.31", measure=NEW_TEXT)
    return NEW_TEXT


def plan_action_changed(client, a: Assessment) -> str:
    action_update(action=Action.objects.get(measure="มาตรการเดิม"), measure=NEW_TEXT)
    return NEW_TEXT


# --- The cases -----------------------------------------------------------------------------


CASES = [
    (admin_entry, dashboard),
    (admin_entry, compare),
    (results_file_import, indicator),
    (results_file_import, compare),
    (framework_indicator_renamed, indicator),
    (framework_indicator_renamed, dashboard),
    (framework_question_reworded, indicator),
    (framework_pass_line_moved, dashboard),
    (framework_renamed, indicator),
    (narratives_form("analysis"), indicator),
    (narratives_form("remark"), report),
    (admin_entry, peers),
    (results_file_import, peers),
    (organisation_moved, peers),
    (framework_indicator_renamed, peers),
    (plan_action_added, plan_detail),
    (plan_action_changed, plan_detail),
]


@pytest.mark.parametrize(
    ("write", "page"), CASES, ids=[f"{w.__name__}->{p.__name__}" for w, p in CASES]
)
def test_a_write_shows_on_the_next_page_with_the_cache_warm(admin_client, khp, write, page):
    url = page(khp)
    before = text(admin_client.get(url))
    cached = len(caches["figures"]._cache)  # local memory in tests

    expected = write(admin_client, khp)

    assert expected not in before
    assert expected in text(admin_client.get(url))
    assert cached or page in (report, plan_detail, peers)  # analysis pages were served cached
