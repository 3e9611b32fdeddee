"""The shared pager (templates/includes/pager.html) keeps the page's own query string."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def render_pager(page_number: int, template: str, **context) -> str:
    page = Paginator(list(range(60)), 25).page(page_number)
    return render_to_string(template, {"page": page, **context})


def test_pager_middle_page_links_both_ways_and_keeps_the_params():
    html = render_pager(2, "includes/pager.html", params="year=2568")

    assert 'href="?year=2568&amp;page=1"' in html
    assert 'href="?year=2568&amp;page=3"' in html
    assert 'aria-current="page" href="?year=2568&amp;page=2"' in html


def test_pager_first_page_has_no_previous_link():
    html = render_pager(1, "includes/pager.html", params="q=x")

    assert "page=0" not in html
    assert 'href="?q=x&amp;page=2"' in html


def test_pager_is_absent_when_everything_fits_one_page():
    page = Paginator(list(range(3)), 25).page(1)

    assert "<nav" not in render_to_string("includes/pager.html", {"page": page, "params": ""})
