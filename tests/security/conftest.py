"""Demo data, a user per role and a stranger, and every URL of the site with its kwargs filled.

The URL list comes from the resolver, so a page added later is swept without editing these
tests; a URL argument the sweep cannot fill fails `test_sweep_fills_every_url` loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ita.models import Membership, Organisation
from plans.models import Action, Evidence, Plan, PlanRevision
from plans.roles import GROUP_NAMES, Role

KHP = "คลองหินปูน"
DEMO_ROLES = ["demo-admin", "demo-executive", "demo-finance", "demo-office", "demo-viewer"]
# Reachable without logging in, by design (they show no organisation's data).
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
    "healthz",
    "set_language",
}
# From the admin only its index: the rest is Django's own, guarded by admin_view.
SKIPPED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Page:
    name: str  # namespaced URL name
    url: str


def _walk(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            if full.split(":")[0] in SKIPPED_NAMESPACES:
                continue
            yield from _walk(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern


def url_patterns() -> list[tuple[str, URLPattern]]:
    """Every named URL of the site outside the admin, plus the admin index."""
    found = dict(_walk(get_resolver().url_patterns))
    return sorted(found.items())


@dataclass(frozen=True)
class DemoIds:
    organisation: int
    plan: int
    revision: int | None
    action: int
    evidence: int
    document: int  # the signed analysis report of 2568
    readiness_item: int  # an item of the 2568 OIT readiness board


def kwargs_for(name: str, pattern: URLPattern, ids: DemoIds) -> dict[str, object]:
    """Fill a pattern's arguments from the demo data (KeyError: a new argument to teach)."""
    short = name.rsplit(":", 1)[-1]
    wanted = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    wanted -= set(pattern.default_args)
    values: dict[str, object] = {}
    for key in sorted(wanted):
        if key == "organisation_id":
            values[key] = ids.organisation
        elif key == "year":
            values[key] = 2568
        elif key == "slug":
            values[key] = "demo-khlong-hin-pun"
        elif key == "document_id":
            values[key] = ids.document
        elif key == "number":
            values[key] = 1
        elif key == "kind":  # a document format (the plan's progress page)
            values[key] = "pdf"
        elif key == "uidb64":
            values[key] = "MQ"
        elif key == "token":
            values[key] = "set-password"
        elif key == "pk" and short == "readiness-item":
            values[key] = ids.readiness_item
        elif key == "pk" and short.startswith("evidence"):
            values[key] = ids.evidence
        elif key == "pk" and short.startswith("revision"):
            values[key] = ids.revision or 0
        elif key == "pk" and short == "action-create":  # a new action of a plan
            values[key] = ids.plan
        elif key == "pk" and short.startswith(("action", "progress")):
            values[key] = ids.action
        elif key == "pk" and (short.startswith("plan") or name.startswith("documents:")):
            values[key] = ids.plan
        else:
            raise KeyError(f"{name}: no demo value for URL argument {key!r}")
    return values


def site_pages(ids: DemoIds) -> list[Page]:
    pages = [Page("admin:index", reverse("admin:index"))]
    for name, pattern in url_patterns():
        pages.append(Page(name, reverse(name, kwargs=kwargs_for(name, pattern, ids))))
    return pages


@pytest.fixture
def private_evidence(settings, tmp_path):
    settings.PLANS_EVIDENCE_ROOT = str(tmp_path / "evidence")
    settings.DOCUMENTS_STORED_ROOT = str(tmp_path / "stored-documents")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return tmp_path


# The demo's report PDF, rendered by the first test that signs it and reused by the rest
# (module state, so the test modules that import `demo` from here share it too): these tests
# check who reaches the stored copy, not what it prints (tests/documents do), and rendering
# it for each of some 200 tests cost about 1 s apiece.
_SIGNED_REPORT_PDF: dict[str, bytes] = {}


@pytest.fixture
def demo(db, private_evidence) -> DemoIds:
    """`load_demo`, plus one progress report with a PDF file as evidence and the 2568
    report signed (its PDF stored)."""
    from documents import services as document_services
    from documents.services import report_sign
    from plans import services
    from plans.readiness.services import readiness_open

    call_command(
        "load_demo",
        "--no-peers",
        "--i-know-this-is-not-production",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    organisation = Organisation.objects.get(name__contains=KHP)
    plan = Plan.objects.filter(organisation=organisation).order_by("pk").first()
    action = Action.objects.filter(plan=plan).order_by("pk").first()
    pdf = SimpleUploadedFile("คำสั่ง.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    report = services.progress_record(
        action=action,
        user=get_user_model().objects.get(username="demo-executive"),
        division=None,
        reported_on=date(2568 - 543, 11, 1),
        text="จัดทำคู่มือแล้ว",
        percent=50,
        status=action.status,
        files=[pdf],
    )
    evidence = Evidence.objects.get(report=report)
    revision = PlanRevision.objects.filter(plan=plan).values_list("pk", flat=True).first()
    render = document_services.exports.report_pdf

    def report_pdf_once(report, options):
        if "pdf" not in _SIGNED_REPORT_PDF:
            _SIGNED_REPORT_PDF["pdf"] = render(report, options)
        return _SIGNED_REPORT_PDF["pdf"]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(document_services.exports, "report_pdf", report_pdf_once)
        signed = report_sign(organisation=organisation, fiscal_year=2568, user=None)
    board = readiness_open(
        organisation=organisation,
        fiscal_year=2568,
        default_due_date=date(2568 - 543, 3, 1),
        user=None,
    )
    item = board.items.order_by("pk").first()
    return DemoIds(organisation.pk, plan.pk, revision, action.pk, evidence.pk, signed.pk, item.pk)


@pytest.fixture
def stranger(demo):
    """A supervisor of the demo's other (fictional) organisation, not of Khlong Hin Pun."""
    other = Organisation.objects.exclude(name__contains=KHP).order_by("pk").first()
    user = get_user_model().objects.create_user("stranger", password="stranger-pass-1234")
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.SUPERVISOR]))
    Membership.objects.create(user=user, organisation=other)
    return user


def user(username: str):
    return get_user_model().objects.get(username=username)
