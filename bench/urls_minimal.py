"""The site's URLs plus /bench-minimal/: a view that returns "ok" without the database,
the yardstick every page's CPU is set against in the same run (bench/bench_pages.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench-minimal/", minimal), *site]
