"""Fetch one evidence address and say what answered: HTTP status, final URL, error text.

Redirects are followed by hand (at most `MAX_REDIRECTS`), so that every hop is checked by
`rules.target_refusal` before it is fetched: a site that redirects to file://, ftp:// or an
address inside the server's own network is refused, never followed. Only the status line
and headers are read; the body is never downloaded.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext_noop

from ita.bilingual import bilingual
from plans.readiness import rules

MAX_REDIRECTS = 5
USER_AGENT = "ITA-OIT-link-check/1.0"


@dataclass(frozen=True)
class LinkResult:
    status: int | None
    final_url: str
    error: str

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400 and not self.error


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _addresses(url: str) -> list[str] | None:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    return [str(info[4][0]) for info in infos]


def _fetch(url: str, timeout: float) -> tuple[int, str | None]:
    """(status, Location header) of one request, without following it."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT}, method="GET")
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Location")


def check_url(url: str, *, timeout: float, allow_private: bool = False) -> LinkResult:
    """Follow `url` to its final answer within `timeout` seconds in all."""
    deadline = time.monotonic() + timeout
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        refusal = rules.target_refusal(current, _addresses(current), allow_private=allow_private)
        if refusal:
            return LinkResult(status=None, final_url=current, error=refusal)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return _timed_out(current, timeout)
        try:
            status, location = _fetch(current, remaining)
        except TimeoutError:
            return _timed_out(current, timeout)
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                return _timed_out(current, timeout)
            return LinkResult(status=None, final_url=current, error=str(error.reason)[:300])
        except (OSError, ValueError) as error:
            return LinkResult(status=None, final_url=current, error=str(error)[:300])
        if status in {301, 302, 303, 307, 308} and location:
            current = urljoin(current, location)
            continue
        error_text = "" if status < 400 else f"HTTP {status}"
        return LinkResult(status=status, final_url=current, error=error_text)
    return LinkResult(
        status=None,
        final_url=current,
        error=bilingual(gettext_noop("More than %(count)s redirects."), count=MAX_REDIRECTS),
    )


def _timed_out(url: str, timeout: float) -> LinkResult:
    return LinkResult(
        status=None,
        final_url=url,
        error=bilingual(
            gettext_noop("No answer within %(seconds)s seconds."), seconds=f"{timeout:g}"
        ),
    )
