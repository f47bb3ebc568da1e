"""manage.py api_token GEBRUIKERSNAAM: create or replace the user's API token, print it once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from woonoverlast.api.services import token_issue


class Command(BaseCommand):
    help = (
        "Maakt een API-token voor de gebruiker (een eerder token vervalt) en toont het één "
        "keer, als laatste woord van de uitvoer. Alleen een hash wordt bewaard."
    )

    def add_arguments(self, parser):
        parser.add_argument("gebruikersnaam")

    def handle(self, *args, gebruikersnaam, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=gebruikersnaam)
        except User.DoesNotExist:
            raise CommandError(f"Gebruiker '{gebruikersnaam}' bestaat niet.") from None
        if not user.is_active:
            raise CommandError(f"Gebruiker '{gebruikersnaam}' is niet actief.")
        _, key = token_issue(user=user)
        self.stdout.write(
            f"API-token voor {user.get_username()} (een eerder token werkt niet meer). "
            f"Bewaar het nu: het wordt niet opnieuw getoond.\n{key}"
        )
