"""The admin's data-entry screens: one organisation-year on one page, frameworks per year."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ita.forms import EntryLayout, ScoreField, entry_layout
from ita.models import (
    AgencyType,
    Assessment,
    Channel,
    Framework,
    Indicator,
    IndicatorResult,
    Item,
    ItemResult,
    Membership,
    Question,
    QuestionScore,
    Tool,
    ToolResult,
)
from ita.queries import framework_lookup
from tests.factories import AssessmentFactory, OrganisationFactory

D = Decimal

# Khlong Hin Pun, FY 2568, as published (shared/reference/ita-analysis-2568-khlong-hin-pun.txt).
IIT = [
    "96.32", "97.89", "100",
    "97.37", "100", "100",
    "97.37", "100", "100",
    "88.42", "99.47", "95.26",
    "97.89", "96.32", "96.84",
]  # fmt: skip
EIT = [
    ("89.76", "92"),
    ("89.76", "92"),
    ("100", "100"),
    ("88.78", "92"),
    ("90.73", "91"),
    ("88.78", "92"),
    ("86.34", "92"),
    ("91.12", "91"),
    ("88.29", "93"),
]
INDICATORS = [
    "98.07", "99.12", "99.12", "94.38", "97.02",
    "93.92", "90.55", "90.31",
    "98.25", "90.00",
]  # fmt: skip
ITEMS = {
    "o16": ("50", "partial", "ประมวลจริยธรรมและการขับเคลื่อนจริยธรรม ได้คะแนน 50.00"),
    "o27": ("50", "partial", "มาตรการป้องกันการทุจริตของหน่วยงานยังไม่สามารถป้องกันได้จริง"),
}


@pytest.fixture(autouse=True)
def admin_pages(settings):
    # With DEBUG off the manifest storage needs collectstatic; these tests render admin pages.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Query counts must not depend on which test warmed the content-type cache first.
    ContentType.objects.clear_cache()


def layout_of(assessment: Assessment) -> EntryLayout:
    return entry_layout(framework_lookup(assessment.framework))


def blank_post(assessment: Assessment, layout: EntryLayout) -> dict[str, str]:
    """Every field of the assessment page, empty: what a browser sends for an empty grid."""
    data = {
        "agency_type": assessment.agency_type,
        "published_overall": "",
        "published_level": "",
        "note": "",
    }
    for tool in layout.tools:
        data[tool.field] = ""
    for block in layout.indicators:
        data[block.score] = data[block.analysis] = ""
        for line in block.questions:
            for _channel, name in line.fields:
                data[name] = ""
        for item in block.items:
            data[item.score] = data[item.status] = data[item.reason] = ""
    return data


def khlong_hin_pun_post(assessment: Assessment) -> dict[str, str]:
    layout = layout_of(assessment)
    data = blank_post(assessment, layout)
    data.update(published_overall="94.39", published_level="ผ่านดี", note="จากเอกสารที่เผยแพร่")
    questions = {
        (line.code, channel): name
        for block in layout.indicators
        for line in block.questions
        for channel, name in line.fields
    }
    for number, score in enumerate(IIT, 1):
        data[questions[(f"i{number}", None)]] = score
    for number, (public, survey) in enumerate(EIT, 1):
        data[questions[(f"e{number}", "public")]] = public
        data[questions[(f"e{number}", "survey")]] = survey
    for block, score in zip(layout.indicators, INDICATORS, strict=True):
        data[block.score] = score
        data[block.analysis] = f"วิเคราะห์ตัวชี้วัดที่ {block.number}"
    items = {item.code: item for block in layout.indicators for item in block.items}
    for code, (score, status, reason) in ITEMS.items():
        data[items[code].score] = score
        data[items[code].status] = status
        data[items[code].reason] = reason
    return data


def change_url(assessment: Assessment) -> str:
    return reverse("admin:ita_assessment_change", args=[assessment.pk])


def saved_values(assessment: Assessment) -> dict[str, object]:
    """Everything the database holds for an assessment, for before/after comparisons."""
    assessment.refresh_from_db()
    return {
        "header": (assessment.published_overall, assessment.published_level, assessment.note),
        "tools": sorted(ToolResult.objects.filter(assessment=assessment).values_list()),
        "indicators": sorted(IndicatorResult.objects.filter(assessment=assessment).values_list()),
        "questions": sorted(QuestionScore.objects.filter(assessment=assessment).values_list()),
        "items": sorted(ItemResult.objects.filter(assessment=assessment).values_list()),
    }


@pytest.fixture
def entered_2568(admin_client, framework_2568) -> Assessment:
    """Khlong Hin Pun's 2568 year, entered through the admin page."""
    organisation = OrganisationFactory(
        name="องค์การบริหารส่วนตำบลคลองหินปูน", district="วังน้ำเย็น", province="สระแก้ว"
    )
    assessment = AssessmentFactory(organisation=organisation, framework=framework_2568)
    admin_client.post(change_url(assessment), khlong_hin_pun_post(assessment))
    return assessment


@pytest.mark.parametrize(
    ("typed", "value"),
    [("96.32", D("96.32")), (" 100 ", D("100")), ("๙๖.๓๒", D("96.32")), ("", None)],
)
def test_score_field_reads_decimals_thai_digits_and_blank(typed, value):
    assert ScoreField().clean(typed) == value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("120", "Score 120 is outside 0–100."),
        ("-1", "Score -1 is outside 0–100."),
        ("96.325", "Score 96.325 has more than 2 decimals."),
        ("abc", "“abc” is not a number."),
        ("NaN", "“NaN” is not a number."),
    ],
)
def test_score_field_refuses_bad_scores_in_both_languages(typed, message):
    with pytest.raises(ValidationError) as refused:
        ScoreField().clean(typed)

    assert refused.value.messages[0].endswith(message)


# --- Add page: the header first ------------------------------------------------------------


@pytest.mark.django_db
def test_assessment_add_asks_header_then_opens_the_full_grid(admin_client, framework_2568):
    organisation = OrganisationFactory(agency_type=AgencyType.SAO)

    response = admin_client.post(
        reverse("admin:ita_assessment_add"),
        {"organisation": organisation.pk, "framework": framework_2568.pk, "agency_type": ""},
    )

    assessment = Assessment.objects.get(organisation=organisation)
    assert response.url == change_url(assessment)
    assert assessment.framework == framework_2568
    assert assessment.agency_type == AgencyType.SAO  # blank type: the organisation's own
    page = admin_client.get(response.url).content.decode()
    assert page.count('name="q_') == 15 + 9 * 2
    assert page.count('name="item_') == 24 * 3


@pytest.mark.django_db
def test_assessment_add_page_shows_only_the_header(admin_client, framework_2568):
    response = admin_client.get(reverse("admin:ita_assessment_add"))

    form = response.context["adminform"].form
    assert sorted(form.fields) == ["agency_type", "framework", "organisation"]
    assert 'name="q_' not in response.content.decode()


@pytest.mark.django_db
def test_assessment_add_refuses_a_second_assessment_for_the_same_year(admin_client, framework_2568):
    existing = AssessmentFactory(framework=framework_2568)

    response = admin_client.post(
        reverse("admin:ita_assessment_add"),
        {
            "organisation": existing.organisation.pk,
            "framework": framework_2568.pk,
            "agency_type": AgencyType.SAO,
        },
    )

    assert response.context["adminform"].form.non_field_errors()
    assert Assessment.objects.filter(organisation=existing.organisation).count() == 1


# --- Change page: every published number of the year ---------------------------------------


@pytest.mark.django_db
def test_assessment_entry_saves_a_full_2568_year(admin_client, framework_2568):
    assessment = AssessmentFactory(framework=framework_2568)

    response = admin_client.post(change_url(assessment), khlong_hin_pun_post(assessment))

    assert response.url == reverse("admin:ita_assessment_changelist")
    assessment.refresh_from_db()
    assert (assessment.published_overall, assessment.published_level) == (D("94.39"), "ผ่านดี")
    assert assessment.note == "จากเอกสารที่เผยแพร่"
    scores = {
        (s.question.code, s.channel.code if s.channel else None): s.score
        for s in QuestionScore.objects.filter(assessment=assessment).select_related(
            "question", "channel"
        )
    }
    expected = {(f"i{n}", None): D(v) for n, v in enumerate(IIT, 1)}
    for n, (public, survey) in enumerate(EIT, 1):
        expected[(f"e{n}", "public")] = D(public)
        expected[(f"e{n}", "survey")] = D(survey)
    assert scores == expected
    indicators = IndicatorResult.objects.filter(assessment=assessment).select_related("indicator")
    assert [(r.indicator.number, r.score) for r in indicators.order_by("indicator__number")] == [
        (n, D(v)) for n, v in enumerate(INDICATORS, 1)
    ]
    assert indicators.get(indicator__number=8).analysis == "วิเคราะห์ตัวชี้วัดที่ 8"
    items = ItemResult.objects.filter(assessment=assessment).select_related("item")
    assert {r.item.code: (r.score, r.status, r.reason) for r in items} == {
        code: (D(score), status, reason) for code, (score, status, reason) in ITEMS.items()
    }
    assert not ToolResult.objects.filter(assessment=assessment).exists()
    history = QuestionScore.history.filter(assessment_id=assessment.pk)
    assert history.count() == len(expected)  # every new score is in the audit history ...
    assert set(history.values_list("history_user__username", flat=True)) == {"admin"}  # by whom


@pytest.mark.django_db
def test_assessment_page_shows_saved_values_back_in_the_grid(admin_client, entered_2568):
    response = admin_client.get(change_url(entered_2568))

    form = response.context["adminform"].form
    layout = form.layout
    i1 = layout.indicators[0].questions[0].fields[0][1]
    e9_survey = layout.indicators[7].questions[2].fields[1][1]
    assert D(form[i1].value()) == D("96.32")
    assert D(form[e9_survey].value()) == D("93")
    page = response.content.decode()
    assert 'value="88.42"' in page
    assert "ผ่านดี" in page


@pytest.mark.django_db
def test_assessment_page_shows_computed_overall_level_and_flags_indicator_8(
    admin_client, entered_2568
):
    response = admin_client.get(change_url(entered_2568))

    rows = {row.key: row for row in response.context["ita_checks"]}
    assert (rows["overall"].published, rows["overall"].computed) == (D("94.39"), D("94.39"))
    assert not rows["overall"].mismatch
    assert (rows["level"].published, rows["level"].computed) == ("ผ่านดี", "ผ่านดี")
    assert not rows["level"].mismatch
    assert (rows["indicator-8"].published, rows["indicator-8"].computed) == (
        D("90.31"),
        D("90.29"),
    )
    assert rows["indicator-8"].difference == D("-0.02")
    assert [key for key, row in rows.items() if row.mismatch] == ["indicator-8"]
    assert rows["tool-IIT"].computed == D("97.54")
    page = response.content.decode()
    flagged = re.search(r'<tr id="ita-check-indicator-8" class="([^"]*)">(.*?)</tr>', page, re.S)
    assert flagged is not None
    assert "ita-mismatch" in flagged.group(1)
    assert "90.31" in flagged.group(2) and "90.29" in flagged.group(2)
    overall = re.search(r'<tr id="ita-check-overall" class="([^"]*)">(.*?)</tr>', page, re.S)
    assert overall is not None and "ita-mismatch" not in overall.group(1)
    assert overall.group(2).count("94.39") == 2
    level = re.search(r'<tr id="ita-check-level" class="[^"]*">(.*?)</tr>', page, re.S)
    assert level is not None and level.group(1).count("ผ่านดี") == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [("120", "Score 120 is outside 0–100."), ("abc", "“abc” is not a number.")],
)
def test_assessment_entry_refuses_a_bad_score_and_changes_nothing(
    admin_client, entered_2568, value, message
):
    before = saved_values(entered_2568)
    data = khlong_hin_pun_post(entered_2568)
    data.update(published_overall="80.00", note="แก้ไข")
    e5_public = layout_of(entered_2568).indicators[6].questions[1].fields[0][1]
    data[e5_public] = value

    response = admin_client.post(change_url(entered_2568), data)

    assert response.status_code == 200  # the form comes back, not a redirect
    errors = response.context["adminform"].form.errors[e5_public]
    assert len(errors) == 1 and errors[0].endswith(message)  # "Thai / English"
    page = response.content.decode()
    assert message in page
    assert [label for _id, label, _m in response.context["ita_errors"]] == [
        "e5 ช่องทางออนไลน์ (EitPublic)"
    ]
    assert saved_values(entered_2568) == before
    overall = {row.key: row for row in response.context["ita_checks"]}["overall"]
    assert overall.published == D("94.39")  # the check shows what is saved, not the refused form


@pytest.mark.django_db
def test_assessment_entry_blank_fields_remove_saved_values(admin_client, entered_2568):
    data = khlong_hin_pun_post(entered_2568)
    layout = layout_of(entered_2568)
    for _channel, name in layout.indicators[0].questions[0].fields:
        data[name] = ""
    o16 = next(item for item in layout.indicators[8].items if item.code == "o16")
    data[o16.score] = data[o16.status] = data[o16.reason] = ""

    admin_client.post(change_url(entered_2568), data)

    codes = set(
        QuestionScore.objects.filter(assessment=entered_2568).values_list(
            "question__code", flat=True
        )
    )
    assert "i1" not in codes and "i2" in codes
    assert list(
        ItemResult.objects.filter(assessment=entered_2568).values_list("item__code", flat=True)
    ) == ["o27"]


@pytest.mark.django_db
def test_assessment_page_of_2564_renders_its_30_question_inputs(admin_client):
    assessment = AssessmentFactory(framework=Framework.objects.get(fiscal_year=2564))

    response = admin_client.get(change_url(assessment))

    page = response.content.decode()
    assert page.count('name="q_') == 30
    assert [len(s.questions) for s in response.context["ita_sections"]] == [6] * 5 + [0] * 5
    assert [s.block.number for s in response.context["ita_sections"]] == list(range(1, 11))


@pytest.mark.django_db
def test_assessment_page_follows_framework_edits(admin_client, framework_2568):
    indicator_1 = Indicator.objects.get(framework=framework_2568, number=1)
    Question.objects.create(indicator=indicator_1, code="i99", order=99)
    assessment = AssessmentFactory(framework=framework_2568)

    page = admin_client.get(change_url(assessment)).content.decode()

    assert page.count('name="q_') == 16 + 9 * 2


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2564, 2568])
def test_assessment_page_query_count_does_not_grow_with_the_framework(
    admin_client, django_assert_num_queries, year
):
    assessment = AssessmentFactory(framework=Framework.objects.get(fiscal_year=year))
    if year == 2568:
        admin_client.post(change_url(assessment), khlong_hin_pun_post(assessment))
    ContentType.objects.clear_cache()  # the POST's admin log warmed it

    with django_assert_num_queries(16):
        admin_client.get(change_url(assessment))


@pytest.mark.django_db
def test_assessment_history_is_viewable_but_not_revertible(admin_client, entered_2568):
    history = entered_2568.history.order_by("history_date")

    page = admin_client.get(
        reverse("admin:ita_assessment_history", args=[entered_2568.pk])
    ).content.decode()
    revert = admin_client.post(
        reverse("admin:ita_assessment_simple_history", args=[entered_2568.pk, history[0].pk]),
        {"agency_type": AgencyType.SAO},
    )

    assert history.count() == 2  # created by the factory, then the admin's save
    assert history.last().history_user.username == "admin"
    assert "94.39" in page
    assert revert.status_code == 403
    assert saved_values(entered_2568)["header"][0] == D("94.39")


@pytest.mark.django_db
def test_assessment_page_is_read_only_with_view_permission(client, entered_2568):
    clerk = get_user_model().objects.create_user(username="viewer", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_assessment"))
    Membership.objects.create(user=clerk, organisation=entered_2568.organisation)
    client.force_login(clerk)
    before = saved_values(entered_2568)

    page = client.get(change_url(entered_2568)).content.decode()
    refused = client.post(change_url(entered_2568), khlong_hin_pun_post(entered_2568))

    inputs = re.findall(r'<input[^>]*name="q_[^>]*>', page)
    assert len(inputs) == 33
    assert all("disabled" in tag for tag in inputs)
    assert refused.status_code == 403
    assert saved_values(entered_2568) == before


@pytest.mark.django_db
def test_assessment_entry_reports_a_refused_save_without_saving(
    admin_client, entered_2568, monkeypatch
):
    def framework_changed_meanwhile(**kwargs):
        raise ValidationError(["There is no OIT item o16 in 2568."])

    monkeypatch.setattr("ita.admin.results_save", framework_changed_meanwhile)
    before = saved_values(entered_2568)
    data = khlong_hin_pun_post(entered_2568)
    data["published_overall"] = "80"

    response = admin_client.post(change_url(entered_2568), data, follow=True)

    assert response.redirect_chain[-1][0] == change_url(entered_2568)
    assert "There is no OIT item o16 in 2568." in [str(m) for m in response.context["messages"]]
    assert saved_values(entered_2568) == before


@pytest.mark.django_db
def test_assessment_page_warns_about_saved_scores_the_framework_lost(admin_client, entered_2568):
    iit = Tool.objects.get(framework=entered_2568.framework, code="IIT")
    Channel.objects.create(tool=iit, code="extra", name_th="ช่องทางใหม่")

    response = admin_client.get(change_url(entered_2568))

    assert len(response.context["adminform"].form.unplaced) == 15
    assert "ita-warning" in response.content.decode()


@pytest.mark.django_db
def test_assessment_admin_shows_a_member_only_their_organisations(client, entered_2568):
    own = AssessmentFactory(framework=entered_2568.framework)
    member = get_user_model().objects.create_user(username="clerk", is_staff=True)
    member.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_assessment", "add_assessment"])
    )
    Membership.objects.create(user=member, organisation=own.organisation)
    other_organisation = OrganisationFactory()
    client.force_login(member)

    listed = client.get(reverse("admin:ita_assessment_changelist")).context["cl"].result_list
    stranger = client.get(change_url(entered_2568))
    refused = client.post(
        reverse("admin:ita_assessment_add"),
        {
            "organisation": other_organisation.pk,
            "framework": Framework.objects.get(fiscal_year=2567).pk,
            "agency_type": AgencyType.SAO,
        },
    )

    assert list(listed) == [own]
    assert stranger.url == reverse("admin:index")  # the admin's "does not exist" answer
    assert "organisation" in refused.context["adminform"].form.errors
    assert not Assessment.objects.filter(organisation=other_organisation).exists()


# --- Changelist ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_assessment_changelist_shows_computed_overall_and_mismatch(admin_client, entered_2568):
    response = admin_client.get(reverse("admin:ita_assessment_changelist"))

    page = response.content.decode()
    assert '<td class="field-published_overall">94.39</td>' in page
    assert '<td class="field-computed_overall">94.39</td>' in page
    flag = re.search(r'<td class="field-mismatch_flag">(.*?)</td>', page, re.S)
    assert flag is not None and "ita-flag" in flag.group(1) and "8" in flag.group(1)


@pytest.mark.django_db
def test_assessment_changelist_filters_by_year_province_and_type(admin_client):
    y2567, y2568 = (Framework.objects.get(fiscal_year=y) for y in (2567, 2568))
    sakaeo_2568 = AssessmentFactory(framework=y2568)
    sakaeo_2567 = AssessmentFactory(framework=y2567, organisation=sakaeo_2568.organisation)
    chonburi = AssessmentFactory(
        framework=y2568,
        organisation=OrganisationFactory(province="ชลบุรี"),
        agency_type=AgencyType.SUBDISTRICT_MUNICIPALITY,
    )
    url = reverse("admin:ita_assessment_changelist")

    def listed(query: str) -> set[Assessment]:
        return set(admin_client.get(f"{url}?{query}").context["cl"].result_list)

    assert listed("framework__fiscal_year=2567") == {sakaeo_2567}
    assert listed("framework__fiscal_year=2568") == {sakaeo_2568, chonburi}
    assert listed("organisation__province=ชลบุรี") == {chonburi}
    assert listed("agency_type=subdistrict") == {chonburi}
    assert listed("organisation__province=สระแก้ว&framework__fiscal_year=2568") == {sakaeo_2568}


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_assessment_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_num_queries, framework_2568, rows
):
    for _ in range(rows):
        assessment = AssessmentFactory(framework=framework_2568)
        admin_client.post(change_url(assessment), khlong_hin_pun_post(assessment))

    with django_assert_num_queries(14):
        response = admin_client.get(reverse("admin:ita_assessment_changelist"))

    assert len(response.context["cl"].result_list) == rows


# --- Frameworks ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2564, 2568])
def test_framework_page_lists_tools_bands_and_indicators_in_fixed_queries(
    admin_client, django_assert_num_queries, year
):
    framework = Framework.objects.get(fiscal_year=year)

    with django_assert_num_queries(8):
        response = admin_client.get(reverse("admin:ita_framework_change", args=[framework.pk]))

    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    assert [f.instance.code for f in formsets["tools"].forms] == ["IIT", "EIT", "OIT"]
    names = [f.instance.name_th for f in formsets["indicators"].forms]
    assert names[7] == ("การปรับปรุงการทำงาน" if year == 2568 else "การปรับปรุงระบบการทำงาน")
    assert len(formsets["rating_bands"].forms) == (5 if year == 2568 else 7)


@pytest.mark.django_db
def test_framework_changelist_query_count_is_fixed(admin_client, django_assert_num_queries):
    with django_assert_num_queries(5):
        response = admin_client.get(reverse("admin:ita_framework_changelist"))

    assert len(response.context["cl"].result_list) == 8


def inline_post(response) -> dict[str, object]:
    """The POST a browser sends back for an admin change page's inlines, unchanged."""
    data: dict[str, object] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                data[form.add_prefix(name)] = "" if value is None else value
    return data


@pytest.mark.django_db
def test_indicator_page_edits_question_text_and_adds_an_oit_item(admin_client, framework_2568):
    indicator_1 = Indicator.objects.get(framework=framework_2568, number=1)
    indicator_9 = Indicator.objects.get(framework=framework_2568, number=9)
    url_1 = reverse("admin:ita_indicator_change", args=[indicator_1.pk])
    url_9 = reverse("admin:ita_indicator_change", args=[indicator_9.pk])
    page_1 = admin_client.get(url_1)
    data_1 = {
        "framework": framework_2568.pk,
        "tool": indicator_1.tool_id,
        "number": 1,
        "name_th": indicator_1.name_th,
        "name_en": indicator_1.name_en,
        **inline_post(page_1),
        "questions-0-text": "เจ้าหน้าที่ปฏิบัติงานตามขั้นตอนและระยะเวลาหรือไม่",
    }
    page_9 = admin_client.get(url_9)
    data_9 = {
        "framework": framework_2568.pk,
        "tool": indicator_9.tool_id,
        "number": 9,
        "name_th": indicator_9.name_th,
        "name_en": indicator_9.name_en,
        **inline_post(page_9),
    }
    extra = data_9["items-TOTAL_FORMS"]
    data_9.update(
        {
            "items-TOTAL_FORMS": extra + 1,
            f"items-{extra}-code": "o5",
            f"items-{extra}-order": 5,
            f"items-{extra}-title": "แผนดำเนินงานประจำปี",
            f"items-{extra}-sub_indicator": "",
            f"items-{extra}-title_known": "on",
            f"items-{extra}-data_year": "this_year",
            f"items-{extra}-document_role": "none",
        }
    )

    saved_1 = admin_client.post(url_1, data_1)
    saved_9 = admin_client.post(url_9, data_9)

    assert saved_1.url == saved_9.url == reverse("admin:ita_indicator_changelist")
    assert Question.objects.get(indicator=indicator_1, code="i1").text.startswith("เจ้าหน้าที่")
    assert Item.objects.get(indicator=indicator_9, code="o5").title == "แผนดำเนินงานประจำปี"


@pytest.mark.django_db
def test_indicator_page_query_count_does_not_grow_with_items(
    admin_client, django_assert_num_queries, framework_2568
):
    few = Indicator.objects.get(framework=framework_2568, number=1)  # 3 questions
    many = Indicator.objects.get(framework=framework_2568, number=9)  # 17 items

    with django_assert_num_queries(8):
        admin_client.get(reverse("admin:ita_indicator_change", args=[few.pk]))
    ContentType.objects.clear_cache()
    with django_assert_num_queries(8):
        admin_client.get(reverse("admin:ita_indicator_change", args=[many.pk]))


@pytest.mark.django_db
def test_framework_history_is_visible(admin_client, framework_2568):
    framework_2568.description = "แก้ไขหมายเหตุ"
    framework_2568.save()

    with translation.override("en"):
        response = admin_client.get(
            reverse("admin:ita_framework_history", args=[framework_2568.pk])
        )

    assert [r.description for r in response.context["page_obj"]] == ["แก้ไขหมายเหตุ"]


@pytest.mark.django_db
def test_membership_admin_gives_a_user_access_to_an_organisation(admin_client):
    from django.contrib.auth import get_user_model

    from ita.access import organisations_for
    from ita.models import Membership

    clerk = get_user_model().objects.create_user("clerk", password="pass-1234-clerk")
    organisation = OrganisationFactory()

    response = admin_client.post(
        reverse("admin:ita_membership_add"),
        {"user": clerk.pk, "organisation": organisation.pk, "division": ""},
    )

    assert response.status_code == 302
    assert Membership.objects.get().user == clerk
    assert list(organisations_for(clerk)) == [organisation]
