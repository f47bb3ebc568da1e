"""manage.py api_token GEBRUIKERSNAAM: create or replace the user's API token, print it once."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from woonoverlast.api.services import token_issue


class Command(BaseCommand):
    help = (
        "Maakt een API-token voor de gebruiker (een eerder token vervalt) en toont het één "
        "keer, als laatste woord van de uitvoer. Alleen een hash wordt bewaard."
    )

    def add_arguments(self, parser):
        parser.add_argument("gebruikersnaam")
        parser.add_argument(
            "--code",
            default=None,
            help="De verificatiecode uit de authenticator-app van de gebruiker: nodig wie "
            "tweestapsverificatie gebruikt of moet gebruiken (teamleiders).",
        )

    def handle(self, *args, gebruikersnaam, code=None, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=gebruikersnaam)
        except User.DoesNotExist:
            raise CommandError(f"Gebruiker '{gebruikersnaam}' bestaat niet.") from None
        if not user.is_active:
            raise CommandError(f"Gebruiker '{gebruikersnaam}' is niet actief.")
        try:
            _, key = token_issue(user=user, otp_token=code)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"API-token voor {user.get_username()} (een eerder token werkt niet meer). "
            f"Bewaar het nu: het wordt niet opnieuw getoond.\n{key}"
        )
