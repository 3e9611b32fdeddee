"""Rows of a sheet built from results: an assessment's export, or a year's blank template.

Pure: the year's codes and labels come in as a `SheetLayout`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from ita.models import AgencyType
from ita.results import ResultSet
from ita.sheets.cells import COLUMNS, SheetMeta, agency_type_label


@dataclass(frozen=True)
class QuestionLabel:
    code: str
    label: str
    channels: tuple[tuple[str, str], ...] = ()  # (code, name); empty: one unnamed channel


@dataclass(frozen=True)
class ItemLabel:
    code: str
    title: str


@dataclass(frozen=True)
class IndicatorLabel:
    number: int
    name: str
    tool: str
    questions: tuple[QuestionLabel, ...] = ()
    items: tuple[ItemLabel, ...] = ()


@dataclass(frozen=True)
class ToolLabel:
    code: str
    name: str


@dataclass(frozen=True)
class SheetLayout:
    """A year's framework as the sheet shows it: codes in order, with human labels."""

    fiscal_year: int
    tools: tuple[ToolLabel, ...]
    indicators: tuple[IndicatorLabel, ...]


Row = dict[str, Any]


def _row(kind: str, code: object = "", channel: str = "", label: str = "", **values: object) -> Row:
    row: Row = dict.fromkeys(COLUMNS, "")
    row.update(kind=kind, code=code, channel=channel, label=label)
    row.update({k: "" if v is None else v for k, v in values.items()})
    return row


def sheet_rows(layout: SheetLayout, meta: SheetMeta | None, results: ResultSet | None) -> list[Row]:
    """The rows of one sheet: the assessment's values, or a blank template when
    `results` is None (every code of the year, scores empty)."""
    blank = results is None
    results = results or ResultSet()
    choices = ", ".join(agency_type_label(code) for code in AgencyType.values)
    rows = [
        _row("fiscal_year", label=gettext("Fiscal year (B.E.)"), text=layout.fiscal_year),
        _row("organisation", label=gettext("Organisation name"), text=meta and meta.organisation),
        _row("district", label=gettext("District"), text=meta and meta.district),
        _row("province", label=gettext("Province"), text=meta and meta.province),
        _row(
            "agency_type",
            label=gettext("Agency type (%(choices)s)") % {"choices": choices},
            text=meta and agency_type_label(meta.agency_type),
        ),
        _row("note", label=gettext("Note"), text=meta and meta.note),
        _row("overall", label=gettext("Overall score"), score=results.overall),
        _row("level", label=gettext("Level"), text=results.level),
    ]
    rows += [
        _row("tool", tool.code, label=tool.name, score=results.tools.get(tool.code))
        for tool in layout.tools
        if blank or tool.code in results.tools
    ]
    for indicator in layout.indicators:
        title = f"{indicator.number}. {indicator.name}"
        value = results.indicators.get(indicator.number)
        if blank or value is not None:
            rows.append(
                _row(
                    "indicator",
                    indicator.number,
                    label=title,
                    score=value and value.score,
                    text=value and value.analysis,
                )
            )
        for question in indicator.questions:
            for channel, channel_name in question.channels or (("", ""),):
                key = (question.code, channel or None)
                if blank or key in results.questions:
                    label = " – ".join(p for p in (title, question.label, channel_name) if p)
                    rows.append(
                        _row(
                            "question",
                            question.code,
                            channel,
                            label,
                            score=results.questions.get(key),
                        )
                    )
        for item in indicator.items:
            result = results.items.get(item.code)
            if blank or result is not None:
                rows.append(
                    _row(
                        "item",
                        item.code,
                        label=item.title,
                        score=result and result.score,
                        status=result and result.status,
                        text=result and result.reason,
                    )
                )
    return rows
