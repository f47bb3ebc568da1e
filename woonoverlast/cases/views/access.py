"""A team leader grants a casemanager access to the parties of a closed case."""

from woonoverlast.accounts.access import TeamLeaderRequiredMixin
from woonoverlast.accounts.services import GRANT_DAYS, case_access_grant
from woonoverlast.submissions.views import OnceViewMixin

from ..forms import AccessGrantForm
from .common import CaseFromUrlMixin, ServiceFormView


class CaseAccessGrantView(
    OnceViewMixin, TeamLeaderRequiredMixin, CaseFromUrlMixin, ServiceFormView
):
    form_class = AccessGrantForm
    title = "Toegang tot betrokkenen verlenen"
    intro = (
        "De gegevens van betrokkenen bij een afgeronde casus ziet alleen wie aan de casus "
        f"heeft gewerkt. Geef een collega {GRANT_DAYS} dagen toegang als dat nodig is; dit "
        "komt in het auditlog."
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
            f"tot de betrokkenen van {self.case.reference}."
        )

    def get_success_url(self):
        return self.case.get_absolute_url()
