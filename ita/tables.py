"""django-tables2 tables of the analysis pages; rows are the plain values of ita.analysis."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ita.analysis import (
    ComparisonCell,
    ComparisonRow,
    Delta,
    IndicatorChange,
    IndicatorYear,
    ItemFigure,
    QuestionFigure,
    YearFigures,
)
from ita.models import AgencyType, ItemStatus
from ita.templatetags.ita_pages import arrow, local_name, signed
from ita.thai import format_score

TABLE_ATTRS = {"class": "data-table"}
ITEM_STATUS_LABELS = dict(ItemStatus.choices)
AGENCY_TYPE_LABELS = dict(AgencyType.choices)


def change_html(change: Delta | None) -> SafeString | str:
    """A change as ▲ +1.25 in a span whose class gives its colour (up, down, same)."""
    if change is None:
        return "—"
    return format_html(
        '<span class="change change-{}">{} {}</span>',
        change.direction.value,
        arrow(change),
        signed(change.difference),
    )


def score_html(value: Decimal | None, *, weak: bool = False) -> SafeString | str:
    if value is None:
        return "—"
    if weak:
        return format_html('<span class="score score-weak">{}</span>', format_score(value))
    return format_html('<span class="score">{}</span>', format_score(value))


def indicator_url(organisation_id: int, number: int) -> str:
    return reverse("ita:indicator", args=[organisation_id, number])


class IndicatorTable(tables.Table):
    """The dashboard's 10 indicators with their change against the previous comparable year."""

    number = tables.Column(verbose_name=_("No."), attrs={"td": {"class": "num"}})
    name = tables.Column(verbose_name=_("Indicator"), accessor="figure", order_by=("number",))
    tool = tables.Column(
        verbose_name=_("Tool"),
        accessor="figure__tool",
        attrs={"th": {"class": "optional"}, "td": {"class": "optional"}},
    )
    score = tables.Column(verbose_name=_("Score"), accessor="value", attrs={"td": {"class": "num"}})
    computed = tables.Column(
        verbose_name=_("Computed"),
        accessor="figure__check__computed_rounded",
        attrs={"th": {"class": "optional"}, "td": {"class": "num optional"}},
    )
    previous = tables.Column(
        verbose_name=_("Previous year"),
        accessor="change__previous",
        attrs={"th": {"class": "optional"}, "td": {"class": "num optional"}},
    )
    change = tables.Column(
        verbose_name=_("Change"),
        accessor="change",
        order_by=("change__difference",),
        attrs={"td": {"class": "num"}},
    )

    class Meta:
        attrs = TABLE_ATTRS
        row_attrs = {"class": lambda record: "row-weak" if record.weak else ""}
        orderable = True

    def __init__(self, data: Sequence[IndicatorChange], *, organisation_id: int, **kw: Any):
        self.organisation_id = organisation_id
        super().__init__(data, **kw)

    def render_name(self, record: IndicatorChange) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>',
            indicator_url(self.organisation_id, record.number),
            local_name(record.figure),
        )

    def render_score(self, record: IndicatorChange) -> SafeString | str:
        return score_html(record.value, weak=record.weak)

    def render_computed(self, record: IndicatorChange) -> SafeString | str:
        check = record.figure.check
        if check.computed is None:
            return "—"
        if check.mismatch:
            return format_html(
                '<span class="mismatch" title="{}">{} ≠</span>',
                _("differs from the published score"),
                format_score(check.computed),
            )
        return format_score(check.computed)

    def render_previous(self, value: Decimal) -> str:
        return format_score(value)

    def render_change(self, record: IndicatorChange) -> SafeString | str:
        return change_html(record.change)


def comparison_records(rows: Sequence[ComparisonRow], years: Sequence[int]) -> list[dict]:
    """Rows as dicts so each year becomes a sortable column (y2568 and its value)."""
    records = []
    for row in rows:
        record: dict[str, object] = {
            "row": row,
            "number": row.number,
            "family": row.family,
            "tool": row.tool,
            "change_value": row.overall_change.difference if row.overall_change else None,
        }
        for year in years:
            cell = row.cell(year)
            record[f"y{year}"] = cell
            record[f"y{year}_value"] = cell.value if cell else None
        records.append(record)
    return records


class YearColumn(tables.Column):
    """A year's score with its change against the previous selected year of the family."""

    def render(self, value: ComparisonCell) -> SafeString:
        mark = format_html(' <span class="mismatch" title="{}">*</span>', _("computed differs"))
        return format_html(
            "{}{}<br><small>{}</small>",
            score_html(value.value),
            mark if value.mismatch else "",
            change_html(value.change) if value.change else "",
        )


class ComparisonTable(tables.Table):
    number = tables.Column(verbose_name=_("No."), attrs={"td": {"class": "num"}})
    name = tables.Column(verbose_name=_("Indicator"), accessor="row", order_by=("number",))
    tool = tables.Column(
        verbose_name=_("Tool"), attrs={"th": {"class": "optional"}, "td": {"class": "optional"}}
    )
    change = tables.Column(
        verbose_name=_("Change over the period"),
        accessor="row__overall_change",
        order_by=("change_value",),
        attrs={"td": {"class": "num"}},
    )

    class Meta:
        attrs = TABLE_ATTRS
        orderable = True
        sequence = ("number", "name", "tool", "...", "change")

    def __init__(
        self, data: list[dict], *, years: Sequence[YearFigures], organisation_id: int, **kw: Any
    ):
        self.organisation_id = organisation_id
        extra = [
            (
                f"y{y.fiscal_year}",
                YearColumn(
                    verbose_name=str(y.fiscal_year),
                    order_by=(f"y{y.fiscal_year}_value",),
                    attrs={"td": {"class": "num"}, "th": {"class": "num"}},
                    default="—",
                ),
            )
            for y in sorted(years, key=lambda y: y.fiscal_year)
        ]
        super().__init__(data, extra_columns=extra, **kw)

    def render_name(self, value: ComparisonRow) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>',
            indicator_url(self.organisation_id, value.number),
            local_name(value),
        )

    def render_change(self, value: Delta) -> SafeString | str:
        return change_html(value)


class ChannelColumn(tables.Column):
    """One channel's score of a question (EIT: EitPublic, EitSurvey)."""

    def __init__(self, code: str, **kwargs: Any):
        self.code = code
        super().__init__(accessor=tables.A("code"), attrs={"td": {"class": "num"}}, **kwargs)

    def render(self, record: QuestionFigure) -> str:
        return format_score(record.score_for(self.code)) or "—"


class QuestionTable(tables.Table):
    """One year's questions of an indicator, with a column per score channel."""

    code = tables.Column(verbose_name=_("Question"))
    theme = tables.Column(verbose_name=_("Theme"), default="")
    value = tables.Column(verbose_name=_("Score"), attrs={"td": {"class": "num"}})

    class Meta:
        attrs = TABLE_ATTRS
        orderable = False
        sequence = ("code", "theme", "...", "value")

    def __init__(self, entry: IndicatorYear, **kw: Any):
        self.lines = entry.year.lines
        extra: list[tuple[str, tables.Column]] = [
            (f"channel_{c.code}", ChannelColumn(c.code, verbose_name=local_name(c)))
            for c in entry.channels
        ]
        if entry.channels:
            extra.append(
                ("value", tables.Column(verbose_name=_("Mean"), attrs={"td": {"class": "num"}}))
            )
        if not any(q.theme for q in entry.questions):
            kw.setdefault("exclude", ("theme",))
        super().__init__(entry.questions, extra_columns=extra, **kw)

    def render_code(self, record: QuestionFigure) -> SafeString:
        return format_html('<span class="code">{}</span>', record.code)

    def render_value(self, record: QuestionFigure) -> SafeString | str:
        return score_html(record.value, weak=self.lines.is_weak(record.value))


class ItemTable(tables.Table):
    """One year's open-data (OIT) item results of an indicator."""

    code = tables.Column(verbose_name=_("Item"))
    title = tables.Column(verbose_name=_("Item title"), attrs={"td": {"class": "text-col"}})
    score = tables.Column(verbose_name=_("Score"), attrs={"td": {"class": "num"}}, default="—")
    status = tables.Column(verbose_name=_("Result"), default="—")
    reason = tables.Column(
        verbose_name=_("Reason or remark"), default="", attrs={"td": {"class": "text-col"}}
    )

    class Meta:
        attrs = TABLE_ATTRS
        orderable = False
        row_attrs = {"class": lambda record: "row-weak" if record.needs_work else ""}

    def render_code(self, record: ItemFigure) -> SafeString:
        return format_html('<span class="code">{}</span>', record.code)

    def render_score(self, record: ItemFigure) -> SafeString | str:
        return score_html(record.score, weak=record.needs_work)

    def render_status(self, value: str) -> str:
        return str(ITEM_STATUS_LABELS.get(value, value))
