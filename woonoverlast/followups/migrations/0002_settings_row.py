"""The settings row, with nazorg watched from the day of installation on.

Without `aftercare_since` every case ever closed without a nazorg action would be due at
once; a team leader can move the date back in the admin.
"""

from django.db import migrations
from django.utils import timezone


def create(apps, schema_editor):
    FollowUpSettings = apps.get_model("followups", "FollowUpSettings")
    FollowUpSettings.objects.get_or_create(pk=1, defaults={"aftercare_since": timezone.localdate()})


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
