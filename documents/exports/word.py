"""Documents as DOCX for staff who edit in Word: the report here, helpers for the plan too."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from documents.content import DocumentOptions, PlanDocument, ReportData
from ita.thai import as_digits, format_date, format_period, format_score

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table

# Thai government documents are typed in TH SarabunPSK 16 pt (the cabinet's standard font);
# Word substitutes a Thai font where it is missing. The PDFs embed the shipped Sarabun.
WORD_FONT = "TH SarabunPSK"
WORD_FONT_SIZE = 16
WORD_SMALL_SIZE = 14


def word_document(*, landscape: bool = False) -> DocxDocument:
    """An A4 document whose styles use a Thai font for Thai (complex-script) text too."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.left_margin = section.right_margin = Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(1.5)
    else:
        section.left_margin, section.right_margin = Cm(2.5), Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)

    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        style = document.styles[style_name]
        font = style.font
        font.name = WORD_FONT
        font.color.rgb = None
        r_pr = style.element.get_or_add_rPr()
        fonts = r_pr.get_or_add_rFonts()
        # Word draws Thai with the complex-script font and size (w:cs, w:szCs), not w:ascii.
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), WORD_FONT)
        size = {"Title": 20, "Heading 1": 18, "Heading 2": 17, "Heading 3": 16}.get(
            style_name, WORD_FONT_SIZE
        )
        font.size = Pt(size)
        _set_cs_size(r_pr, size)
        language = r_pr.find(qn("w:lang"))
        if language is None:
            language = r_pr.makeelement(qn("w:lang"), {})
            r_pr.append(language)
        language.set(qn("w:bidi"), "th-TH")
        language.set(qn("w:val"), "th-TH")
    document.styles["Normal"].paragraph_format.space_after = Pt(2)
    return document


def _set_cs_size(r_pr: Any, points: float) -> None:
    from docx.oxml.ns import qn

    element = r_pr.find(qn("w:szCs"))
    if element is None:
        element = r_pr.makeelement(qn("w:szCs"), {})
        r_pr.append(element)
    element.set(qn("w:val"), str(int(points * 2)))


def word_paragraph(
    document: Any,
    text: str,
    *,
    bold: bool = False,
    center: bool = False,
    size: float | None = None,
    indent: bool = False,
    style: str | None = None,
    keep_with_next: bool | None = None,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
        _set_cs_size(run._element.get_or_add_rPr(), size)
    if bold:
        # Word reads bold for Thai from w:bCs.
        from docx.oxml.ns import qn

        r_pr = run._element.get_or_add_rPr()
        r_pr.append(r_pr.makeelement(qn("w:bCs"), {}))
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    # A bold line is a heading here: keep it on the page of what it introduces.
    if keep_with_next if keep_with_next is not None else bold:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


# Thai text in TH SarabunPSK (Laksaman in LibreOffice) has a line height of almost two ems
# by the font's own metrics; table text is set to this many ems a line instead, which
# still clears the stacked tone marks and the tails below (checked by eye in LibreOffice).
TABLE_LINE_EMS = 1.45
# Space between a cell's border and its text, each side (twentieths of a point: 0.1 cm).
CELL_MARGIN_TWIPS = 57
NBSP = "\u00a0"
# A score column: "๑๐๐.๐๐" at 14 pt and the cell margins, on one line.
SCORE_CM = 2.3


def fit_widths(widths_cm: Sequence[float], columns: int, available_cm: float) -> list[float]:
    """Column widths that fill no more than the text width: the given ones scaled down when
    they add up to more, or equal columns when none are given (pure)."""
    if not widths_cm:
        return [available_cm / columns] * columns
    if len(widths_cm) != columns:
        raise ValueError(f"{len(widths_cm)} widths for {columns} columns")
    total = sum(widths_cm)
    if total <= available_cm:
        return list(widths_cm)
    return [w * available_cm / total for w in widths_cm]


def text_width_cm(document: Any) -> float:
    """The width between the margins of the document's last section, in centimetres."""
    section = document.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def unbreakable(text: str) -> str:
    """A score, a code or a date that must stay on one line ("๑๐ / ๐.๐๐", "ข้อ i๑")."""
    return str(text).replace(" ", NBSP)


def word_table(
    document: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths_cm: Sequence[float] = (),
    size: float = WORD_SMALL_SIZE,
    numeric: Sequence[int] = (),
    keep_together: bool = False,
    keep_with_next: bool = False,
) -> Table:
    """A bordered table of fixed column widths that fit the page, whose header row repeats
    on every page and whose rows never split.

    Word reads each cell's width (w:tcW), LibreOffice the table grid (w:gridCol); both get
    the same widths and a fixed layout (w:tblLayout), so neither stretches a column to its
    longest word. `numeric` columns are right-aligned and never wrap. `keep_together` keeps
    a short table on one page (Word's "keep with next" on every row but the last): an
    indicator's questions share merged cells, which cannot split well. `keep_with_next`
    keeps the last row with what follows (the signatures after a plan's last measure).
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    widths = fit_widths(widths_cm, len(header), text_width_cm(document))
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = document.styles["Table Grid"]
    table.autofit = False  # w:tblLayout w:type="fixed"
    _table_geometry(table, widths)
    for col_index, width in enumerate(widths):
        table.columns[col_index].width = Cm(width)
    for row_index, values in enumerate([header, *rows]):
        row = table.rows[row_index]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
        if row_index == 0:
            tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
        for col_index, value in enumerate(values):
            cell = row.cells[col_index]
            cell.width = Cm(widths[col_index])
            is_number = row_index > 0 and col_index in numeric
            _cell_text(
                cell, unbreakable(value) if is_number else value, bold=row_index == 0, size=size
            )
            if is_number:
                tc_pr = cell._tc.get_or_add_tcPr()
                tc_pr.append(tc_pr.makeelement(qn("w:noWrap"), {}))
            paragraph = cell.paragraphs[0]
            if row_index == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif is_number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    kept = list(table.rows[:-1]) if keep_together else []
    if keep_with_next:
        kept.append(table.rows[-1])
    for row in kept:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    return table


def _table_geometry(table: Any, widths_cm: Sequence[float]) -> None:
    """The table's total width and its cell margins, in twips (w:tblW, w:tblCellMar)."""
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = tbl_pr.makeelement(qn("w:tblW"), {})
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(widths_cm) * 1440 / 2.54)))
    margins = tbl_pr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):
        margin = margins.makeelement(qn(f"w:{side}"), {})
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    # The schema's order: ... w:tblLayout, w:tblCellMar, w:tblLook.
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        tbl_pr.append(margins)
    else:
        look.addprevious(margins)


def _cell_text(cell: Any, text: str, *, bold: bool = False, size: float = WORD_SMALL_SIZE) -> None:
    """Cell text, one paragraph per line (python-docx would otherwise keep line feeds raw)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    lines = str(text).split("\n") or [""]
    first, *others = cell.paragraphs
    for paragraph in others:  # e.g. left over from merged cells
        paragraph._element.getparent().remove(paragraph._element)
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        if paragraph.runs:
            for run in list(paragraph.runs):
                run._element.getparent().remove(run._element)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = Pt(size * TABLE_LINE_EMS)
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)
        r_pr = run._element.get_or_add_rPr()
        _set_cs_size(r_pr, size)
        if bold:
            r_pr.append(r_pr.makeelement(qn("w:bCs"), {}))


def word_page_numbers(document: Any, label: str) -> None:
    """Footer "หน้า 1/3": PAGE and NUMPAGES fields in decimal digits.

    Thai digits would need the field switch "\\* ThaiArabic", which Word follows but
    LibreOffice shows as Thai letters ("หน้า ก/ฑ"); the footer keeps Arabic digits, which
    both show alike (tests/documents/test_docx_libreoffice.py checks LibreOffice's).
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(f"{label} ")
        for index, field in enumerate((r"PAGE \* Arabic", r"NUMPAGES \* Arabic")):
            if index:
                paragraph.add_run("/")
            run = paragraph.add_run()
            for kind, text in (("begin", None), ("instr", field), ("separate", None)):
                if kind == "instr":
                    element = run._element.makeelement(qn("w:instrText"), {})
                    element.set(qn("xml:space"), "preserve")
                    element.text = f" {text} "
                else:
                    element = run._element.makeelement(qn("w:fldChar"), {})
                    element.set(qn("w:fldCharType"), kind)
                run._element.append(element)
            placeholder = paragraph.add_run("1")
            end = placeholder._element.makeelement(qn("w:fldChar"), {})
            end.set(qn("w:fldCharType"), "end")
            paragraph.add_run()._element.append(end)


def word_signatures(document: Any, plan: PlanDocument | None, *, thai: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    dots = "." * 30
    approver = plan.approved_by if plan and plan.approved_by else dots
    approved_on = format_date(plan.approved_at, thai=thai) if plan and plan.approved_at else dots
    blocks = [
        [
            f"{gettext('Signed')} {dots} {gettext('Prepared by')}",
            f"( {dots} )",
            f"{gettext('Position')} {dots}",
            f"{gettext('Date')} {dots}",
        ],
        [
            f"{gettext('Signed')} {dots} {gettext('Approved by')}",
            f"( {approver} )",
            f"{gettext('Position')} {dots}",
            f"{gettext('Date')} {approved_on}",
        ],
    ]
    # The blank line goes with the block, and the block's one row never splits: with the
    # last rows of the table before it kept with the next paragraph (word_table's
    # keep_with_next), the signatures never stand alone on a page.
    word_paragraph(document, "", keep_with_next=True)
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    half_cm = text_width_cm(document) / 2
    _table_geometry(table, [half_cm, half_cm])
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
    half = Cm(half_cm)
    for column in table.columns:
        column.width = half
    for cell, lines in zip(table.rows[0].cells, blocks, strict=True):
        cell.width = half
        _cell_text(cell, "\n".join(lines), size=WORD_FONT_SIZE)
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_together = True


def word_chart(document: Any, svg: str) -> None:
    """A chart of the PDF as a picture the width of the text, kept with what follows."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    from ita.charts.raster import chart_png

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(chart_png(svg)), width=Cm(text_width_cm(document)))


def plan_meta(plan: PlanDocument, *, thai: bool) -> str:
    """The plan's basis, state, approval and council meeting (its date and note), one line."""
    meta = [
        gettext("Based on the ITA results of fiscal year %(year)s")
        % {"year": as_digits(plan.analysed_year, thai=thai)},
        plan.status_label,
    ]
    if plan.approved_at:
        meta.append(
            gettext("approved by %(name)s on %(date)s")
            % {"name": plan.approved_by, "date": format_date(plan.approved_at, thai=thai)}
        )
    if plan.council_date:
        meta.append(
            gettext("presented to the council on %(date)s")
            % {"date": format_date(plan.council_date, thai=thai)}
            + (f" ({plan.council_note})" if plan.council_note else "")
        )
    elif plan.council_note:
        meta.append(plan.council_note)
    return " · ".join(meta)


def plan_table_rows(plan: PlanDocument, *, thai: bool) -> list[list[str]]:
    return [
        [
            as_digits(f"{row.indicator_number}. {row.indicator_name}", thai=thai)
            + (f" ({as_digits(row.code, thai=thai)})" if row.code else ""),
            as_digits(row.finding, thai=thai),
            as_digits(row.measure, thai=thai),
            as_digits(row.steps, thai=thai),
            format_period(row.start_month, row.end_month, thai=thai),
            row.responsible,
        ]
        for row in plan.rows
    ]


def plan_table_header() -> list[str]:
    return [
        gettext("Indicator"),
        gettext("Finding"),
        gettext("Measure / practice"),
        gettext("Steps / method"),
        gettext("Period"),
        gettext("Responsible"),
    ]


def word_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_docx(report: ReportData, options: DocumentOptions) -> bytes:
    thai = options.thai_digits

    def d(value: object) -> str:
        return as_digits(value, thai=thai)

    def score(value: Decimal | None) -> str:
        return format_score(value, thai=thai)

    year = d(report.fiscal_year)
    place = ""
    if report.district:
        place = gettext("%(district)s District, %(province)s Province") % {
            "district": report.district,
            "province": report.province,
        }
    document = word_document()
    word_paragraph(
        document,
        gettext(
            "Analysis of the integrity and transparency assessment of %(organisation)s "
            "%(place)s, fiscal year %(year)s"
        )
        % {"organisation": report.organisation, "place": place, "year": year},
        bold=True,
        center=True,
        size=18,
    )
    word_paragraph(
        document,
        f"{d(1)}. "
        + gettext("Analysis of the ITA results of %(organisation)s, fiscal year %(year)s")
        % {"organisation": report.organisation, "year": year},
        bold=True,
    )
    word_paragraph(
        document,
        gettext(
            "In the ITA of fiscal year %(year)s, %(organisation)s scored %(score)s points, "
            "at the level %(level)s, as follows."
        )
        % {
            "year": year,
            "organisation": report.organisation,
            "score": score(report.overall),
            "level": report.level,
        },
        indent=True,
    )
    word_paragraph(
        document,
        gettext("Integrity and Transparency Assessment of public agencies, fiscal year %(year)s")
        % {"year": year},
        bold=True,
        center=True,
    )
    word_paragraph(document, report.organisation, bold=True, center=True)
    if report.agency_type:
        word_paragraph(
            document,
            gettext("Agency type: %(type)s") % {"type": report.agency_type},
            center=True,
        )
    # The PDF's charts as pictures, each followed by its numbers as a table.
    word_paragraph(document, gettext("Overall result"), bold=True)
    word_chart(document, report.charts.overall)
    word_table(
        document,
        [gettext("Fiscal year"), gettext("Overall score"), gettext("Level")],
        [[year, score(report.overall), report.level]],
        widths_cm=(4, 4, 8.5),
        numeric=(1,),
    )
    word_paragraph(document, gettext("Overall result over the years"), bold=True)
    word_chart(document, report.charts.history)
    word_table(
        document,
        [gettext("Fiscal year"), gettext("Overall score"), gettext("Level")],
        [[d(p.fiscal_year), score(p.overall), p.level] for p in report.history],
        widths_cm=(4, 4, 8.5),
        numeric=(1,),
    )
    word_paragraph(document, gettext("Result per tool"), bold=True)
    word_chart(document, report.charts.tools)
    word_table(
        document,
        [gettext("Tool"), gettext("Weight"), gettext("Score")],
        [[f"{t.code} {t.name}", d(f"{t.weight:.0f}%"), score(t.value)] for t in report.tools],
        widths_cm=(10.5, 3, 3),
        numeric=(1, 2),
    )
    word_paragraph(document, gettext("Summary by indicator"), bold=True)
    word_table(
        document,
        [gettext("Indicator no."), gettext("Indicator description"), gettext("Score")],
        [[d(s.number), s.name, score(s.score)] for s in report.indicators],
        widths_cm=(2.5, 11, 3),
        numeric=(0, 2),
    )

    document.add_page_break()
    word_paragraph(
        document,
        gettext("ITA analysis, fiscal year %(year)s") % {"year": year},
        bold=True,
        center=True,
    )
    word_paragraph(
        document,
        gettext("Part %(number)s: details of the analysis of the ITA results, fiscal year %(year)s")
        % {"number": d(1), "year": year},
        bold=True,
    )
    for section in report.indicators:
        _word_indicator(document, section, d=d, score=score)

    document.add_page_break()
    word_paragraph(
        document,
        f"{d(2)}. "
        + gettext(
            "Issues to develop and improve, and how the analysis leads to improving and "
            "developing the organisation and maintaining its level in fiscal year %(plan_year)s"
        )
        % {"plan_year": d(report.plan_year)},
        bold=True,
    )
    if report.plan:
        meta = plan_meta(report.plan, thai=thai)
        if meta:
            word_paragraph(document, meta)
        word_table(
            document,
            plan_table_header(),
            plan_table_rows(report.plan, thai=thai),
            widths_cm=(2.6, 3.4, 3, 3.4, 2.3, 1.8),
            size=13,
            keep_with_next=True,
        )
    else:
        word_paragraph(
            document, gettext("No improvement plan has been made from these results yet.")
        )
    word_signatures(document, report.plan, thai=thai)
    word_page_numbers(document, gettext("Page"))
    return word_bytes(document)


def _word_indicator(
    document: Any,
    section: Any,
    *,
    d: Callable[[object], str],
    score: Callable[[Decimal | None], str],
) -> None:
    word_paragraph(
        document,
        gettext("Indicator %(number)s %(name)s")
        % {"number": d(section.number), "name": section.name},
        bold=True,
    )
    score_headers = (
        [gettext("Score %(channel)s") % {"channel": c} for c in section.channels]
        if section.channels
        else [gettext("Score")]
    )
    if section.questions:
        header = [
            gettext("No."),
            gettext("Topic"),
            gettext("Question"),
            *score_headers,
            gettext("Mean score"),
            gettext("Weak points / corrections / improve / maintain"),
        ]
        rows = [
            [
                d(section.number) if index == 0 else "",
                section.name if index == 0 else "",
                unbreakable(gettext("Item %(code)s") % {"code": d(q.code)}),
                *[score(v) for v in q.scores],
                score(section.score) if index == 0 else "",
                section.verdict_text if index == 0 else "",
            ]
            for index, q in enumerate(section.questions)
        ]
        scores = len(score_headers) + 1
        table = word_table(
            document,
            header,
            rows,
            widths_cm=(1.0, 2.2, 1.6, *([SCORE_CM] * scores), 16.5 - 4.8 - SCORE_CM * scores),
            numeric=(0, *range(3, 3 + scores)),
            keep_together=True,
        )
        # The reference document merges the indicator's cells down its question rows.
        last = len(rows)
        for column in (0, 1, len(header) - 2, len(header) - 1):
            top = table.cell(1, column)
            text = top.text
            merged = top.merge(table.cell(last, column))
            _cell_text(merged, text)
    else:
        word_table(
            document,
            [
                gettext("No."),
                gettext("Topic"),
                gettext("Mean score"),
                gettext("Weak points / corrections / improve / maintain"),
            ],
            [[d(section.number), section.name, score(section.score), section.verdict_text]],
            widths_cm=(1.0, 3.7, SCORE_CM, 16.5 - 4.7 - SCORE_CM),
            numeric=(0, 2),
            keep_together=True,
        )
    word_paragraph(document, gettext("The analysis of the results is as follows."), bold=True)
    for paragraph in d(section.analysis).split("\n"):
        if paragraph.strip():
            word_paragraph(document, paragraph.strip(), indent=True)
