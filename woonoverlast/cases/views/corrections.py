"""Corrections of what was saved: edit or withdraw a party, melding or action (its author or a
team leader), and a team leader's correction of the status history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property

from woonoverlast.accounts.access import (
    CaseWorkerRequiredMixin,
    CaseWriteRequiredMixin,
    TeamLeaderRequiredMixin,
)
from woonoverlast.accounts.roles import can_correct_entry
from woonoverlast.common.views import ServiceFormView
from woonoverlast.submissions.views import OnceViewMixin

from .. import services
from ..choices import ActionType
from ..forms import (
    ActionForm,
    HomeVisitForm,
    MeldingForm,
    PartyForm,
    StatusDateCorrectForm,
    WithdrawForm,
)
from ..models import Action, Melding, Party
from .common import CaseFromUrlMixin


class _EntryCheck:
    """After the role and case-write checks (put it after them): 403 unless the user may
    correct the entry (accounts.roles.can_correct_entry); a withdrawn one is not changed."""

    def dispatch(self, request, *args, **kwargs):
        if not can_correct_entry(request.user, self.entry, may_write=True):
            raise PermissionDenied
        if self.entry.is_withdrawn:
            messages.info(request, f"{self.what} is ingetrokken en kan niet meer gewijzigd worden.")
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)


class _EntryView(
    CaseWorkerRequiredMixin,
    CaseWriteRequiredMixin,
    _EntryCheck,
    CaseFromUrlMixin,
    ServiceFormView,
):
    """A form on one party, melding or action of the case in the URL (404 when it is not of
    this case)."""

    model: type[Party | Melding | Action] = Party
    anchor = ""
    what = ""

    @cached_property
    def entry(self):
        return get_object_or_404(
            self.model.objects.select_related("case"), pk=self.kwargs["pk"], case=self.case
        )

    def get_success_url(self):
        return f"{self.case.get_absolute_url()}#{self.anchor}"


class _EntryEditView(_EntryView):
    submit_label = "Correctie opslaan"
    fields: tuple[str, ...] = ()

    def get_initial(self):
        return {name: getattr(self.entry, name) for name in self.fields}

    def get_success_message(self):
        return f"De correctie van {self.what.lower()} is opgeslagen."


class PartyEditView(_EntryEditView):
    model = Party
    form_class = PartyForm
    title = "Betrokkene corrigeren"
    intro = "Verbeter de gegevens. De wijziging komt in het auditlog en op de casus."
    anchor = "betrokkenen"
    what = "De betrokkene"
    fields = ("role", "name", "phone", "email", "address", "notes")

    def perform(self, form):
        return services.party_correct(self.entry, by=self.request.user, **form.cleaned_data)


class MeldingEditView(_EntryEditView):
    model = Melding
    form_class = MeldingForm
    title = "Melding corrigeren"
    intro = "Verbeter de melding. De wijziging komt in het auditlog en op de casus."
    anchor = "meldingen"
    what = "De melding"
    fields = ("received_on", "source", "text")

    def perform(self, form):
        return services.melding_correct(self.entry, by=self.request.user, **form.cleaned_data)


class ActionEditView(_EntryEditView):
    model = Action
    title = "Actie corrigeren"
    intro = "Verbeter de actie. De wijziging komt in het auditlog en op de tijdlijn."
    anchor = "tijdlijn"
    what = "De actie"

    @property
    def is_visit(self) -> bool:
        return self.entry.action_type == ActionType.HOME_VISIT

    def get_form_class(self):
        return HomeVisitForm if self.is_visit else ActionForm

    def get_initial(self):
        names = ["performed_on", "follow_up_on"]
        names += ["present", "findings"] if self.is_visit else ["action_type", "notes"]
        return {name: getattr(self.entry, name) for name in names}

    def perform(self, form):
        return services.action_correct(self.entry, by=self.request.user, **form.cleaned_data)


class EntryWithdrawView(OnceViewMixin, _EntryView):
    """`model`, `anchor` and `what` are given in the URL configuration."""

    form_class = WithdrawForm
    submit_label = "Intrekken"

    @property
    def title(self):
        # "Melding intrekken", as "Melding corrigeren" (what is "De melding").
        return f"{self.what.removeprefix('De ').capitalize()} intrekken"

    @property
    def intro(self):
        # Say which entry: the page shows nothing else of it.
        return (
            f"U trekt in: {self.entry}. Is dit verkeerd vastgelegd? Trek het in met een "
            "reden. Het blijft zichtbaar, doorgestreept, maar telt nergens meer mee. Er wordt "
            "niets verwijderd."
        )

    def perform(self, form):
        return services.entry_withdraw(
            self.entry, reason=form.cleaned_data["reason"], by=self.request.user
        )

    def get_success_message(self):
        return f"{self.what} is ingetrokken: verkeerd vastgelegd."


class _StatusCorrectionView(
    TeamLeaderRequiredMixin, CaseWriteRequiredMixin, CaseFromUrlMixin, ServiceFormView
):
    def get_success_url(self):
        return f"{self.case.get_absolute_url()}#tijdlijn"


class StatusDateCorrectView(OnceViewMixin, _StatusCorrectionView):
    form_class = StatusDateCorrectForm
    title = "Datum van de laatste statuswijziging corrigeren"
    intro = (
        "Corrigeer een verkeerde afsluit- of heropendatum. De oude regel blijft in de "
        "geschiedenis staan; een correctieregel komt ervoor in de plaats. Een vastgestelde "
        "Tabel 5.1 toont het verschil."
    )
    submit_label = "Datum corrigeren"

    def perform(self, form):
        data = form.cleaned_data
        return services.status_date_correct(
            self.case, on=data["on"], reason=data["reason"], by=self.request.user
        )

    def get_success_message(self):
        return f"De statusgeschiedenis van casus {self.case.reference} is gecorrigeerd."


class StatusWithdrawView(OnceViewMixin, _StatusCorrectionView):
    form_class = WithdrawForm
    title = "Laatste statuswijziging intrekken"
    intro = (
        "Is de casus per vergissing afgesloten of heropend? Trek die statuswijziging in: de "
        "status ervoor geldt weer. De oude regel blijft in de geschiedenis staan."
    )
    submit_label = "Statuswijziging intrekken"

    def perform(self, form):
        return services.status_change_withdraw(
            self.case, reason=form.cleaned_data["reason"], by=self.request.user
        )

    def get_success_message(self):
        return f"De laatste statuswijziging van casus {self.case.reference} is ingetrokken."
