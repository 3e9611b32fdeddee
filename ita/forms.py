"""Forms of the admin's assessment page: the header first, then every published number.

The results form is built per framework (`results_form_class`) because each year has its own
questions, channels and items: a framework with 30 IIT questions gives 30 question fields.
Field names carry row ids, not codes (`q_<question id>_<channel id or 0>`), so a code
corrected in the framework admin does not break a form that is open in another tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from ita.bilingual import bilingual
from ita.models import Assessment, ItemStatus
from ita.queries import FrameworkLookup, framework_catalogue
from ita.results import IndicatorValue, ItemValue, ResultSet, score_error, validate
from ita.scoring import AssessmentScores, Check
from ita.thai import local_name


class ScoreField(forms.Field):
    """A 0–100 score with at most 2 decimals; blank means "no value".

    Errors carry Thai and English (like import errors) because clerks paste them into chats.
    Thai digits are accepted too: Decimal reads "๙๖.๓๒" as 96.32.
    """

    def __init__(self, *, label: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        attrs = {"class": "ita-score", "inputmode": "decimal", "autocomplete": "off", "size": 6}
        if label:
            attrs["aria-label"] = str(label)
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(label=label, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(
                bilingual(gettext_noop("“%(value)s” is not a number."), value=text),
                code="invalid",
            )
        return number

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        message = score_error(value)
        if message:
            raise ValidationError(message, code="out_of_range")


class AssessmentHeaderForm(forms.ModelForm):
    """The add page: which organisation, which year, which type; the scores come next."""

    class Meta:
        model = Assessment
        fields = ["organisation", "framework", "agency_type"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "agency_type" in self.fields:
            self.fields["agency_type"].required = False
            self.fields["agency_type"].help_text = _(
                "Leave blank to use the organisation's current type."
            )
        if "framework" in self.fields:
            self.fields["framework"].queryset = self.fields["framework"].queryset.order_by(
                "-fiscal_year"
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if not cleaned.get("agency_type") and organisation is not None:
            cleaned["agency_type"] = organisation.agency_type
        return cleaned


# --- The per-framework layout: plain names and labels, no bound fields -------------------


@dataclass(frozen=True)
class ToolLine:
    code: str
    name: str
    weight: Decimal
    field: str


@dataclass(frozen=True)
class QuestionLine:
    code: str
    theme: str
    # one (channel code or None, field name) per column of the indicator's table
    fields: tuple[tuple[str | None, str], ...]


@dataclass(frozen=True)
class ItemLine:
    code: str
    title: str
    score: str
    status: str
    reason: str


@dataclass(frozen=True)
class IndicatorBlock:
    number: int
    name: str
    tool: str
    score: str
    analysis: str
    columns: tuple[str, ...]
    questions: tuple[QuestionLine, ...]
    items: tuple[ItemLine, ...]


@dataclass(frozen=True)
class EntryLayout:
    fiscal_year: int
    tools: tuple[ToolLine, ...]
    indicators: tuple[IndicatorBlock, ...]


def entry_layout(lookup: FrameworkLookup) -> EntryLayout:
    """The year's tools, indicators (by number), questions per channel and items."""
    channels_of: dict[int, list[tuple[int | None, str | None, str]]] = {}
    for (question, code), channel in lookup.channels.items():
        channels_of.setdefault(question.pk, []).append(
            (channel.pk, code, local_name(channel.name_th, channel.name_en))
        )
    questions_of: dict[int, list[QuestionLine]] = {}
    columns_of: dict[int, tuple[str, ...]] = {}
    for question in lookup.questions.values():
        channels = channels_of.get(question.pk) or [(None, None, gettext("score"))]
        questions_of.setdefault(question.indicator_id, []).append(
            QuestionLine(
                code=question.code,
                theme=question.theme,
                fields=tuple(
                    (code, f"q_{question.pk}_{channel_id or 0}")
                    for channel_id, code, _name in channels
                ),
            )
        )
        columns_of.setdefault(question.indicator_id, tuple(name for *_ids, name in channels))
    items_of: dict[int, list[ItemLine]] = {}
    for item in lookup.items.values():
        items_of.setdefault(item.indicator_id, []).append(
            ItemLine(
                code=item.code,
                title=item.title,
                score=f"item_{item.pk}_score",
                status=f"item_{item.pk}_status",
                reason=f"item_{item.pk}_reason",
            )
        )
    return EntryLayout(
        fiscal_year=lookup.framework.fiscal_year,
        tools=tuple(
            ToolLine(
                code=tool.code,
                name=local_name(tool.name_th, tool.name_en),
                weight=tool.weight,
                field=f"tool_{tool.pk}",
            )
            for tool in lookup.tools.values()
        ),
        indicators=tuple(
            IndicatorBlock(
                number=indicator.number,
                name=local_name(indicator.name_th, indicator.name_en),
                tool=indicator.tool.code,
                score=f"ind_{indicator.pk}_score",
                analysis=f"ind_{indicator.pk}_analysis",
                columns=columns_of.get(indicator.pk, ()),
                questions=tuple(questions_of.get(indicator.pk, ())),
                items=tuple(items_of.get(indicator.pk, ())),
            )
            for indicator in sorted(lookup.indicators.values(), key=lambda i: i.number)
        ),
    )


def layout_fields(layout: EntryLayout) -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for tool in layout.tools:
        fields[tool.field] = ScoreField(label=f"{tool.code} {gettext('published score')}")
    for block in layout.indicators:
        heading = gettext("Indicator %(number)s") % {"number": block.number}
        fields[block.score] = ScoreField(label=f"{heading} {gettext('published score')}")
        fields[block.analysis] = forms.CharField(
            label=f"{heading} {gettext('published analysis')}",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4, "class": "ita-analysis"}),
        )
        for line in block.questions:
            for (_code, name), column in zip(line.fields, block.columns, strict=True):
                label = f"{line.code} {column}" if len(block.columns) > 1 else line.code
                fields[name] = ScoreField(label=label)
        for item in block.items:
            fields[item.score] = ScoreField(label=f"{item.code} {gettext('score')}")
            fields[item.status] = forms.ChoiceField(
                label=f"{item.code} {gettext('result')}",
                required=False,
                choices=[("", "—"), *ItemStatus.choices],
                widget=forms.Select(attrs={"aria-label": f"{item.code} {gettext('result')}"}),
            )
            fields[item.reason] = forms.CharField(
                label=f"{item.code} {gettext('reason or remark')}",
                required=False,
                widget=forms.Textarea(
                    attrs={
                        "rows": 2,
                        "class": "ita-reason",
                        "aria-label": f"{item.code} {gettext('reason or remark')}",
                    }
                ),
            )
    return fields


# --- Bound rows for the template -----------------------------------------------------------


@dataclass(frozen=True)
class BoundTool:
    line: ToolLine
    field: forms.BoundField
    check: Check | None


@dataclass(frozen=True)
class BoundQuestion:
    line: QuestionLine
    fields: list[forms.BoundField]


@dataclass(frozen=True)
class BoundItem:
    line: ItemLine
    score: forms.BoundField
    status: forms.BoundField
    reason: forms.BoundField


@dataclass(frozen=True)
class BoundIndicator:
    block: IndicatorBlock
    score: forms.BoundField
    analysis: forms.BoundField
    questions: list[BoundQuestion]
    items: list[BoundItem]
    check: Check | None


class AssessmentResultsForm(forms.ModelForm):
    """Every published number of one assessment (see `results_form_class`).

    `clean` gathers the fields into a `ResultSet` and runs the same validation the save
    service runs, so a bad value is reported on the form and nothing is half-saved.
    """

    layout: ClassVar[EntryLayout]
    lookup: ClassVar[FrameworkLookup]
    levels: ClassVar[tuple[str, ...]] = ()

    published_overall = ScoreField(label=_("published overall score"))

    class Meta:
        model = Assessment
        fields = ["agency_type", "published_overall", "published_level", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.results: ResultSet | None = None
        if self.levels and "published_level" in self.fields:
            self.fields["published_level"].help_text = _("Levels this year: %(levels)s") % {
                "levels": ", ".join(self.levels)
            }
        # Saved values the framework no longer has a field for (e.g. a channel added to a
        # tool after single-channel scores were entered): saving would drop them, so say so.
        self.unplaced: list[str] = []
        if self.instance.pk:
            saved = self._saved_values()
            self.unplaced = sorted(name for name in saved if name not in self.fields)
            self.initial.update(saved)

    def _saved_values(self) -> dict[str, object]:
        """Initial values from the saved rows (prefetched by the admin's queryset)."""
        assessment = self.instance
        values: dict[str, object] = {}
        for tool in assessment.tool_results.all():
            values[f"tool_{tool.tool_id}"] = tool.score
        for indicator in assessment.indicator_results.all():
            values[f"ind_{indicator.indicator_id}_score"] = indicator.score
            values[f"ind_{indicator.indicator_id}_analysis"] = indicator.analysis
        for question in assessment.question_scores.all():
            values[f"q_{question.question_id}_{question.channel_id or 0}"] = question.score
        for item in assessment.item_results.all():
            values[f"item_{item.item_id}_score"] = item.score
            values[f"item_{item.item_id}_status"] = item.status
            values[f"item_{item.item_id}_reason"] = item.reason
        return values

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        results = self._result_set(cleaned)
        errors = validate(results, framework_catalogue(self.lookup.framework, self.lookup))
        for message in errors:
            self.add_error(None, message)
        self.results = None if errors else results
        return cleaned

    def _result_set(self, cleaned: dict[str, Any]) -> ResultSet:
        """What the form holds; a blank field is no value, so its row will be removed."""
        results = ResultSet(
            overall=cleaned.get("published_overall"),
            level=cleaned.get("published_level") or "",
        )
        for tool in self.layout.tools:
            if cleaned.get(tool.field) is not None:
                results.tools[tool.code] = cleaned[tool.field]
        for block in self.layout.indicators:
            score, analysis = cleaned.get(block.score), cleaned.get(block.analysis) or ""
            if score is not None or analysis:
                results.indicators[block.number] = IndicatorValue(score=score, analysis=analysis)
            for line in block.questions:
                for channel, name in line.fields:
                    if cleaned.get(name) is not None:
                        results.questions[(line.code, channel)] = cleaned[name]
            for item in block.items:
                value = ItemValue(
                    score=cleaned.get(item.score),
                    status=cleaned.get(item.status) or "",
                    reason=cleaned.get(item.reason) or "",
                )
                if value != ItemValue():
                    results.items[item.code] = value
        return results

    def tool_rows(self, scores: AssessmentScores | None = None) -> list[BoundTool]:
        return [
            BoundTool(
                line=line,
                field=self[line.field],
                check=_tool_check(scores, line.code),
            )
            for line in self.layout.tools
        ]

    def sections(self, scores: AssessmentScores | None = None) -> list[BoundIndicator]:
        """One section per indicator, in number order, with its computed check if known."""
        return [
            BoundIndicator(
                block=block,
                score=self[block.score],
                analysis=self[block.analysis],
                questions=[
                    BoundQuestion(line=line, fields=[self[name] for _c, name in line.fields])
                    for line in block.questions
                ],
                items=[
                    BoundItem(
                        line=item,
                        score=self[item.score],
                        status=self[item.status],
                        reason=self[item.reason],
                    )
                    for item in block.items
                ],
                check=_indicator_check(scores, block.number),
            )
            for block in self.layout.indicators
        ]

    def error_summary(self) -> list[tuple[str, str, list[str]]]:
        """(field id, label, messages) of every result field with an error, in page order."""
        header = set(self._meta.fields or ())
        return [
            (self[name].auto_id, str(self.fields[name].label), list(messages))
            for name, messages in self.errors.items()
            if name in self.fields and name not in header
        ]


def results_form_class(
    lookup: FrameworkLookup, levels: Sequence[str] = ()
) -> type[AssessmentResultsForm]:
    """The results form for one framework: declared fields from its questions and items."""
    layout = entry_layout(lookup)
    attrs: dict[str, object] = {"layout": layout, "lookup": lookup, **layout_fields(layout)}
    attrs["levels"] = tuple(levels)
    return type(f"AssessmentResultsForm{layout.fiscal_year}", (AssessmentResultsForm,), attrs)


# --- Computed against published ------------------------------------------------------------


@dataclass(frozen=True)
class CheckRow:
    kind: str  # indicator, tool, overall or level
    key: str
    label: str
    published: object
    computed: object
    difference: Decimal | None
    mismatch: bool

    @property
    def is_score(self) -> bool:
        return self.kind != "level"

    @property
    def compared(self) -> bool:
        return self.published not in (None, "") and self.computed not in (None, "")


def _indicator_check(scores: AssessmentScores | None, number: int) -> Check | None:
    outcome = scores.indicator(number) if scores else None
    return outcome.check if outcome else None


def _tool_check(scores: AssessmentScores | None, code: str) -> Check | None:
    outcome = scores.tool(code) if scores else None
    return outcome.check if outcome else None


def _row(kind: str, key: str, label: str, check: Check) -> CheckRow:
    return CheckRow(
        kind=kind,
        key=key,
        label=label,
        published=check.published,
        computed=check.computed_rounded,
        difference=check.difference,
        mismatch=check.mismatch,
    )


def check_rows(layout: EntryLayout, scores: AssessmentScores) -> list[CheckRow]:
    """Published beside computed for every indicator, tool, the overall and the level."""
    rows: list[CheckRow] = []
    for block in layout.indicators:
        check = _indicator_check(scores, block.number)
        if check is not None:
            label = gettext("Indicator %(number)s") % {"number": block.number}
            rows.append(
                _row("indicator", f"indicator-{block.number}", f"{label} {block.name}", check)
            )
    for tool in layout.tools:
        check = _tool_check(scores, tool.code)
        if check is not None:
            rows.append(_row("tool", f"tool-{tool.code}", f"{tool.code} {tool.name}", check))
    rows.append(_row("overall", "overall", gettext("overall score"), scores.overall))
    rows.append(
        CheckRow(
            kind="level",
            key="level",
            label=gettext("level"),
            published=scores.published_level,
            computed=scores.computed_level or "",
            difference=None,
            mismatch=scores.level_mismatch,
        )
    )
    return rows


def mismatch_labels(scores: AssessmentScores) -> list[str]:
    """Short names of what disagrees, for the changelist's flag column."""
    labels = [
        gettext("indicator %(number)s") % {"number": i.number}
        for i in scores.indicators
        if i.check.mismatch
    ]
    labels += [t.code for t in scores.tools if t.check.mismatch]
    if scores.overall.mismatch:
        labels.append(gettext("overall score"))
    if scores.level_mismatch:
        labels.append(gettext("level"))
    return labels
