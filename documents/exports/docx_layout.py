"""The building blocks of every DOCX the app writes: page, paragraphs, fixed-width tables
that do not split, page numbers, signatures and chart images (the report, plan, follow-up
and checklist documents are made of them)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from documents.content import PlanDocument
from ita.thai import format_date

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
            cell_text(
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


def cell_text(cell: Any, text: str, *, bold: bool = False, size: float = WORD_SMALL_SIZE) -> None:
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
        cell_text(cell, "\n".join(lines), size=WORD_FONT_SIZE)
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


def word_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
