"""What happens on a case: actions, huisbezoeken, meldingen and parties."""

from woonoverlast.accounts.access import CaseWorkerRequiredMixin, CaseWriteRequiredMixin
from woonoverlast.common.views import ServiceFormView
from woonoverlast.submissions.views import OnceViewMixin

from .. import services
from ..choices import ActionType
from ..forms import ActionForm, HomeVisitForm, MeldingForm, PartyForm
from .common import CaseFromUrlMixin


class _CaseActivityView(
    OnceViewMixin,
    CaseWorkerRequiredMixin,
    CaseWriteRequiredMixin,
    CaseFromUrlMixin,
    ServiceFormView,
):
    anchor = ""

    def get_success_url(self):
        return f"{self.case.get_absolute_url()}#{self.anchor}"


class ActionAddView(_CaseActivityView):
    form_class = ActionForm
    title = "Actie vastleggen"
    intro = (
        "Leg vast wat het team heeft gedaan. Een huisbezoek legt u vast met het formulier "
        "voor huisbezoeken."
    )
    submit_label = "Actie opslaan"
    anchor = "tijdlijn"

    def perform(self, form):
        return services.action_log(self.case, by=self.request.user, **form.cleaned_data)

    def get_success_message(self):
        return (
            f"{self.result.get_action_type_display()} van {self.result.performed_on:%d-%m-%Y} "
            f"is vastgelegd bij casus {self.case.reference}."
        )


class HomeVisitAddView(_CaseActivityView):
    form_class = HomeVisitForm
    title = "Huisbezoek vastleggen"
    intro = "Leg het huisbezoek vast: wanneer, wie er aanwezig waren en wat u hebt gezien."
    submit_label = "Huisbezoek opslaan"
    anchor = "tijdlijn"

    def perform(self, form):
        return services.action_log(
            self.case,
            action_type=ActionType.HOME_VISIT,
            by=self.request.user,
            **form.cleaned_data,
        )

    def get_success_message(self):
        return (
            f"Het huisbezoek van {self.result.performed_on:%d-%m-%Y} is vastgelegd bij casus "
            f"{self.case.reference}."
        )


class MeldingAddView(_CaseActivityView):
    form_class = MeldingForm
    title = "Melding toevoegen"
    intro = "Voeg een nieuwe melding over deze overlast toe aan de casus."
    submit_label = "Melding opslaan"
    anchor = "meldingen"

    def perform(self, form):
        return services.melding_add(self.case, by=self.request.user, **form.cleaned_data)

    def get_success_message(self):
        return f"De melding is toegevoegd aan casus {self.case.reference}."


class PartyAddView(_CaseActivityView):
    form_class = PartyForm
    title = "Betrokkene toevoegen"
    intro = (
        "Voeg een melder, veroorzaker of andere betrokkene toe. Deze gegevens zijn vertrouwelijk."
    )
    submit_label = "Betrokkene opslaan"
    anchor = "betrokkenen"

    def perform(self, form):
        return services.party_add(self.case, by=self.request.user, **form.cleaned_data)

    def get_success_message(self):
        return (
            f"{self.result.get_role_display()} {self.result.name} is toegevoegd aan casus "
            f"{self.case.reference}."
        )
