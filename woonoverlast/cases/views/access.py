"""A team leader grants a casemanager access to the personal data of a closed case."""

from woonoverlast.accounts.access import TeamLeaderRequiredMixin
from woonoverlast.accounts.services import GRANT_DAYS, case_access_grant
from woonoverlast.common.views import ServiceFormView
from woonoverlast.submissions.views import OnceViewMixin

from ..forms import AccessGrantForm
from .common import CaseFromUrlMixin


class CaseAccessGrantView(
    OnceViewMixin, TeamLeaderRequiredMixin, CaseFromUrlMixin, ServiceFormView
):
    form_class = AccessGrantForm
    title = "Toegang tot persoonsgegevens verlenen"
    intro = (
        "De persoonsgegevens van een afgeronde casus (adres, omschrijving, meldingen, notities "
        "en betrokkenen) ziet alleen de casemanager en wie de casus registreerde. Geef een "
        f"collega {GRANT_DAYS} dagen toegang als dat nodig is; dit komt in het auditlog. Met "
        "toegang kan de collega ook aan de casus werken en haar heropenen."
    )
    submit_label = "Toegang verlenen"

    def perform(self, form):
        data = form.cleaned_data
        return case_access_grant(
            self.case, user=data["user"], reason=data["reason"], by=self.request.user
        )

    def get_success_message(self):
        return (
            f"{self.result.user} heeft tot en met {self.result.valid_until:%d-%m-%Y} toegang "
            f"tot de persoonsgegevens van {self.case.reference}."
        )

    def get_success_url(self):
        return self.case.get_absolute_url()
