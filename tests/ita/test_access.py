"""Who sees which organisation: members their own, superusers all, strangers a 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from ita import access
from ita.models import Organisation
from tests.factories import (
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    khlong_hin_pun_2568,
)

pytestmark = pytest.mark.django_db


def request_for(user, session: dict | None = None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request.session.update(session or {})
    return request


def test_organisations_for_a_member_are_only_their_own():
    membership = MembershipFactory()
    OrganisationFactory()

    assert list(access.organisations_for(membership.user)) == [membership.organisation]


def test_organisations_for_a_superuser_are_all_of_them():
    first, second = OrganisationFactory(name="ก"), OrganisationFactory(name="ข")
    admin = UserFactory(is_superuser=True)

    assert list(access.organisations_for(admin)) == [first, second]


def test_organisations_for_anonymous_or_inactive_users_are_none():
    membership = MembershipFactory(user__is_active=False)

    assert list(access.organisations_for(AnonymousUser())) == []
    assert list(access.organisations_for(membership.user)) == []


def test_can_access_checks_one_organisation():
    membership = MembershipFactory()

    assert access.can_access(membership.user, membership.organisation)
    assert not access.can_access(membership.user, OrganisationFactory())


def test_choose_organisation_prefers_the_url_then_the_session_then_the_first():
    a, b = Organisation(pk=1, name="a"), Organisation(pk=2, name="b")

    assert access.choose_organisation([a, b], 2, 1) is b
    assert access.choose_organisation([a, b], None, 2) is b
    assert access.choose_organisation([a, b], None, 99) is a
    assert access.choose_organisation([a, b], 3, 1) is None  # never falls back silently
    assert access.choose_organisation([], None, None) is None


def test_organisation_for_remembers_the_choice_in_the_session():
    membership = MembershipFactory()
    other = MembershipFactory(user=membership.user)
    request = request_for(membership.user)

    chosen = access.organisation_for(request, other.organisation.pk)

    assert chosen == other.organisation
    assert request.session[access.SESSION_KEY] == other.organisation.pk
    assert request.organisations == sorted(
        [membership.organisation, other.organisation], key=lambda o: (o.name, o.pk)
    )
    assert access.organisation_for(request_for(membership.user, dict(request.session))) == chosen


def test_organisation_for_someone_elses_organisation_is_a_404():
    membership = MembershipFactory()
    stranger = OrganisationFactory()

    with pytest.raises(Http404):
        access.organisation_for(request_for(membership.user), stranger.pk)


@pytest.mark.parametrize(
    ("name", "extra"),
    [("dashboard", []), ("year-dashboard", [2568]), ("compare", []), ("indicator", [8])],
)
def test_anonymous_users_are_sent_to_login(client, name, extra):
    assessment = khlong_hin_pun_2568()
    url = reverse(f"ita:{name}", args=[assessment.organisation_id, *extra])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("name", "extra"),
    [("dashboard", []), ("year-dashboard", [2568]), ("compare", []), ("indicator", [8])],
)
def test_a_member_of_another_organisation_gets_404(client, name, extra):
    theirs = khlong_hin_pun_2568()
    outsider = MembershipFactory()  # a member of a different organisation
    client.force_login(outsider.user)

    response = client.get(reverse(f"ita:{name}", args=[theirs.organisation_id, *extra]))

    assert response.status_code == 404
    assert "94.39" not in response.content.decode()
    assert theirs.organisation.name not in response.content.decode()


def test_home_sends_a_member_to_their_organisation(client):
    membership = MembershipFactory()
    client.force_login(membership.user)

    response = client.get(reverse("ita:home"))

    assert response["Location"] == reverse("ita:dashboard", args=[membership.organisation.pk])


def test_home_returns_to_the_organisation_opened_last(client):
    membership = MembershipFactory(organisation__name="ก")
    later = MembershipFactory(user=membership.user, organisation__name="ข")
    client.force_login(membership.user)
    client.get(reverse("ita:dashboard", args=[later.organisation.pk]))

    response = client.get(reverse("ita:home"))

    assert response["Location"] == reverse("ita:dashboard", args=[later.organisation.pk])


def test_home_explains_when_the_user_has_no_organisation(client):
    client.force_login(UserFactory())

    response = client.get(reverse("ita:home"))

    assert response.status_code == 200
    assert response.templates[0].name == "ita/no_organisation.html"


def test_switcher_lists_only_the_users_organisations(client):
    membership = MembershipFactory(organisation__name="อบต.หนึ่ง")
    MembershipFactory(user=membership.user, organisation__name="อบต.สอง")
    OrganisationFactory(name="อบต.ของคนอื่น")
    client.force_login(membership.user)

    html = client.get(reverse("ita:dashboard", args=[membership.organisation.pk])).content.decode()

    assert 'class="org-switcher"' in html
    assert "อบต.สอง" in html
    assert "อบต.ของคนอื่น" not in html


def test_switcher_is_hidden_with_a_single_organisation(client):
    membership = MembershipFactory()
    client.force_login(membership.user)

    html = client.get(reverse("ita:dashboard", args=[membership.organisation.pk])).content.decode()

    assert 'class="org-switcher"' not in html
    assert membership.organisation.name in html


# --- Many organisations: the switcher lists some, the organisations page searches all -------


def many_organisations(count: int, province: str = "สระแก้ว") -> list[Organisation]:
    return [OrganisationFactory(name=f"อบต.ลำดับ {n:03d}", province=province) for n in range(count)]


def test_organisation_for_a_superuser_lists_the_first_twenty_and_says_there_are_more():
    organisations = many_organisations(30)
    request = request_for(UserFactory(is_superuser=True))

    chosen = access.organisation_for(request, organisations[27].pk)

    assert chosen == organisations[27]
    assert request.organisations == [*organisations[:20], organisations[27]]
    assert request.more_organisations is True


def test_organisation_for_a_member_of_few_lists_them_all_without_more():
    membership = MembershipFactory()
    MembershipFactory(user=membership.user)
    request = request_for(membership.user)

    access.organisation_for(request)

    assert len(request.organisations) == 2
    assert request.more_organisations is False


def test_dashboard_of_a_superuser_costs_the_same_with_5_or_60_organisations(
    client, django_assert_num_queries
):
    khp = khlong_hin_pun_2568().organisation
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("ita:dashboard", args=[khp.pk])
    client.get(url)  # also caches the year figures and the page body (ita.pagecache)
    # 6: the cached body spares the plan panel's two queries and costs the plans token.
    with django_assert_num_queries(6):
        few = client.get(url)
    many_organisations(60)

    with django_assert_num_queries(6):
        many = client.get(url)

    assert few.content.decode().count('class="org-switcher__list"') == 0  # one organisation
    body = many.content.decode()
    assert body.count("อบต.ลำดับ") == 19  # the first 19 by name, then the page's own
    assert reverse("ita:organisations") in body


def test_organisations_page_searches_by_name_or_place_and_pages_by_fifty(client):
    many_organisations(55)
    many_organisations(3, province="ตราด")
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("ita:organisations")

    first = client.get(url)
    second = client.get(url, {"page": 2})
    trat = client.get(url, {"q": "ตราด"})

    assert first.context["page"].paginator.count == 58
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 8
    assert [o.province for o in trat.context["page"].object_list] == ["ตราด"] * 3
    assert reverse("ita:dashboard", args=[trat.context["page"].object_list[0].pk]) in (
        trat.content.decode()
    )


def test_organisations_page_shows_a_member_only_their_own(client):
    membership = MembershipFactory()
    many_organisations(5)
    client.force_login(membership.user)

    response = client.get(reverse("ita:organisations"), {"q": "สระแก้ว"})

    assert list(response.context["page"].object_list) == [membership.organisation]


def test_organisations_page_needs_a_login(client):
    response = client.get(reverse("ita:organisations"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_organisation_for_reads_the_users_membership_with_the_organisation(
    django_assert_num_queries,
):
    division = DivisionFactory()
    mine = MembershipFactory(organisation=division.organisation, division=division, role="")
    other = MembershipFactory(user=mine.user, role="supervisor")  # another organisation
    request = request_for(mine.user)

    with django_assert_num_queries(1):
        access.organisation_for(request, mine.organisation_id, membership=True)
        membership = access.request_membership(request)
    assert (membership.pk, membership.role, membership.division_id) == (mine.pk, "", division.pk)
    with django_assert_num_queries(1):  # the division, only when a page needs more than its id
        assert membership.division == division

    access.organisation_for(request, other.organisation_id, membership=True)
    assert access.request_membership(request).pk == other.pk
    assert access.request_membership(request).role == "supervisor"


def test_without_asking_organisation_for_leaves_the_membership_to_one_query_on_use(
    django_assert_num_queries,
):
    mine = MembershipFactory(role="supervisor")
    request = request_for(mine.user)
    access.organisation_for(request, mine.organisation_id)

    with django_assert_num_queries(1):
        assert access.request_membership(request) == mine
        assert access.request_membership(request).role == "supervisor"


def test_organisation_for_a_superuser_without_membership_has_none():
    admin = UserFactory(is_superuser=True, is_staff=True)
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation)  # someone else's
    request = request_for(admin)

    access.organisation_for(request, organisation.pk, membership=True)

    assert access.request_membership(request) is None
