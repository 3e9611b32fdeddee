"""The yearly cycle in a real browser, clicking only links and buttons: a supervisor opens the
2569 results, draws the 2570 plan carrying over the unfinished 2569 measures (mapping 2568's
o27 to 2569's o25), reads the verdicts on the 2569 measures and opens the year-end
follow-up report as PDF.

The data is the demo's fictional organisation up to its followed-up 2569 plan, prepared
before Chromium starts; after that the test reads only what the pages show.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ita.demo import demo_load, fictional_2569_load
from plans.demo import DEMO_PASSWORD, load_fictional_2569_plan

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@dataclass(frozen=True)
class Cycle:
    organisation: str
    unfinished: int  # unfinished measures of the 2569 plan


@pytest.fixture
def cycle() -> Cycle:
    summary = demo_load(peers=False)
    fictional = summary.organisations[1]
    results_2568 = next(
        a
        for a in summary.assessments
        if a.organisation_id == fictional.pk and a.framework.fiscal_year == 2568
    )
    plan = load_fictional_2569_plan(organisation=fictional, assessment=results_2568)
    fictional_2569_load()
    unfinished = plan.actions.exclude(status__in=["done", "cancelled"]).count()
    return Cycle(organisation=fictional.name, unfinished=unfinished)


def click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_cycle_results_to_carried_plan_to_verdicts_to_follow_up_pdf(cycle, live_server, open_page):
    boss = open_page("supervisor")
    boss.goto(live_server.url)  # the site's front door; every later page is reached by clicks
    boss.fill("input[name=username]", "demo-sathit-chief")
    boss.fill("input[name=password]", DEMO_PASSWORD)
    click(boss, boss.locator("form.stacked-form button[type=submit]"))

    # The dashboard opens on the 2569 results and says how the 2569 measures went.
    assert cycle.organisation in boss.locator("main h1").inner_text()
    assert boss.locator(".year-nav [aria-current=page]").inner_text() == "2569"
    summary = boss.locator(".card-plan .plans-outcome-summary").inner_text()
    assert "3 จาก 7" in summary and "คะแนนลดลง 1" in summary

    # Plans → a new plan from the results: the 2569 results are offered first.
    click(boss, boss.locator("nav a", has_text="แผนพัฒนา").first)
    click(boss, boss.locator("a.button[href*='/new/']"))
    assert "2569" in boss.locator("select[name=assessment] option:checked").inner_text()
    click(boss, boss.locator("form.plans-form button[type=submit]"))

    # The draft page: proposals from 2569, and the 2569 plan's unfinished measures, unticked.
    carry_rows = boss.locator(".plans-carry-row")
    assert carry_rows.count() == cycle.unfinished
    assert boss.locator("input[name$='-carry']:checked").count() == 0
    carried_targets = {"6", "7", "9-o10", "10-o25"}
    for key in carried_targets:  # carried, so not drafted again
        name = boss.locator(f"input[name$='-key'][value='{key}']").get_attribute("name")
        boss.locator(f"input[name='{name.removesuffix('-key')}-accept']").uncheck()
    for index in range(cycle.unfinished):
        boss.locator(f"input[name='c-{index}-carry']").check()
    mapping = boss.locator("select[name$='-target']")
    assert mapping.count() == 1  # only o27 has no counterpart in 2569
    assert "o27" in boss.locator(".plans-carry-row", has=mapping).inner_text()
    mapping.select_option("item:o25")
    click(boss, boss.locator("form.plans-form button[type=submit]").last)

    # The 2570 plan: the carried measures link back to 2569.
    assert "/draft/" not in boss.url
    back_links = boss.locator("a", has_text="ต่อเนื่องจากปี 2569")
    assert back_links.count() == cycle.unfinished
    assert "o25" in boss.locator("table.plans-document").inner_text()

    # Through a carried measure to its 2569 original, which links forward, then its plan.
    click(boss, back_links.first)
    assert boss.locator("a.plans-continued-in").count() == 1
    click(boss, boss.locator("a", has_text="กลับไปที่แผน").last)

    # The 2569 plan's verdicts: the done measure whose indicator fell comes first.
    outcomes = boss.locator(".plans-outcomes")
    assert outcomes.locator("tbody tr").first.get_attribute("class").endswith("plans-alert")
    verdicts = outcomes.inner_text()
    assert "ดีขึ้น" in verdicts and "ลดลง" in verdicts

    # The year-end follow-up report, then its PDF.
    click(boss, boss.locator("a[href$='?edition=end']"))
    body = boss.locator("main").inner_text()
    assert "30 กันยายน 2569" in body or "๓๐ กันยายน ๒๕๖๙" in body
    with boss.expect_download() as download:
        boss.locator("a[href*='/followup.pdf']").first.click()
    pdf = download.value
    path = pdf.path()
    with open(path, "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF") and len(content) > 10_000
