"""The team's casusoverleg pages (/overleg/) and the partners' pages (/partner/).

Access is asked of accounts.roles; what a partner sees is decided by services
(agenda_for_organisation, partner_meeting, partner_case), which refuse with 403 whatever the
URL, and every page, PDF and download a partner gets is registered as a verstrekking.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import (
    can_chair,
    can_lead_team,
    can_manage_partners,
    can_see_case_data,
    can_take_part_in_overleg,
    can_use_partner_pages,
)
from woonoverlast.cases.models import Case
from woonoverlast.common.validation import today
from woonoverlast.common.views import add_service_errors
from woonoverlast.documents.conversion import ConversionError

from . import services
from .choices import DisclosureChannel, ItemState
from .forms import (
    AgreementDoneForm,
    AgreementForm,
    MeetingForm,
    MinutesForm,
    ProposeForm,
    RegisterFilterForm,
)
from .models import AgendaItem, Agreement, Disclosure, Meeting, Organisation
from .register import register_export, register_rows

# -- the team ---------------------------------------------------------------------------------


@role_required(can_take_part_in_overleg)
@require_GET
def meeting_list(request):
    day = today()
    meetings = Meeting.objects.select_related("chair").order_by("-held_on", "-pk")
    return render(
        request,
        "overleg/list.html",
        {
            "upcoming": [m for m in meetings if m.held_on >= day][::-1],
            "past": [m for m in meetings if m.held_on < day][:20],
            "can_manage_partners": can_manage_partners(request.user),
        },
    )


@role_required(can_take_part_in_overleg)
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"chair": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Het overleg is gepland.")
            return redirect(meeting)
    return render(request, "overleg/meeting_form.html", {"form": form})


def _meeting(pk) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("chair"), pk=pk)


@role_required(can_take_part_in_overleg)
def meeting_detail(request, pk):
    meeting = _meeting(pk)
    items = list(
        meeting.items.select_related("case", "proposed_by", "minutes_action")
        .prefetch_related(
            "agreements__owner_user", "agreements__owner_organisation", "agreements__owner_contact"
        )
        .order_by("state", "position", "pk")
    )
    is_chair = can_chair(request.user, meeting)
    return render(
        request,
        "overleg/detail.html",
        {
            "meeting": meeting,
            "accepted": [item for item in items if item.state == ItemState.ACCEPTED],
            "proposed": [item for item in items if item.state == ItemState.PROPOSED],
            "declined": [item for item in items if item.state == ItemState.DECLINED],
            "carried": services.meeting_carried_over(meeting),
            "is_chair": is_chair,
            "propose_form": ProposeForm(),
            "organisations": Organisation.objects.filter(contacts__meetings=meeting).distinct(),
            "today": today(),
            "held": meeting.held_on <= today(),
        },
    )


@role_required(can_take_part_in_overleg)
def agenda_propose(request, pk):
    meeting = _meeting(pk)
    form = ProposeForm(request.POST or None, initial={"reference": request.GET.get("casus", "")})
    if request.method == "POST" and form.is_valid():
        case = form.cleaned_data["case"]
        try:
            services.agenda_propose(
                meeting=meeting, case=case, question=form.cleaned_data["question"], by=request.user
            )
        except PermissionDenied:
            form.add_error("reference", "U kunt deze casus niet voordragen.")
        except ValidationError as error:
            add_service_errors(form, error, {"case": "reference"})
        else:
            messages.success(request, f"Casus {case.reference} is voorgedragen voor de agenda.")
            return redirect(meeting)
    return render(request, "overleg/propose.html", {"meeting": meeting, "form": form})


@role_required(can_take_part_in_overleg)
@require_POST
def agenda_set(request, pk):
    meeting = _meeting(pk)
    if not can_chair(request.user, meeting):
        raise PermissionDenied
    accepted = [int(value) for value in request.POST.getlist("item") if value.isdigit()]
    try:
        services.agenda_set(meeting=meeting, accepted=accepted, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "De agenda is vastgesteld.")
    return redirect(meeting)


@role_required(can_take_part_in_overleg)
def item_detail(request, pk):
    """One case of the overleg: the bespreking and the afspraken (the chair records them)."""
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "case", "case__district"), pk=pk
    )
    meeting = item.meeting
    if not can_chair(request.user, meeting):
        raise PermissionDenied
    minutes_form = MinutesForm(initial={"minutes": item.minutes})
    agreement_form = AgreementForm()
    if request.method == "POST":
        if "minutes" in request.POST:
            minutes_form = MinutesForm(request.POST)
            if minutes_form.is_valid():
                try:
                    services.item_record_minutes(
                        item=item, minutes=minutes_form.cleaned_data["minutes"], by=request.user
                    )
                except ValidationError as error:
                    add_service_errors(minutes_form, error)
                else:
                    messages.success(request, "De bespreking is vastgelegd.")
                    return redirect("overleg:item", pk=item.pk)
        else:
            agreement_form = AgreementForm(request.POST)
            if agreement_form.is_valid():
                try:
                    services.agreement_add(
                        item=item,
                        text=agreement_form.cleaned_data["text"],
                        due_on=agreement_form.cleaned_data["due_on"],
                        by=request.user,
                        **agreement_form.owner_arguments(),
                    )
                except ValidationError as error:
                    add_service_errors(agreement_form, error)
                else:
                    messages.success(request, "De afspraak is vastgelegd.")
                    return redirect("overleg:item", pk=item.pk)
    return render(
        request,
        "overleg/item.html",
        {
            "item": item,
            "meeting": meeting,
            "case": item.case,
            "show_address": can_see_case_data(request.user, item.case),
            "agreements": item.agreements.for_list(),
            "minutes_form": minutes_form,
            "agreement_form": agreement_form,
            "held": meeting.held_on <= today(),
        },
    )


@role_required(can_take_part_in_overleg)
@require_POST
def minutes_to_dossier(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting", "case"), pk=pk)
    try:
        document = services.item_minutes_to_dossier(item=item, by=request.user)
    except ConversionError as error:
        messages.error(request, f"De PDF kon niet worden gemaakt: {error}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Het verslag staat in het dossier: {document.title}.")
    return redirect("overleg:item", pk=item.pk)


@role_required(can_take_part_in_overleg)
@require_POST
def agreement_done(request, pk):
    """A colleague (or the chair, for a partner who reported by phone) marks an afspraak done."""
    agreement = get_object_or_404(Agreement.objects.select_related("case", "item__meeting"), pk=pk)
    try:
        services.agreement_complete(agreement, note=request.POST.get("note", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "De afspraak is afgemeld.")
    target = request.POST.get("next", "")
    if target.startswith("/overleg/"):
        return redirect(target)
    return redirect(agreement.item.meeting)


@role_required(can_take_part_in_overleg)
@require_GET
def partner_preview(request, pk, organisation_pk):
    """Exactly what one partner organisation gets of this agenda, today (chair only; not a
    verstrekking: nothing leaves the team)."""
    meeting = _meeting(pk)
    if not can_chair(request.user, meeting):
        raise PermissionDenied
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    agenda = services.agenda_for_organisation(meeting, organisation, on=today())
    return render(
        request,
        "overleg/preview.html",
        {"meeting": meeting, "agenda": agenda, "organisation": organisation},
    )


@role_required(can_manage_partners)
@require_GET
def disclosure_register(request):
    form = RegisterFilterForm(request.GET or None)
    rows = register_rows(form)
    return render(
        request,
        "overleg/register.html",
        {"form": form, "rows": rows[:500], "total": len(rows), "query": request.GET.urlencode()},
    )


@role_required(can_manage_partners)
@require_GET
def disclosure_register_export(request, file_format):
    form = RegisterFilterForm(request.GET or None)
    return register_export(register_rows(form), file_format=file_format, by=request.user)


@role_required(can_take_part_in_overleg)
@require_GET
def case_disclosures(request, reference):
    """The verstrekkingen of one case, for the case file."""
    case = get_object_or_404(Case, reference=reference)
    if not can_see_case_data(request.user, case):
        raise PermissionDenied
    rows = Disclosure.objects.filter(case=case).for_list()
    agreements = case.agreements.for_list().order_by("due_on", "pk")
    return render(
        request,
        "overleg/case.html",
        {
            "case": case,
            "rows": rows,
            "agreements": agreements,
            "can_lead_team": can_lead_team(request.user),
        },
    )


# -- the partners -----------------------------------------------------------------------------


def _contact(request):
    contact = services.partner_contact_of(request.user)
    if contact is None:
        raise PermissionDenied
    return contact


@role_required(can_use_partner_pages)
@require_GET
def partner_home(request):
    contact = _contact(request)
    day = today()
    agreements = (
        Agreement.objects.for_list()
        .of_organisation(contact.organisation)
        .filter(item__meeting__partner_contacts=contact)
        .distinct()
        .order_by("done_on", "due_on", "pk")
    )
    return render(
        request,
        "overleg/partner/home.html",
        {
            "contact": contact,
            "meetings": services.partner_meetings(request.user, on=day),
            "open_agreements": [a for a in agreements if not a.is_done],
            "done_agreements": [a for a in agreements if a.is_done][:20],
            "today": day,
        },
    )


def _partner_agenda(request, pk):
    """The meeting's agenda as the partner's organisation gets it today; 403 without a
    convenant in force or outside the window."""
    contact = _contact(request)
    day = today()
    meeting = services.partner_meeting(request.user, pk, on=day)
    agenda = services.agenda_for_organisation(meeting, contact.organisation, on=day)
    if agenda.covenant is None:
        raise PermissionDenied
    return contact, meeting, agenda


@role_required(can_use_partner_pages)
@require_GET
def partner_meeting(request, pk):
    contact, meeting, agenda = _partner_agenda(request, pk)
    services.disclosures_register(
        meeting=meeting,
        cases=agenda.cases,
        covenant=agenda.covenant,
        channel=DisclosureChannel.VIEW,
        by=request.user,
    )
    _first, last = services.partner_window(meeting)
    return render(
        request,
        "overleg/partner/meeting.html",
        {"meeting": meeting, "agenda": agenda, "contact": contact, "window_end": last},
    )


@role_required(can_use_partner_pages)
@require_GET
def partner_case(request, pk, reference):
    contact = _contact(request)
    day = today()
    meeting = services.partner_meeting(request.user, pk, on=day)
    view = services.partner_case(request.user, meeting, reference, on=day)
    covenant = services.covenant_in_force(contact.organisation, day)
    services.disclosures_register(
        meeting=meeting,
        cases=[view],
        covenant=covenant,
        channel=DisclosureChannel.VIEW,
        by=request.user,
    )
    return render(
        request,
        "overleg/partner/case.html",
        {"meeting": meeting, "view": view, "contact": contact, "covenant": covenant},
    )


@role_required(can_use_partner_pages)
@require_GET
def partner_agenda_pdf(request, pk):
    """The partner's agenda as PDF: `?download=1` as a file to save, otherwise to view in the
    browser. Either way each case on it is registered as a verstrekking."""
    _contact_person, meeting, agenda = _partner_agenda(request, pk)
    try:
        pdf = services.agenda_pdf(agenda)
    except ConversionError as error:
        messages.error(request, f"De PDF kon niet worden gemaakt: {error}")
        return redirect("partner:meeting", pk=meeting.pk)
    download = request.GET.get("download") == "1"
    services.disclosures_register(
        meeting=meeting,
        cases=agenda.cases,
        covenant=agenda.covenant,
        channel=DisclosureChannel.DOWNLOAD if download else DisclosureChannel.PDF,
        by=request.user,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"agenda-casusoverleg-{meeting.held_on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{name}"'
    return response


@role_required(can_use_partner_pages)
def partner_agreement_done(request, pk):
    contact = _contact(request)
    agreement = get_object_or_404(
        Agreement.objects.for_list(), pk=pk, owner_organisation=contact.organisation
    )
    form = AgreementDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_complete(agreement, note=form.cleaned_data["note"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error, {"on": "note"})
        else:
            messages.success(request, "De afspraak is afgemeld. Dank u wel.")
            return redirect("partner:home")
    return render(
        request, "overleg/partner/agreement_done.html", {"agreement": agreement, "form": form}
    )
