"""The public melding form and the intake queue with its three ways out."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from woonoverlast.accounts.access import RoleRequiredMixin, role_required
from woonoverlast.accounts.roles import can_handle_intake
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.cases.services import district_for_postcode
from woonoverlast.cases.views.registration import CaseCreateView
from woonoverlast.common.calendar import AtwCalendar, add_workdays, workdays_between
from woonoverlast.common.views import ServiceFormView, add_service_errors

from . import ratelimit, services
from .choices import IntakeSource
from .forms import AddToCaseForm, CaseFromMeldingForm, CloseForm, PublicMeldingForm
from .matching import matching_cases
from .models import IntakeMelding

THANKS_SESSION_KEY = "intake_melding"
QUEUE_SIZE = 100

# -- the public form ---------------------------------------------------------------------------


def _public_form_page(request, form, *, status=200, refusal=""):
    return render(
        request,
        "intake/public_form.html",
        {
            "form": form,
            "refusal": refusal,
            "workdays": settings.INTAKE_HANDLE_WITHIN_WORKDAYS,
            "retention_months": settings.INTAKE_RETENTION_MONTHS,
        },
        status=status,
    )


RATE_LIMITED = (
    "U hebt de afgelopen tijd al meerdere meldingen verstuurd. Uw melding is daarom niet "
    "verstuurd. Probeer het later opnieuw, of bel de gemeente op 14 079."
)
HONEYPOT = (
    "Uw melding is niet verstuurd. Het veld ‘Laat dit veld leeg’ moet leeg zijn. Maak het "
    "leeg en verstuur de melding opnieuw."
)


@never_cache
@require_http_methods(["GET", "POST"])
def public_form(request):
    """/melden/: anyone may report nuisance, without logging in. The answer is the same
    whatever is known about the address."""
    if request.method == "GET":
        return _public_form_page(request, PublicMeldingForm())
    form = PublicMeldingForm(request.POST)
    if ratelimit.is_limited(request):
        return _public_form_page(request, form, status=429, refusal=RATE_LIMITED)
    if form.honeypot_filled:
        ratelimit.count(request)
        return _public_form_page(request, form, status=400, refusal=HONEYPOT)
    if not form.is_valid():
        return _public_form_page(request, form)
    try:
        melding, created = services.intake_melding_receive(
            source=IntakeSource.FORM, **form.service_arguments()
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _public_form_page(request, form)
    if created:
        ratelimit.count(request)
    request.session[THANKS_SESSION_KEY] = {
        "reference": melding.reference,
        "email": bool(melding.reporter_email),
    }
    return redirect("melden:thanks")


@never_cache
def public_thanks(request):
    """The answer page: the reference and what happens next (from the session, so that
    nobody can look up someone else's melding)."""
    sent = request.session.get(THANKS_SESSION_KEY)
    if not sent:
        return redirect("melden:form")
    return render(
        request,
        "intake/public_thanks.html",
        {"sent": sent, "workdays": settings.INTAKE_HANDLE_WITHIN_WORKDAYS},
    )


# -- the queue ---------------------------------------------------------------------------------


def _age(melding: IntakeMelding, today, calendar: AtwCalendar) -> dict:
    received_on = timezone.localtime(melding.received_at).date()
    due_on = add_workdays(received_on, settings.INTAKE_HANDLE_WITHIN_WORKDAYS, calendar)
    return {
        "workdays": workdays_between(received_on, today, calendar),
        "due_on": due_on,
        "overdue": due_on < today,
    }


@role_required(can_handle_intake)
def queue(request):
    """*Binnengekomen meldingen*: the open ones, oldest first, each with its age and its
    possible matches (one query for all of them)."""
    today = timezone.localdate()
    meldingen = list(
        IntakeMelding.objects.open().oldest_first().prefetch_related("categories")[:QUEUE_SIZE]
    )
    total = IntakeMelding.objects.open().count() if len(meldingen) == QUEUE_SIZE else len(meldingen)
    matches = matching_cases(meldingen, today=today, user=request.user)
    calendar = AtwCalendar.load()
    rows = [
        {"melding": melding, "matches": matches[melding.pk], **_age(melding, today, calendar)}
        for melding in meldingen
    ]
    record(
        AuditAction.VIEW,
        by=request.user,
        changes={"binnengekomen meldingen": [melding.reference for melding in meldingen]},
    )
    return render(
        request,
        "intake/queue.html",
        {"rows": rows, "total": total, "shown": len(rows), "today": today},
    )


class IntakeMeldingMixin:
    """`self.incoming`: the melding named by the URL, looked up after the access check."""

    @cached_property
    def incoming(self) -> IntakeMelding:
        return get_object_or_404(
            IntakeMelding.objects.select_related("case", "partner", "handled_by"),
            reference=self.kwargs["reference"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(incoming=self.incoming, **kwargs)


@role_required(can_handle_intake)
def detail(request, reference):
    """One melding with its matches and the three ways out."""
    incoming = get_object_or_404(
        IntakeMelding.objects.select_related("case", "partner", "handled_by").prefetch_related(
            "categories"
        ),
        reference=reference,
    )
    services.intake_melding_open(incoming, by=request.user)
    today = timezone.localdate()
    return render(
        request,
        "intake/detail.html",
        {
            "incoming": incoming,
            "matches": matching_cases([incoming], today=today, user=request.user)[incoming.pk]
            if incoming.is_open
            else [],
            "add_form": AddToCaseForm(),
            "close_form": CloseForm(),
            **_age(incoming, today, AtwCalendar.load()),
        },
    )


@role_required(can_handle_intake)
@require_POST
def take(request, reference):
    """*In behandeling nemen*: an explicit step (opening the melding changes nothing)."""
    incoming = get_object_or_404(IntakeMelding, reference=reference)
    services.intake_melding_take(incoming, by=request.user)
    messages.success(request, f"Melding {incoming.reference} is in behandeling.")
    return redirect(incoming.get_absolute_url())


class IntakeWorkMixin(RoleRequiredMixin):
    role_check = staticmethod(can_handle_intake)


class _WayOutView(IntakeWorkMixin, IntakeMeldingMixin, ServiceFormView):
    template_name = "intake/way_out_form.html"

    def get_success_url(self):
        return reverse("intake:queue")


class AddToCaseView(_WayOutView):
    form_class = AddToCaseForm
    title = "Melding bij een casus voegen"
    submit_label = "Bij deze casus voegen"

    @property
    def intro(self):
        return f"Melding {self.incoming.reference} wordt een melding van de casus die u kiest."

    def perform(self, form):
        return services.intake_melding_add_to_case(
            self.incoming, case=form.cleaned_data["case"], by=self.request.user
        )

    def get_success_message(self):
        return f"Melding {self.incoming.reference} is toegevoegd aan casus {self.result}."


class CloseView(_WayOutView):
    form_class = CloseForm
    title = "Melding afsluiten zonder casus"
    submit_label = "Melding afsluiten"

    @property
    def intro(self):
        return f"Melding {self.incoming.reference}: geen woonoverlast, of doorverwezen."

    def perform(self, form):
        data = form.cleaned_data
        return services.intake_melding_close(
            self.incoming,
            outcome=data["outcome"],
            partner=data["partner"],
            reason=data["reason"],
            by=self.request.user,
        )

    def get_success_message(self):
        return f"Melding {self.incoming.reference} is afgesloten."


class RegisterCaseView(IntakeMeldingMixin, CaseCreateView):
    """Way out 2: the case registration form, pre-filled from the melding."""

    form_class = CaseFromMeldingForm
    template_name = "intake/register_case.html"
    role_check = staticmethod(can_handle_intake)

    def get_initial(self):
        incoming = self.incoming
        return {
            **super().get_initial(),
            "street": incoming.street,
            "house_number": incoming.house_number,
            "house_number_addition": incoming.house_number_addition,
            "postcode": incoming.postcode,
            # The form offers the wijk of the other cases at the postcode (to be checked).
            "district": district_for_postcode(incoming.postcode),
            "categories": [category.pk for category in incoming.categories.all()],
        }

    def perform(self, form):
        return services.intake_melding_register_case(
            self.incoming, by=self.request.user, **self.case_facts(form)
        )

    def get_success_message(self):
        return (
            f"Casus {self.result.reference} is geregistreerd uit melding {self.incoming.reference}."
        )
