"""What the admin sweep needs: a second organisation with a row of every kind, the
personas, every admin URL from the resolver with its arguments, forms read back from HTML,
and a fingerprint of the database to tell whether a request wrote anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ita.admin.scoping import OrganisationScopedMixin
from ita.models import Assessment, Membership, Organisation
from plans import services
from plans.models import Action, Division, Notification
from plans.roles import GROUP_NAMES, Role
from public.models import PublicPage, PublishedYear
from tests.security.conftest import KHP

# The admin's own pages, about no model; a new one fails the sweep until it is listed here.
SITE_PAGES = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
}
# Admins of other packages that only superusers reach (no role group has their rights).
SUPERUSER_ONLY = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
OTHER_MARK = "กองพัสดุบ้านสาธิต"  # a division name only the other organisation has
PERSONAS = [
    "demo",  # superuser
    "demo-admin",  # administrator
    "demo-executive",  # supervisor / executive
    "demo-finance",  # division clerk
    "demo-viewer",
    "stranger",  # supervisor of the other organisation
    "nobody",  # a role group but no membership
]


MISSING_PK = 987654


@dataclass(frozen=True)
class Missing:
    pk: int = MISSING_PK


@dataclass
class World:
    own: Organisation
    other: Organisation
    # per model label: (own row, other row); shared rows sit in both places
    rows: dict[str, tuple[Model | None, Model | None]] = field(default_factory=dict)


def _other_organisation_rows(other: Organisation, stranger) -> None:
    """The demo's second organisation gets a row of every kind, with a history to revert."""
    division = Division.objects.create(organisation=other, name=OTHER_MARK)
    # The newest results no plan was drawn from yet (the demo plans 2569 and 2570 itself).
    assessment = Assessment.objects.filter(organisation=other, plans__isnull=True).order_by(
        "-framework__fiscal_year"
    )[0]
    plan = services.plan_create(organisation=other, assessment=assessment, user=stranger)
    indicator = assessment.framework.indicators.order_by("number")[0]
    action = services.action_create(
        plan=plan, indicator=indicator, finding="ผลของบ้านสาธิต", measure="มาตรการบ้านสาธิต"
    )
    services.action_assign(action=action, divisions=[division], all_divisions=False)
    services.plan_approve(plan=plan, user=stranger)  # progress follows approval
    services.progress_record(
        action=action,
        user=stranger,
        division=division,
        reported_on=date(2025, 11, 1),
        text="รายงานบ้านสาธิต",
        percent=10,
        status=action.status,
    )
    Notification.objects.create(kind="assigned", action=action, division=division)
    clerk = get_user_model().objects.create_user("other-clerk", email="clerk@other.example.org")
    Membership.objects.create(user=clerk, organisation=other, division=division)
    stranger.email = "stranger@other.example.org"
    stranger.save()
    # A second version of the organisation itself: its history form offers a revert.
    other.district = "อำเภอสาธิต"
    other.save()


def world_build(demo, stranger) -> World:
    own = Organisation.objects.get(name__contains=KHP)
    other = Organisation.objects.exclude(pk=own.pk).get(memberships__user=stranger)
    _other_organisation_rows(other, stranger)
    own_action = Action.objects.filter(plan__organisation=own).order_by("pk")[0]
    Notification.objects.create(
        kind="assigned", action=own_action, division=Division.objects.filter(organisation=own)[0]
    )
    for organisation, slug in ((own, "own-public"), (other, "other-public")):
        public_page = PublicPage.objects.create(organisation=organisation, slug=slug)
        PublishedYear.objects.create(page=public_page, fiscal_year=2568)
    user_model = get_user_model()
    nobody = user_model.objects.create_user("nobody", email="nobody@example.org")
    nobody.groups.add(Group.objects.get(name=GROUP_NAMES[Role.SUPERVISOR]))
    # Clerks and viewers enter and read scores in the admin: every persona can log into it.
    user_model.objects.filter(username__in=PERSONAS).update(is_staff=True)
    world = World(own=own, other=other)
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label in SUPERUSER_ONLY:  # their object pages are swept with a missing row
            world.rows[label] = (Missing(), Missing())
        else:
            world.rows[label] = _rows_of(model, own, other)
            for row in world.rows[label]:
                if hasattr(row, "history") and not row.history.exists():
                    row.save()  # bulk-loaded demo rows: a first version to show
    return world


def organisation_path_of(model: type[Model]) -> str:
    """The lookup from a model to its organisation, found from the model's own required
    foreign keys (not from its admin): "" for rows every organisation shares."""
    if model is Organisation:
        return "pk"
    if model is get_user_model():
        return "memberships__organisation"
    if model is Notification:
        # Its action became optional for the weekly digest (a supervisor's, no action): a
        # notice about an action belongs to that action's organisation, a digest to nobody's
        # but a superuser's.
        return "action__plan__organisation"
    paths: list[tuple[str, type[Model]]] = [("", model)]
    for _depth in range(3):
        paths = [
            (f"{path}__{f.name}".lstrip("_"), f.related_model)
            for path, hop in paths
            for f in hop._meta.concrete_fields
            if f.is_relation and (f.many_to_one or f.one_to_one) and not f.null
        ]
        for path, hop in paths:
            if hop is Organisation:
                return path
    return ""


def _rows_of(model, own, other) -> tuple[Model | None, Model | None]:
    rows = model._default_manager.order_by("pk")
    path = organisation_path_of(model)
    if not path:
        first = rows.first()
        return first, first
    if model is get_user_model():  # a member of one organisation only, neither persona
        rows = rows.exclude(username__in=PERSONAS).exclude(is_superuser=True)
    return (
        rows.filter(**{path: own.pk}).exclude(**{f"{path}__in": [other.pk]}).first(),
        rows.filter(**{path: other.pk}).exclude(**{f"{path}__in": [own.pk]}).first(),
    )


def leak_marks(world: World, username: str) -> list[str]:
    """What must not appear on this persona's pages: the other organisations' names, their
    own division and their members' usernames and e-mails."""
    if get_user_model().objects.get(username=username).is_superuser:
        return []
    foreign = []
    if username != "stranger":
        foreign.append(world.other)
    if username in ("stranger", "nobody"):
        foreign.append(world.own)
    marks = []
    for organisation in foreign:
        marks.append(organisation.name)
        only_theirs = (
            get_user_model()
            .objects.filter(memberships__organisation=organisation)
            .exclude(
                memberships__organisation__in=[
                    o for o in (world.own, world.other) if o not in foreign
                ]
            )
        )
        for user in only_theirs:
            marks += [f">{user.username}<", user.email]
        if organisation == world.other:
            marks.append(OTHER_MARK)
    return [m for m in marks if m]


# URLs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AdminUrl:
    model: str  # label_lower, or "" for the site's own pages
    name: str  # the URL name in the admin namespace
    pattern: URLPattern


def admin_urls() -> list[AdminUrl]:
    """Every named URL of the admin, each tied to its registered model by name."""
    (site,) = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "admin"
    ]
    prefixes = {
        f"{m._meta.app_label}_{m._meta.model_name}_": m._meta.label_lower
        for m in admin.site._registry
    }
    found = []
    for pattern in _named(site.url_patterns):
        model = next((label for p, label in prefixes.items() if pattern.name.startswith(p)), "")
        if not model and pattern.name not in SITE_PAGES:
            raise AssertionError(f"admin URL {pattern.name!r} belongs to no registered model")
        found.append(AdminUrl(model, pattern.name, pattern))
    return found


def _named(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _named(pattern.url_patterns)
        elif pattern.name:
            yield pattern


def url_for(entry: AdminUrl, row: Model | None) -> str | None:
    """The URL with the row's arguments; None when it needs a row and there is none."""
    kwargs_wanted = set(entry.pattern.pattern.regex.groupindex)
    positional = entry.pattern.pattern.regex.groups - len(kwargs_wanted)
    if not (kwargs_wanted or positional):
        return reverse(f"admin:{entry.name}")
    if row is None:
        return None
    if kwargs_wanted - {"object_id", "id"}:
        raise KeyError(f"{entry.name}: no value for URL arguments {sorted(kwargs_wanted)}")
    if positional == 2:  # simple-history: the row and one of its versions (the oldest)
        version = row.history.order_by("history_id").values_list("history_id", flat=True).first()
        if version is None:
            return None
        return reverse(f"admin:{entry.name}", args=[row.pk, version])
    if positional:
        raise KeyError(f"{entry.name}: {positional} positional URL arguments")
    return reverse(f"admin:{entry.name}", kwargs=dict.fromkeys(kwargs_wanted, row.pk))


def is_object_url(entry: AdminUrl) -> bool:
    return bool(entry.pattern.pattern.regex.groups)


# Forms and the database ----------------------------------------------------------------
class _FormReader(HTMLParser):
    """The values a browser would submit with the page's main form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def form_data(html: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(html)
    reader.data.pop("csrfmiddlewaretoken", None)
    reader.data.setdefault("post", ["yes"])  # a delete page's confirmation
    return reader.data


def _watched_models() -> list[type[Model]]:
    labels = ("ita", "plans", "auth", "admin")
    models = [m for m in apps.get_models() if m._meta.app_label in labels]
    through = [
        f.remote_field.through for m in models for f in m._meta.local_many_to_many
    ]  # an action's divisions, a user's groups
    return models + through


def fingerprint() -> tuple[object, ...]:
    """Row counts of every table of the project (history and admin log included), and the
    whole of the tables whose rows change without a history (users, memberships); one query
    for the counts, as the sweep takes one before and after every POST."""
    quote = connection.ops.quote_name
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in _watched_models()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        found: list[object] = [cursor.fetchone()]
    user_model = get_user_model()
    found.append(list(user_model.objects.order_by("pk").values_list()))
    found.append(list(user_model.groups.through.objects.order_by("pk").values_list()))
    found.append(list(Membership.objects.order_by("pk").values_list()))
    return tuple(found)


def scoped_admins() -> dict[str, bool]:
    return {
        m._meta.label_lower: isinstance(ma, OrganisationScopedMixin)
        for m, ma in admin.site._registry.items()
    }
