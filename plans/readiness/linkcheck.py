"""Fetch one evidence address and say what answered: HTTP status, final URL, error text.

Redirects are followed by hand (at most `MAX_REDIRECTS`), so that every hop is checked by
`rules.target_refusal` before it is fetched: a site that redirects to file://, ftp:// or an
address inside the server's own network is refused, never followed. The connection goes to
the very address that was checked. Only the status line and headers are read; the body is
never downloaded.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
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


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to next
    (a name that answers a public address to the check and a private one to the fetch)."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _addresses(url: str) -> list[str] | None:
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):
        return None
    return [str(info[4][0]) for info in infos]


def _fetch(url: str, address: str, timeout: float) -> tuple[int, str | None]:
    """(status, Location header) of one GET to `address`, without following it."""
    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    connection_class = _PinnedHTTPS if https else _PinnedHTTP
    connection = connection_class(parts.hostname or "", port, address, timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", target, headers={"User-Agent": USER_AGENT})
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def check_url(url: str, *, timeout: float, allow_private: bool = False) -> LinkResult:
    """Follow `url` to its final answer within `timeout` seconds in all."""
    deadline = time.monotonic() + timeout
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        addresses = _addresses(current)
        refusal = rules.target_refusal(current, addresses, allow_private=allow_private)
        if refusal:
            return LinkResult(status=None, final_url=current, error=refusal)
        assert addresses  # target_refusal refuses a name that did not resolve
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return _timed_out(current, timeout)
        try:
            status, location = _fetch(current, addresses[0], remaining)
        except TimeoutError:
            return _timed_out(current, timeout)
        except (OSError, ValueError, http.client.HTTPException) as error:
            text = str(error) or type(error).__name__
            return LinkResult(status=None, final_url=current, error=text[:300])
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
