"""Importing a framework file: the framework as file rows, what a file would change, and the
write that makes a year's framework hold a file's rows (`framework_import`).

The rows and their layout are `ita.frameworks.files`; the rules they must meet are
`ita.frameworks.checks` (both pure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from ita.bilingual import bilingual
from ita.frameworks.checks import ImportPlan, RowChange
from ita.frameworks.checks import diff as diff_framework
from ita.frameworks.checks import validate as validate_framework
from ita.frameworks.files import SHEETS as FRAMEWORK_SHEETS
from ita.frameworks.files import (
    BandRow,
    ChannelRow,
    FrameworkRow,
    FrameworkSpec,
    IndicatorRow,
    ItemRow,
    QuestionRow,
    ToolRow,
)
from ita.models import (
    Channel,
    Framework,
    Indicator,
    IndicatorResult,
    Item,
    ItemResult,
    Question,
    QuestionScore,
    RatingBand,
    Tool,
    ToolResult,
)


def framework_spec(framework: Framework) -> FrameworkSpec:
    """A framework as the plain rows of its spreadsheet (`ita.frameworks.files`): 6 queries."""
    tools = list(framework.tools.prefetch_related("channels"))
    indicators = list(
        framework.indicators.select_related("tool").prefetch_related("questions", "items")
    )
    return FrameworkSpec(
        framework=FrameworkRow(
            fiscal_year=framework.fiscal_year,
            family=framework.family,
            name=framework.name,
            status=framework.status,
            source_note=framework.source_note,
            description=framework.description,
        ),
        tools=tuple(
            ToolRow(t.code, t.name_th, t.name_en, t.weight, t.aggregation, t.order) for t in tools
        ),
        channels=tuple(
            ChannelRow(t.code, c.code, c.name_th, c.name_en, c.order)
            for t in tools
            for c in t.channels.all()
        ),
        bands=tuple(
            BandRow(b.label, b.min_overall, b.min_each_tool, b.passes, b.order)
            for b in framework.rating_bands.all()
        ),
        indicators=tuple(
            IndicatorRow(i.number, i.name_th, i.name_en, i.tool.code) for i in indicators
        ),
        questions=tuple(
            QuestionRow(q.code, i.number, q.order, q.theme, q.text)
            for i in indicators
            for q in i.questions.all()
        ),
        items=tuple(
            ItemRow(
                o.code,
                i.number,
                o.title,
                o.order,
                o.sub_indicator,
                o.title_known,
                o.data_year,
                o.document_role,
                o.note,
            )
            for i in indicators
            for o in sorted(i.items.all(), key=lambda o: (o.order, o.code))
        ),
    )


def framework_import_plan(*, spec: FrameworkSpec) -> ImportPlan:
    """What importing `spec` would change, and why it may need an explicit permission.

    Reads only. An invalid file, or one that removes a row results still use, raises
    ValidationError with every reason (bilingual).
    """
    errors = validate_framework(spec)
    if errors:
        raise ValidationError(errors)
    year = spec.framework.fiscal_year
    existing = Framework.objects.filter(fiscal_year=year).first()
    changes = diff_framework(framework_spec(existing) if existing else None, spec)
    refusals: list[str] = []
    if existing is not None:
        if not existing.is_provisional:
            refusals.append(
                bilingual(gettext_noop("Fiscal year %(year)s's framework is confirmed."), year=year)
            )
        used = existing.assessments.count()
        if used:
            refusals.append(
                bilingual(
                    gettext_noop("%(count)s assessment(s) of fiscal year %(year)s use it."),
                    count=used,
                    year=year,
                )
            )
        blocked = _removals_in_use(existing, changes)
        if blocked:
            raise ValidationError(blocked)
    return ImportPlan(year, existing is not None, tuple(changes), tuple(refusals))


@transaction.atomic
def framework_import(*, spec: FrameworkSpec, allow_replace: bool = False) -> ImportPlan:
    """Make fiscal year `spec.framework.fiscal_year`'s framework hold exactly `spec`.

    Rows are matched by their key (tool code, indicator number, question or item code, level
    label), so results keep pointing at the rows they use. A confirmed framework, or one
    that results use, is replaced only with `allow_replace`. All or nothing.
    """
    plan = framework_import_plan(spec=spec)
    if plan.refusals and not allow_replace:
        raise ValidationError([*plan.refusals, bilingual(gettext_noop("Nothing was imported."))])
    head = spec.framework
    framework = Framework.objects.select_for_update().filter(
        fiscal_year=head.fiscal_year
    ).first() or Framework(fiscal_year=head.fiscal_year)
    values = {
        "family": head.family,
        "name": head.name,
        "status": head.status,
        "source_note": head.source_note,
        "description": head.description,
    }
    if _set(framework, **values) or framework.pk is None:
        framework.full_clean()
        framework.save()

    tools = _upsert(
        {t.code: t for t in framework.tools.all()},
        spec.tools,
        lambda r: Tool(framework=framework),
        lambda r: {
            "name_th": r.name_th,
            "name_en": r.name_en,
            "weight": r.weight,
            "aggregation": r.aggregation,
            "order": r.order,
        },
        code_field="code",
    )
    channels = _upsert(
        {f"{c.tool.code}/{c.code}": c for c in Channel.objects.filter(tool__framework=framework)},
        spec.channels,
        lambda r: Channel(code=r.code),
        lambda r: {
            "tool": tools.kept[r.tool],
            "name_th": r.name_th,
            "name_en": r.name_en,
            "order": r.order,
        },
    )
    bands = _upsert(
        {b.label: b for b in framework.rating_bands.all()},
        spec.bands,
        lambda r: RatingBand(framework=framework, label=r.label),
        lambda r: {
            "min_overall": r.min_overall,
            "min_each_tool": r.min_each_tool,
            "passes": r.passes,
            "order": r.order,
        },
    )
    indicators = _upsert(
        {str(i.number): i for i in framework.indicators.select_related("tool")},
        spec.indicators,
        lambda r: Indicator(framework=framework, number=r.number),
        lambda r: {"tool": tools.kept[r.tool], "name_th": r.name_th, "name_en": r.name_en},
    )
    by_number = indicators.kept
    questions = _upsert(
        {q.code: q for q in Question.objects.filter(indicator__framework=framework)},
        spec.questions,
        lambda r: Question(code=r.code),
        lambda r: {
            "indicator": by_number[str(r.indicator)],
            "order": r.order,
            "theme": r.theme,
            "text": r.text,
        },
    )
    items = _upsert(
        {o.code: o for o in Item.objects.filter(indicator__framework=framework)},
        spec.items,
        lambda r: Item(code=r.code),
        lambda r: {
            "indicator": by_number[str(r.indicator)],
            "title": r.title,
            "order": r.order,
            "sub_indicator": r.sub_indicator,
            "title_known": r.title_known,
            "data_year": r.data_year,
            "document_role": r.document_role,
            "note": r.note,
        },
    )
    # Children go first: an indicator RESTRICTs its tool.
    for upserted in (questions, items, indicators, channels, bands, tools):
        for row in upserted.removed:
            row.delete()
    return plan


def _set(row: object, **values: object) -> bool:
    """Assign values; say whether anything changed (so history records real edits only)."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


@dataclass
class _Upserted:
    kept: dict[str, Any]
    removed: list[Any]


def _upsert(existing, rows, build, values, *, code_field: str = "") -> _Upserted:  # type: ignore[no-untyped-def]
    """Update the rows found by key, create the others; the rest is left to delete."""
    kept = {}
    for row in rows:
        obj = existing.get(row.key)
        wanted = values(row)
        if obj is None:
            obj = build(row)
            if code_field:
                setattr(obj, code_field, row.key)
            _set(obj, **wanted)
        elif not _set(obj, **wanted):
            kept[row.key] = obj
            continue
        obj.full_clean()
        obj.save()
        kept[row.key] = obj
    return _Upserted(kept, [obj for key, obj in existing.items() if key not in kept])


def _removals_in_use(framework: Framework, changes: list[RowChange]) -> list[str]:
    """Rows the file drops that results still point at: such a file is refused."""
    removed = {(c.sheet, c.key) for c in changes if c.kind == "removed"}
    if not removed:
        return []
    titles = {sheet.name: sheet.title for sheet in FRAMEWORK_SHEETS}
    in_use = [
        (titles["tools"], code)
        for code in ToolResult.objects.filter(tool__framework=framework).values_list(
            "tool__code", flat=True
        )
    ]
    in_use += [
        (titles["indicators"], str(number))
        for number in IndicatorResult.objects.filter(indicator__framework=framework).values_list(
            "indicator__number", flat=True
        )
    ]
    in_use += [
        (titles["questions"], code)
        for code in QuestionScore.objects.filter(
            question__indicator__framework=framework
        ).values_list("question__code", flat=True)
    ]
    in_use += [
        (titles["channels"], f"{tool}/{code}")
        for tool, code in QuestionScore.objects.filter(
            channel__tool__framework=framework
        ).values_list("channel__tool__code", "channel__code")
    ]
    in_use += [
        (titles["items"], code)
        for code in ItemResult.objects.filter(item__indicator__framework=framework).values_list(
            "item__code", flat=True
        )
    ]
    return [
        bilingual(
            gettext_noop("Sheet “%(sheet)s”: “%(key)s” cannot be removed: entered results use it."),
            sheet=sheet,
            key=key,
        )
        for sheet, key in sorted(set(in_use) & removed)
    ]
