from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from woonoverlast.cases.services.import_files import ImportFailed, import_cases


class Command(BaseCommand):
    help = (
        "Importeert casussen uit een spreadsheet (CSV of XLSX). Alles of niets: bevat een rij "
        "een fout, dan wordt niets geïmporteerd en wordt elke fout met het rijnummer gemeld."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand", help="pad naar het .csv- of .xlsx-bestand")
        parser.add_argument(
            "--controleer",
            action="store_true",
            help="alleen controleren, niets importeren",
        )
        parser.add_argument(
            "--gebruiker",
            help="gebruikersnaam die als registrerend medewerker wordt vastgelegd",
        )

    def handle(self, *args, bestand, controleer, gebruiker, **options):
        path = Path(bestand)
        if not path.is_file():
            raise CommandError(f"Bestand '{bestand}' bestaat niet.")
        by = None
        if gebruiker:
            try:
                by = get_user_model().objects.get(username=gebruiker)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Gebruiker '{gebruiker}' bestaat niet.") from None
        try:
            cases = import_cases(path, by=by, commit=not controleer)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            count = len(failed.problems)
            raise CommandError(
                f"Niets geïmporteerd: {count} {'fout' if count == 1 else 'fouten'} "
                f"in '{path.name}'."
            ) from None
        if controleer:
            self.stdout.write(
                f"Geen fouten gevonden: {len(cases)} casussen kunnen worden "
                "geïmporteerd. Er is niets opgeslagen."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{len(cases)} casussen geïmporteerd uit '{path.name}'.")
            )
