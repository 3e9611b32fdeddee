"""Each stored standing's agency type from its assessment, as the refresh now writes it:
the incremental refresh (`ita.peers.changes`) reads it for assessments outside the
provinces it recomputes."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    PeerStanding = apps.get_model("ita", "PeerStanding")
    Assessment = apps.get_model("ita", "Assessment")
    PeerStanding.objects.update(
        agency_type=Subquery(
            Assessment.objects.filter(pk=OuterRef("assessment_id")).values("agency_type")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("ita", "0017_peer_standing_agency_type")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
