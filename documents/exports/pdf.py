"""Documents as PDF: the HTML of templates/documents/ rendered by WeasyPrint."""

from __future__ import annotations

import atexit
import shutil
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

from documents.content import DocumentOptions, ReportCharts, ReportData
from ita import charts

# Documents are fetched from this made-up origin; only its /static/ files are served, so a
# document can never make WeasyPrint reach the network or read other files.
DOCUMENT_BASE_URL = "https://documents.invalid/"
DOCUMENT_STYLESHEET = "css/documents.css"


def static_file(path: str) -> Path | None:
    """A static file by its path under STATIC_URL (source tree first, then collected)."""
    found = finders.find(path)
    if found:
        return Path(found if isinstance(found, str) else found[0])
    try:
        collected = Path(staticfiles_storage.path(path))
    except NotImplementedError:  # pragma: no cover - remote storages
        return None
    return collected if collected.is_file() else None


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that answers only this origin's /static/ files."""
    import mimetypes
    from urllib.parse import unquote, urlsplit

    from django.conf import settings
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    origin = urlsplit(DOCUMENT_BASE_URL).netloc

    class StaticFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            path = unquote(parts.path)
            if parts.netloc != origin or not path.startswith(static_prefix):
                raise ValueError(f"Documents may only use static files: {url}")
            found = static_file(path.removeprefix(static_prefix))
            if found is None:
                raise ValueError(f"No such static file: {path}")
            # Answer under the asked URL, so the stylesheet's relative font URLs resolve
            # against /static/ again (a file:// answer would be refused above).
            content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, found.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFetcher()


@cache
def _document_styles() -> tuple[Any, Any]:
    """The documents' stylesheet parsed once per process, with the font configuration its
    @font-face rules loaded the Sarabun files into: every PDF after the first skips parsing
    the CSS and loading the fonts (about a tenth of a 100-action plan's render)."""
    from django.conf import settings
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    atexit.register(_release_fonts, fonts)
    stylesheet = CSS(
        url=DOCUMENT_BASE_URL + settings.STATIC_URL.lstrip("/") + DOCUMENT_STYLESHEET,
        url_fetcher=_fetcher(),
        font_config=fonts,
    )
    return stylesheet, fonts


def _release_fonts(fonts: Any) -> None:
    """Remove the font configuration's temporary folder at exit, while modules still work.

    Left to FontConfiguration.__del__, the process-wide configuration is finalised after
    module globals are gone: the folder of Sarabun copies stays in /tmp and Python may print
    "Exception ignored in: FontConfiguration.__del__ ... 'NoneType' object is not callable".
    """
    folder, fonts._folder = fonts._folder, None  # __del__ then has nothing left to do
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    _document_styles.cache_clear()


def render_pdf(html: str, *, in_two: bool = False) -> bytes:
    """HTML of a document (templates/documents/) to PDF bytes, with the documents'
    stylesheet (css/documents.css), fonts embedded. in_two: a long table of rows kept
    whole (the plan), laid out and written by two processes (documents.exports.halves).

    WeasyPrint runs in a child (documents.exports.children) that inherits the stylesheet
    and fonts this process parsed once."""
    from documents.exports import tounicode
    from documents.exports.children import in_child

    tounicode.install()  # Thai marks and ำ extract as typed (see the module)
    _document_styles()
    return in_child(_weasyprint, html, in_two)


def _weasyprint(html: str, in_two: bool) -> bytes:
    from weasyprint import HTML

    from documents.exports import halves

    stylesheet, fonts = _document_styles()
    if in_two:
        both = halves.render(
            html, stylesheet, fonts, base_url=DOCUMENT_BASE_URL, url_fetcher=_fetcher()
        )
        if both is not None:
            return both
    document = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=_fetcher())
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


def report_html(report: ReportData, options: DocumentOptions) -> str:
    return render_to_string("documents/report.html", {"report": report, "options": options})


def report_pdf(report: ReportData, options: DocumentOptions) -> bytes:
    # WeasyPrint drops tone marks stacked on upper vowels in SVG text (ที่ -> ที), so the
    # PDF gets the charts with their labels drawn as shaped glyph outlines.
    printable = replace(
        report,
        charts=ReportCharts(
            overall=printed_chart(report.charts.overall),
            history=printed_chart(report.charts.history),
            tools=printed_chart(report.charts.tools),
        ),
    )
    return render_pdf(report_html(printable, options))


def printed_chart(svg: str) -> str:
    """`charts.for_print` of a chart, drawn once per figure: the outlined SVG is cached
    under a digest of the chart's own SVG (which carries its data, labels and language)
    and of the code that draws it, so a changed figure is a new entry; never by time."""
    import hashlib

    from django.core.cache import caches
    from django.utils.safestring import mark_safe

    from documents.rendered import code_version

    key = "print-chart:" + hashlib.sha256(f"{code_version()}:{svg}".encode()).hexdigest()
    cache = caches["print-charts"]
    outlined = cache.get(key)
    if outlined is None:
        from documents.exports.children import rendering

        with rendering():  # HarfBuzz shapes the labels (no fork meanwhile)
            outlined = str(charts.for_print(svg))
        cache.set(key, outlined)
    return mark_safe(outlined)  # our own chart SVG, outlined by ita.charts
