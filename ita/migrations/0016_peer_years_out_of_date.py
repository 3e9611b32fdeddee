"""Every stored year's peer rows lack the province ranking added in 0015: mark them out of
date, so that the next peers page (or write) refreshes the year."""

from django.db import migrations
from django.db.models import F


def mark_out_of_date(apps, schema_editor):
    apps.get_model("ita", "PeerYear").objects.update(version=F("version") + 1)


class Migration(migrations.Migration):
    dependencies = [("ita", "0015_peer_standing_ranking")]

    operations = [migrations.RunPython(mark_out_of_date, migrations.RunPython.noop)]
