"""Demo data of the plans app: อบต.คลองหินปูน's FY 2569 plan and a user for each role.

The plan is part 2 of the organisation's published 2568 analysis (see
shared/reference/ita-analysis-2568-khlong-hin-pun.txt): five actions, texts as printed (line
breaks where the document lists items with "-"), period ตุลาคม ๒๕๖๘ – มีนาคม ๒๕๖๙. It is
approved by the demo executive so that follow-up pages have something to show.
Demo passwords are for a workstation only; the load_demo command says so when it prints them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from ita.models import Assessment, Division, Membership, Organisation
from plans import rules, services
from plans.models import Plan
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


def demo_users_ensure(organisation: Organisation, divisions: dict[str, Division]) -> list[str]:
    """A user per role with a membership; passwords are set only when a user is created."""
    user_model = get_user_model()
    usernames = []
    for spec in DEMO_USERS:
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
