"""Existing organisations in the one stored spelling of `ita.orgnames` (data only).

Nothing is merged or deleted: when two rows share a match key (name and province in the
stored spelling, e.g. "อบต.คลองหินปูน" beside "องค์การบริหารส่วนตำบลคลองหินปูน"), both are
left exactly as they are and named in the migration's output, for a person to merge. The
reverse does nothing: the old spellings are not kept (the history table still has them).
"""

from __future__ import annotations

import sys
from collections import defaultdict

from django.db import migrations

from ita.orgnames import (
    normalise_district,
    normalise_organisation_name,
    normalise_province,
    organisation_key,
)


def normalise_names(apps, schema_editor) -> None:
    Organisation = apps.get_model("ita", "Organisation")
    rows = list(Organisation.objects.using(schema_editor.connection.alias).order_by("pk"))
    by_key: dict[tuple[str, str], list] = defaultdict(list)
    for organisation in rows:
        by_key[organisation_key(organisation.name, organisation.province)].append(organisation)
    for group in by_key.values():
        if len(group) > 1:
            names = "; ".join(f"#{o.pk} {o.name} ({o.province})" for o in group)
            sys.stdout.write(
                f"\n  Not normalised, same organisation under several spellings: {names}"
            )
            continue
        organisation = group[0]
        fields = {
            "name": normalise_organisation_name(organisation.name),
            "province": normalise_province(organisation.province),
            "district": normalise_district(organisation.district),
        }
        if any(getattr(organisation, f) != v for f, v in fields.items()):
            Organisation.objects.using(schema_editor.connection.alias).filter(
                pk=organisation.pk
            ).update(**fields)


class Migration(migrations.Migration):
    dependencies = [
        ("ita", "0011_indicator_result_verdict"),
    ]

    operations = [
        migrations.RunPython(normalise_names, migrations.RunPython.noop, elidable=True),
    ]
