import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from woonoverlast.followups import services


def _iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Ongeldige datum {value!r}: gebruik JJJJ-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Voert de dagelijkse termijnbewaking met de hand uit, zonder Celery-worker: stelt voor "
        "elke casemanager en teamleider het dagoverzicht samen, zet het bij de berichten in de "
        "app en verstuurt het per e-mail. Nogmaals draaien op dezelfde dag maakt en verstuurt "
        "niets dubbel; wat bij een eerdere, afgebroken run niet verstuurd is, gaat alsnog weg."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--datum",
            type=_iso_date,
            default=None,
            metavar="JJJJ-MM-DD",
            help="De dag van het overzicht (standaard: vandaag).",
        )

    def handle(self, *args, datum=None, **options):
        day = datum or timezone.localdate()
        failures = set()

        def on_error(user, error):
            failures.add(user.pk)
            self.stderr.write(f"Mislukt voor gebruiker {user.username}: {error}")

        delivery = services.digest_run(on=day, on_error=on_error)
        report = (
            f"Termijnbewaking {day:%d-%m-%Y}: {delivery.stored} dagoverzicht(en) in de app, "
            f"{delivery.emailed} e-mail(s) nu verstuurd"
        )
        if delivery.failed:
            report += f", {delivery.failed} e-mail(s) niet verstuurd (mailserver)"
        self.stdout.write(f"{report}.")
        if failures:
            raise CommandError(
                f"Voor {len(failures)} gebruiker(s) is het niet gelukt; draai de opdracht "
                "opnieuw, dan gaat alleen het ontbrekende alsnog weg."
            )
