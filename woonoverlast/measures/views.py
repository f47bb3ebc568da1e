"""The maatregelen screens: start a measure and record a step from the case file, and the
team's list of running measures with its export."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from woonoverlast.accounts.access import (
    CaseWorkerRequiredMixin,
    CaseWriteRequiredMixin,
    role_required,
)
from woonoverlast.accounts.roles import can_lead_team, can_work_cases, can_write_case
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.cases.views.common import CaseFromUrlMixin
from woonoverlast.common import spreadsheets
from woonoverlast.common.calendar import AtwCalendar
from woonoverlast.common.validation import format_date, today
from woonoverlast.common.views import ServiceFormView
from woonoverlast.submissions.views import OnceViewMixin

from .choices import Step
from .filters import MeasureFilter
from .forms import MeasureAddresseeForm, MeasureStartForm, MeasureStepForm
from .models import Measure, MeasureAddressee
from .presentation import card
from .rules import MeasureState, precondition_problems
from .services import (
    measure_addressee_add,
    measure_start,
    measure_step_record,
    steps_offered,
)


class MeasureStartView(
    OnceViewMixin,
    CaseWorkerRequiredMixin,
    CaseFromUrlMixin,
    CaseWriteRequiredMixin,
    ServiceFormView,
):
    form_class = MeasureStartForm
    template_name = "measures/start.html"
    title = "Maatregel starten"
    intro = (
        "Start een maatregel tegen een veroorzaker van deze casus. De stappen legt u daarna "
        "vast bij de maatregel in het dossier."
    )
    submit_label = "Maatregel starten"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def perform(self, form):
        return measure_start(case=self.case, by=self.request.user, **form.cleaned_data)

    def get_success_message(self):
        return f"De maatregel ({self.result.get_kind_display().lower()}) is gestart."

    def get_success_url(self):
        return self.result.get_absolute_url()


class MeasureFromUrlMixin:
    """The maatregel of the URL's `pk` with its case (what the access mixins check)."""

    @cached_property
    def measure(self) -> Measure:
        return get_object_or_404(
            Measure.objects.select_related("case", "case__district", "case__casemanager"),
            pk=self.kwargs["pk"],
        )

    @property
    def case(self):
        return self.measure.case


class MeasureAddresseeView(
    MeasureFromUrlMixin,
    OnceViewMixin,
    CaseWorkerRequiredMixin,
    CaseWriteRequiredMixin,
    ServiceFormView,
):
    """Address a measure also to a rechthebbende, before the besluit (the service decides)."""

    form_class = MeasureAddresseeForm
    template_name = "cases/form.html"
    title = "Geadresseerde toevoegen"
    intro = (
        "Richt de maatregel ook tot een rechthebbende (eigenaar, verhuurder of corporatie). "
        "Het besluit wordt ook aan hem bekendgemaakt, met een eigen bezwaartermijn."
    )
    submit_label = "Geadresseerde toevoegen"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "measure": self.measure}

    def perform(self, form):
        return measure_addressee_add(
            measure=self.measure, by=self.request.user, **form.cleaned_data
        )

    def get_success_message(self):
        return f"De maatregel is ook gericht tot de {self.result.role_label}."

    def get_success_url(self):
        return self.measure.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, measure=self.measure, **kwargs)


class MeasureStepView(
    MeasureFromUrlMixin,
    OnceViewMixin,
    CaseWorkerRequiredMixin,
    CaseWriteRequiredMixin,
    ServiceFormView,
):
    """The form of one step the measure may take next (only the steps offered)."""

    form_class = MeasureStepForm
    template_name = "measures/step.html"
    submit_label = "Stap vastleggen"

    @cached_property
    def step(self) -> str:
        step = self.kwargs["step"]
        if step not in Step.values:
            raise Http404
        return step

    @cached_property
    def state(self) -> MeasureState:
        """The maatregel's state as its steps stand before this request's step: built once
        per request, for the steps offered, the form and the preconditions shown."""
        return MeasureState(
            self.measure, self.measure.steps.order_by("occurred_on", "id"), AtwCalendar.load()
        )

    @cached_property
    def offered(self) -> dict[str, bool]:
        return dict(steps_offered(self.state, user=self.request.user, on=today()))

    def dispatch(self, request, *args, **kwargs):
        # Only for someone who passes the access check (the mixin refuses the others before
        # anything is looked up) and a step the measure may not take now.
        # A POST goes on: a repeated submit lands on its first result (OnceViewMixin), any
        # other is refused by the service with its reason.
        allowed = (
            request.user.is_authenticated
            and can_work_cases(request.user)
            and can_write_case(request.user, self.case)
        )
        if allowed and request.method != "POST" and self.step not in self.offered:
            messages.error(
                request,
                f"'{Step(self.step).label}' kan nu niet worden vastgelegd bij deze maatregel.",
            )
            return redirect(self.measure.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self):
        return Step(self.step).label

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "step": self.step,
            "needs_reason": self.offered.get(self.step, False),
            "decision": self.state.decision,
            "kind": self.measure.kind,
            "addressees": MeasureAddressee.objects.filter(measure=self.measure).select_related(
                "party"
            )
            if self.measure.addressee_count
            else None,
        }

    def perform(self, form):
        data = form.step_data()
        on = data.pop("on", None)
        note = data.pop("note", "")
        skip_reason = data.pop("skip_reason", "")
        return measure_step_record(
            self.measure,
            step=self.step,
            on=on,
            note=note,
            skip_reason=skip_reason,
            by=self.request.user,
            **data,
        )

    def get_success_message(self):
        step = self.result
        return f"{step.get_step_display()} op {format_date(step.occurred_on)} is vastgelegd."

    def get_success_url(self):
        return self.measure.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case,
            measure=self.measure,
            problems=precondition_problems(self.state, self.step, today())
            if self.offered[self.step]
            else [],
            **kwargs,
        )


# -- the team's list ----------------------------------------------------------------------


def _running_cards(request):
    """The filtered running measures with their state, by next deadline: three queries."""
    filterset = MeasureFilter(
        request.GET, queryset=Measure.objects.running().with_steps().order_by("started_on", "id")
    )
    if not filterset.is_valid():
        return filterset, []
    calendar = AtwCalendar.load()
    day = today()
    cards = [
        card(measure, measure.steps.all(), calendar, user=request.user, today=day)
        for measure in filterset.qs
    ]
    far = day.replace(year=day.year + 100)
    cards.sort(
        key=lambda item: (
            item.next_deadline.due_on if item.next_deadline else far,
            item.measure.started_on,
            item.measure.pk,
        )
    )
    return filterset, cards


@require_GET
@role_required(can_work_cases)
def measure_list(request):
    filterset, cards = _running_cards(request)
    return render(
        request,
        "measures/list.html",
        {
            "filter": filterset,
            "cards": cards,
            "query": request.GET.urlencode(),
            "can_export": can_lead_team(request.user),
        },
    )


EXPORT_HEADER = [
    "Casus",
    "Wijk",
    "Woningtype",
    "Casemanager",
    "Soort maatregel",
    "Gestart op",
    "Huidige stap",
    "Datum huidige stap",
    "Volgende termijn",
    "Datum termijn",
]


def _export_rows(cards):
    for item in cards:
        measure, case, deadline = item.measure, item.measure.case, item.next_deadline
        yield [
            case.reference,
            str(case.district),
            case.get_housing_type_display(),
            str(case.casemanager or ""),
            measure.get_kind_display(),
            measure.started_on,  # dates as dates: the export writes them per format
            measure.get_current_step_display() if measure.current_step else "",
            measure.current_step_on,
            deadline.label if deadline else "",
            deadline.due_on if deadline else None,
        ]


@require_GET
@role_required(can_lead_team)
def measure_export(request, file_format: str):
    """The filtered list as CSV or XLSX: no personal data (no names, no notes)."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    filterset, cards = _running_cards(request)
    if not filterset.is_valid():
        messages.error(request, "De filters bevatten een fout; er is niets geëxporteerd.")
        return redirect(f"{reverse('measures:list')}?{request.GET.urlencode()}")
    rows = list(_export_rows(cards))
    name = f"maatregelen-{today():%Y-%m-%d}.{file_format}"
    if file_format == "csv":
        content = spreadsheets.csv_bytes(EXPORT_HEADER, rows)
        content_type = spreadsheets.CSV_CONTENT_TYPE
    else:
        content = spreadsheets.xlsx_bytes("Lopende maatregelen", EXPORT_HEADER, rows)
        content_type = spreadsheets.XLSX_CONTENT_TYPE
    record(
        AuditAction.EXPORT,
        by=request.user,
        changes={"maatregelen": len(rows), "filters": request.GET.urlencode()},
    )
    return spreadsheets.download(content, name, content_type)
