from django.core.management.base import BaseCommand

from woonoverlast.intake import services


class Command(BaseCommand):
    help = (
        "Anonimiseert binnengekomen meldingen die nooit bij een casus zijn gekomen en langer dan "
        "INTAKE_RETENTION_MONTHS geleden zijn afgehandeld, en die van geanonimiseerde casussen. "
        "Met --proef wordt alleen getoond welke."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--proef", action="store_true", help="alleen tonen wat geanonimiseerd zou worden"
        )

    def handle(self, *args, proef, **options):
        if proef:
            references = list(
                services.intake_meldingen_past_retention().values_list("reference", flat=True)
            )
            for reference in references:
                self.stdout.write(reference)
            self.stdout.write(
                f"{len(references)} meldingen zouden worden geanonimiseerd. Er is niets gewijzigd."
            )
            return
        references = services.intake_meldingen_anonymise()
        self.stdout.write(self.style.SUCCESS(f"{len(references)} meldingen geanonimiseerd."))
