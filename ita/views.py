"""The analysis pages: dashboard, year-over-year comparison, indicator detail and peers.

Each view resolves the organisation through `ita.access`, reads every year with one fixed
set of queries (`ita.queries.organisation_years`), lets `ita.analysis` decide what to say
and `ita.charts` draw it, and renders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tables2 import RequestConfig

from ita import analysis, charts, pagecache, queries
from ita.access import organisation_for, organisation_required, organisations_for
from ita.analysis import YearFigures
from ita.bilingual import bilingual
from ita.models import Organisation
from ita.peers import queries as peer_queries
from ita.peers.rules import MIN_PEERS, scope_labels
from ita.tables import (
    ComparisonTable,
    IndicatorTable,
    ItemTable,
    QuestionTable,
    comparison_records,
)
from ita.templatetags.ita_pages import english


class CompareForm(forms.Form):
    """Which of the organisation's years to compare (all of them when none are ticked)."""

    years = forms.TypedMultipleChoiceField(
        label=_("Fiscal years"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, available: Sequence[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.available = sorted(available)
        self.fields["years"].choices = [(y, str(y)) for y in self.available]
        self.fields["years"].initial = self.available

    def clean_years(self) -> list[int]:
        years = sorted(set(self.cleaned_data["years"])) or self.available
        if len(self.available) >= 2 and len(years) < 2:
            raise forms.ValidationError(
                bilingual(gettext_noop("Choose at least two fiscal years to compare."))
            )
        return years

    def chosen_years(self) -> list[int]:
        """The valid choice, or every year when the choice is missing or invalid."""
        return self.cleaned_data["years"] if self.is_valid() else self.available


class PeerYearForm(forms.Form):
    """Which of the organisation's fiscal years to set against its peers (newest by default)."""

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)

    def __init__(self, *args: Any, available: Sequence[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.available = sorted(available, reverse=True)
        self.fields["year"].choices = [(y, str(y)) for y in self.available]
        self.fields["year"].error_messages["invalid_choice"] = bilingual(
            gettext_noop("This organisation has no results for that fiscal year.")
        )

    def chosen_year(self) -> int | None:
        """The valid choice, or the newest year when nothing (valid) was chosen."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"]
        return self.available[0] if self.available else None


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, district or province"), required=False, max_length=100)


ORGANISATIONS_PER_PAGE = 50


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    """Every organisation the user may open, searched by name or place, 50 to a page."""
    form = OrganisationSearchForm(request.GET)
    found = organisations_for(request.user)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        found = found.filter(
            Q(name__icontains=query) | Q(district__icontains=query) | Q(province__icontains=query)
        )
    page = Paginator(found, ORGANISATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "ita/organisations.html", {"form": form, "page": page, "query": query})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Back to the organisation opened last (or the first one); a note when there is none."""
    try:
        organisation = organisation_for(request)
    except Http404:
        return render(request, "ita/no_organisation.html")
    return redirect("ita:dashboard", organisation_id=organisation.pk)


def _page(
    request: HttpRequest,
    page: str,
    organisation: Organisation,
    render_body: Callable[[list[YearFigures]], dict[str, Any]],
    sources: Sequence[str] | None = None,
    **context: Any,
) -> HttpResponse:
    """Render `page`, its body from `ita.pagecache` when nothing it prints has changed.

    `render_body(years)` returns the body template's context (and `title` bits); it runs
    only on a miss, so a warm page reads one query of its years' versions and the version tokens.
    """
    figures = [k.figures for k in queries.organisation_assessment_keys(organisation.pk)]
    key = pagecache.body_key(request, page, organisation, figures=figures, sources=sources)

    def render_parts() -> dict[str, str]:
        body = render_body(queries.organisation_years(organisation))
        title = {k: str(v) for k, v in body.pop("title", {}).items()}
        html = render_to_string(f"ita/includes/{page}_body.html", body, request=request)
        return {"body": html, **title}

    parts = pagecache.cached_body(key, render_parts)
    body = mark_safe(parts.pop("body"))  # rendered by our own template, escaped there
    return render(
        request,
        f"ita/{page}.html",
        {**parts, **context, "organisation": organisation, "body": body},
    )


@organisation_required
def dashboard(
    request: HttpRequest, organisation: Organisation, year: int | None = None
) -> HttpResponse:
    def body(years: list[YearFigures]) -> dict[str, Any]:
        board = analysis.dashboard(years, year)
        if board is None and year is not None:
            raise Http404("No assessment for this year.")
        context: dict[str, Any] = {"organisation": organisation, "board": board}
        if board is None:
            return context
        table = IndicatorTable(board.indicators, organisation_id=organisation.pk)
        RequestConfig(request, paginate=False).configure(table)
        return context | {
            "title": {"year": board.year.fiscal_year},
            "indicator_table": table,
            "history_chart": charts.history_chart(board.years),
            "tool_chart": charts.tool_chart(board, english=english()),
            "indicator_chart": charts.indicator_chart(
                board.indicators,
                fiscal_year=board.year.fiscal_year,
                pass_line=board.year.lines.pass_line,
                english=english(),
            ),
        }

    return _page(request, "dashboard", organisation, body)


@organisation_required
def compare(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    def body(years: list[YearFigures]) -> dict[str, Any]:
        form = CompareForm(
            request.GET if "years" in request.GET else None,
            available=[y.fiscal_year for y in years],
        )
        chosen = [y for y in years if y.fiscal_year in form.chosen_years()]
        rows = analysis.comparison_rows(chosen)
        table = ComparisonTable(
            comparison_records(rows, [y.fiscal_year for y in chosen]),
            years=chosen,
            organisation_id=organisation.pk,
        )
        RequestConfig(request, paginate=False).configure(table)
        numbers = sorted({r.number for r in rows})
        return {
            "organisation": organisation,
            "form": form,
            "years": chosen,
            "table": table,
            "overall": analysis.overall_cells(chosen),
            "notes": analysis.comparison_notes(chosen),
            "questions": analysis.question_comparison(chosen),
            "chart": charts.comparison_chart(chosen, numbers) if chosen else "",
        }

    # No plan panel on this page: its body does not wait on the plans token.
    return _page(request, "compare", organisation, body, sources=())


@organisation_required
def indicator(request: HttpRequest, organisation: Organisation, number: int) -> HttpResponse:
    def body(years: list[YearFigures]) -> dict[str, Any]:
        history = analysis.indicator_history(years, number)
        if history is None:
            raise Http404("No such indicator.")
        return {
            "organisation": organisation,
            "history": history,
            "numbers": analysis.indicator_numbers(years),
            "entries": [(e, QuestionTable(e), ItemTable(e.items)) for e in history.years],
            "chart": charts.indicator_history_chart(history),
        }

    return _page(request, "indicator", organisation, body, number=number)


@organisation_required
def peers(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    assessments = peer_queries.organisation_assessments(organisation)
    form = PeerYearForm(
        request.GET if "year" in request.GET else None,
        available=[a.framework.fiscal_year for a in assessments],
    )
    year = form.chosen_year()
    report = peer_queries.peer_report(organisation, year, assessments) if year is not None else None
    context: dict[str, Any] = {
        "organisation": organisation,
        "form": form,
        "report": report,
        "min_peers": MIN_PEERS,
    }
    if report is not None:
        scopes = scope_labels(report.agency_type_label, report.province)
        context |= {
            "scopes": scopes,
            "standing": [(label, report.overall.stat(scope)) for scope, label in scopes],
            "ranking": peer_queries.ranking_page(
                report.ranking, report.ranking_position, request.GET.get("page")
            ),
            "chart": charts.peer_chart(
                [row.key for row in report.indicators], report.chart_series(scopes)
            ),
        }
    return render(request, "ita/peers.html", context)
