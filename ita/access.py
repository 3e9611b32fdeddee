"""Who may see which organisation: the one access rule every page goes through.

A user sees the organisations they are a member of (``ita.models.Membership``); superusers
see all of them. Pages take the organisation from the URL; the last one opened is kept in the
session so that ``/`` (and the plans pages) can return to it. Anything outside the user's
organisations is a 404, not a 403, so a stranger cannot even learn that it exists.

Usage in a view (the plans app does the same)::

    @organisation_required
    def dashboard(request, organisation, year=None): ...

with ``<int:organisation_id>`` in the URL pattern. The decorator sends anonymous users to the
login page, resolves the organisation (or 404s), remembers it, and puts
``request.organisation`` and ``request.organisations`` (the switcher's list) on the request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from ita.models import Membership, Organisation

SESSION_KEY = "ita_organisation"
SWITCHER_LIMIT = 20  # organisations listed in the header; more are searched on their own page


def organisations_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations a user may see, by name; superusers see all, anonymous none."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.order_by("name", "pk")
    # One membership per user and organisation (a unique constraint): no duplicates to remove.
    return Organisation.objects.filter(memberships__user=user).order_by("name", "pk")


def can_access(user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> bool:
    """For checks on a single object (e.g. a plan's organisation); costs one query."""
    return organisations_for(user).filter(pk=organisation.pk).exists()


def choose_organisation(
    available: Sequence[Organisation], wanted_id: int | None, remembered_id: int | None
) -> Organisation | None:
    """The organisation a request is about: the wanted one, else the remembered, else the first.

    A wanted id the user may not see gives None (the caller answers 404) rather than falling
    back, so a URL never silently shows a different organisation than it names.
    """
    by_id = {o.pk: o for o in available}
    if wanted_id is not None:
        return by_id.get(wanted_id)
    if remembered_id is not None and remembered_id in by_id:
        return by_id[remembered_id]
    return available[0] if available else None


def organisation_for(
    request: HttpRequest, organisation_id: int | None = None, *, membership: bool = False
) -> Organisation:
    """Resolve, check and remember the request's organisation; Http404 when not allowed.

    With no id, the organisation chosen last in this session (or the user's first) is used.
    One query, which also fills ``request.organisations`` for the organisation switcher (and,
    with ``membership``, ``request.membership``: the user's own, or None): the
    first `SWITCHER_LIMIT` by name, plus one more to tell that there are more (a superuser
    of a national installation may see thousands; those are searched, not listed).
    """
    remembered = request.session.get(SESSION_KEY)
    remembered = remembered if isinstance(remembered, int) else None
    visible = organisations_for(request.user)
    first = visible.values("pk")[: SWITCHER_LIMIT + 1]
    wanted = [pk for pk in (organisation_id, remembered) if pk is not None]
    rows = visible.filter(Q(pk__in=first) | Q(pk__in=wanted))
    if membership:
        # The user's own membership of each row rides along (a LEFT JOIN, at most one row
        # per user and organisation): cheaper than its own query, dearer than none, so
        # only pages that need the role ask for it.
        mine = FilteredRelation("memberships", condition=Q(memberships__user=request.user))
        rows = rows.alias(mine=mine).annotate(
            member_pk=F("mine__pk"),
            member_role=F("mine__role"),
            member_division_id=F("mine__division_id"),
        )
    available = list(rows)
    organisation = choose_organisation(available, organisation_id, remembered)
    if organisation is None:
        raise Http404("No such organisation for this user.")
    if remembered != organisation.pk:
        # Written only on change: saving the session costs queries on every page otherwise.
        request.session[SESSION_KEY] = organisation.pk
    listed = available[:SWITCHER_LIMIT]
    if organisation not in listed:
        listed.append(organisation)
    request.organisation = organisation  # type: ignore[attr-defined]
    if membership:
        request.membership = _membership(request.user, organisation)  # type: ignore[attr-defined]
    request.organisations = listed  # type: ignore[attr-defined]
    request.more_organisations = len(available) > SWITCHER_LIMIT  # type: ignore[attr-defined]
    return organisation


def _membership(user: Any, organisation: Organisation) -> Membership | None:
    """The membership `organisation_for` read with the row (its division loads on use)."""
    pk = getattr(organisation, "member_pk", None)
    if pk is None:
        return None
    return Membership(
        pk=pk,
        user=user,
        organisation=organisation,
        role=organisation.member_role,  # type: ignore[attr-defined]
        division_id=organisation.member_division_id,  # type: ignore[attr-defined]
    )


def request_membership(request: HttpRequest) -> Membership | None:
    """The user's membership of the request's organisation (after `organisation_for`): read
    with it when asked for there, else one query here."""
    if not hasattr(request, "membership"):
        request.membership = (  # type: ignore[attr-defined]
            Membership.objects.filter(user=request.user, organisation=request.organisation)  # type: ignore[attr-defined]
            .select_related("division")
            .first()
        )
    return request.membership  # type: ignore[attr-defined]


ViewFunc = Callable[..., HttpResponse]


def organisation_required(view: ViewFunc | None = None, *, membership: bool = False) -> Any:
    """Login required, then pass the URL's ``organisation_id`` as a checked ``organisation``.

    ``@organisation_required(membership=True)`` also reads the user's membership with it
    (`request_membership`), for pages that print what the user's role allows."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, organisation_id: int, **kwargs: Any) -> Any:
            organisation = organisation_for(request, organisation_id, membership=membership)
            return view(request, *args, organisation=organisation, **kwargs)

        return login_required(wrapper)

    return decorate(view) if view is not None else decorate
