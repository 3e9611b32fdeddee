"""The public page's stylesheet: linked from the page (no inline style, which the CSP would
block anyway), self-contained (no external fonts or CDNs), AA contrast, print rules; the
page stays cookie-free and cached."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from public.models import PublicPage, PublishedYear
from tests.factories import OrganisationFactory

CSS = Path(settings.BASE_DIR) / "static" / "public" / "public.css"


def _variables(css: str) -> dict[str, str]:
    root = re.search(r":root\s*{([^}]*)}", css)
    assert root is not None
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", root.group(1)))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted([_luminance(first), _luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_known_values():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("text", "background"),
        ("muted", "background"),
        ("link", "background"),
        ("link-visited", "background"),
        ("brand", "background"),
        ("text", "head-background"),
        ("link", "head-background"),
        ("brand", "head-background"),
    ],
)
def test_public_css_colour_pairs_meet_wcag_aa(foreground, background):
    colours = _variables(CSS.read_text())

    assert contrast(colours[foreground], colours[background]) >= 4.5


def test_public_css_uses_no_external_resources_and_has_print_rules():
    css = CSS.read_text()

    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert re.findall(r"url\(\"([^\"]+)\"\)", css) == [
        "../fonts/sarabun/Sarabun-Regular.ttf",
        "../fonts/sarabun/Sarabun-SemiBold.ttf",
        "../fonts/sarabun/Sarabun-Bold.ttf",
    ]
    for font in re.findall(r"url\(\"\.\./([^\"]+)\"\)", css):
        assert (CSS.parent.parent / font).is_file()
    print_rules = css[css.index("@media print") :]
    assert "nav" in print_rules and "display: none" in print_rules
    assert "@page" in print_rules
    assert ":focus-visible" in css


@pytest.fixture
def public_page(db):
    page = PublicPage.objects.create(
        organisation=OrganisationFactory(name="อบต.ทดสอบ"), slug="test-sao", is_enabled=True
    )
    PublishedYear.objects.create(page=page, fiscal_year=2568)
    return page


def test_public_page_links_the_stylesheet_and_keeps_landmarks_cookies_and_cache(
    client, public_page
):
    response = client.get(reverse("public:organisation", args=["test-sao"]))

    html = response.content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/public/public[^"]*\.css">', html)
    assert "<style" not in html and "style=" not in html
    assert "https://fonts" not in html and "cdn" not in html.lower()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main">' in html and "<header>" in html and "<footer>" in html
    assert html.count("<h1>") == 1
    assert not response.cookies
    assert "public" in response["Cache-Control"]
