"""The paste-from-ITAS targets: which fields, how many and in what order, from the framework."""

from __future__ import annotations

import pytest
from django.utils import translation

from ita.forms import entry_layout
from ita.models import Item, Question
from ita.paste import paste_messages, paste_targets
from ita.queries import framework_lookup

pytestmark = pytest.mark.django_db


def _targets(framework):
    with translation.override("th"):
        return {t.key: t for t in paste_targets(entry_layout(framework_lookup(framework)))}


def test_paste_targets_follow_the_2568_framework(framework_2568):
    targets = _targets(framework_2568)

    indicators = targets["indicators"]
    assert indicators.label == "คะแนนรายตัวชี้วัด (10 ค่า)"
    numbers = framework_2568.indicators.order_by("number")
    assert indicators.fields == tuple(f"ind_{i.pk}_score" for i in numbers)
    labels = [t.label for t in targets.values()]
    assert "IIT i1–i15 (15 ค่า)" in labels
    eit = [t for t in targets.values() if t.label.startswith("EIT e1–e9")]
    assert len(eit) == framework_2568.tools.get(code="EIT").channels.count() == 2
    assert all(len(t.fields) == 9 for t in eit)
    items = Item.objects.filter(indicator__framework=framework_2568).count()
    assert len(targets["items-OIT"].fields) == items


def test_paste_targets_count_what_the_framework_holds(framework_2568):
    iit = Question.objects.filter(indicator__framework=framework_2568, code__startswith="i")
    last = iit.order_by("indicator__number", "order").last()
    Question.objects.create(
        indicator=last.indicator, code="i16", theme="ข้อเพิ่ม", order=last.order + 1
    )

    targets = _targets(framework_2568)

    assert "IIT i1–i16 (16 ค่า)" in [t.label for t in targets.values()]


def test_paste_messages_are_thai_then_english_with_placeholders():
    messages = paste_messages()

    assert messages["mismatch"] == (
        "พบตัวเลข {found} ค่า แต่รายการนี้มี {expected} ช่อง จึงยังไม่เติมช่องใด / "
        "Found {found} numbers but this list has {expected} fields; nothing was filled."
    )
    assert messages["filled"].startswith("เติมแล้ว {count} ช่อง")
