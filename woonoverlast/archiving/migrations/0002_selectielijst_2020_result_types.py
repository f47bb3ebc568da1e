"""The initial resultaten of the Selectielijst 2020 (archiving.selectielijst)."""

from django.db import migrations

# Frozen here: a later change of the module must not change what this migration did.
RESULT_TYPES = [
    ("6.1", "Melding behandeld (ingewilligd)", "vernietigen", 5, "casus"),
    ("6.1.8", "Handhavingsverzoek ingewilligd", "vernietigen", 5, "casus"),
    ("6.2", "Melding afgewezen / niet in behandeling genomen", "vernietigen", 1, "casus"),
    ("6.3", "Behandeling melding afgebroken", "vernietigen", 1, "casus"),
    ("12.2", "Handhaving uitgevoerd (gedragsaanwijzing, sluiting)", "vernietigen", 10, "beide"),
    (
        "12.2.1",
        "Handhaving uitgevoerd: doorlopende verplichting tot (niet) handelen",
        "vernietigen",
        5,
        "maatregel",
    ),
    ("12.2.3", "Handhaving uitgevoerd: tijdelijk huisverbod", "vernietigen", 5, "maatregel"),
    ("12.3", "Handhaving afgebroken", "vernietigen", 1, "maatregel"),
    ("13.1", "Bezwaar of beroep afgehandeld", "vernietigen", 5, "maatregel"),
    (
        "13.1.1",
        "Bezwaar of beroep afgehandeld: met financiële consequenties",
        "vernietigen",
        7,
        "maatregel",
    ),
    (
        "13.1.3",
        "Bezwaar of beroep afgehandeld: met invloed op een te bewaren zaak",
        "blijvend_bewaren",
        None,
        "maatregel",
    ),
    ("13.1.4", "Bezwaar of beroep niet-ontvankelijk", "vernietigen", 1, "maatregel"),
    ("13.2", "Bezwaar of beroep afgebroken", "vernietigen", 1, "maatregel"),
    ("18.3", "Invordering: geïnd", "vernietigen", 7, "maatregel"),
    ("18.4", "Invordering: niet geïnd", "vernietigen", 7, "maatregel"),
    ("19.1.10", "Verslag van bestuurlijk overleg met derden", "vernietigen", 10, "casus"),
    (
        "19.1.11",
        "Verslag van ambtelijk overleg met derden (casusoverleg)",
        "vernietigen",
        5,
        "casus",
    ),
]


def load(apps, schema_editor):
    ResultType = apps.get_model("archiving", "ResultType")
    for number, description, waardering, term, applies_to in RESULT_TYPES:
        ResultType.objects.get_or_create(
            number=number,
            defaults={
                "description": description,
                "waardering": waardering,
                "term_years": term,
                "applies_to": applies_to,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("archiving", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
