from django.core.management.base import BaseCommand

from woonoverlast.cases.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_extras_load, load_demo


class Command(BaseCommand):
    help = (
        "Vult een lege database met de demodata (casussen 2022 tot vandaag; 2023 geeft precies "
        "de gepubliceerde Tabel 5.1), maakt per rol een demogebruiker aan en laadt de "
        "voorbeeldbriefsjablonen."
    )

    def handle(self, *args, **options):
        created = load_demo(progress=lambda message: self.stdout.write(f"  {message}"))
        if created:
            self.stdout.write(self.style.SUCCESS(f"{created} demo-casussen aangemaakt."))
        else:
            self.stdout.write("Er staan al casussen in de database; demodata niet opnieuw geladen.")
        # What the apps built on cases load each time (the example letter templates).
        for message in demo_extras_load():
            self.stdout.write(message)
        self.stdout.write(f"Inloggen met (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
        for username, first, last, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<12} {first} {last} ({role.label})")
