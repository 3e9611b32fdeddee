"""Every admin URL of every registered model, as each persona, on a row of the persona's
organisation and on one of another organisation: GET and POST, no leak, no unauthorised write.

The URLs come from the resolver and the rows from each admin's `organisation_path`, so a
model or a custom admin page registered later is swept without editing this file (and the
coverage test fails until the sweep can fill its URLs).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from plans.models import Action
from tests.security.admin_sweep import (
    MISSING_PK,
    PERSONAS,
    SITE_PAGES,
    SUPERUSER_ONLY,
    AdminUrl,
    Missing,
    World,
    admin_urls,
    fingerprint,
    form_data,
    is_object_url,
    leak_marks,
    organisation_path_of,
    scoped_admins,
    url_for,
    world_build,
)
from tests.security.conftest import user

pytestmark = pytest.mark.django_db
READ_ONLY = {"plans.progressreport", "plans.planrevision", "plans.notification"}
# The right each URL's POST needs (its last part after the model's prefix); the changelist's
# POST is the "delete selected" action.
VERB_OF = {
    "changelist": "delete",
    "add": "add",
    "change": "change",
    "delete": "delete",
    "simple_history": "change",
    "copy": "add",
    "password_change": "change",
    "import": "add",
    "process_import": "add",
}


@pytest.fixture
def world(demo, stranger) -> World:
    return world_build(demo, stranger)


def _suffix(entry: AdminUrl) -> str:
    app_label, model_name = entry.model.split(".")
    return entry.name.removeprefix(f"{app_label}_{model_name}_")


def _model(entry: AdminUrl):
    return next(m for m in admin.site._registry if m._meta.label_lower == entry.model)


def _is_shared(entry: AdminUrl) -> bool:
    return not organisation_path_of(_model(entry))


def _rows(world: World, entry: AdminUrl, username: str) -> tuple[tuple[str, object], ...]:
    """(whose, row): the persona's organisation's row, then the foreign one; a user with
    no membership has no organisation of its own."""
    own, other = world.rows[entry.model]
    if username == "stranger":
        own, other = other, own
    return (("foreign" if username == "nobody" else "own", own), ("foreign", other))


def _unauthorised(persona, entry: AdminUrl, where: str, row) -> bool:
    """Whether any write by this POST would be one the persona has no right to."""
    if persona.is_superuser:
        return False
    shared = _is_shared(entry)
    if where == "foreign" and not shared:
        return True
    verb = VERB_OF.get(_suffix(entry), "change")
    app_label, model_name = entry.model.split(".")
    if not persona.has_perm(f"{app_label}.{verb}_{model_name}") or entry.model in READ_ONLY:
        return True
    if isinstance(row, Action) and row.plan.is_frozen:
        return True
    # add and changelist POST the other organisation's row (see `_payload`)
    return _suffix(entry) in ("add", "changelist", "import", "process_import") and not shared


def _payload(superuser: Client, entry: AdminUrl, url: str, other) -> dict:
    suffix = _suffix(entry)
    if suffix == "changelist":
        return {"action": ["delete_selected"], "_selected_action": [str(other.pk)], "post": ["yes"]}
    if suffix in ("add", "import", "process_import") and not isinstance(other, Missing):
        # Create a copy of another organisation's row, from its own change form.
        change = reverse(f"admin:{entry.model.replace('.', '_')}_change", args=[other.pk])
        return form_data(superuser.get(change).content.decode())
    # errors="replace": a download (a framework file) has no form to post back
    return form_data(superuser.get(url).content.decode(errors="replace"))


def _missing_twin(client: Client, url: str, row) -> tuple[int, str]:
    response = client.get(url.replace(f"/{row.pk}/", f"/{MISSING_PK}/", 1))
    return response.status_code, response.get("Location", "")


@pytest.mark.parametrize("username", PERSONAS)
def test_admin_sweep_persona_meets_no_leak_and_no_unauthorised_write(client, world, username):
    persona = user(username)
    marks = leak_marks(world, username)
    superuser = Client()
    superuser.force_login(user("demo"))
    client.force_login(persona)
    leaks, writes, errors, unlike_missing, swept = [], [], [], [], set()

    for entry in admin_urls():
        if not entry.model:
            continue
        rows = _rows(world, entry, username)
        foreign = rows[1][1]
        targets = rows if is_object_url(entry) else (("list", None),)
        for where, row in targets:
            url = url_for(entry, row)
            response = client.get(url)
            swept.add(entry.name)
            body = response.content.decode(errors="replace") if not response.streaming else ""
            if response.status_code >= 500:
                errors.append(url)
            leaks += [(url, mark) for mark in marks if mark in body]
            scoped = where == "foreign" and not persona.is_superuser and not _is_shared(entry)
            answer = (response.status_code, response.get("Location", ""))
            if scoped and answer != _missing_twin(client, url, row):
                unlike_missing.append((url, response.status_code))
            if _unauthorised(persona, entry, where, row) and _suffix(entry) != "history":
                data = _payload(superuser, entry, url, foreign)
                before = fingerprint()
                posted = client.post(url, data)
                if fingerprint() != before:
                    writes.append((url, posted.status_code))
                if posted.status_code >= 500:
                    errors.append(("POST", url))
                text = posted.content.decode(errors="replace") if not posted.streaming else ""
                sent = " ".join(v for values in data.values() for v in values)  # echoed back
                leaks += [(url, mark) for mark in marks if mark in text and mark not in sent]

    assert (errors, leaks, writes, unlike_missing) == ([], [], [], [])
    assert swept == {e.name for e in admin_urls() if e.model}


@pytest.mark.parametrize("username", PERSONAS[1:])
def test_admin_sweep_autocomplete_offers_no_other_organisations_rows(client, world, username):
    client.force_login(user(username))
    marks = leak_marks(world, username)
    found = []

    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            response = client.get(
                "/admin/autocomplete/",
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field_name,
                    "term": "",
                },
            )
            body = response.content.decode()
            found += [(model._meta.label, field_name, m) for m in marks if m in body]

    assert found == []


def test_admin_sweep_covers_every_registered_model_and_admin_page(world):
    entries = admin_urls()

    unscoped = [label for label, scoped in scoped_admins().items() if not scoped]
    models = {e.model for e in entries if e.model}
    unfilled = [
        (e.name, where)
        for e in entries
        if e.model and is_object_url(e)
        for where, row in zip(("own", "other"), world.rows[e.model], strict=True)
        if url_for(e, row) is None
    ]
    site = {e.name for e in entries if not e.model}

    shared_by_model = {
        m._meta.label_lower: not organisation_path_of(m) for m in admin.site._registry
    }
    shared_by_admin = {
        m._meta.label_lower: not getattr(ma, "organisation_path", "")
        for m, ma in admin.site._registry.items()
    }

    assert sorted(unscoped) == sorted(SUPERUSER_ONLY)
    assert shared_by_admin == shared_by_model
    assert models == set(scoped_admins())
    assert unfilled == []
    assert site <= SITE_PAGES
    assert {"ita_assessment_import", "ita_framework_copy", "ita_organisation_simple_history"} <= {
        e.name for e in entries
    }
