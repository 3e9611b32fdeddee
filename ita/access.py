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
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from ita.models import Organisation

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


def organisation_for(request: HttpRequest, organisation_id: int | None = None) -> Organisation:
    """Resolve, check and remember the request's organisation; Http404 when not allowed.

    With no id, the organisation chosen last in this session (or the user's first) is used.
    One query, which also fills ``request.organisations`` for the organisation switcher: the
    first `SWITCHER_LIMIT` by name, plus one more to tell that there are more (a superuser
    of a national installation may see thousands; those are searched, not listed).
    """
    remembered = request.session.get(SESSION_KEY)
    remembered = remembered if isinstance(remembered, int) else None
    visible = organisations_for(request.user)
    first = visible.values("pk")[: SWITCHER_LIMIT + 1]
    wanted = [pk for pk in (organisation_id, remembered) if pk is not None]
    available = list(visible.filter(Q(pk__in=first) | Q(pk__in=wanted)))
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
    request.organisations = listed  # type: ignore[attr-defined]
    request.more_organisations = len(available) > SWITCHER_LIMIT  # type: ignore[attr-defined]
    return organisation


ViewFunc = Callable[..., HttpResponse]


def organisation_required(view: ViewFunc) -> ViewFunc:
    """Login required, then pass the URL's ``organisation_id`` as a checked ``organisation``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, organisation_id: int, **kwargs: Any) -> Any:
        organisation = organisation_for(request, organisation_id)
        return view(request, *args, organisation=organisation, **kwargs)

    return login_required(wrapper)
