"""Closing and reopening a case."""

from django.contrib import messages
from django.shortcuts import redirect

from woonoverlast.accounts.access import CaseWorkerRequiredMixin, CaseWriteRequiredMixin
from woonoverlast.common.views import ServiceFormView
from woonoverlast.submissions.views import OnceViewMixin

from .. import services
from ..choices import Status
from ..forms import CloseForm, ReopenForm
from .common import CaseFromUrlMixin


class _StatusChangeView(
    OnceViewMixin,
    CaseWorkerRequiredMixin,
    CaseWriteRequiredMixin,
    CaseFromUrlMixin,
    ServiceFormView,
):
    from_status = ""
    wrong_status_message = ""

    def get(self, request, *args, **kwargs):
        # Asking for the form when the change no longer applies: say so on the case file.
        # (A POST still goes to the service, which refuses it in the same words.)
        if self.case.status != self.from_status:
            messages.info(request, self.wrong_status_message)
            return redirect(self.case)
        return super().get(request, *args, **kwargs)

    def get_success_url(self):
        return self.case.get_absolute_url()


class CaseCloseView(_StatusChangeView):
    form_class = CloseForm
    title = "Casus afsluiten"
    intro = (
        "Sluit de casus af als het team er niets meer aan doet. U kunt een afgeronde "
        "casus later heropenen."
    )
    submit_label = "Casus afsluiten"
    from_status = Status.OPEN
    wrong_status_message = "Deze casus is al afgerond."

    def perform(self, form):
        data = form.cleaned_data
        return services.case_close(
            self.case, on=data["on"], reason=data["reason"], note=data["note"], by=self.request.user
        )

    def get_success_message(self):
        return f"Casus {self.case.reference} is afgerond per {self.result.effective_on:%d-%m-%Y}."


class CaseReopenView(_StatusChangeView):
    form_class = ReopenForm
    title = "Casus heropenen"
    intro = (
        "Heropen de casus als de overlast terugkomt. De eerdere afsluiting blijft in de "
        "geschiedenis staan."
    )
    submit_label = "Casus heropenen"
    from_status = Status.CLOSED
    wrong_status_message = "Deze casus is niet afgerond en kan dus niet heropend worden."

    def perform(self, form):
        data = form.cleaned_data
        return services.case_reopen(
            self.case, on=data["on"], reason=data["reason"], by=self.request.user
        )

    def get_success_message(self):
        return f"Casus {self.case.reference} is heropend per {self.result.effective_on:%d-%m-%Y}."
