"""Every page and action of the plans app × every role, by logging in as each.

Roles: administrator, supervisor (executive), กองคลัง clerk, สำนักปลัด clerk, viewer; a
member without a role (403), a supervisor of another organisation (404: it does not exist for
them) and an anonymous visitor (to the login page). Allowed requests are checked by what they
render or change, refused ones by their answer and by nothing having changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans import services
from plans.models import Action, Plan, ProgressReport

from .conftest import build_plan

MEMBERS = {"administrator", "supervisor", "finance_clerk", "office_clerk", "viewer"}
MANAGERS = {"administrator", "supervisor"}
ROLES = [
    "administrator",
    "supervisor",
    "finance_clerk",
    "office_clerk",
    "viewer",
    "no_role",
    "outsider",
    "anonymous",
]


@dataclass
class World:
    approved: Plan
    draft: Plan
    finance_action: Action  # indicator 4, กองคลัง, approved plan
    all_action: Action  # indicator 6, ทุกกอง, approved plan
    office_action: Action  # indicator 7, สำนักปลัด, approved plan
    draft_action: Action
    evidence_pk: int


@pytest.fixture
def world(assessment_2568, divisions, people) -> World:
    approved = build_plan(assessment_2568, divisions, approve_by=people.supervisor)
    draft = build_plan(assessment_2568, divisions, fiscal_year=2570)
    actions = {a.indicator.number: a for a in approved.actions.select_related("indicator")}
    report = services.progress_record(
        action=actions[4],
        user=people.finance_clerk,
        division=divisions["กองคลัง"],
        reported_on=date(2025, 11, 1),
        text="เริ่มร่างคู่มือ",
        percent=20,
        status="in_progress",
        files=[SimpleUploadedFile("ร่าง.pdf", b"%PDF-1.4\n" + b"1" * 50)],
    )
    return World(
        approved=approved,
        draft=draft,
        finance_action=actions[4],
        all_action=actions[6],
        office_action=actions[7],
        draft_action=draft.actions.first(),
        evidence_pk=report.evidence.get().pk,
    )


def login(client, people, role):
    if role != "anonymous":
        client.force_login(getattr(people, role))
    return client


def assert_refused(response, role, url):
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif role == "outsider":
        assert response.status_code == 404, url
    else:
        assert response.status_code == 403, url


# --- Pages (GET): allowed roles see the page's template ------------------------------------

PAGES = [
    # name, url builder, template, allowed roles
    ("plan list", lambda w: reverse("plans:organisation-plans", args=[w.approved.organisation_id]),
     "plans/plan_list.html", MEMBERS),
    ("my work", lambda w: reverse("plans:organisation-my-work", args=[w.approved.organisation_id]),
     "plans/my_work.html", MEMBERS),
    ("plan detail", lambda w: reverse("plans:plan-detail", args=[w.approved.pk]),
     "plans/plan_detail.html", MEMBERS),
    ("plan history", lambda w: reverse("plans:plan-history", args=[w.approved.pk]),
     "plans/plan_history.html", MEMBERS),
    ("revision", lambda w: reverse("plans:revision-detail", args=[w.approved.revisions.get().pk]),
     "plans/revision_detail.html", MEMBERS),
    ("action detail", lambda w: reverse("plans:action-detail", args=[w.finance_action.pk]),
     "plans/action_detail.html", MEMBERS),
    ("plan create", lambda w: reverse("plans:plan-create", args=[w.approved.organisation_id]),
     "plans/plan_create.html", MANAGERS),
    ("draft proposals", lambda w: reverse("plans:plan-draft", args=[w.draft.pk]),
     "plans/plan_draft.html", MANAGERS),
    ("action create", lambda w: reverse("plans:action-create", args=[w.draft.pk]),
     "plans/action_form.html", MANAGERS),
    ("action edit", lambda w: reverse("plans:action-edit", args=[w.draft_action.pk]),
     "plans/action_form.html", MANAGERS),
    ("action assign", lambda w: reverse("plans:action-assign", args=[w.draft_action.pk]),
     "plans/action_assign.html", MANAGERS),
    ("council", lambda w: reverse("plans:plan-present", args=[w.approved.pk]),
     "plans/plan_present.html", MANAGERS),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "url_of", "template", "allowed"), PAGES, ids=[p[0] for p in PAGES]
)
def test_permission_matrix_pages(client, people, world, name, url_of, template, allowed):
    url = url_of(world)
    for role in ROLES:
        client.logout()
        response = login(client, people, role).get(url)

        if role in allowed:
            assert response.status_code == 200, (name, role)
            assert template in [t.name for t in response.templates], (name, role)
        else:
            assert_refused(response, role, (name, role))


def test_permission_matrix_evidence_download(client, people, world):
    url = reverse("plans:evidence-download", args=[world.evidence_pk])
    for role in ROLES:
        client.logout()
        response = login(client, people, role).get(url)

        if role in MEMBERS:
            assert response.status_code == 200, role
            assert b"".join(response.streaming_content).startswith(b"%PDF-1.4"), role
        else:
            assert_refused(response, role, role)


# --- Actions (POST): allowed roles change the data, refused roles change nothing ----------


@dataclass
class Case:
    name: str
    url: object
    data: object
    changed: object  # world -> bool: did the action take effect?
    allowed: set[str]


def progress_post(action_attr):
    return Case(
        f"progress on {action_attr}",
        lambda w: reverse("plans:progress-create", args=[getattr(w, action_attr).pk]),
        lambda w: {
            "reported_on_0": "5",
            "reported_on_1": "11",
            "reported_on_2": "2568",
            "text": "ทำแล้ว",
            "percent": "50",
            "status": "in_progress",
            "links": "",
        },
        lambda w: ProgressReport.objects.filter(
            action=getattr(w, action_attr), text="ทำแล้ว"
        ).exists(),
        set(),
    )


CASES = [
    Case(
        "create plan",
        lambda w: reverse("plans:plan-create", args=[w.approved.organisation_id]),
        lambda w: {"assessment": w.approved.assessment_id, "fiscal_year": "2571"},
        lambda w: Plan.objects.filter(fiscal_year=2571).exists(),
        MANAGERS,
    ),
    Case(
        "accept drafts",
        lambda w: reverse("plans:plan-draft", args=[w.draft.pk]),
        lambda w: {
            "p-TOTAL_FORMS": "1",
            "p-INITIAL_FORMS": "1",
            "p-0-accept": "on",
            "p-0-key": "9-o16",
            "p-0-finding": "ข้อ o16",
            "p-0-measure": "เผยแพร่ประมวลจริยธรรม",
            "p-0-steps": "",
        },
        lambda w: w.draft.actions.filter(item__code="o16").exists(),
        MANAGERS,
    ),
    Case(
        "edit action",
        lambda w: reverse("plans:action-edit", args=[w.draft_action.pk]),
        lambda w: {
            "indicator": w.draft_action.indicator_id,
            "finding": "f",
            "measure": "แก้แล้ว",
            "steps": "",
            "order": "1",
            "start_month_0": "10",
            "start_month_1": "2569",
            "end_month_0": "3",
            "end_month_1": "2570",
        },
        lambda w: Action.objects.get(pk=w.draft_action.pk).measure == "แก้แล้ว",
        MANAGERS,
    ),
    Case(
        "assign divisions",
        lambda w: reverse("plans:action-assign", args=[w.draft_action.pk]),
        lambda w: {"all_divisions": "on"},
        lambda w: Action.objects.get(pk=w.draft_action.pk).all_divisions,
        MANAGERS,
    ),
    Case(
        "delete action",
        lambda w: reverse("plans:action-delete", args=[w.draft_action.pk]),
        lambda w: {},
        lambda w: not Action.objects.filter(pk=w.draft_action.pk).exists(),
        MANAGERS,
    ),
    Case(
        "approve",
        lambda w: reverse("plans:plan-approve", args=[w.draft.pk]),
        lambda w: {},
        lambda w: Plan.objects.get(pk=w.draft.pk).status == "approved",
        MANAGERS,
    ),
    Case(
        "record council",
        lambda w: reverse("plans:plan-present", args=[w.approved.pk]),
        lambda w: {
            "council_date_0": "20",
            "council_date_1": "12",
            "council_date_2": "2599",
            "council_note": "สมัยสามัญ",
        },
        lambda w: Plan.objects.get(pk=w.approved.pk).status == "presented",
        MANAGERS,
    ),
    Case(
        "revise",
        lambda w: reverse("plans:plan-revise", args=[w.approved.pk]),
        lambda w: {"reason": "ปรับตามมติสภา"},
        lambda w: Plan.objects.get(pk=w.approved.pk).revision == 2,
        MANAGERS,
    ),
    progress_post("finance_action"),
    progress_post("office_action"),
    progress_post("all_action"),
]
CASES[-3].allowed = MANAGERS | {"finance_clerk"}
CASES[-2].allowed = MANAGERS | {"office_clerk"}
CASES[-1].allowed = MANAGERS | {"finance_clerk", "office_clerk"}  # ทุกกอง


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_matrix_actions(client, people, world, case, role):
    response = login(client, people, role).post(case.url(world), case.data(world))

    if role in case.allowed:
        assert response.status_code == 302, response.content[:2000]
        assert case.changed(world)
    else:
        assert_refused(response, role, case.name)
        assert not case.changed(world)
