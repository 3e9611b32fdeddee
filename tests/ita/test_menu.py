"""The cached site menu (`ita.menu`) shows every change on the next page.

Each case opens a page twice (the second served from the menu cache), changes what the menu
prints, and checks the next page's header against a render with the menu cache emptied. The
menu is keyed by its content, so no write has to remember to clear it.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ita import menu
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def header(response) -> str:
    html = response.content.decode()
    part = html[html.index('<header class="site-header"') : html.index("</header>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", part)  # new each request


def visit_twice_change_visit(client, url: str, change) -> tuple[str, str, str]:
    before = header(client.get(url))
    client.get(url)  # the menu comes from the cache now
    change()
    after = header(client.get(url))
    menu.menu_cache_clear()
    return before, after, header(client.get(url))


@pytest.fixture
def member(client):
    membership = MembershipFactory(organisation__name="อบต.หนึ่ง")
    MembershipFactory(user=membership.user, organisation__name="อบต.สอง")
    client.force_login(membership.user)
    return membership


def test_renaming_an_organisation_shows_in_the_menu_at_once(client, member):
    other = member.user.memberships.exclude(pk=member.pk).get().organisation

    def rename() -> None:
        other.name = "อบต.ชื่อใหม่"
        other.save()

    before, after, fresh = visit_twice_change_visit(
        client, reverse("ita:dashboard", args=[member.organisation_id]), rename
    )

    assert "อบต.สอง" in before and "อบต.ชื่อใหม่" not in before
    assert "อบต.ชื่อใหม่" in after and "อบต.สอง" not in after
    assert after == fresh


def test_a_new_membership_shows_in_the_switcher_at_once(client, member):
    def join() -> None:
        MembershipFactory(user=member.user, organisation=OrganisationFactory(name="อบต.สาม"))

    before, after, fresh = visit_twice_change_visit(
        client, reverse("ita:compare", args=[member.organisation_id]), join
    )

    assert "อบต.สาม" not in before
    assert "อบต.สาม" in after
    assert after == fresh


def test_becoming_staff_adds_data_entry_to_the_menu_at_once(client, member):
    def promote() -> None:
        member.user.is_staff = True
        member.user.save()

    before, after, fresh = visit_twice_change_visit(
        client, reverse("ita:dashboard", args=[member.organisation_id]), promote
    )

    assert reverse("admin:index") not in before
    assert reverse("admin:index") in after
    assert after == fresh


def test_the_menu_follows_the_chosen_language_and_the_page(client, member):
    dashboard = reverse("ita:dashboard", args=[member.organisation_id])
    compare = reverse("ita:compare", args=[member.organisation_id])
    client.get(dashboard)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = header(client.get(dashboard))
    on_compare = header(client.get(compare))

    assert "Dashboard" in english
    assert f'<a href="{dashboard}" aria-current="page">' in english
    assert f'<a href="{compare}" aria-current="page">' in on_compare
    assert f'<a href="{dashboard}" aria-current="page">' not in on_compare


def test_a_menu_part_renders_only_from_the_menu_value(rf):
    """Whatever the key leaves out cannot reach the HTML: the parts see only the Menu."""
    request = rf.get("/")
    request.user = MembershipFactory().user
    request.organisation = OrganisationFactory(name="อบต.ในคำขอ")
    request.organisations = [request.organisation]

    html = menu.menu_html(request, "includes/org_switcher.html")

    assert "อบต.ในคำขอ" in html
    with pytest.raises(ValueError):
        menu.menu_html(request, "includes/user_menu.html")
