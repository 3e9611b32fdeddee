"""The import's fast writes keep what the slow ones gave: the same rows and history
(`ita.services.bulk.create_with_history`, COPY on PostgreSQL), the same refusals with the
same messages (`_Checked`, a row's `full_clean` skipped only when every value was seen
valid), and nothing left behind by a refused or failed file."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from ita.models import (
    Assessment,
    Channel,
    Framework,
    IndicatorResult,
    ItemResult,
    Organisation,
    Question,
    QuestionScore,
    ToolResult,
)
from ita.services import results_batch
from ita.services.bulk import create_with_history
from ita.services.results_batch import KINDS, _Checked
from ita.services.results_import import parse_tables, results_import
from ita.sheets import SheetErrors, SheetMeta, read_sheet_file, sheet_rows, write_xlsx
from ita.sheets.export import framework_for_template, sheet_layout
from tests.ita.sheet_data import khp_results

D = Decimal
RESULT_MODELS = (Organisation, Assessment, ToolResult, IndicatorResult, QuestionScore, ItemResult)


def kind(model):  # type: ignore[no-untyped-def]
    return next(k for k in KINDS if k.model is model)


@pytest.fixture
def clerk():  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("clerk")
    request = RequestFactory().post("/admin/")
    request.user = user
    HistoricalRecords.context.request = request
    yield user
    del HistoricalRecords.context.request


def new_rows(assessment: Assessment, framework: Framework, score: str) -> list[ToolResult]:
    return [
        ToolResult(assessment=assessment, tool=tool, score=D(score))
        for tool in framework.tools.order_by("order")
    ]


def written(rows: list[ToolResult]) -> tuple[list, list]:
    ids = [r.pk for r in rows]
    stored = list(
        ToolResult.objects.filter(pk__in=ids).order_by("pk").values_list("tool_id", "score")
    )
    history = list(
        ToolResult.history.filter(id__in=ids)
        .order_by("id")
        .values_list(
            "tool_id",
            "score",
            "assessment_id",
            "history_type",
            "history_user_id",
            "history_change_reason",
        )
    )
    return stored, history


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's path")
def test_create_with_history_writes_what_bulk_create_with_history_writes(clerk):
    framework = Framework.objects.get(fiscal_year=2568)
    organisation = Organisation.objects.create(
        name="องค์การบริหารส่วนตำบลทดสอบ", province="สระแก้ว", district="", agency_type="sao"
    )
    assessments = [
        Assessment(organisation=organisation, framework=framework, agency_type="sao"),
        Assessment(
            organisation=Organisation.objects.create(
                name="เทศบาลตำบลทดสอบ", province="สระแก้ว", district="", agency_type="sao"
            ),
            framework=framework,
            agency_type="sao",
        ),
    ]
    old, new = assessments
    bulk_create_with_history([old], Assessment)
    before = timezone.now()

    create_with_history([new], Assessment)
    old_rows, new_rows_ = new_rows(old, framework, "91.50"), new_rows(new, framework, "91.50")
    bulk_create_with_history(old_rows, ToolResult)
    create_with_history(new_rows_, ToolResult)
    after = timezone.now()

    assert new.pk is not None and not new._state.adding
    assert Assessment.objects.filter(pk=new.pk).values_list("figures_version", flat=True)[0]
    old_stored, old_history = written(old_rows)
    new_stored, new_history = written(new_rows_)
    assert len(new_stored) == 3
    assert new_stored == old_stored
    assert [h[:2] + h[3:] for h in new_history] == [h[:2] + h[3:] for h in old_history]
    assert {h[2] for h in new_history} == {new.pk}
    assert new_history[0][3:] == ("+", clerk.pk, None)
    dates = ToolResult.history.filter(id__in=[r.pk for r in new_rows_]).values_list(
        "history_date", flat=True
    )
    assert all(before <= d <= after for d in dates)
    fields = [f.name for f in Assessment.history.model._meta.fields if f.name != "history_id"]
    fields.remove("id")
    old_h, new_h = (Assessment.history.filter(id=a.pk).values(*fields).get() for a in (old, new))
    assert {k: v for k, v in new_h.items() if k not in ("organisation", "history_date")} == {
        k: v for k, v in old_h.items() if k not in ("organisation", "history_date")
    }
    assert isinstance(new_h["history_date"], datetime.datetime)


@pytest.mark.django_db
def test_row_check_refuses_a_value_equal_to_one_seen_valid_with_full_cleans_message():
    framework = Framework.objects.get(fiscal_year=2568)
    tool = framework.tools.first()
    check = _Checked(kind(ToolResult))
    check(ToolResult(tool=tool, score=D("1")))
    bad = ToolResult(tool=tool, score=D("1.000"))  # == Decimal("1"), one decimal too many
    with pytest.raises(ValidationError) as expected:
        bad.full_clean(exclude=["assessment", "tool"], validate_unique=False)

    with pytest.raises(ValidationError) as refused:
        check(bad)

    assert refused.value.messages == expected.value.messages
    assert refused.value.messages


@pytest.mark.django_db
def test_row_check_runs_the_models_clean_for_each_new_question_and_channel():
    framework = Framework.objects.get(fiscal_year=2568)
    own = Channel.objects.filter(tool__framework=framework).first()
    question = Question.objects.filter(indicator__tool=own.tool).first()
    other = Channel.objects.exclude(tool=own.tool).first()  # another tool's (or year's)
    check = _Checked(kind(QuestionScore))
    check(QuestionScore(question=question, channel=own, score=D("50.00")))
    bad = QuestionScore(question=question, channel=other, score=D("50.00"))
    with pytest.raises(ValidationError) as expected:
        bad.full_clean(exclude=["assessment", "question", "channel"], validate_unique=False)

    with pytest.raises(ValidationError) as refused:
        check(bad)

    assert refused.value.message_dict == expected.value.message_dict
    assert list(refused.value.message_dict) == ["channel"]


@pytest.mark.django_db
def test_row_check_cleans_a_row_only_when_it_holds_a_value_not_seen_valid(monkeypatch):
    tool = Framework.objects.get(fiscal_year=2568).tools.first()
    cleaned: list[object] = []
    real = ToolResult.full_clean

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        cleaned.append(self.score)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ToolResult, "full_clean", counting)
    monkeypatch.setattr(results_batch, "_VALID", set())  # nothing seen in earlier tests
    check = _Checked(kind(ToolResult))

    for score in ("90.00", "90.00", "80.50", "90.00", "80.50", "90.0"):
        check(ToolResult(tool=tool, score=D(score)))
    check.new({"tool": tool, "score": D("80.50")})
    _Checked(kind(ToolResult)).new({"tool": tool, "score": D("90.00")})  # the next file
    check.new({"tool": tool, "score": D("70.25")})

    assert [str(s) for s in cleaned] == ["90.00", "80.50", "90.0", "70.25"]


@pytest.mark.django_db
def test_row_check_asks_the_models_clean_again_in_the_next_file(monkeypatch):
    framework = Framework.objects.get(fiscal_year=2568)
    own = Channel.objects.filter(tool__framework=framework).first()
    question = Question.objects.filter(indicator__tool=own.tool).first()
    values = {"question": question, "channel": own, "score": D("50.00")}
    _Checked(kind(QuestionScore)).new(values)
    # Between two files the channel moves to another tool: the next file refuses it.
    other_tool = framework.tools.exclude(pk=own.tool_id).first()
    Channel.objects.filter(pk=own.pk).update(tool=other_tool)
    moved = Channel.objects.get(pk=own.pk)

    with pytest.raises(ValidationError) as refused:
        _Checked(kind(QuestionScore)).new({**values, "channel": moved})

    assert list(refused.value.message_dict) == ["channel"]


def file_of(*sheets) -> bytes:  # type: ignore[no-untyped-def]
    layout = sheet_layout(framework_for_template(2568))
    return write_xlsx(
        [
            (f"2568 {meta.organisation}", sheet_rows(layout, meta, results))
            for meta, results in sheets
        ]
    )


def counts() -> dict[str, tuple[int, int]]:
    return {m.__name__: (m.objects.count(), m.history.count()) for m in RESULT_MODELS}


def three_sheets(last_score: Decimal) -> bytes:
    last = khp_results()
    last.tools["IIT"] = last_score
    return file_of(
        (SheetMeta(2568, "อบต.หนึ่ง", "สระแก้ว", "sao", "", note=""), khp_results()),
        (SheetMeta(2568, "อบต.สอง", "สระแก้ว", "sao", "", note=""), khp_results()),
        (SheetMeta(2568, "อบต.สาม", "สระแก้ว", "sao", "", note=""), last),
    )


@pytest.mark.django_db
def test_import_refusing_the_last_sheets_score_leaves_nothing_behind():
    before = counts()
    sheets = parse_tables(read_sheet_file("bad.xlsx", three_sheets(D("100.01"))))

    with pytest.raises(SheetErrors) as refused:
        results_import(sheets=sheets)

    assert counts() == before
    assert any("100.01" in str(e.message) for e in refused.value.errors)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_failing_in_its_last_write_leaves_nothing_behind(monkeypatch):
    sheets = parse_tables(read_sheet_file("ok.xlsx", three_sheets(D("97.54"))))
    before = counts()
    real = results_batch.create_values_with_history

    def failing(model, rows):  # type: ignore[no-untyped-def]
        real(model, rows)
        if model is QuestionScore:  # organisations, assessments and more are written by now
            raise RuntimeError("the database went away")

    monkeypatch.setattr(results_batch, "create_values_with_history", failing)

    with pytest.raises(RuntimeError):
        results_import(sheets=sheets)

    assert counts() == before
    monkeypatch.setattr(results_batch, "create_values_with_history", real)
    results_import(sheets=sheets)
    assert counts()["QuestionScore"][0] == before["QuestionScore"][0] + 3 * 33
