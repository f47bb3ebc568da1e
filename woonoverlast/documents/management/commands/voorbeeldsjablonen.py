from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand

from woonoverlast.documents.examples import EXAMPLES, FOLDER, write_files
from woonoverlast.documents.models import LetterTemplate
from woonoverlast.documents.services import letter_template_upload


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
        for example in EXAMPLES:
            if LetterTemplate.objects.filter(name=example.name).exists():
                self.stdout.write(f"Bestaat al: {example.name}")
                continue
            data = (FOLDER / example.filename).read_bytes()
            letter_template_upload(
                name=example.name,
                description=example.description,
                file=SimpleUploadedFile(example.filename, data),
                by=None,
            )
            self.stdout.write(f"Geladen: {example.name}")
