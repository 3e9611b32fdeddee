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
        menu.menu_html(request, menu.TOOLS)  # the forms go through tools_html


def csrf_tokens(response) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', response.content.decode())


def test_the_cached_header_forms_carry_a_fresh_working_csrf_token():
    """The language switch and log-out are rendered once with a slot for the token: each
    page gets its own masked token, and posting it is accepted."""
    from django.test import Client

    membership = MembershipFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(membership.user)
    url = reverse("ita:dashboard", args=[membership.organisation_id])

    first, second = csrf_tokens(client.get(url)), csrf_tokens(client.get(url))
    switched = client.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": second[0]}
    )
    refused = Client(enforce_csrf_checks=True)
    refused.force_login(membership.user)
    forged = refused.post(reverse("set_language"), {"language": "en", "next": url})

    assert len(first) == len(second) == 2  # language switch and log-out
    assert first[0] != second[0] and all(len(token) == 64 for token in first + second)
    assert "\x00" not in client.get(url).content.decode()
    assert switched.status_code == 302 and "Dashboard" in client.get(url).content.decode()
    assert forged.status_code == 403


def test_the_header_shows_a_renamed_user_and_returns_to_the_page_shown(client):
    membership = MembershipFactory(user__first_name="สมชาย")
    client.force_login(membership.user)
    url = reverse("ita:dashboard", args=[membership.organisation_id])
    client.get(url)
    before = header(client.get(url))
    membership.user.first_name = "สมหญิง"
    membership.user.save()
    after = header(client.get(url))
    on_compare = header(client.get(reverse("ita:compare", args=[membership.organisation_id])))

    assert "สมชาย" in before and "สมหญิง" not in before
    assert "สมหญิง" in after
    assert f'name="next" value="{url}"' in after
    assert (
        'name="next" value="{}"'.format(reverse("ita:compare", args=[membership.organisation_id]))
        in on_compare
    )
