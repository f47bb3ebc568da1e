"""A handhavingsverzoek is a maatregel of its own kind (measures 0006): its resultaat is that of
the request, Selectielijst 2020 6.1.8 (ingewilligd) or 6.2 (afgewezen), so those two rows apply
to maatregelen too. A row a team leader changed in the admin meanwhile keeps its other fields."""

from django.db import migrations

NUMBERS = ("6.1.8", "6.2")


def forwards(apps, schema_editor):
    ResultType = apps.get_model("archiving", "ResultType")
    ResultType.objects.filter(number__in=NUMBERS, applies_to="casus").update(applies_to="beide")


def backwards(apps, schema_editor):
    ResultType = apps.get_model("archiving", "ResultType")
    ResultType.objects.filter(number__in=NUMBERS, applies_to="beide").update(applies_to="casus")


class Migration(migrations.Migration):
    dependencies = [("archiving", "0003_measure_result_choice_and_further_results")]

    operations = [migrations.RunPython(forwards, backwards)]
