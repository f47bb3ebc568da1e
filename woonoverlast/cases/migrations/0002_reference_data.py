"""The wijken of Tabel 5.1 in the table's order, the seed's nuisance categories and the usual
ketenpartners. Team leaders maintain these lists in the admin afterwards."""

from django.db import migrations

DISTRICTS = [
    "Centrum",
    "Meerzicht",
    "Buytenwegh",
    "De Leyens",
    "Seghwaert",
    "Noordhove",
    "Rokkeveen",
    "Oosterheem",
]

CATEGORIES = [
    ("geluidsoverlast", "Geluidsoverlast"),
    ("zorgcomponent", "Zorgcomponent"),
    ("wederzijdse-beschuldigingen", "Wederzijdse beschuldigingen"),
    ("verward-gedrag-verslaving", "Verward gedrag/verslaving"),
    ("verzamelwoede", "Verzamelwoede"),
    ("ernstige-vervuiling", "Ernstige vervuiling"),
    ("veel-huisdieren", "Veel huisdieren/hygiënische overlast"),
    ("overig", "Overig"),
]

PARTNERS = [
    "Politie",
    "Woningcorporatie",
    "GGD",
    "Wijkteam",
    "Veilig Thuis",
    "Zorgaanbieder",
    "Buurtbemiddeling",
    "Handhaving",
    "Zorg- en Veiligheidshuis",
]


def create(apps, schema_editor):
    District = apps.get_model("cases", "District")
    Category = apps.get_model("cases", "Category")
    Partner = apps.get_model("cases", "Partner")
    for order, name in enumerate(DISTRICTS, start=1):
        District.objects.get_or_create(name=name, defaults={"display_order": order * 10})
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "display_order": order * 10}
        )
    for order, name in enumerate(PARTNERS, start=1):
        Partner.objects.get_or_create(name=name, defaults={"display_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
