"""Tables of the plans pages (django-tables2); cells render Buddhist-era months and years."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ita.thai import format_date
from plans.models import Action, Plan
from plans.templatetags.plans_tags import period


class PlanTable(tables.Table):
    fiscal_year = tables.Column(
        verbose_name=_("Fiscal year"), linkify=lambda record: record.get_absolute_url()
    )
    assessment = tables.Column(
        verbose_name=_("Based on results of"),
        accessor="assessment__framework__fiscal_year",
        orderable=False,
    )
    status = tables.Column(verbose_name=_("Status"))
    revision = tables.Column(verbose_name=_("Revision"))
    action_count = tables.Column(verbose_name=_("Actions"), orderable=False)
    overdue_count = tables.Column(verbose_name=_("Overdue"), orderable=False)
    approved_at = tables.Column(verbose_name=_("Approved"), orderable=False)

    class Meta:
        model = Plan
        fields = ["fiscal_year"]
        sequence = [
            "fiscal_year",
            "assessment",
            "status",
            "revision",
            "action_count",
            "overdue_count",
            "approved_at",
        ]
        orderable = False
        attrs = {"class": "plans-table"}
        empty_text = _("No plan yet.")

    def render_status(self, record: Plan) -> str:
        return format_html(
            '<span class="plans-status plans-status--{}">{}</span>',
            record.status,
            record.get_status_display(),
        )

    def render_overdue_count(self, value: int) -> Any:
        if not value:
            return "0"
        return format_html('<span class="plans-overdue">{}</span>', value)

    def render_approved_at(self, record: Plan) -> str:
        if not record.approved_at:
            return "—"
        return format_date(record.approved_at, short=True)


class DivisionWorkTable(tables.Table):
    indicator = tables.Column(verbose_name=_("Indicator"), accessor="indicator__number")
    measure = tables.Column(
        verbose_name=_("Measure"), linkify=lambda record: record.get_absolute_url()
    )
    plan = tables.Column(verbose_name=_("Plan"), accessor="plan__fiscal_year")
    period = tables.Column(verbose_name=_("Period"), empty_values=(), accessor="end_month")
    status = tables.Column(verbose_name=_("Status"))
    latest_percent = tables.Column(verbose_name=_("Progress"), empty_values=())

    class Meta:
        model = Action
        fields = ["indicator"]
        sequence = ["indicator", "measure", "plan", "period", "status", "latest_percent"]
        orderable = False
        attrs = {"class": "plans-table plans-work"}
        row_attrs = {"class": lambda record: "plans-row--overdue" if record.overdue else ""}
        empty_text = _("Nothing is assigned to your division in an approved plan.")

    def render_indicator(self, record: Action) -> str:
        return f"{record.indicator.number}. {record.indicator.name_th}"

    def render_measure(self, value: str) -> str:
        return value if len(value) <= 120 else f"{value[:120]}…"

    def render_period(self, record: Action) -> str:
        return period(record)

    def render_status(self, record: Action) -> str:
        return render_to_string("plans/includes/action_status.html", {"action": record})

    def render_latest_percent(self, value: int | None) -> str:
        return render_to_string("plans/includes/progress_bar.html", {"percent": value or 0})
