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


def word_table(
    document: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths_cm: Sequence[float] = (),
    size: float = WORD_SMALL_SIZE,
    numeric: Sequence[int] = (),
    keep_together: bool = False,
) -> Table:
    """A bordered table whose header row repeats on every page and whose rows never split.

    `keep_together` keeps a short table on one page (Word's "keep with next" on every row
    but the last): an indicator's questions share merged cells, which cannot split well.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = document.styles["Table Grid"]
    table.autofit = not widths_cm
    for col_index, width in enumerate(widths_cm):
        # Word reads each cell's width; LibreOffice reads the table grid.
        table.columns[col_index].width = Cm(width)
    for row_index, values in enumerate([header, *rows]):
        row = table.rows[row_index]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
        if row_index == 0:
            tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
        for col_index, value in enumerate(values):
            cell = row.cells[col_index]
            if widths_cm:
                cell.width = Cm(widths_cm[col_index])
            _cell_text(cell, value, bold=row_index == 0, size=size)
            paragraph = cell.paragraphs[0]
            if row_index == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif col_index in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if keep_together:
        for row in table.rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    return table


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
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)
        r_pr = run._element.get_or_add_rPr()
        _set_cs_size(r_pr, size)
        if bold:
            r_pr.append(r_pr.makeelement(qn("w:bCs"), {}))


def word_page_numbers(document: Any, label: str, *, thai: bool) -> None:
    """Footer "หน้า ๑/๓": PAGE and NUMPAGES fields, in Thai digits when asked.

    Thai digits use the ECMA-376 format switch "\\* ThaiArabic", which Word follows;
    LibreOffice 7.4 shows Thai letters (ก/ค) for it instead.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    switch = r" \* ThaiArabic" if thai else ""
    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(f"{label} ")
        for index, field in enumerate((f"PAGE{switch}", f"NUMPAGES{switch}")):
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
    word_paragraph(document, "")
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    section = document.sections[-1]
    half = (section.page_width - section.left_margin - section.right_margin) // 2
    for column in table.columns:
        column.width = half
    for cell, lines in zip(table.rows[0].cells, blocks, strict=True):
        cell.width = half
        _cell_text(cell, "\n".join(lines), size=WORD_FONT_SIZE)
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


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
    # Word gets the charts' numbers as tables: the SVG charts have no Word equivalent.
    word_paragraph(document, gettext("Overall result"), bold=True)
    word_table(
        document,
        [gettext("Fiscal year"), gettext("Overall score"), gettext("Level")],
        [[year, score(report.overall), report.level]],
        numeric=(1,),
    )
    word_paragraph(document, gettext("Overall result over the years"), bold=True)
    word_table(
        document,
        [gettext("Fiscal year"), gettext("Overall score"), gettext("Level")],
        [[d(p.fiscal_year), score(p.overall), p.level] for p in report.history],
        numeric=(1,),
    )
    word_paragraph(document, gettext("Result per tool"), bold=True)
    word_table(
        document,
        [gettext("Tool"), gettext("Weight"), gettext("Score")],
        [[f"{t.code} {t.name}", d(f"{t.weight:.0f}%"), score(t.value)] for t in report.tools],
        numeric=(1, 2),
    )
    word_paragraph(document, gettext("Summary by indicator"), bold=True)
    word_table(
        document,
        [gettext("Indicator no."), gettext("Indicator description"), gettext("Score")],
        [[d(s.number), s.name, score(s.score)] for s in report.indicators],
        widths_cm=(2.5, 10, 3),
        numeric=(2,),
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
        word_table(
            document,
            plan_table_header(),
            plan_table_rows(report.plan, thai=thai),
            widths_cm=(2.6, 3.4, 3, 3.4, 2.3, 1.8),
            size=13,
        )
    else:
        word_paragraph(
            document, gettext("No improvement plan has been made from these results yet.")
        )
    word_signatures(document, report.plan, thai=thai)
    word_page_numbers(document, gettext("Page"), thai=thai)
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
                gettext("Item %(code)s") % {"code": d(q.code)},
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
            widths_cm=(1.2, 2.6, 1.8, *([2.1] * scores), 16.5 - 5.6 - 2.1 * scores),
            numeric=tuple(range(3, 3 + scores)),
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
            widths_cm=(1.2, 3.5, 2.1, 9.7),
            numeric=(2,),
            keep_together=True,
        )
    word_paragraph(document, gettext("The analysis of the results is as follows."), bold=True)
    for paragraph in d(section.analysis).split("\n"):
        if paragraph.strip():
            word_paragraph(document, paragraph.strip(), indent=True)
