"""Framework statuses and sources for 2562–2568, the provisional 2569 framework, and the
document role of the items that are the app's own documents.

Status rule: a framework is *confirmed* when its tools, weights, indicators and rating rule
agree with published sources or results of that year; guesses about details that change no
computed score (which indicator an item is listed under) are written in its source note only.
2566 and 2567 stay *provisional*: how EIT's two channels combine (and 2566's rating rule) is
assumed there, and that changes the computed checks.

2569 (nothing official published; one organisation's OIT pages): the same tools, weights,
indicators and levels as 2568, items O1–O26 (coded o1–o26, as results files write them).
O6 and O7 are in the list but their titles were not found: they are placeholders flagged
"title unknown", so that a result published for them has a row to go to. O2's title is
probably ข้อมูลผู้บริหาร, also flagged unknown. Which items belong to indicator 9 or 10 is not
known: each item follows its 2568 predecessor (O1–O19 under 9, O20–O26 under 10), a stated
guess. A 2569 framework that staff already made (e.g. by copying 2568) is left as it is
and only marked provisional. Frozen on purpose: corrections go in the admin or a new file.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import migrations

FAMILY = "ita-10"
CONFIRMED = {2562, 2563, 2564, 2565, 2568}
SOURCE_NOTES = {
    2562: "เกณฑ์ ป.ป.ช. ที่เผยแพร่ (3 เครื่องมือ 10 ตัวชี้วัด ระดับ AA–F): ยืนยันจากหลายแหล่ง",
    2563: "เกณฑ์ ป.ป.ช. ที่เผยแพร่ (3 เครื่องมือ 10 ตัวชี้วัด ระดับ AA–F): ยืนยันจากหลายแหล่ง",
    2564: "เกณฑ์ ป.ป.ช. ที่เผยแพร่; IIT 30 ข้อ: ยืนยันจากหลายแหล่ง",
    2565: "เกณฑ์ ป.ป.ช. ที่เผยแพร่ (ระดับ AA–F): ยืนยันจากหลายแหล่ง",
    2566: "ปีเปลี่ยนผ่าน: เกณฑ์ระดับผลและการรวม EIT 2 ช่องทางเป็นการสันนิษฐาน",
    2567: "ระดับผล 5 ระดับจากแหล่งเดียว (สอดคล้องกับผลที่ประกาศ 4 แห่ง); "
    "การรวม EIT 2 ช่องทางและ OIT สันนิษฐานตามปี 2568",
    2568: "เอกสารวิเคราะห์ผล ITA 2568 ของ อปท. จริง (คำนวณคะแนนซ้ำได้ตรง) และข่าวประกาศผล; "
    "ไม่ทราบ o5–o7 และตัวชี้วัดของ o17–o26 เป็นการสันนิษฐาน (ไม่กระทบคะแนน)",
}
NOTE_2569 = (
    "ยังไม่พบคู่มือหรือเกณฑ์ทางการของ ป.ป.ช. ปี 2569: เครื่องมือ น้ำหนัก (IIT 30 EIT 30 OIT 40) "
    "10 ตัวชี้วัด และเกณฑ์ 5 ระดับ ถือตามปี 2568 เพราะไม่พบการประกาศเปลี่ยน; "
    "รายการ O1–O26 จากหน้าเว็บ OIT ที่เผยแพร่ของหน่วยงานแห่งเดียว (ความเชื่อมั่นปานกลาง)"
)
DESCRIPTION_2569 = (
    "กรอบชั่วคราว: ไม่ทราบชื่อรายการ O2 (น่าจะเป็นข้อมูลผู้บริหาร), O6 และ O7 (ใส่ไว้เป็นช่องว่าง "
    "ให้กรอกผลได้); ตัวชี้วัดของรายการ (9 หรือ 10) ถือตามรายการปี 2568 ที่มาก่อน "
    "(O1–O19 ตัวชี้วัดที่ 9, O20–O26 ตัวชี้วัดที่ 10) เป็นการสันนิษฐาน; "
    "วิธีรวมคะแนน OIT เป็นตัวชี้วัดไม่เปิดเผย: ใช้คะแนนที่ประกาศ"
)
TOOLS = [
    ("IIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
     "Internal Integrity and Transparency Assessment", "30", "question_mean", [1, 2, 3, 4, 5]),
    ("EIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
     "External Integrity and Transparency Assessment", "30", "channel_mean", [6, 7, 8]),
    ("OIT", "แบบตรวจการเปิดเผยข้อมูลสาธารณะ",
     "Open Data Integrity and Transparency Assessment", "40", "published_only", [9, 10]),
]
INDICATORS = {
    1: ("การปฏิบัติหน้าที่", "Performance of duties"),
    2: ("การใช้งบประมาณ", "Use of budget"),
    3: ("การใช้อำนาจ", "Use of authority"),
    4: ("การใช้ทรัพย์สินของราชการ", "Use of government property"),
    5: ("การแก้ไขปัญหาการทุจริต", "Addressing corruption"),
    6: ("คุณภาพการดำเนินงาน", "Quality of operations"),
    7: ("ประสิทธิภาพการสื่อสาร", "Effectiveness of communication"),
    8: ("การปรับปรุงการทำงาน", "Improvement of work"),
    9: ("การเปิดเผยข้อมูล", "Information disclosure"),
    10: ("การป้องกันการทุจริต", "Corruption prevention"),
}
CHANNELS = [("public", "ช่องทางออนไลน์ (EitPublic)", "Open online channel (EitPublic)"),
            ("survey", "การสำรวจกลุ่มตัวอย่าง (EitSurvey)", "Sample survey (EitSurvey)")]
FIVE_LEVELS = [
    ("ผ่านดีเยี่ยม", "95", "95", True), ("ผ่านดี", "85", "85", True), ("ผ่าน", "85", None, True),
    ("ต้องปรับปรุง", "70", None, False), ("ต้องปรับปรุงโดยด่วน", "0", None, False),
]
T, L, N = "this_year", "last_year", "not_stated"
MEASURES, REPORT = "improvement_measures", "measures_report"
GUESS_9_10 = "ตัวชี้วัด 9/10 ตามรายการปี 2568 ที่มาก่อน (สันนิษฐาน)"
UNKNOWN = "ไม่ทราบชื่อรายการ"
OIT_2569 = [
    # number, title, title known, indicator, data year, document role, note
    (1, "โครงสร้าง หน้าที่และอำนาจ", True, 9, N, "", ""),
    (2, "(ไม่ทราบชื่อ — น่าจะเป็นข้อมูลผู้บริหาร)", False, 9, N, "", UNKNOWN),
    (3, "ข้อมูลการติดต่อและช่องทางการสอบถาม", True, 9, N, "", ""),
    (4, "ข่าวประชาสัมพันธ์", True, 9, T, "", ""),
    (5, "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน", True, 9, N, "",
     "แผนหลายปี; ไม่ทราบรายการปี 2568 ที่มาก่อน"),
    (6, "(ไม่ทราบชื่อรายการ)", False, 9, N, "", UNKNOWN + "; ตัวชี้วัดสันนิษฐาน"),
    (7, "(ไม่ทราบชื่อรายการ)", False, 9, N, "", UNKNOWN + "; ตัวชี้วัดสันนิษฐาน"),
    (8, "คู่มือหรือแนวทางการปฏิบัติงานของเจ้าหน้าที่", True, 9, N, "", ""),
    (9, "คู่มือหรือแนวทางการขอรับบริการสำหรับผู้รับบริการหรือผู้มาติดต่อ", True, 9, N, "", ""),
    (10, "ระบบการให้บริการผ่านช่องทางออนไลน์ (E-Service)", True, 9, N, "",
     "รวมข้อมูลสถิติการใช้งาน (เดิม o11)"),
    (11, "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน", True, 9, T, "",
     "ไตรมาสที่ 1–2 ของปี"),
    (12, "รายงานสรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุของหน่วยงาน ประจำปี", True, 9, L, "", ""),
    (13, "หลักเกณฑ์และแผนการบริหารและพัฒนาทรัพยากรบุคคล", True, 9, T, "", ""),
    (14, "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล", True, 9, L, "", ""),
    (15, "ประมวลจริยธรรมและการขับเคลื่อนจริยธรรม", True, 9, N, "", ""),
    (16, "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", True, 9, N, "", GUESS_9_10),
    (17, "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", True, 9, N, "", GUESS_9_10),
    (18, "ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", True, 9, L, "", GUESS_9_10),
    (19, "ผลการเปิดโอกาสให้มีส่วนร่วมในการดำเนินงาน", True, 9, T, "", GUESS_9_10),
    (20, "การขับเคลื่อนนโยบาย No Gift Policy และการเสริมสร้างความรู้เรื่องการรับทรัพย์สิน"
     "หรือประโยชน์อื่นใด", True, 10, T, "", "รายงานการรับทรัพย์สินเป็นของปีที่แล้ว; " + GUESS_9_10),
    (21, "การประเมินความเสี่ยงการทุจริตในหน่วยงานภาครัฐ", True, 10, T, "", GUESS_9_10),
    (22, "รายงานผลการดำเนินการตามแผนบริหารจัดการความเสี่ยงการทุจริต", True, 10, L, "",
     GUESS_9_10),
    (23, "แผนปฏิบัติการป้องกันการทุจริต", True, 10, T, "", GUESS_9_10),
    (24, "รายงานผลการดำเนินการป้องกันการทุจริต", True, 10, L, "", GUESS_9_10),
    (25, "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร", True, 10, N, MEASURES, GUESS_9_10),
    (26, "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", True, 10, L,
     REPORT, "รายการใหม่ปี 2569; " + GUESS_9_10),
]
# The app's own documents as OIT items of earlier years (reference: ita-2569-oit notes).
ROLES_BY_YEAR = {
    2563: {"o42": MEASURES, "o43": REPORT},
    2564: {"o42": MEASURES, "o43": REPORT},
    2565: {"o42": MEASURES, "o43": REPORT},
    2566: {"o42": MEASURES, "o43": REPORT},
    2568: {"o27": MEASURES},
}


def set_statuses_and_roles(apps, schema_editor):
    Framework = apps.get_model("ita", "Framework")
    Item = apps.get_model("ita", "Item")
    for year, note in SOURCE_NOTES.items():
        status = "confirmed" if year in CONFIRMED else "provisional"
        # Only the shipped frameworks: a year staff re-made under another family is theirs.
        Framework.objects.filter(fiscal_year=year, family=FAMILY, source_note="").update(
            status=status, source_note=note
        )
    for year, roles in ROLES_BY_YEAR.items():
        for code, role in roles.items():
            Item.objects.filter(
                indicator__framework__fiscal_year=year, code__iexact=code, document_role="none"
            ).update(document_role=role)


def add_2569(apps, schema_editor):
    Framework = apps.get_model("ita", "Framework")
    Tool = apps.get_model("ita", "Tool")
    Channel = apps.get_model("ita", "Channel")
    Indicator = apps.get_model("ita", "Indicator")
    Question = apps.get_model("ita", "Question")
    Item = apps.get_model("ita", "Item")
    RatingBand = apps.get_model("ita", "RatingBand")

    existing = Framework.objects.filter(fiscal_year=2569).first()
    if existing is not None:
        if not existing.source_note:
            existing.source_note = NOTE_2569
        existing.status = "provisional"
        existing.save(update_fields=["status", "source_note"])
        return
    framework = Framework.objects.create(
        fiscal_year=2569, family=FAMILY, name="ITA ปีงบประมาณ พ.ศ. 2569",
        description=DESCRIPTION_2569, status="provisional", source_note=NOTE_2569,
    )
    for order, (label, min_overall, min_tool, passes) in enumerate(FIVE_LEVELS, 1):
        RatingBand.objects.create(
            framework=framework, label=label, min_overall=Decimal(min_overall),
            min_each_tool=Decimal(min_tool) if min_tool else None, passes=passes, order=order,
        )
    for order, (code, name_th, name_en, weight, aggregation, numbers) in enumerate(TOOLS, 1):
        tool = Tool.objects.create(
            framework=framework, code=code, name_th=name_th, name_en=name_en,
            weight=Decimal(weight), aggregation=aggregation, order=order,
        )
        if code == "EIT":
            for c_order, (c_code, c_th, c_en) in enumerate(CHANNELS, 1):
                Channel.objects.create(
                    tool=tool, code=c_code, name_th=c_th, name_en=c_en, order=c_order
                )
        for position, number in enumerate(numbers):
            name_th, name_en = INDICATORS[number]
            indicator = Indicator.objects.create(
                framework=framework, tool=tool, number=number, name_th=name_th, name_en=name_en
            )
            if code in ("IIT", "EIT"):  # three questions per indicator, as in 2568
                prefix = code[0].lower()
                for q in range(position * 3 + 1, position * 3 + 4):
                    Question.objects.create(indicator=indicator, code=f"{prefix}{q}", order=q)
            for n, title, known, ind, data_year, role, note in OIT_2569:
                if code == "OIT" and ind == number:
                    Item.objects.create(
                        indicator=indicator, code=f"o{n}", title=title, order=n,
                        title_known=known, data_year=data_year, document_role=role or "none",
                        note=note,
                    )


def remove_2569(apps, schema_editor):
    # Never delete a framework that results use.
    Framework = apps.get_model("ita", "Framework")
    Framework.objects.filter(
        fiscal_year=2569, source_note=NOTE_2569, assessments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("ita", "0008_framework_status_item_data_year")]

    operations = [
        migrations.RunPython(set_statuses_and_roles, migrations.RunPython.noop),
        migrations.RunPython(add_2569, remove_2569),
    ]
