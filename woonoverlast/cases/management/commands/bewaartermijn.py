from django.core.management.base import BaseCommand

from woonoverlast.cases import services
from woonoverlast.cases.services.validation import format_date


class Command(BaseCommand):
    help = (
        "Anonimiseert de persoonsgegevens van casussen die langer dan de bewaartermijn "
        "(RETENTION_MONTHS) geleden zijn afgerond. Met --proef wordt alleen getoond welke."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--proef", action="store_true", help="alleen tonen wat geanonimiseerd zou worden"
        )

    def handle(self, *args, proef, **options):
        limit = services.retention_limit()
        if proef:
            cases = services.cases_past_retention().values_list("reference", "closed_on")
            for reference, closed_on in cases:
                self.stdout.write(f"{reference}  afgerond op {format_date(closed_on)}")
            self.stdout.write(
                f"{len(cases)} casussen afgerond voor {format_date(limit)} zouden worden "
                "geanonimiseerd. Er is niets gewijzigd."
            )
            return
        references = services.cases_anonymise()
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(references)} casussen afgerond voor {format_date(limit)} geanonimiseerd."
            )
        )
