from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ita.models import IndicatorResult
from ita.services.narratives import narratives_fill, narratives_save
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def analyses(assessment) -> dict[int, str]:
    return dict(
        IndicatorResult.objects.filter(assessment=assessment).values_list(
            "indicator__number", "analysis"
        )
    )


def test_narratives_save_creates_updates_and_reports_what_changed():
    assessment = AssessmentFactory()

    first = narratives_save(assessment=assessment, texts={1: " ข้อความ ๑ \r\nบรรทัดสอง", 2: ""})
    second = narratives_save(assessment=assessment, texts={1: "ข้อความ ๑\nบรรทัดสอง", 3: "สาม"})

    assert first == [1]  # an empty text for an indicator without a row creates nothing
    assert second == [3]  # the same text again is no change
    assert analyses(assessment) == {1: "ข้อความ ๑\nบรรทัดสอง", 3: "สาม"}


def test_narratives_save_with_an_empty_text_clears_the_saved_one(reference):
    changed = narratives_save(assessment=reference, texts={9: "   "})

    assert changed == [9]
    assert analyses(reference)[9] == ""
    assert analyses(reference)[10] != ""


def test_narratives_save_refuses_an_unknown_indicator_and_saves_nothing():
    assessment = AssessmentFactory()

    with pytest.raises(ValidationError) as error:
        narratives_save(assessment=assessment, texts={1: "หนึ่ง", 11: "สิบเอ็ด"})

    assert "11" in str(error.value)
    assert "2568" in str(error.value)
    assert analyses(assessment) == {}


def test_narratives_fill_keeps_saved_texts(reference):
    IndicatorResult.objects.filter(assessment=reference, indicator__number=2).update(analysis="")
    saved_1 = analyses(reference)[1]

    changed = narratives_fill(assessment=reference, drafts={1: "ร่าง ๑", 2: "ร่าง ๒"})

    assert changed == [2]
    assert analyses(reference)[1] == saved_1
    assert analyses(reference)[2] == "ร่าง ๒"
