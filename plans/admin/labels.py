"""Permission names as the role editors read them, in the interface language.

Django stores a permission's name in English when the table is migrated ("Can add question
score"), and simple-history names its models "historical …" without gettext, so the group
and user forms would list some two hundred English lines. The label is rebuilt from the
permission's action and its model's (translated) verbose name instead; a permission whose
model is gone keeps its stored name.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.utils.translation import gettext, gettext_lazy

ACTIONS = {
    "add": gettext_lazy("Can add %(model)s"),
    "change": gettext_lazy("Can change %(model)s"),
    "delete": gettext_lazy("Can delete %(model)s"),
    "view": gettext_lazy("Can view %(model)s"),
}


def _model_name(model: type) -> str:
    meta = model._meta  # type: ignore[attr-defined]
    base = getattr(model, "instance_type", None)  # simple-history's record of a model
    if base is not None:
        return gettext("history of %(model)s") % {"model": _model_name(base)}
    if meta.auto_created:  # the table behind a many-to-many field
        one, other = (f.related_model._meta.verbose_name for f in meta.fields if f.is_relation)
        return gettext("link between %(one)s and %(other)s") % {"one": one, "other": other}
    return str(meta.verbose_name)


def permission_label(permission: Permission) -> str:
    content_type = permission.content_type
    model = content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is None or action not in ACTIONS or model_name != content_type.model:
        return str(permission)
    app = model._meta.app_config.verbose_name
    return f"{app} | {ACTIONS[action] % {'model': _model_name(model)}}"


def permission_list(permissions: object) -> str:
    """A group's permissions, one label a line, for those who may only look at the group."""
    return "\n".join(sorted(permission_label(p) for p in permissions))  # type: ignore[attr-defined]
