"""A long table document laid out and written by two processes, page for page as by one.

WeasyPrint lays a document out one page after another, each page starting where the last
stopped, then writes the pages: a 100-action plan keeps one CPU busy for seconds. Where a
page of a table with rows kept whole starts depends only on the row it starts with (and the
page's type): so a forked child lays out the pages from a body row k on, each as a continued
page of the same table (header repeated), while this process goes on from the top. When this
process reaches a page start that the child also has, every page from there is the child's
page as this process would have made it: this process stops, the child learns how many pages
come before its own and how many there are in all ("page X/Y"), each writes its pages and the
two PDFs are joined (pypdf).

k is the row where, at the pace of the first two pages, a page should start near the
middle: rows that repeat in length with a whole number of them per page (the 100-action
bench plan) meet at once; other tables meet only if two page fillings started at different
rows come to start a page at the same row, which they need not do. If they never meet, or
the child fails, this process lays out the rest itself (WeasyPrint's serial pages, as
always) and only the writing is shared: a new child writes the second half of the pages.
Without fork the document is rendered as usual; with fewer than MIN_ROWS body rows, or
while another thread of the process renders a document (`children.rendering()`), it is
laid out and written here. (Called in a build child of documents.exports.children, its
child is a grandchild of the worker.)

The steps follow weasyprint.document.Document._render and weasyprint.layout.layout_document
of WeasyPrint 70 (`supported()` keeps other versions on the usual path). They assume what
documents.css holds: no @page :first, :left, :right, :blank or :nth() rules (a child's pages
do not know their number or side while laid out), no page-based counters in the content,
no footnotes or floats across pages (tests/documents/test_halves.py checks the stylesheet).
"""

from __future__ import annotations

import io
import os
from typing import Any

from documents.exports.children import RECEIVE_ERRORS, fork, receive, send, stop, tell

TESTED_WEASYPRINT = "70."
# Below this many body rows (about 8 landscape pages of the plan) one process renders:
# forking and joining cost a few hundredths of a second, and the child's share shrinks.
MIN_ROWS = 40


def supported() -> bool:
    """fork() exists and the WeasyPrint version is the one these steps follow."""
    import weasyprint

    return hasattr(os, "fork") and weasyprint.__version__.startswith(TESTED_WEASYPRINT)


class Layout:
    """One document as WeasyPrint's Document._render prepares it, laid out page by page."""

    def __init__(
        self, html_string: str, stylesheet: Any, fonts: Any, base_url: str, url_fetcher: Any
    ) -> None:
        from weasyprint import DEFAULT_OPTIONS, HTML
        from weasyprint.css.counters import CounterStyle
        from weasyprint.document import Document
        from weasyprint.formatting_structure.build import build_formatting_structure
        from weasyprint.layout import initialize_page_maker

        options = DEFAULT_OPTIONS.copy()
        options["stylesheets"] = [stylesheet]
        self.html = HTML(string=html_string, base_url=base_url, url_fetcher=url_fetcher)
        self.fonts = fonts
        counter_style = CounterStyle()
        self.context = Document._build_layout_context(self.html, fonts, counter_style, {}, options)
        self.root_box = build_formatting_structure(
            self.html.etree_element,
            self.context.style_for,
            self.context.get_image_from_uri,
            self.html.base_url,
            self.context.target_collector,
            counter_style,
            self.context.footnotes,
        )
        initialize_page_maker(self.context, self.root_box)
        self.context.rendered_notes = []  # as make_all_pages starts
        self.pages: list[Any] = []  # index i is page_maker entry i's page
        self.rows = _body_rows(self.root_box)

    def next_page(self) -> bool:
        """Lay out the page of page_maker entry len(pages); False when none is left."""
        from weasyprint.layout.page import remake_page

        index = len(self.pages)
        if index > 0 and self.context.page_maker[index][0] is None:
            return False
        page, _ = remake_page(index, self.context, self.root_box, self.html)
        self.pages.append(page)
        return True

    def starts_at(self, index: int) -> int | None:
        """The body row page_maker entry `index` starts with, None if it starts elsewhere
        (inside a row, in the header, at the end)."""
        stack = self.context.page_maker[index][0]
        return self.rows.index_of(stack)

    def restart_at(self, row: int) -> None:
        """Make the next page (entry len(pages)) start at body row `row`, as a continued
        page of the table; its type and state are those of the entry it replaces."""
        index = len(self.pages)
        _, next_page, right_page, page_state, remake_state = self.context.page_maker[index]
        self.context.page_maker[index:] = [
            (self.rows.stack_of(row), next_page, right_page, page_state, dict(remake_state))
        ]

    def repaginated(self) -> bool:
        """Whether WeasyPrint would lay the pages out again (page-based counters in the
        content, the remade pages' own flags aside): then this path does not apply."""
        return any(
            remake["pages_wanted"] or remake["content_lookups"] or remake["anchors"]
            for *_, remake in self.context.page_maker
        ) or bool(self.context.footnotes or self.context.reported_footnotes)

    def finished(self, first: int, number_from: int, total: int) -> list[Any]:
        """Pages first.. with their margin boxes, numbered from number_from of total: the
        closing steps of layout_document."""
        from weasyprint.layout import layout_fixed_boxes
        from weasyprint.layout.background import layout_backgrounds
        from weasyprint.layout.page import make_margin_boxes

        context, pages = self.context, self.pages
        for index, (_, _, _, page_state, _) in enumerate(context.page_maker):
            page_state[1]["pages"] = [total]
            page_state[1]["page"] = [number_from + index - 1 - first]
        seen: tuple[list, list, list] = ([], [], [])
        for index, page in enumerate(pages[first:], start=first):
            for child in page.descendants():
                if child.bookmark_label:  # one bookmark per element, as layout_document
                    tag = child.element_tag
                    watch = seen[
                        0 if tag.endswith("::before") else 1 if tag.endswith("::after") else 2
                    ]
                    if child.element in watch:
                        child.bookmark_label = ""
                    else:
                        watch.append(child.element)
                string_sets = child.string_set
                if string_sets and string_sets != "none":
                    for name, text in string_sets:
                        context.string_set[name][index + 1].append(text)
        done = []
        for index in range(first, len(pages)):
            page = pages[index]
            root, footnote_area, note_area = page.children
            root.children = [
                *layout_fixed_boxes(context, pages[:index], page),
                *root.children,
                *layout_fixed_boxes(context, pages[index + 1 :], page),
            ]
            context.current_page = index + 1
            state = context.page_maker[index + 1][3]
            children = [root]
            if footnote_area.children:
                children.append(footnote_area)
            if note_area.children:
                children.append(note_area)
            children.extend(make_margin_boxes(context, page, state))
            page.children = tuple(children)
            layout_backgrounds(page, context.get_image_from_uri)
            done.append(page)
        return done

    def pdf(self, page_boxes: list[Any]) -> bytes:
        from weasyprint.document import Document, DocumentMetadata, Page
        from weasyprint.html import get_html_metadata

        document = Document(
            [Page(box) for box in page_boxes],
            DocumentMetadata(**get_html_metadata(self.html)),
            self.html.url_fetcher,
            self.fonts,
            {},
            None,
        )
        document._html = self.html
        return document.write_pdf()

    def rest_pdf(self, first: int, number_from: int) -> bytes | None:
        """Lay out the remaining pages, then write pages first.. of them (None if
        WeasyPrint would have laid the document out again)."""
        while self.next_page():
            pass
        if self.repaginated():
            return None
        total = number_from - 1 + len(self.pages) - first
        return self.pdf(self.finished(first, number_from, total))


class _BodyRows:
    """The table body rows of a box tree, by their position in document order, with the
    skip stack (the resume_at of WeasyPrint's layout) that starts a page at each."""

    def __init__(self, paths: list[tuple[int, ...]]) -> None:
        self.paths = paths
        self.by_path = {path: row for row, path in enumerate(paths)}

    def __len__(self) -> int:
        return len(self.paths)

    def stack_of(self, row: int) -> dict:
        stack: dict | None = None
        for index in reversed(self.paths[row]):
            stack = {index: stack}
        assert stack is not None
        return stack

    def index_of(self, stack: dict | None) -> int | None:
        path = []
        while stack:
            if len(stack) != 1:
                return None
            ((index, stack),) = stack.items()
            path.append(index)
        return self.by_path.get(tuple(path))


def _body_rows(root_box: Any) -> _BodyRows:
    from weasyprint.formatting_structure import boxes

    paths: list[tuple[int, ...]] = []

    def walk(box: Any, path: tuple[int, ...]) -> None:
        for index, child in enumerate(getattr(box, "children", ())):
            if isinstance(child, boxes.TableRowBox):
                paths.append((*path, index))
            elif isinstance(child, boxes.TableRowGroupBox):
                if not (child.is_header or child.is_footer):
                    walk(child, (*path, index))
            elif isinstance(child, boxes.BlockContainerBox | boxes.TableBox) and not (
                isinstance(child, boxes.TableCellBox)
            ):
                walk(child, (*path, index))

    walk(root_box, ())
    return _BodyRows(paths)


def render(
    html_string: str, stylesheet: Any, fonts: Any, *, base_url: str, url_fetcher: Any
) -> bytes | None:
    """The PDF of the document, laid out and written by two processes where it can be
    (else by this one); None where WeasyPrint's own steps are needed (no fork, another
    WeasyPrint, page-based counters or links): the caller then renders as usual."""
    if not supported():
        return None
    layout = Layout(html_string, stylesheet, fonts, base_url, url_fetcher)
    rows = len(layout.rows)
    if rows < MIN_ROWS:
        return layout.rest_pdf(0, 1)
    # The first two pages give the pace: rows per page after the first.
    for _ in range(2):
        if not layout.next_page():
            return layout.rest_pdf(0, 1)
    first, second = layout.starts_at(1), layout.starts_at(2)
    if first is None or second is None or second <= first or layout.repaginated():
        return layout.rest_pdf(0, 1)
    per_page = second - first
    # The child takes the rows from the middle on: this process has parsed and styled the
    # whole document, the child lays out the signatures; about even on the 100-action plan.
    split = second + max(1, round((rows / 2 - second) / per_page)) * per_page
    if not second < split < rows - 3:
        return layout.rest_pdf(0, 1)
    return _split(layout, split)


def _split(layout: Layout, split: int) -> bytes:
    import gc

    reader, child_writer = os.pipe()
    child_reader, writer = os.pipe()
    pid = fork()
    if pid < 0:
        for fd in (reader, child_writer, child_reader, writer):
            os.close(fd)
        return layout.rest_pdf(0, 1)
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        status = 1
        try:
            os.close(reader)
            os.close(writer)
            _child(layout, split, child_reader, child_writer)
            status = 0
        finally:
            # os._exit: the child must not run the parent's atexit handlers, flush its
            # buffers or close its database connections.
            os._exit(status)
    os.close(child_reader)
    os.close(child_writer)
    try:
        result = _parent(layout, split, reader, writer)
    finally:
        gc.unfreeze()
        os.close(reader)
        os.close(writer)
        # Its part is in (or will be made here): a child still running is not waited for.
        stop(pid)
        os.waitpid(pid, 0)
    if result is _APART:
        return _written_in_two(layout)
    return result


def _written_in_two(layout: Layout) -> bytes | None:
    """Lay out the rest here, then write the second half of the pages in a child."""
    import gc

    while layout.next_page():
        pass
    if layout.repaginated():
        return None
    total = len(layout.pages)
    pages = layout.finished(0, 1, total)
    half = (total + 1) // 2
    if total < 2 or not _self_contained(pages[half:]):
        return layout.pdf(pages)
    reader, child_writer = os.pipe()
    pid = fork()
    if pid < 0:
        os.close(reader)
        os.close(child_writer)
        return layout.pdf(pages)
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        status = 1
        try:
            os.close(reader)
            send(child_writer, layout.pdf(pages[half:]))
            status = 0
        finally:
            os._exit(status)
    os.close(child_writer)
    try:
        first = layout.pdf(pages[:half])
        try:
            second = receive(reader)
        except RECEIVE_ERRORS:
            second = None
    finally:
        gc.unfreeze()
        os.close(reader)
        stop(pid)
        os.waitpid(pid, 0)
    if second is None:
        second = layout.pdf(pages[half:])
    return joined([first, second])


# _parent's answer when the two layouts never met (or the child failed before they could):
# this process's pages are laid out as WeasyPrint would, it lays out the rest and then has a
# new child write the second half of the pages.
_APART = object()


def _child(layout: Layout, split: int, orders: int, answers: int) -> None:
    layout.restart_at(split)
    starts = {}
    while True:
        row = layout.starts_at(len(layout.pages))
        if row is not None:
            starts[row] = len(layout.pages)
        if not layout.next_page():
            break
    if layout.repaginated():
        starts = {}
    send(answers, (starts, len(layout.pages)))
    order = receive(orders)
    if order is None:
        return
    meeting, number_from, total = order
    pages = layout.finished(meeting, number_from, total)
    # Bookmarks, links and anchors are written per PDF: such pages are left to the parent.
    send(answers, layout.pdf(pages) if _self_contained(pages) else None)


def _self_contained(page_boxes: list[Any]) -> bool:
    from weasyprint.document import Page

    pages = [Page(box) for box in page_boxes]
    return not any(
        page.bookmarks or page.links or page.anchors or any(page.forms.values()) for page in pages
    )


def _parent(layout: Layout, split: int, answers: int, orders: int) -> Any:
    """The joined PDF once this process meets the child's pages; _APART when they never
    meet (or the child failed before); None if the document cannot be rendered this way."""
    starts: dict[int, int] | None = None
    count = 0
    meeting = None
    while layout.next_page():
        row = layout.starts_at(len(layout.pages))
        if row is None or row < split:  # the child's pages start at split
            continue
        if starts is None:
            try:
                starts, count = receive(answers)
            except RECEIVE_ERRORS:
                starts = {}
        if row in starts:
            meeting = starts[row]
            break
        if starts and row > max(starts):
            break
    if meeting is None or layout.repaginated():
        tell(orders, None)
        return _APART
    mine = len(layout.pages)
    total = mine + count - meeting
    tell(orders, (meeting, mine + 1, total))
    own = layout.pdf(layout.finished(0, 1, total))
    try:
        rest = receive(answers)
    except RECEIVE_ERRORS:
        rest = None
    if rest is None:
        # The child failed after the meeting (or its pages link): they are laid out here.
        rest = layout.rest_pdf(mine, mine + 1)
        if rest is None:
            return None
    return joined([own, rest])


def joined(parts: list[bytes]) -> bytes:
    """One PDF of the parts' pages in order, with the first part's catalogue and
    metadata (title, language, outline: all on the first part's pages here)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(parts[0])))
    for part in parts[1:]:
        writer.append(PdfReader(io.BytesIO(part)), import_outline=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
