from django.core.management.base import BaseCommand

from woonoverlast.audit.models import AuditRoute
from woonoverlast.audit.recorder import audit_context
from woonoverlast.common.validation import format_date

from ... import services


class Command(BaseCommand):
    help = (
        "Stelt de vernietigingslijst voor: de afgeronde casussen waarvan de archiefactiedatum "
        "is verstreken met archiefnominatie vernietigen (Selectielijst 2020), per resultaat, "
        "en toont hun referenties. Er wordt niets vernietigd: een teamleider beoordeelt de "
        "lijst en de archivaris keurt hem goed (Archiefbesluit 1995 art. 6-8)."
    )

    def handle(self, *args, **options):
        with audit_context(route=AuditRoute.COMMAND):
            services.cases_archive_backfill()
            destruction_list = services.destruction_list_propose()
            logins = services.login_events_list_propose()
        if destruction_list is None:
            self.stdout.write("Geen casussen voor vernietiging voorgesteld.")
        else:
            items = destruction_list.items.select_related("result_type")
            for item in items:
                self.stdout.write(
                    f"{item.reference}  {item.result_type.number}  "
                    f"archiefactiedatum {format_date(item.archiefactiedatum)}"
                )
            self.stdout.write(
                f"{len(items)} casussen voorgesteld op {destruction_list}. Er is niets "
                "vernietigd: de lijst wacht op beoordeling en goedkeuring."
            )
        if logins is not None:
            self.stdout.write(
                f"Inloggegevens van voor {format_date(logins.cutoff_at.date())} voorgesteld "
                "(Selectielijst 2020, 19.1.24)."
            )
