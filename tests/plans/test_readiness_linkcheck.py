"""The evidence link checker against a local HTTP server started in the test (never the
internet): 200, 404, redirects, a slow answer that times out, refused schemes and targets."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from plans.enums import LinkCheckState
from plans.readiness import linkcheck, services
from plans.readiness.linkcheck import MAX_REDIRECTS, check_url
from plans.readiness.models import LinkCheckRequest
from plans.readiness.services import CheckLimits

SLOW_SECONDS = 2.5


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path
        if path == "/ok":
            self._answer(200)
        elif path == "/missing":
            self._answer(404)
        elif path == "/moved":
            self._answer(301, location="/ok")
        elif path == "/moved-twice":
            self._answer(302, location="/moved")
        elif path == "/to-file":
            self._answer(302, location="file:///etc/passwd")
        elif path == "/loop":
            self._answer(302, location="/loop")
        elif path == "/host":
            self._answer(200 if self.headers["Host"].startswith("evidence.test:") else 421)
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._answer(200)
        else:
            self._answer(500)

    def _answer(self, status: int, location: str | None = None) -> None:
        try:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up on a slow answer, as it should

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_check_url_reports_200_with_the_same_final_url(site):
    result = check_url(f"{site}/ok", timeout=2, allow_private=True)

    assert (result.status, result.final_url, result.error) == (200, f"{site}/ok", "")
    assert result.ok


def test_check_url_reports_404_as_an_error(site):
    result = check_url(f"{site}/missing", timeout=2, allow_private=True)

    assert result.status == 404
    assert result.error == "HTTP 404"
    assert not result.ok


def test_check_url_follows_redirects_to_the_final_url(site):
    result = check_url(f"{site}/moved-twice", timeout=2, allow_private=True)

    assert result.status == 200
    assert result.final_url == f"{site}/ok"


def test_check_url_times_out_on_a_slow_site(site):
    started = time.monotonic()

    result = check_url(f"{site}/slow", timeout=0.5, allow_private=True)

    assert time.monotonic() - started < SLOW_SECONDS - 1
    assert result.status is None
    assert "0.5" in result.error and "seconds" in result.error


def test_check_url_never_follows_a_redirect_to_file(site):
    result = check_url(f"{site}/to-file", timeout=2, allow_private=True)

    assert result.status is None
    assert result.final_url == "file:///etc/passwd"
    assert "http://" in result.error


def test_check_url_stops_a_redirect_loop(site):
    result = check_url(f"{site}/loop", timeout=2, allow_private=True)

    assert result.status is None
    assert str(MAX_REDIRECTS) in result.error


def test_check_url_connects_to_the_checked_address_and_sends_the_name(site, monkeypatch):
    port = site.rsplit(":", 1)[1]
    # The name resolves once, to the address that is checked; the fetch goes there.
    monkeypatch.setattr(linkcheck, "_addresses", lambda url: ["127.0.0.1"])

    result = check_url(f"http://evidence.test:{port}/host", timeout=2, allow_private=True)

    assert result.status == 200


def test_check_url_refuses_the_servers_own_network_unless_allowed(site):
    result = check_url(f"{site}/ok", timeout=2)

    assert result.status is None
    assert "private network" in result.error


@pytest.fixture
def year_with_links(organisation, site):
    year = services.readiness_open(
        organisation=organisation, fiscal_year=2569, default_due_date=date(2026, 3, 1), user=None
    )
    urls = {"o1": "/ok", "o2": "/missing", "o3": "/moved", "o4": "/slow"}
    for code, path in urls.items():
        year.items.filter(item__code=code).update(evidence_url=f"{site}{path}")
    return year


def test_link_check_run_stores_status_final_url_error_and_time(year_with_links, site):
    request = LinkCheckRequest.objects.create(year=year_with_links)

    done = services.link_check_run(
        request_id=request.pk, limits=CheckLimits(per_url=0.5, total=10, allow_private=True)
    )

    assert done.state == LinkCheckState.FINISHED
    assert (done.checked, done.failed, done.skipped) == (4, 2, 0)
    items = {i.item.code: i for i in year_with_links.items.select_related("item")}
    assert (items["o1"].link_status, items["o1"].link_error) == (200, "")
    assert (items["o2"].link_status, items["o2"].link_error) == (404, "HTTP 404")
    assert (items["o3"].link_status, items["o3"].link_final_url) == (200, f"{site}/ok")
    assert items["o4"].link_status is None and "seconds" in items["o4"].link_error
    assert all(items[c].link_checked_at for c in ["o1", "o2", "o3", "o4"])
    assert items["o5"].link_checked_at is None  # no address, nothing checked


def test_link_check_run_stops_at_the_total_time_limit(year_with_links):
    request = LinkCheckRequest.objects.create(year=year_with_links)
    year_with_links.items.filter(item__code__in=["o1", "o2", "o3"]).update(
        evidence_url=year_with_links.items.get(item__code="o4").evidence_url
    )

    done = services.link_check_run(
        request_id=request.pk, limits=CheckLimits(per_url=5, total=0.6, allow_private=True)
    )

    assert done.checked == 1
    assert done.skipped == 3


def test_link_check_run_takes_a_request_once(year_with_links):
    request = LinkCheckRequest.objects.create(year=year_with_links, state=LinkCheckState.RUNNING)

    assert services.link_check_run(request_id=request.pk) is None


def test_check_evidence_links_command_runs_pending_requests(year_with_links, settings, capsys):
    settings.EVIDENCE_LINKS_ALLOW_PRIVATE = True
    settings.EVIDENCE_LINKS_TIMEOUT = 1
    request = LinkCheckRequest.objects.create(year=year_with_links)

    call_command("check_evidence_links")

    request.refresh_from_db()
    assert request.state == LinkCheckState.FINISHED
    assert request.checked == 4
    assert "1 link checks run" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_link_check_request_runs_in_a_thread_after_commit(organisation, site, settings):
    settings.EVIDENCE_LINKS_IN_THREAD = True
    settings.EVIDENCE_LINKS_ALLOW_PRIVATE = True
    settings.EVIDENCE_LINKS_TIMEOUT = 1
    year = services.readiness_open(
        organisation=organisation, fiscal_year=2569, default_due_date=date(2026, 3, 1), user=None
    )
    year.items.filter(item__code="o1").update(evidence_url=f"{site}/ok")

    request = services.link_check_request(year=year, user=None)
    for thread in threading.enumerate():  # none left if it already finished
        if thread.name == f"link-check-{request.pk}":
            thread.join(timeout=10)

    request.refresh_from_db()
    assert request.state == LinkCheckState.FINISHED
    assert year.items.get(item__code="o1").link_status == 200
