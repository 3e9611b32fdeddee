"""Ship the ITA frameworks known for fiscal years 2562–2568 as editable data.

Sources and certainty are in shared/reference/ita-method.md; each framework's description
says which parts are guesses. Question texts for 2567/2568 are not public, so they are left
blank for staff to fill in. The data is frozen here on purpose: later corrections are made in
the admin or by a new migration, never by editing this one.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import migrations

FAMILY = "ita-10"

TOOLS = [
    # code, Thai name, English name, weight, indicator numbers
    ("IIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
     "Internal Integrity and Transparency Assessment", "30", [1, 2, 3, 4, 5]),
    ("EIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
     "External Integrity and Transparency Assessment", "30", [6, 7, 8]),
    ("OIT", "แบบตรวจการเปิดเผยข้อมูลสาธารณะ",
     "Open Data Integrity and Transparency Assessment", "40", [9, 10]),
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
OLD_NAME_8 = ("การปรับปรุงระบบการทำงาน", "Improvement of working systems")

LETTER_BANDS = [
    ("AA", "95", None, True), ("A", "85", None, True), ("B", "75", None, False),
    ("C", "65", None, False), ("D", "55", None, False), ("E", "50", None, False),
    ("F", "0", None, False),
]
PASS_BANDS_2566 = [("ผ่าน", "85", None, True), ("ไม่ผ่าน", "0", None, False)]
FIVE_LEVELS = [
    ("ผ่านดีเยี่ยม", "95", "95", True), ("ผ่านดี", "85", "85", True), ("ผ่าน", "85", None, True),
    ("ต้องปรับปรุง", "70", None, False), ("ต้องปรับปรุงโดยด่วน", "0", None, False),
]

OIT_2568 = [
    # code, title, indicator (o17–o26's indicator is a guess; o5–o7 are unknown)
    ("o1", "โครงสร้างและอำนาจหน้าที่", 9), ("o2", "ข้อมูลผู้บริหาร", 9),
    ("o3", "ข้อมูลการติดต่อ", 9), ("o4", "ข่าวประชาสัมพันธ์", 9),
    ("o8", "คู่มือหรือแนวทางการปฏิบัติงานของเจ้าหน้าที่", 9),
    ("o9", "คู่มือหรือแนวทางการขอรับบริการ", 9), ("o10", "E–Service", 9),
    ("o11", "ข้อมูลสถิติการให้บริการ", 9),
    ("o12", "รายการการจัดซื้อจัดจ้างหรือการจัดหาพัสดุและความก้าวหน้า", 9),
    ("o13", "รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี", 9),
    ("o14", "แผนการบริหารและพัฒนาทรัพยากรบุคคล", 9),
    ("o15", "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี", 9),
    ("o16", "ประมวลจริยธรรมและการขับเคลื่อนจริยธรรม", 9),
    ("o17", "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", 9),
    ("o18", "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", 9),
    ("o19", "ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", 9),
    ("o20", "การเปิดโอกาสให้เกิดการมีส่วนร่วม", 9),
    ("o21", "ประกาศเจตนารมณ์ No Gift Policy จากการปฏิบัติหน้าที่", 10),
    ("o22", "รายงานผลการดำเนินการ No Gift Policy (การรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา)", 10),
    ("o23", "การประเมินความเสี่ยงการให้หรือรับสินบน", 10),
    ("o24", "รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงการทุจริตและประพฤติมิชอบ", 10),
    ("o25", "แผนปฏิบัติการป้องกันการทุจริต", 10),
    ("o26", "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี", 10),
    ("o27", "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", 10),
]

CHANNELS = [("public", "ช่องทางออนไลน์ (EitPublic)", "Open online channel (EitPublic)"),
            ("survey", "การสำรวจกลุ่มตัวอย่าง (EitSurvey)", "Sample survey (EitSurvey)")]


def year_spec(year: int) -> dict:
    if year <= 2565:
        spec = {"eit": "question_mean", "oit": "subindicator_mean", "bands": LETTER_BANDS,
                "channels": False}
    elif year == 2566:
        spec = {"eit": "channel_mean", "oit": "subindicator_mean", "bands": PASS_BANDS_2566,
                "channels": True}
    else:
        spec = {"eit": "channel_mean", "oit": "published_only", "bands": FIVE_LEVELS,
                "channels": True}
    spec["iit_questions"] = {2564: 6, 2568: 3}.get(year, 0)
    spec["eit_questions"] = 3 if year == 2568 else 0
    spec["items"] = OIT_2568 if year == 2568 else []
    return spec


DESCRIPTIONS = {
    2562: "3 เครื่องมือ 10 ตัวชี้วัด ระดับผล AA–F (ยังไม่มีรายการข้อคำถาม: เพิ่มได้ในหน้านี้)",
    2563: "3 เครื่องมือ 10 ตัวชี้วัด ระดับผล AA–F (ยังไม่มีรายการข้อคำถาม: เพิ่มได้ในหน้านี้)",
    2564: "3 เครื่องมือ 10 ตัวชี้วัด ระดับผล AA–F; IIT 30 ข้อ (i1–i30 ตัวชี้วัดละ 6 ข้อ)",
    2565: "3 เครื่องมือ 10 ตัวชี้วัด ระดับผล AA–F (ยังไม่มีรายการข้อคำถาม: เพิ่มได้ในหน้านี้)",
    2566: "ปีเปลี่ยนผ่าน: ประกาศผล ผ่าน (≥ 85) / ไม่ผ่าน; EIT 2 ช่องทาง (สันนิษฐาน)",
    2567: "ระดับผล 5 ระดับ; EIT 2 ช่องทาง และวิธีรวมคะแนน OIT ไม่เปิดเผย (สันนิษฐานตามปี 2568)",
    2568: "IIT 15 ข้อ (i1–i15), EIT 9 ข้อ (e1–e9) 2 ช่องทาง, OIT รายข้อ o1–o27 "
          "(ไม่ทราบ o5–o7; ตัวชี้วัดของ o17–o26 เป็นการสันนิษฐาน); "
          "วิธีรวมคะแนน OIT เป็นตัวชี้วัดไม่เปิดเผย: ใช้คะแนนที่ประกาศ",
}


def add_frameworks(apps, schema_editor):
    Framework = apps.get_model("ita", "Framework")
    Tool = apps.get_model("ita", "Tool")
    Channel = apps.get_model("ita", "Channel")
    Indicator = apps.get_model("ita", "Indicator")
    Question = apps.get_model("ita", "Question")
    Item = apps.get_model("ita", "Item")
    RatingBand = apps.get_model("ita", "RatingBand")

    for year in range(2562, 2569):
        spec = year_spec(year)
        framework = Framework.objects.create(
            fiscal_year=year,
            family=FAMILY,
            name=f"ITA ปีงบประมาณ พ.ศ. {year}",
            description=DESCRIPTIONS[year],
        )
        for order, (label, min_overall, min_tool, passes) in enumerate(spec["bands"], 1):
            RatingBand.objects.create(
                framework=framework,
                label=label,
                min_overall=Decimal(min_overall),
                min_each_tool=Decimal(min_tool) if min_tool else None,
                passes=passes,
                order=order,
            )
        for order, (code, name_th, name_en, weight, numbers) in enumerate(TOOLS, 1):
            aggregation = {"IIT": "question_mean", "EIT": spec["eit"], "OIT": spec["oit"]}[code]
            tool = Tool.objects.create(
                framework=framework, code=code, name_th=name_th, name_en=name_en,
                weight=Decimal(weight), aggregation=aggregation, order=order,
            )
            if code == "EIT" and spec["channels"]:
                for c_order, (c_code, c_th, c_en) in enumerate(CHANNELS, 1):
                    Channel.objects.create(
                        tool=tool, code=c_code, name_th=c_th, name_en=c_en, order=c_order
                    )
            for number in numbers:
                name_th, name_en = INDICATORS[number]
                if number == 8 and year < 2568:
                    name_th, name_en = OLD_NAME_8
                indicator = Indicator.objects.create(
                    framework=framework, tool=tool, number=number, name_th=name_th,
                    name_en=name_en,
                )
                per = spec["iit_questions"] if code == "IIT" else spec["eit_questions"]
                if code in ("IIT", "EIT") and per:
                    first = (numbers.index(number)) * per + 1
                    prefix = "i" if code == "IIT" else "e"
                    for q in range(first, first + per):
                        Question.objects.create(
                            indicator=indicator, code=f"{prefix}{q}", order=q
                        )
                if code == "OIT":
                    for i_order, (i_code, title, ind_number) in enumerate(spec["items"], 1):
                        if ind_number == number:
                            Item.objects.create(
                                indicator=indicator, code=i_code, title=title,
                                order=int(i_code[1:]) if i_code[1:].isdigit() else i_order,
                            )


def remove_frameworks(apps, schema_editor):
    # Frameworks that results already use are kept: reversing must never delete results.
    Framework = apps.get_model("ita", "Framework")
    Framework.objects.filter(
        fiscal_year__in=range(2562, 2569), family=FAMILY, assessments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("ita", "0001_initial")]

    operations = [migrations.RunPython(add_frameworks, remove_frameworks)]
