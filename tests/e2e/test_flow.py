"""The whole job in a real browser, as users do it: enter and import results in the admin,
read the analysis, plan the next year, report progress with evidence, print the report.

Data comes from the demo loader (Khlong Hin Pun 2568 and the demo users of each role) and
is all in place before Chromium starts; after that the test reads only what pages show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ita.demo import demo_load
from ita.forms import entry_layout
from ita.models import AgencyType, Framework
from ita.queries import framework_lookup
from ita.results import IndicatorValue, ResultSet
from ita.sheets import SheetMeta, sheet_rows, write_xlsx
from ita.sheets.export import framework_for_template, sheet_layout
from plans.demo import DEMO_PASSWORD, demo_users_ensure, divisions_ensure

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ADMIN_PASSWORD = "pass-1234-e2e-admin"
# FY 2567 typed into the admin entry screen (indicator scores, as older years are published).
ENTERED_2567 = ["97.00", "99.50", "98.00", "95.00", "96.00", "94.50", "89.00", "91.00", "97.25"]
ENTERED_2567 += ["92.50"]
# FY 2566 imported from a spreadsheet.
IMPORTED_2566 = ["95.10", "96.20", "97.30", "92.40", "93.50", "91.60", "88.70", "89.80", "95.90"]
IMPORTED_2566 += ["85.00"]
PDF_EVIDENCE = b"%PDF-1.4\n% e2e evidence\n" + b"0" * 2000 + b"\n%%EOF\n"


@dataclass(frozen=True)
class World:
    organisation_id: int
    organisation_name: str
    framework_2567_id: int
    indicator_fields_2567: list[str]
    sheet_2566: Path
    evidence: Path


@pytest.fixture
def world(tmp_path) -> World:
    summary = demo_load()
    khp = summary.organisations[0]
    demo_users_ensure(khp, divisions_ensure(khp))  # users and divisions, no plan yet
    get_user_model().objects.create_superuser(
        username="e2e-admin", email="e2e-admin@example.org", password=ADMIN_PASSWORD
    )
    framework_2567 = Framework.objects.get(fiscal_year=2567)
    layout = entry_layout(framework_lookup(framework_2567))
    meta = SheetMeta(2566, khp.name, khp.province, AgencyType.SAO, khp.district, note="")
    results = ResultSet(
        overall=Decimal("92.33"),
        level="ผ่านดี",
        indicators={n: IndicatorValue(Decimal(s)) for n, s in enumerate(IMPORTED_2566, 1)},
    )
    sheet = tmp_path / "khp-2566.xlsx"
    sheet.write_bytes(
        write_xlsx(
            [("2566", sheet_rows(sheet_layout(framework_for_template(2566)), meta, results))]
        )
    )
    evidence = tmp_path / "borrowing-manual.pdf"
    evidence.write_bytes(PDF_EVIDENCE)
    return World(
        organisation_id=khp.pk,
        organisation_name=khp.name,
        framework_2567_id=framework_2567.pk,
        indicator_fields_2567=[block.score for block in layout.indicators],
        sheet_2566=sheet,
        evidence=evidence,
    )


def log_in(page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form.stacked-form button[type=submit]")
    assert "/accounts/login/" not in page.url


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_flow_admin_enters_and_imports_then_plan_progress_and_report_pdf(
    world, live_server, open_page
):
    url = live_server.url

    # A superuser adds FY 2567 for the organisation and types its indicator scores.
    admin = open_page("admin")
    log_in(admin, live_server, "e2e-admin", ADMIN_PASSWORD)
    admin.goto(url + reverse("admin:ita_assessment_add"))
    admin.click(".field-organisation .select2-selection")
    admin.fill(".select2-search__field", "คลองหินปูน")
    admin.click(f".select2-results__option:has-text('{world.organisation_name}')")
    admin.select_option("select[name=framework]", str(world.framework_2567_id))
    admin.select_option("select[name=agency_type]", AgencyType.SAO)
    submit(admin, "input[name=_save]")
    for name, score in zip(world.indicator_fields_2567, ENTERED_2567, strict=True):
        admin.fill(f"input[name={name}]", score)
    admin.fill("input[name=published_overall]", "94.10")
    admin.fill("input[name=published_level]", "ผ่านดี")
    submit(admin, "input[name=_continue]")

    overall = admin.locator("#ita-check-overall").inner_text()
    assert "94.10" in overall and "94.53" in overall  # published, computed from indicators

    # ... then imports FY 2566 from a spreadsheet: a preview first, saved only on confirm.
    admin.goto(url + reverse("admin:ita_assessment_import"))
    admin.select_option("select[name=format]", label="xlsx")
    admin.set_input_files("input[name=import_file]", str(world.sheet_2566))
    submit(admin, "form[enctype='multipart/form-data'] [type=submit]")
    assert admin.locator("[name=confirm]").count() == 1
    submit(admin, "[name=confirm]")

    assert re.search(r"/admin/ita/assessment/\d+/change/$", admin.url)
    assert admin.locator("input[name=published_overall]").input_value() == "92.33"

    # The supervisor reads the dashboard and the comparison of the three years.
    boss = open_page("supervisor")
    log_in(boss, live_server, "demo-executive")
    boss.goto(url + reverse("ita:dashboard", args=[world.organisation_id]))
    assert boss.locator("[data-testid=overall-score]").inner_text() == "94.39"
    boss.goto(url + reverse("ita:compare", args=[world.organisation_id]))
    compared = boss.locator("table.data-table").nth(1)
    assert re.search(r"2566\s.*2567\s.*2568", compared.locator("thead").inner_text(), re.S)
    figures = compared.inner_text()
    assert "85.00" in figures and "92.50" in figures and "90.00" in figures  # indicator 10

    # ... creates the 2569 plan from the 2568 results and accepts the drafted actions.
    boss.goto(url + reverse("plans:plan-create", args=[world.organisation_id]))
    submit(boss, "form.plans-form button[type=submit]")
    assert re.search(r"/plans/\d+/draft/$", boss.url)
    drafted = boss.locator("input[type=checkbox][name$='-accept']").count()
    assert drafted >= 5
    submit(boss, "form.plans-form button[type=submit]")
    assign_links = [a.get_attribute("href") for a in boss.locator("a[href$='/assign/']").all()]
    assert len(assign_links) == drafted

    # ... gives the first action (indicator 4, borrowing assets) to กองคลัง, the rest to
    # สำนักปลัด, and approves the plan.
    plan_url = boss.url
    for number, href in enumerate(assign_links):
        boss.goto(url + href)
        division = "กองคลัง" if number == 0 else "สำนักปลัด"
        boss.get_by_label(division, exact=True).check()
        submit(boss, "form.plans-form button[type=submit]")
    assert boss.url == plan_url
    submit(boss, "form[action$='/approve/'] button[type=submit]")
    assert boss.locator("form[action$='/approve/']").count() == 0
    assert boss.locator(".plans-status--approved").count() >= 1

    # The กองคลัง clerk finds the action under their division's work and reports progress.
    clerk = open_page("finance-clerk")
    log_in(clerk, live_server, "demo-finance")
    clerk.goto(url + reverse("plans:organisation-my-work", args=[world.organisation_id]))
    rows = clerk.locator("table.plans-work tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").first.inner_text().startswith("4. ")
    submit(clerk, "table.plans-work tbody tr a")
    clerk.fill("textarea[name=text]", "ออกคำสั่งและร่างคู่มือการยืมทรัพย์สินแล้ว")
    clerk.fill("input[name=percent]", "40")
    clerk.set_input_files("input[name=files]", str(world.evidence))
    submit(clerk, "form[action$='/progress/'] button[type=submit]")

    report = clerk.locator("ol.plans-reports li").first
    assert "40%" in report.inner_text() and "กองคลัง" in report.inner_text()
    evidence = report.locator(".plans-evidence a", has_text="borrowing-manual.pdf")
    fetched = clerk.request.get(url + evidence.get_attribute("href"))
    assert fetched.body() == PDF_EVIDENCE

    # The supervisor downloads the 2568 analysis report as PDF.
    pdf = boss.request.get(
        url + reverse("documents:report-pdf", args=[world.organisation_id, 2568])
    )
    body = pdf.body()
    assert pdf.headers["content-type"] == "application/pdf"
    assert body.startswith(b"%PDF") and len(body) > 20_000
