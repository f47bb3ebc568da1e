"""Ship the days the Koninklijke Besluiten of art. 3 lid 3 Algemene termijnenwet equate with an
algemeen erkende feestdag for 2023-2028, so a fresh install computes bezwaartermijnen right
(bekendgemaakt 28 March 2024: the term ends Monday 13 May 2024, not Friday 10 May). The team
leader keeps the table in the admin; rows already entered there are left as they are."""

import datetime

from django.db import migrations

FIRST = (
    "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 "
    "en 30 mei 2025 met een algemeen erkende feestdag (Staatscourant)"
)
SECOND = (
    "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en "
    "26 mei 2028 met een algemeen erkende feestdag (Staatscourant)"
)
DAYS = [
    (datetime.date(2023, 4, 28), "Vrijdag na Koningsdag", FIRST),
    (datetime.date(2023, 5, 19), "Vrijdag na Hemelvaartsdag", FIRST),
    (datetime.date(2024, 5, 10), "Vrijdag na Hemelvaartsdag", FIRST),
    (datetime.date(2024, 12, 27), "Vrijdag na Tweede Kerstdag", FIRST),
    (datetime.date(2025, 5, 30), "Vrijdag na Hemelvaartsdag", FIRST),
    (datetime.date(2026, 1, 2), "Vrijdag na Nieuwjaarsdag", SECOND),
    (datetime.date(2026, 5, 15), "Vrijdag na Hemelvaartsdag", SECOND),
    (datetime.date(2027, 5, 7), "Vrijdag na Hemelvaartsdag", SECOND),
    (datetime.date(2028, 4, 28), "Vrijdag na Koningsdag", SECOND),
    (datetime.date(2028, 5, 26), "Vrijdag na Hemelvaartsdag", SECOND),
]


def add_days(apps, schema_editor):
    EquatedDay = apps.get_model("measures", "EquatedDay")
    for day, name, decree in DAYS:
        EquatedDay.objects.get_or_create(day=day, defaults={"name": name, "decree": decree})


def remove_days(apps, schema_editor):
    EquatedDay = apps.get_model("measures", "EquatedDay")
    for day, _, decree in DAYS:
        EquatedDay.objects.filter(day=day, decree=decree).delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0002_objection_outcomes_partly_withdrawn")]

    operations = [migrations.RunPython(add_days, remove_days)]
