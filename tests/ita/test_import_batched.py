"""The batched import writes what the per-sheet path writes, history included.

The reference is the per-sheet loop the importer and its preview ran before:
`organisation_match`, `organisation_upsert` and `results_save` for each sheet in turn.
Both run from the same stored state, as a logged-in user (simple-history's request
context), on a file that creates, changes and removes rows, adds an organisation and an
older year; the stored rows and their history rows must be the same.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from ita.models import (
    Assessment,
    Framework,
    IndicatorResult,
    ItemResult,
    Organisation,
    QuestionScore,
    ToolResult,
)
from ita.queries import assessments_for_scoring, scores_for
from ita.services import organisation_upsert, results_save
from ita.services.results_import import (
    organisation_match,
    organisation_matches,
    parse_tables,
    results_import,
)
from ita.sheets import SheetMeta, read_sheet_file, sheet_rows, write_xlsx
from ita.sheets.diff import results_diff
from ita.sheets.export import (
    assessment_sheet,
    assessments_for_export,
    framework_for_template,
    sheet_layout,
)
from tests.ita.sheet_data import KHP_NAME, khp_results, save_khp

D = Decimal
MODELS = (Organisation, Assessment, ToolResult, IndicatorResult, QuestionScore, ItemResult)
# figures_version is a fresh random token per write (one per file in the batch): compared
# apart, in the test below.
SKIP = {"id", "history_id", "history_date", "organisation_id", "assessment_id", "figures_version"}


class Rollback(Exception):
    pass


def the_file() -> bytes:
    """KHP 2568 changed (a tool, an indicator's analysis, an item gone, the type), a new
    organisation's 2568, and KHP 2567 (an older year: the current type stays)."""
    changed = khp_results()
    changed.tools["IIT"] = D("90.00")
    changed.indicators[1] = type(changed.indicators[1])(D("97.00"), "ใหม่")
    del changed.items["o21"]
    new_org = khp_results()
    new_org.items.clear()
    older = khp_results()
    older.questions.clear()
    older.items.clear()
    sheets = []
    for year, meta, results in (
        (2568, SheetMeta(2568, KHP_NAME, "สระแก้ว", "subdistrict", "วังน้ำเย็น", note=""), changed),
        (2568, SheetMeta(2568, "อบต.บ้านใหม่", "จังหวัดสระแก้ว", "sao", "", note="x"), new_org),
        (2567, SheetMeta(2567, KHP_NAME, "สระแก้ว", "sao", "วังน้ำเย็น", note=""), older),
    ):
        title = f"{year} {meta.organisation}"
        sheets.append(
            (title, sheet_rows(sheet_layout(framework_for_template(year)), meta, results))
        )
    return write_xlsx(sheets)


def agency_type_now(meta: SheetMeta, organisation: Organisation | None) -> str:
    """The organisation's current type: an older year's sheet does not change it."""
    if organisation is None:
        return meta.agency_type
    latest = organisation.assessments.aggregate(year=Max("framework__fiscal_year"))["year"]
    return organisation.agency_type if latest and latest > meta.fiscal_year else meta.agency_type


def per_sheet(sheets) -> None:  # type: ignore[no-untyped-def]
    """The importer's former write loop, sheet by sheet."""
    with transaction.atomic():
        for sheet in sheets:
            meta = sheet.meta
            match = organisation_match(meta)
            target = match.existing
            organisation = organisation_upsert(
                name=target.name if target else match.name,
                province=target.province if target else match.province,
                district=target.district if target else match.district,
                agency_type=agency_type_now(meta, target),
            )
            results_save(
                organisation=organisation,
                framework=Framework.objects.get(fiscal_year=meta.fiscal_year),
                agency_type=meta.agency_type,
                results=sheet.results,
                note=meta.note,
            )


def snapshot(since: dict[type, int]) -> dict[str, list]:
    """Stored rows and history rows written since `since`, by natural keys, not ids."""
    org_names = dict(Organisation.objects.values_list("pk", "name"))
    keys = {
        a.pk: (org_names[a.organisation_id], a.framework.fiscal_year)
        for a in Assessment.objects.select_related("framework")
    }
    for row in Assessment.history.all():  # assessments deleted since have history only
        keys.setdefault(row.id, (org_names.get(row.organisation_id), row.framework_id))

    def natural(values: dict) -> tuple:
        extra = []
        if "organisation_id" in values:
            extra.append(org_names.get(values["organisation_id"]))
        if "assessment_id" in values:
            extra.append(keys.get(values["assessment_id"]))
        plain = sorted((k, str(v)) for k, v in values.items() if k not in SKIP)
        return (*extra, *plain)

    out: dict[str, list] = {}
    for model in MODELS:
        out[model.__name__] = sorted(natural(v) for v in model.objects.values())
        out[f"history {model.__name__}"] = sorted(
            natural(v) for v in model.history.filter(history_id__gt=since[model]).values()
        )
    return out


def run(write) -> dict[str, list]:  # type: ignore[no-untyped-def]
    since = {m: max(m.history.values_list("history_id", flat=True), default=0) for m in MODELS}
    try:
        with transaction.atomic():
            write(parse_tables(read_sheet_file("batch.xlsx", the_file())))
            result = snapshot(since)
            raise Rollback
    except Rollback:
        return result


@pytest.mark.django_db
def test_batched_import_writes_the_rows_and_history_of_the_per_sheet_path():
    save_khp()
    user = get_user_model().objects.create_user("clerk")
    request = RequestFactory().post("/admin/")
    request.user = user
    HistoricalRecords.context.request = request
    try:
        expected = run(per_sheet)
        got = run(lambda sheets: results_import(sheets=sheets))
    finally:
        del HistoricalRecords.context.request

    assert got == expected
    history = got["history ItemResult"]
    assert any(row[0] == (KHP_NAME, 2568) and ("history_type", "-") in row for row in history)
    assert {row[1:3] for row in got["history ToolResult"]} >= {
        (("history_change_reason", "None"), ("history_type", "+")),
        (("history_change_reason", "None"), ("history_type", "~")),
    }
    users = {dict(r[1:]).get("history_user_id") for name, rows in got.items() for r in rows} - {
        None
    }
    assert users == {str(user.pk)}


@pytest.mark.django_db
def test_matching_a_file_at_once_finds_what_matching_each_sheet_finds():
    save_khp()
    organisation_upsert(name="อบต.บ้านเก่า", province="สระแก้ว", agency_type="sao")
    metas = [
        SheetMeta(2568, "อบต.คลองหินปูน", "จังหวัดสระแก้ว", "sao", "", note=""),
        SheetMeta(2568, "อบต.บ้านเกา", "สระแก้ว", "sao", "", note=""),
        SheetMeta(2568, "อบต.ไม่มี", "ไม่มีจังหวัด", "sao", "", note=""),
        None,
    ]
    assert organisation_matches(metas) == [organisation_match(m) if m else None for m in metas]


@pytest.mark.django_db
def test_matching_a_file_at_once_picks_the_same_row_among_old_spellings_and_provinces():
    # Rows as stored before migration 0012 (created without `clean`): one office in three
    # spellings, the exact one not the oldest; a province stored in two cases, which
    # `organisation_key` folds together but the province lookup tells apart; two provinces
    # in one file, so every row of both is read for every sheet.
    def stored(name: str, province: str, district: str = "") -> Organisation:
        return Organisation.objects.create(
            name=name, province=province, district=district, agency_type="sao"
        )

    stored("อบต.คลองหินปูน", "จังหวัดสระแก้ว")
    stored("องค์การบริหารส่วนตำบลคลองหินปูน", "สระแก้ว", "วังน้ำเย็น")
    stored("องค์การบริหารส่วนตำบล คลองหินปูน", "จ. สระแก้ว")
    stored("เทศบาลตำบลท่าเกษม", "สระแก้ว")
    stored("Town Office", "bangkok")
    stored("Town Office", "Bangkok", "North")
    stored("เทศบาลเมืองบุรีรัมย์", "บุรีรัมย์")
    metas = [
        SheetMeta(2568, name, province, "sao", district, note="")
        for name, province, district in (
            ("อบต.คลองหินปูน", "สระแก้ว", "วังน้ำเย็น"),  # the exact row, not the oldest
            ("อบต. คลองหินปูน", "จังหวัดสระแก้ว", "อื่น"),  # no exact row: the oldest
            ("Town Office", "Bangkok", ""),  # only rows spelt "Bangkok": the one in North
            ("Town Office", "bangkok", "North"),  # only the "bangkok" row
            ("ทม.บุรีรัมย์", "จ.บุรีรัมย์", ""),
            ("เทศบาลตำบลท่าเกษ", "สระแก้ว", ""),  # none: the province's closest names
            ("อบต.ไม่มี", "ไม่มีจังหวัด", ""),  # no such province: every name
        )
    ]
    got = organisation_matches(metas)
    assert got == [organisation_match(m) for m in metas]
    assert [m.existing.district if m.existing else None for m in got] == [
        "วังน้ำเย็น",
        "",
        "North",
        "",
        "",
        None,
        None,
    ]
    assert got[1].existing.name == "อบต.คลองหินปูน"
    assert got[5].suggestions and got[6].suggestions


@pytest.mark.django_db
def test_batched_import_gives_every_assessment_it_writes_a_new_figures_version():
    stored = save_khp()
    before = stored.figures_version

    outcomes = results_import(sheets=parse_tables(read_sheet_file("batch.xlsx", the_file())))

    versions = dict(Assessment.objects.values_list("pk", "figures_version"))
    assert stored.pk in versions and versions[stored.pk] != before
    assert {o.assessment.pk for o in outcomes} == set(versions)


@pytest.mark.django_db
def test_dry_run_reports_each_sheets_changes_and_the_scores_the_import_would_store():
    save_khp()
    stored = assessment_sheet(assessments_for_export(Assessment.objects.all()).get())[1]
    counts = {m: (m.objects.count(), m.history.count()) for m in MODELS}
    sheets = parse_tables(read_sheet_file("batch.xlsx", the_file()))

    outcomes = results_import(sheets=sheets, dry_run=True)
    written = {m: (m.objects.count(), m.history.count()) for m in MODELS}
    with transaction.atomic():
        imported = results_import(sheets=sheets)
        expected = [
            scores_for(a)
            for a in assessments_for_scoring(
                Assessment.objects.filter(pk__in=[o.assessment.pk for o in imported])
            ).order_by("organisation__name", "-framework__fiscal_year")
        ]
        transaction.set_rollback(True)

    assert written == counts
    assert [o.created for o in outcomes] == [False, True, True]
    assert outcomes[0].changes == results_diff(stored, sheets[0].results)[0]
    assert {(c.kind, c.code, c.change) for c in outcomes[0].changes} >= {
        ("tool", "IIT", "changed"),
        ("item", "o21", "removed"),
    }
    assert [o.diff for o in outcomes[1:]] == [results_diff(None, s.results)[1] for s in sheets[1:]]
    by_name = sorted(
        outcomes,
        key=lambda o: (o.assessment.organisation.name, -o.assessment.framework.fiscal_year),
    )
    assert [o.scores for o in by_name] == expected
