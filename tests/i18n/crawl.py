"""A breadth-first crawl of what one logged-in user can reach, reading every page for English.

Not a test module: `crawl()` follows same-site links from the start pages with GET only,
never logs out, never downloads a file except XLSX (opened with openpyxl, every cell read),
and returns the English words it met on each page. Each URL name is visited at most
`PER_NAME` times, so a list of a hundred actions costs two action pages, not a hundred.
"""

from __future__ import annotations

import io
import os
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Codes and names that are the same in a Thai text, each with its reason. Compared in lower case.
ALLOWED = {
    # the ITA method's own tool and question codes, as the NACC writes them in Thai documents
    "ita",
    "iit",
    "eit",
    "oit",
    # file formats named on download buttons, as Thai offices say them
    "pdf",
    "docx",
    "xlsx",
    "csv",
    "xls",
    "zip",
    "jpg",
    "png",
    "gif",
    "utf-8",  # the encoding a CSV is saved in, as Excel's save dialog names it
    "mb",  # the unit of an upload limit
    "a4",  # the paper size
    "ip",  # หมายเลข IP, as Thai writes it
    # the office programs a file opens in, named beside its format ("Excel (XLSX)")
    "excel",
    "word",
    # written in Latin letters in Thai too
    "url",
    "http",  # the protocol, as in สถานะ HTTP (a link check's answer) and http:// หรือ https://
    "https",
    "email",
    "e-mail",
    "itas",  # the NACC's result system, named so on its own pages
    "nacc",  # the commission's abbreviation on its own result page (ป.ป.ช. beside it)
}
# An item/question code (i1, e9, o16), a bare number with a unit, or a code with a dot.
CODE = re.compile(r"^(?:[ieo]\d+[a-z]?|\d+[a-z]{0,2})$", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z][A-Za-z0-9๐-๙_'’-]*[A-Za-z0-9๐-๙_]|[A-Za-z]")
# Data rather than interface: addresses and user names shown as they were typed.
DATA = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|/\S*|\S*\*{3,}\S*|<unknown>")
SKIP_TAGS = {"script", "style", "noscript", "template"}
TEXT_ATTRS = {"title", "placeholder", "aria-label", "alt"}
PER_NAME = 2
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Links that leave the session or write on GET, and files that are not read here.
SKIP_URL_NAMES = {"logout", "set_language", "admin:logout", "admin:view_on_site"}
FILE_SUFFIXES = (".pdf", ".docx", ".zip", ".png", ".svg", ".css", ".js")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        self._skip = 0
        # An element marked lang="en" (the language switch's "English") is English by design.
        self._foreign: list[list] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._foreign and self._foreign[-1][0] == tag:
            self._foreign[-1][1] += 1
        elif (values.get("lang") or "th")[:2] != "th" and tag not in VOID:
            self._foreign.append([tag, 1])
        if tag in SKIP_TAGS:
            self._skip += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if self._foreign:
            return
        self.texts += [v for k, v in attrs if k in TEXT_ATTRS and v]
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self.texts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS and self._skip:
            self._skip -= 1
        if self._foreign and self._foreign[-1][0] == tag:
            self._foreign[-1][1] -= 1
            if not self._foreign[-1][1]:
                self._foreign.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._foreign:
            self.texts.append(data)


def page_texts(html: str) -> list[str]:
    """What a reader sees (and hears) of a page: text, titles, alt texts, button labels."""
    parser = _Page()
    parser.feed(html)
    return parser.texts


def english_words(texts: list[str], data_words: set[str] = frozenset()) -> list[str]:
    """The English words in these texts, outside the allow-list, codes and data."""
    found: list[str] = []
    for text in texts:
        for word in WORD.findall(DATA.sub(" ", text)):
            lower = word.lower()
            if lower in ALLOWED or CODE.match(word) or lower in data_words:
                continue
            if word not in found:
                found.append(word)
            if SEGMENTS is not None:
                SEGMENTS.add(" ".join(text.split()))
    return found


SEGMENTS: set[str] | None = set() if os.environ.get("CRAWL_SEGMENTS") else None


def _xlsx_texts(content: bytes) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    texts = list(book.sheetnames)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            texts += [value for value in row if isinstance(value, str)]
    return texts


@dataclass
class Crawl:
    pages: dict[str, list[str]] = field(default_factory=dict)  # url -> English words
    names: dict[str, str] = field(default_factory=dict)  # url -> URL name
    visited: list[str] = field(default_factory=list)
    xlsx: list[str] = field(default_factory=list)
    errors: list[tuple[str, int]] = field(default_factory=list)

    @property
    def offending(self) -> dict[str, list[str]]:
        return {url: words for url, words in self.pages.items() if words}


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client: Client, starts: list[str], data_words: set[str] = frozenset()) -> Crawl:
    result = Crawl()
    queue = deque(starts)
    seen: set[str] = set(starts)
    per_name: dict[str, int] = {}
    while queue:
        url = queue.popleft()
        name = _url_name(urlsplit(url).path)
        if name is None or name in SKIP_URL_NAMES:
            continue
        if per_name.get(name, 0) >= PER_NAME:
            continue
        per_name[name] = per_name.get(name, 0) + 1
        response = client.get(url)
        result.visited.append(url)
        result.names[url] = name
        if response.status_code in (301, 302):
            target = urljoin(url, response["Location"])
            if target not in seen and urlsplit(target).netloc in ("", "testserver"):
                seen.add(target)
                queue.append(target)
            continue
        if response.status_code >= 400:
            result.errors.append((url, response.status_code))
        content_type = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if content_type.startswith(XLSX):
            result.xlsx.append(url)
            result.pages[url] = english_words(_xlsx_texts(body), data_words)
            continue
        if not content_type.startswith("text/html"):
            continue
        parser = _Page()
        parser.feed(body.decode())
        result.pages[url] = english_words(parser.texts, data_words)
        for href in parser.links:
            target = urljoin(url, href).split("#")[0]
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or parts.path.endswith(FILE_SUFFIXES):
                continue
            seen.add(target)
            queue.append(target)
    return result
