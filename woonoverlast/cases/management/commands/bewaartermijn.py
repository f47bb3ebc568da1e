from django.core.management.base import BaseCommand

from woonoverlast.cases import services
from woonoverlast.common.validation import format_date


class Command(BaseCommand):
    help = (
        "Toont de casussen die langer dan de bewaartermijn van de werkschermen "
        "(RETENTION_MONTHS) geleden zijn afgerond. Zij verdwijnen uit zoeken en lijsten; er "
        "wordt niets gewist: vernietiging gaat alleen via een goedgekeurde vernietigingslijst "
        "(Archiefwet 1995 art. 3 en 5)."
    )

    def add_arguments(self, parser):
        # Kept so that existing cron lines and scripts still run; it changes nothing either way.
        parser.add_argument("--proef", action="store_true", help="alleen tonen (standaard)")

    def handle(self, *args, proef, **options):
        limit = services.retention_limit()
        cases = services.cases_past_retention().values_list("reference", "closed_on")
        for reference, closed_on in cases:
            self.stdout.write(f"{reference}  afgerond op {format_date(closed_on)}")
        self.stdout.write(
            f"{len(cases)} casussen afgerond voor {format_date(limit)}: buiten de werkschermen. "
            "Er is niets gewist of gewijzigd; vernietiging gaat via de vernietigingslijst "
            "(python manage.py vernietigingslijst)."
        )
