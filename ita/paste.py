"""What the "paste from ITAS" box on the assessment entry screen can fill (pure).

The NACC's result page (ITAS) lists a year's scores as columns: the ten indicator scores,
the IIT questions i1…i15, the EIT questions e1…e9 once per channel, the OIT items. A clerk
copies one column (or row) and the box fills the matching fields in order. Which fields, in
which order and how many come from the year's entry layout, so a framework with other
counts or codes needs no change here. The parsing of the pasted text lives in
static/ita/paste_scores.js, in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from ita.bilingual import bilingual
from ita.forms import EntryLayout


@dataclass(frozen=True)
class PasteTarget:
    key: str
    label: str
    fields: tuple[str, ...]  # form field names, in the order of the pasted numbers


def _span(codes: list[str]) -> str:
    return f"{codes[0]}–{codes[-1]}" if len(codes) > 1 else codes[0]


def paste_targets(layout: EntryLayout) -> list[PasteTarget]:
    """Indicator scores, tool scores, then per tool and channel its questions, then items."""
    targets: list[PasteTarget] = []
    if layout.indicators:
        targets.append(
            PasteTarget(
                key="indicators",
                label=gettext("Indicator scores (%(count)s values)")
                % {"count": len(layout.indicators)},
                fields=tuple(block.score for block in layout.indicators),
            )
        )
    if layout.tools:
        targets.append(
            PasteTarget(
                key="tools",
                label=gettext("Tool scores %(codes)s (%(count)s values)")
                % {"codes": ", ".join(t.code for t in layout.tools), "count": len(layout.tools)},
                fields=tuple(tool.field for tool in layout.tools),
            )
        )
    # Questions of one tool, one column (channel) at a time, in indicator then code order.
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for block in layout.indicators:
        for question in block.questions:
            for index, (_channel, field) in enumerate(question.fields):
                column = block.columns[index] if len(block.columns) > 1 else ""
                columns.setdefault((block.tool, column), []).append((question.code, field))
    for number, ((tool, column), lines) in enumerate(columns.items(), start=1):
        codes = [code for code, _field in lines]
        label = (
            gettext("%(tool)s %(codes)s, %(channel)s (%(count)s values)")
            if column
            else gettext("%(tool)s %(codes)s (%(count)s values)")
        )
        targets.append(
            PasteTarget(
                key=f"questions-{number}",
                label=label
                % {"tool": tool, "codes": _span(codes), "channel": column, "count": len(codes)},
                fields=tuple(field for _code, field in lines),
            )
        )
    items: dict[str, list[tuple[str, str]]] = {}
    for block in layout.indicators:
        for item in block.items:
            items.setdefault(block.tool, []).append((item.code, item.score))
    for tool, lines in items.items():
        codes = [code for code, _field in lines]
        targets.append(
            PasteTarget(
                key=f"items-{tool}",
                label=gettext("%(tool)s %(codes)s (%(count)s values)")
                % {"tool": tool, "codes": _span(codes), "count": len(codes)},
                fields=tuple(field for _code, field in lines),
            )
        )
    return targets


def paste_messages() -> dict[str, str]:
    """The box's messages in Thai and English; the script fills in {found}, {expected},
    {value} and {count}."""
    return {
        "mismatch": bilingual(
            gettext_noop(
                "Found %(found)s numbers but this list has %(expected)s fields; nothing was filled."
            ),
            found="{found}",
            expected="{expected}",
        ),
        "invalid": bilingual(
            gettext_noop("“%(value)s” is not a score from 0 to 100; nothing was filled."),
            value="{value}",
        ),
        "empty": bilingual(gettext_noop("Paste the numbers first.")),
        "filled": bilingual(
            gettext_noop("Filled %(count)s fields. Check them, then save."), count="{count}"
        ),
    }
