from django.core.management.base import BaseCommand

from woonoverlast.documents.examples import examples_load, write_files


class Command(BaseCommand):
    help = (
        "Laadt de voorbeeldbriefsjablonen (uitnodiging, waarschuwing, voornemen, besluit, "
        "terugkoppeling) als briefsjablonen; bestaande sjablonen blijven ongemoeid."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bestanden",
            action="store_true",
            help="Maak eerst de Word-bestanden in de map example_templates opnieuw.",
        )

    def handle(self, *args, bestanden=False, **options):
        if bestanden:
            for path in write_files():
                self.stdout.write(f"Gemaakt: {path}")
        for name, loaded in examples_load():
            self.stdout.write(f"{'Geladen' if loaded else 'Bestaat al'}: {name}")
