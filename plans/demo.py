"""Demo data of the plans app: อบต.คลองหินปูน's FY 2569 plan and a user for each role, and the
fictional organisation's yearly cycle (its 2569 plan followed up, its 2570 plan carrying on,
its OIT board of 2569).

The plan is part 2 of the organisation's published 2568 analysis (see
shared/reference/ita-analysis-2568-khlong-hin-pun.txt): five actions, texts as printed (line
breaks where the document lists items with "-"), period ตุลาคม ๒๕๖๘ – มีนาคม ๒๕๖๙. It is
approved by the demo executive so that follow-up pages have something to show.
Demo passwords are for a workstation only; the load_demo command says so when it prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ita.models import Assessment, Division, Membership, Organisation
from plans import queries, rules, services
from plans.enums import ActionStatus
from plans.models import Action, Plan
from plans.readiness import services as readiness
from plans.readiness.models import ReadinessYear
from plans.roles import GROUP_NAMES, Role

PLAN_YEAR = 2569
DEMO_PASSWORD = "demo-ita-2568"
DIVISIONS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม"]
ALL = "ทุกกอง"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    role: Role
    division: str | None
    is_staff: bool = False


DEMO_USERS = [
    DemoUser("demo-admin", "ผู้ดูแลระบบ (สาธิต)", Role.ADMINISTRATOR, None, is_staff=True),
    DemoUser("demo-executive", "ปลัด อบต. (สาธิต)", Role.SUPERVISOR, "สำนักปลัด", is_staff=True),
    DemoUser("demo-finance", "เจ้าหน้าที่กองคลัง (สาธิต)", Role.STAFF, "กองคลัง"),
    DemoUser("demo-office", "เจ้าหน้าที่สำนักปลัด (สาธิต)", Role.STAFF, "สำนักปลัด"),
    DemoUser("demo-viewer", "ผู้ดูข้อมูล (สาธิต)", Role.VIEWER, None),
]


@dataclass(frozen=True)
class ReferenceAction:
    indicator: int
    item: str
    finding: str
    measure: str
    steps: str
    division: str


REFERENCE_ACTIONS = [
    ReferenceAction(
        4,
        "",
        "คะแนน ๙๔.๓๘\n-มีการขอยืมทรัพย์สินของทางราชการไปใช้ปฏิบัติงานอย่างไม่ถูกต้อง",
        "จัดทำคู่มือหรือแนวทางการขอยืมใช้ทรัพย์สินของทางราชการอย่างชัดเจน",
        "ระบุขั้นตอนและแนวทางในการขอยืมทรัพย์สินของทางราชการตามประเภทงานด้านต่าง ๆ ไว้ในคู่มือ"
        "ประชาสัมพันธ์คู่มือหรือแนวทางการขอยืมทรัพย์สินของราชการให้แก่บุคลากรในหน่วยงานได้รับทราบ",
        "กองคลัง",
    ),
    ReferenceAction(
        6,
        "",
        "คะแนน ๙๓.๙๒\n-ผู้รับบริการบางรายเห็นว่าการปฏิบัติงานของเจ้าหน้าที่ไม่เป็นไปตามขั้นตอนและระยะเวลาที่กำหนด",
        "จัดทำคู่มือหรือมาตรฐานการปฏิบัติงาน",
        "ระบุทั้งขั้นตอนและระยะเวลาที่ใช้ในการปฏิบัติงานหรือการให้บริการแต่ละขั้นตอนไว้ในคู่มือ"
        " และประชาสัมพันธ์ให้ประชาชนทราบ",
        ALL,
    ),
    ReferenceAction(
        7,
        "",
        "คะแนน ๙๐.๕๕\n-ช่องทางการเผยแพร่ข้อมูลของหน่วยงานเข้าถึงได้ยาก รวมถึงข้อมูลข่าวสาร"
        "ที่เผยแพร่ให้ประชาชนหรือผู้รับบริการได้รับทราบนั้นยังขาดความชัดเจนเพียงพอ",
        "ประชาสัมพันธ์ ข้อมูลข่าวสารผ่านช่องทางที่หลากหลายและอำนวยความสะดวกในการใช้งาน",
        "-มอบหมายผู้รับผิดชอบในการสื่อสารตอบข้อซักถาม\n-สื่อสารข้อมูลที่มีความชัดเจนเข้าใจง่าย"
        " ผ่าน Facebook และ ไลน์เผยแพร่ช่องทางดังกล่าวในจุดที่บุคคลภายนอกสามารถสังเกตเห็นได้ง่าย",
        "สำนักปลัด",
    ),
    ReferenceAction(
        8,
        "",
        "คะแนน ๙๐.๓๑\n-หน่วยงานยังขาดการเปิดโอกาสให้บุคคลภายนอกเข้าไปมีส่วนร่วมในการปรับปรุง"
        "พัฒนาการดำเนินงาน\n-การให้บริการผ่านช่องทางออนไลน์ของหน่วยงาน ยังไม่สะดวก รวดเร็ว"
        " และมีประสิทธิภาพมากพอ",
        "-เปิดโอกาสให้บุคคลภายนอกเข้ามามีส่วนร่วมในการดำเนินงานตามภารกิจของหน่วยงาน"
        "\n-พัฒนาระบบการให้บริการออนไลน์ (E-Service)",
        "-ให้บุคคลภายนอกเข้ามามีส่วนร่วมในการเป็นคณะกรรมการพัฒนาท้องถิ่น"
        "\n-ติดต่อผู้ให้บริการเว็บไซต์หน่วยงานพัฒนาระบบ E-Service",
        "สำนักปลัด",
    ),
    ReferenceAction(
        10,
        "o27",
        # As printed: the document's "คะแนนรวม ๕๐.๐๐" is item o27's score, not indicator 10's.
        "คะแนนรวม ๕๐.๐๐\n- ข้อ ๐๒๗ มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
        " ได้คะแนน ๕๐.๐๐ มาตรการป้องกันการทุจริตของหน่วยงานยังไม่สามารถป้องกันการทุจริตได้จริง",
        "-วิเคราะห์มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "-วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงาน"
        " และประเมินความเสี่ยงการทุจริตในประเด็นการเรียกรับสินบน",
        "สำนักปลัด",
    ),
]


def divisions_ensure(organisation: Organisation) -> dict[str, Division]:
    """The reference organisation's divisions, created when missing (idempotent)."""
    found = {d.name: d for d in Division.objects.filter(organisation=organisation)}
    for order, name in enumerate(DIVISIONS, start=1):
        if name not in found:
            division = Division(organisation=organisation, name=name, order=order)
            division.full_clean()
            division.save()
            found[name] = division
    return found


def demo_users_ensure(
    organisation: Organisation,
    divisions: dict[str, Division],
    specs: Sequence[DemoUser] = DEMO_USERS,
) -> list[str]:
    """A user per role with a membership; passwords are set only when a user is created."""
    user_model = get_user_model()
    usernames = []
    for spec in specs:
        user, created = user_model.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "email": f"{spec.username}@example.org",
                "is_staff": spec.is_staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=GROUP_NAMES[spec.role]))
        Membership.objects.update_or_create(
            user=user,
            organisation=organisation,
            defaults={"division": divisions[spec.division] if spec.division else None},
        )
        usernames.append(spec.username)
    return usernames


@transaction.atomic
def load_reference_plan(*, organisation: Organisation, assessment: Assessment) -> Plan:
    """Create (once) the reference document's 2569 plan, approved, and the demo users.

    A plan that already exists for 2569 is left as it is: someone may have worked on it.
    """
    divisions = divisions_ensure(organisation)
    plan = Plan.objects.filter(organisation=organisation, fiscal_year=PLAN_YEAR).first()
    if plan is None:
        plan = services.plan_create(
            organisation=organisation, assessment=assessment, fiscal_year=PLAN_YEAR
        )
        indicators = {i.number: i for i in assessment.framework.indicators.all()}
        items = {
            i.code: i
            for i in indicators[10].items.all()  # only indicator 10's o27 is referenced
        }
        start, end = rules.default_period(PLAN_YEAR)
        for order, spec in enumerate(REFERENCE_ACTIONS, start=1):
            action = services.action_create(
                plan=plan,
                order=order,
                indicator=indicators[spec.indicator],
                item=items.get(spec.item) if spec.item else None,
                finding=spec.finding,
                measure=spec.measure,
                steps=spec.steps,
                start_month=start,
                end_month=end,
            )
            # Assigned before the demo users exist, so loading the demo sends no e-mail.
            services.action_assign(
                action=action,
                divisions=[] if spec.division == ALL else [divisions[spec.division]],
                all_divisions=spec.division == ALL,
            )
        demo_users_ensure(organisation, divisions)
        executive = get_user_model().objects.get(username="demo-executive")
        return services.plan_approve(plan=plan, user=executive)
    demo_users_ensure(organisation, divisions)
    return plan


# The fictional organisation's cycle. Its own users, so that the reference organisation's
# demo users keep exactly one organisation.
FICTIONAL_USERS = [
    DemoUser("demo-sathit-chief", "ปลัดเทศบาล (สาธิต)", Role.SUPERVISOR, "สำนักปลัด", is_staff=True),
    DemoUser("demo-sathit-office", "เจ้าหน้าที่สำนักปลัด บ้านสาธิต (สาธิต)", Role.STAFF, "สำนักปลัด"),
]


@dataclass(frozen=True)
class StoryStep:
    """How one drafted 2569 measure went: who answers for it and its progress notes."""

    division: str
    status: str
    notes: tuple[tuple[date, int, str], ...] = ()


# Keyed like the drafted proposals ("4", "9-o10"): done, in progress and never started,
# so the verdicts, the year-end report and the carry-over all have something to show.
STORY_2569 = {
    "4": StoryStep("กองคลัง", "done", (
        (date(2026, 1, 20), 50, "ร่างคู่มือการยืมทรัพย์สินของทางราชการแล้ว"),
        (date(2026, 3, 25), 100, "ประกาศใช้คู่มือและแจ้งเวียนทุกกองแล้ว"),
    )),
    "5": StoryStep("สำนักปลัด", "done", (
        (date(2026, 2, 5), 100, "จัดอบรมการใช้ทรัพย์สินของทางราชการให้บุคลากรครบทุกกอง"),
    )),
    "6": StoryStep(ALL, "in_progress", (
        (date(2026, 2, 12), 60, "จัดทำคู่มือการให้บริการแล้ว ๓ งานจาก ๕ งาน"),
    )),
    "7": StoryStep("สำนักปลัด", "not_started"),
    "8": StoryStep("กองช่าง", "done", (
        (date(2026, 3, 10), 100, "เปิดรับฟังความคิดเห็นประชาชนผ่านเว็บไซต์และเวทีประชาคม"),
    )),
    "9-o10": StoryStep("สำนักปลัด", "in_progress", (
        (date(2026, 3, 1), 40, "เปิดบริการ E-Service ขอรับน้ำประปาและจัดเก็บขยะ"),
    )),
    "10-o24": StoryStep("สำนักปลัด", "done", (
        (date(2026, 1, 30), 100, "รายงานผลการจัดการความเสี่ยงการทุจริตต่อนายกเทศมนตรีแล้ว"),
    )),
    "10-o27": StoryStep("สำนักปลัด", "in_progress", (
        (date(2026, 3, 20), 50, "ประชุมวิเคราะห์มาตรการส่งเสริมคุณธรรมครั้งที่ ๑"),
    )),
}  # fmt: skip

# The 2568 item o27 (the organisation's integrity measures) is o25 in the 2569 list: the
# supervisor's mapping when carrying it over, since codes are never guessed.
CARRY_2570 = {"6": "indicator:6", "7": "indicator:7", "9-o10": "item:o10", "10-o27": "item:o25"}
APPROVED_2569 = datetime(2025, 10, 15, 10, 0)


def _drafts(plan: Plan, skip: Sequence[str] = ()) -> list[services.ActionDraft]:
    return [
        services.ActionDraft(p.indicator_number, p.item_code, p.finding, p.measure, p.steps)
        for p in queries.plan_proposals(plan)
        if p.key not in skip
    ]


def _key(action: Action) -> str:
    number = action.indicator.number
    return f"{number}-{action.item.code}" if action.item_id else str(number)


@transaction.atomic
def load_fictional_2569_plan(*, organisation: Organisation, assessment: Assessment) -> Plan:
    """The fictional organisation's 2569 plan drafted from its 2568 results, approved in
    October 2568 and followed up through the year as `STORY_2569` says (once)."""
    divisions = divisions_ensure(organisation)
    demo_users_ensure(organisation, divisions, FICTIONAL_USERS)
    plan = Plan.objects.filter(organisation=organisation, fiscal_year=PLAN_YEAR).first()
    if plan is not None:
        return plan
    chief = get_user_model().objects.get(username="demo-sathit-chief")
    plan = services.plan_create(organisation=organisation, assessment=assessment, user=chief)
    actions = services.actions_add(plan=plan, drafts=_drafts(plan))
    for action in actions:
        step = STORY_2569[_key(action)]
        services.action_assign(
            action=action,
            divisions=[] if step.division == ALL else [divisions[step.division]],
            all_divisions=step.division == ALL,
        )
    approved = timezone.make_aware(APPROVED_2569)
    plan = services.plan_approve(plan=plan, user=chief, now=approved)
    office = get_user_model().objects.get(username="demo-sathit-office")
    for action in actions:
        step = STORY_2569[_key(action)]
        for number, (day, percent, text) in enumerate(step.notes, start=1):
            last = number == len(step.notes)
            services.progress_record(
                action=action,
                user=office,
                division=divisions["สำนักปลัด"],
                reported_on=day,
                text=text,
                percent=percent,
                status=step.status if last else "in_progress",
            )
    return plan


@transaction.atomic
def load_fictional_2570_plan(*, organisation: Organisation, assessment: Assessment) -> Plan:
    """The 2570 draft from the 2569 results: new proposals, and the unfinished 2569 measures
    carried over (o27 mapped to o25) instead of proposed again (once)."""
    previous = Plan.objects.get(organisation=organisation, fiscal_year=PLAN_YEAR)
    plan = Plan.objects.filter(organisation=organisation, fiscal_year=PLAN_YEAR + 1).first()
    if plan is not None:
        return plan
    divisions = divisions_ensure(organisation)
    chief = get_user_model().objects.get(username="demo-sathit-chief")
    plan = services.plan_create(organisation=organisation, assessment=assessment, user=chief)
    old = {_key(a): a for a in previous.actions.select_related("indicator", "item")}
    carried_targets = {target.split(":")[1] for target in CARRY_2570.values()}
    drafts = [
        d for d in _drafts(plan) if (d.item_code or str(d.indicator_number)) not in carried_targets
    ]
    created = services.actions_add(
        plan=plan,
        drafts=drafts,
        carries=[
            services.CarryChoice(action_id=old[key].pk, target=target)
            for key, target in CARRY_2570.items()
            if old[key].status not in ActionStatus.CLOSED
        ],
    )
    for action in created:
        if action.continued_from_id is None:
            step = STORY_2569.get(_key(action))
            name = step.division if step and step.division != ALL else "สำนักปลัด"
            services.action_assign(action=action, divisions=[divisions[name]])
    return plan


# The fictional organisation's OIT board of assessment 2569, the assessment whose results
# (2569) judge its 2569 plan: the evidence was gathered while that plan ran, due before the
# NACC's window (March–April). Every item the 2569 framework lists is on the board; the
# divisions file theirs, the supervisor checks them, and O25 (how the 2568 results were used)
# was still in progress past its own due date, which is what its 2569 result (partial,
# "ยังไม่รายงานผลการนำผลการประเมินไปพัฒนา") says. Evidence addresses are on a reserved
# example domain, never a real site.
READINESS_YEAR = PLAN_YEAR
READINESS_DUE = date(2026, 2, 27)
EVIDENCE_SITE = "https://www.bansathit.example/oit"


@dataclass(frozen=True)
class ReadinessStep:
    division: str
    status: str
    note: str = ""
    own_due: date | None = None
    with_url: bool = True


READINESS_2569 = {
    "o10": ReadinessStep("สำนักปลัด", "ready", "E-Service ขอรับน้ำประปาและจัดเก็บขยะ พร้อมสถิติการใช้งาน"),
    "o11": ReadinessStep("กองคลัง", "ready", "สรุปผลการจัดซื้อจัดจ้างรายเดือน ต.ค. ๒๕๖๘ – ก.พ. ๒๕๖๙"),
    "o12": ReadinessStep("กองคลัง", "checked", "รายงานประจำปี ๒๕๖๘"),
    "o13": ReadinessStep("สำนักปลัด", "ready", "แผนพัฒนาบุคลากรที่นายกลงนามแล้ว",
                         own_due=date(2026, 1, 15)),
    "o19": ReadinessStep("กองช่าง", "ready", "เวทีประชาคมและการรับฟังความคิดเห็นผ่านเว็บไซต์"),
    "o25": ReadinessStep("สำนักปลัด", "in_progress", "ยังไม่ได้รายงานผลการนำผลการประเมินไปพัฒนา",
                         own_due=date(2026, 1, 30), with_url=False),
    "o26": ReadinessStep("สำนักปลัด", "ready", "รายงานผลการดำเนินการตามมาตรการปี ๒๕๖๘"),
}  # fmt: skip


@transaction.atomic
def load_fictional_readiness(*, organisation: Organisation) -> ReadinessYear:
    """Open the fictional organisation's 2569 OIT board from the framework data (once).

    Items named in `READINESS_2569` tell the story; every other item was filed by the office
    and checked by the supervisor, so only O25 stays overdue whenever the demo is opened.
    """
    year = ReadinessYear.objects.filter(
        organisation=organisation, fiscal_year=READINESS_YEAR
    ).first()
    if year is not None:
        return year
    divisions = divisions_ensure(organisation)
    chief = get_user_model().objects.get(username="demo-sathit-chief")
    office = get_user_model().objects.get(username="demo-sathit-office")
    year = readiness.readiness_open(
        organisation=organisation,
        fiscal_year=READINESS_YEAR,
        default_due_date=READINESS_DUE,
        user=chief,
    )
    for entry in year.items.select_related("item__indicator", "year"):
        code = entry.item.code.lower()
        step = READINESS_2569.get(code, ReadinessStep("สำนักปลัด", "checked"))
        url = f"{EVIDENCE_SITE}/{code}" if step.with_url else ""
        readiness.readiness_item_update(
            item=entry,
            change=readiness.ItemChange(
                status=step.status,
                evidence_url=url,
                note=step.note,
                division=divisions[step.division],
                due_date=step.own_due,
                set_owner=True,
            ),
            user=chief if step.status == "checked" else office,
        )
    return year
