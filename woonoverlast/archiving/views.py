"""The archiving screens: the resultaat of a case, the vernietigingslijsten (team leaders
review, the archivaris approves) and the verklaringen van vernietiging. The lists show
references, resultaten and dates only: no case content, so the archivaris may see them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from woonoverlast.accounts.access import (
    CaseWorkerRequiredMixin,
    CaseWriteRequiredMixin,
    role_required,
)
from woonoverlast.accounts.roles import (
    can_approve_destruction_list,
    can_export_mdto,
    can_review_destruction_list,
    can_see_destruction_lists,
)
from woonoverlast.cases.models import Case
from woonoverlast.cases.views.common import CaseFromUrlMixin
from woonoverlast.common.views import ServiceFormView

from . import services
from .choices import ListStatus
from .forms import CaseResultForm, ExcludeForm, MeasureResultForm
from .models import (
    CaseArchive,
    DestructionList,
    DestructionListItem,
    DestructionStatement,
    MeasureResult,
)
from .pdf import statement_pdf


class CaseResultView(
    CaseWorkerRequiredMixin, CaseFromUrlMixin, CaseWriteRequiredMixin, ServiceFormView
):
    form_class = CaseResultForm
    title = "Ander resultaat kiezen"
    intro = (
        "Het resultaat bepaalt hoe lang de casus bewaard blijft (Selectielijst gemeenten en "
        "intergemeentelijke organen 2020). Kies een ander resultaat alleen met een reden."
    )
    submit_label = "Resultaat opslaan"

    def get_initial(self):
        archive = CaseArchive.objects.filter(case=self.case).first()
        return {"result_type": archive.result_type_id} if archive else {}

    def perform(self, form):
        return services.case_result_choose(self.case, by=self.request.user, **form.cleaned_data)

    def get_success_message(self):
        return f"Het resultaat is nu {self.result.result_type}."

    def get_success_url(self):
        return self.case.get_absolute_url() + "#archief"


class MeasureResultView(
    CaseWorkerRequiredMixin, CaseFromUrlMixin, CaseWriteRequiredMixin, ServiceFormView
):
    """Another resultaat for an ended maatregel of the case, with a reason (audited)."""

    form_class = MeasureResultForm
    title = "Resultaat van de maatregel"
    intro = (
        "Het resultaat van een maatregel telt mee voor hoe lang de casus bewaard blijft "
        "(Selectielijst gemeenten en intergemeentelijke organen 2020). Bezwaar, beroep en "
        "invordering krijgen hun eigen resultaat vanzelf. Kies een ander resultaat alleen met "
        "een reden."
    )
    submit_label = "Resultaat opslaan"

    @cached_property
    def measure_result(self) -> MeasureResult:
        return get_object_or_404(
            MeasureResult.objects.select_related("measure", "result_type"),
            measure_id=self.kwargs["pk"],
            measure__case=self.case,
        )

    def get_initial(self):
        return {"result_type": self.measure_result.result_type_id}

    def perform(self, form):
        return services.measure_result_choose(
            self.measure_result.measure, by=self.request.user, **form.cleaned_data
        )

    def get_success_message(self):
        return f"Het resultaat van de maatregel is nu {self.result.result_type}."

    def get_success_url(self):
        return self.case.get_absolute_url() + "#archief"


@role_required(can_see_destruction_lists)
def destruction_lists(request):
    lists = DestructionList.objects.select_related("statement").order_by("-proposed_on", "-id")
    return render(request, "archiving/lists.html", {"lists": lists})


@role_required(can_see_destruction_lists)
def destruction_list_detail(request, pk):
    destruction_list = get_object_or_404(DestructionList, pk=pk)
    items = destruction_list.items.select_related("result_type")
    return render(
        request,
        "archiving/list_detail.html",
        {
            "destruction_list": destruction_list,
            "items": items,
            "may_review": can_review_destruction_list(request.user)
            and destruction_list.status == ListStatus.PROPOSED,
            "may_approve": can_approve_destruction_list(request.user)
            and destruction_list.status == ListStatus.REVIEWED,
            "exclude_form": ExcludeForm(),
        },
    )


def _run(request, action, *args, done: str):
    try:
        action(*args, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


@role_required(can_review_destruction_list)
@require_POST
def destruction_list_item_exclude(request, pk, item_pk):
    item = get_object_or_404(DestructionListItem, pk=item_pk, destruction_list_id=pk)
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Geef de reden van de uitzondering.")
    else:
        try:
            services.destruction_list_item_exclude(
                item, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, f"Casus {item.reference} is van de lijst gehaald.")
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return redirect("archiving:list_detail", pk=pk)


@role_required(can_review_destruction_list)
@require_POST
def destruction_list_review(request, pk):
    destruction_list = get_object_or_404(DestructionList, pk=pk)
    _run(
        request,
        services.destruction_list_review,
        destruction_list,
        done="De lijst is beoordeeld en gaat naar de archivaris.",
    )
    return redirect("archiving:list_detail", pk=pk)


@role_required(can_approve_destruction_list)
@require_POST
def destruction_list_approve(request, pk):
    destruction_list = get_object_or_404(DestructionList, pk=pk)
    _run(
        request,
        services.destruction_list_approve,
        destruction_list,
        done="De lijst is goedgekeurd; de vernietiging loopt op de achtergrond.",
    )
    return redirect("archiving:list_detail", pk=pk)


@role_required(can_see_destruction_lists)
def statement_detail(request, pk):
    statement = get_object_or_404(
        DestructionStatement.objects.select_related("destruction_list"), pk=pk
    )
    return render(request, "archiving/statement.html", {"statement": statement})


@role_required(can_see_destruction_lists)
def statement_download(request, pk):
    statement = get_object_or_404(
        DestructionStatement.objects.select_related("destruction_list"), pk=pk
    )
    response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
    name = f"verklaring-van-vernietiging-{statement.made_at:%Y-%m-%d}-{statement.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _zip(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(can_export_mdto)
def case_mdto(request, reference):
    """One case as an MDTO package."""
    case = get_object_or_404(Case, reference=reference)
    return _zip(services.mdto_export([case], by=request.user), f"mdto-{case.reference}.zip")


@role_required(can_export_mdto)
def list_mdto(request, pk):
    """The cases of a vernietigingslijst (those not taken off) as an MDTO package."""
    destruction_list = get_object_or_404(DestructionList, pk=pk)
    cases = Case.objects.filter(
        pk__in=destruction_list.items.filter(excluded_reason="").values("case_id")
    ).order_by("reference")
    package = services.mdto_export(cases, by=request.user)
    return _zip(package, f"mdto-vernietigingslijst-{destruction_list.pk}.zip")
