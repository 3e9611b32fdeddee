"""Results for the spreadsheet tests: Khlong Hin Pun FY 2568 as published, plus fictional years.

Independent of `load_demo` on purpose, so these tests do not move when the demo does.
"""

from __future__ import annotations

from decimal import Decimal

from ita.models import Assessment, Framework
from ita.results import IndicatorValue, ItemValue, ResultSet
from ita.services import organisation_upsert, results_save

D = Decimal

KHP_NAME = "องค์การบริหารส่วนตำบลคลองหินปูน"
KHP_INDICATORS = {
    1: "98.07", 2: "99.12", 3: "99.12", 4: "94.38", 5: "97.02",
    6: "93.92", 7: "90.55", 8: "90.31", 9: "98.25", 10: "90.00",
}  # fmt: skip
KHP_IIT = [
    "96.32", "97.89", "100.00", "97.37", "100.00", "100.00", "97.37", "100.00",
    "100.00", "88.42", "99.47", "95.26", "97.89", "96.32", "96.84",
]  # fmt: skip
KHP_EIT = [
    ("89.76", "92.00"), ("89.76", "92.00"), ("100.00", "100.00"),
    ("88.78", "92.00"), ("90.73", "91.00"), ("88.78", "92.00"),
    ("86.34", "92.00"), ("91.12", "91.00"), ("88.29", "93.00"),
]  # fmt: skip


def khp_results() -> ResultSet:
    questions: dict[tuple[str, str | None], Decimal] = {
        (f"i{n}", None): D(score) for n, score in enumerate(KHP_IIT, start=1)
    }
    for n, (public, survey) in enumerate(KHP_EIT, start=1):
        questions[(f"e{n}", "public")] = D(public)
        questions[(f"e{n}", "survey")] = D(survey)
    analysis = {
        1: "องค์การบริหารส่วนตำบลคลองหินปูน มีผลคะแนนในตัวชี้วัดด้านการปฏิบัติหน้าที่ อยู่ที่ ๙๘.๐๗ คะแนน",
        4: "-มีการขอยืมทรัพย์สินของทางราชการไปใช้ปฏิบัติงานอย่างไม่ถูกต้อง\nบรรทัดที่สอง",
        8: '=HYPERLINK("http://example.invalid","คลิก")',
    }
    return ResultSet(
        overall=D("94.39"),
        level="ผ่านดี",
        tools={"IIT": D("97.54"), "EIT": D("91.59"), "OIT": D("94.13")},
        indicators={
            n: IndicatorValue(D(score), analysis.get(n, "")) for n, score in KHP_INDICATORS.items()
        },
        questions=questions,
        items={
            "o1": ItemValue(D("100.00"), "pass", ""),
            "o16": ItemValue(D("50.00"), "partial", "ประมวลจริยธรรมฯ ได้คะแนน 50.00 คะแนน"),
            "o27": ItemValue(D("50.00"), "partial", '@ยังไม่เผยแพร่มาตรการ ; ส่วน "ที่" ขาด'),
            "o21": ItemValue(None, "fail", "+ ไม่พบประกาศ"),
        },
    )


def save_khp(year: int = 2568, results: ResultSet | None = None) -> Assessment:
    organisation = organisation_upsert(
        name=KHP_NAME, province="สระแก้ว", district="วังน้ำเย็น", agency_type="sao"
    )
    return results_save(
        organisation=organisation,
        framework=Framework.objects.get(fiscal_year=year),
        agency_type="sao",
        results=results or khp_results(),
        note="'=ข้อมูลจากเอกสารเผยแพร่ของหน่วยงาน",
    )


def save_fictional(year: int, name: str = "เทศบาลตำบลบ้านสาธิต (ข้อมูลสมมติ)") -> Assessment:
    """A thinner assessment: indicators, some questions of that year, no tools."""
    framework = Framework.objects.get(fiscal_year=year)
    questions = {
        (q.code, None): D("80.50") for q in framework.indicators.get(number=1).questions.all()
    }
    organisation = organisation_upsert(
        name=name, province="ตัวอย่าง", district="", agency_type="subdistrict"
    )
    return results_save(
        organisation=organisation,
        framework=framework,
        agency_type="sao" if year < 2566 else "subdistrict",
        results=ResultSet(
            overall=D("88.10"),
            level="A" if year < 2566 else "ผ่าน",
            indicators={n: IndicatorValue(D("88.10"), "") for n in range(1, 11)},
            questions=questions,
        ),
    )
