"""Writes and rules of the casusoverleg. One function per use case; each checks who may do it
(accounts.roles), runs in one transaction and writes its own audit event.

The legal frame (docs/overleg.md): data go to a partner only under a convenant in force, only
the categories it names (doelbinding and dataminimalisatie, AVG art. 5 lid 1 sub b and c), care
information only where the convenant names that special category (AVG art. 9 lid 1), and every
verstrekking is registered so the municipality can show what it gave to whom (AVG art. 5 lid 2
verantwoordingsplicht, art. 30 lid 1 sub d ontvangers).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from woonoverlast.accounts.roles import (
    can_chair,
    can_manage_partners,
    can_take_part_in_overleg,
    can_use_partner_pages,
    can_work_cases,
    can_write_case,
)
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.cases.choices import ActionType
from woonoverlast.common.validation import Errors, format_date, today

from .choices import DataCategory, DisclosureChannel, ItemState
from .models import (
    AgendaItem,
    Agreement,
    Contact,
    Covenant,
    Disclosure,
    Meeting,
    Organisation,
)

# Nuisance categories that reveal something about a person's health (AVG art. 9 lid 1: data
# concerning health): shown to a partner only under DataCategory.CARE.
CARE_CATEGORY_CODES = frozenset({"zorgcomponent", "verward-gedrag-verslaving"})
# Actions that are care work: their existence and notes are care information too.
CARE_ACTION_TYPES = frozenset({ActionType.CARE})


def _changes(instance, before: dict, names) -> dict:
    return {
        name: {"oud": before.get(name), "nieuw": _plain(getattr(instance, name))}
        for name in names
        if before.get(name) != _plain(getattr(instance, name))
    }


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _snapshot(instance, names) -> dict:
    if instance.pk is None:
        return {}
    stored = type(instance).objects.get(pk=instance.pk)
    return {name: _plain(getattr(stored, name)) for name in names}


# -- partners and convenanten (team leaders) ---------------------------------------------------

ORGANISATION_FIELDS = ("name", "kind", "reference", "is_active")
CONTACT_FIELDS = ("organisation", "name", "function", "email", "phone", "user", "is_active")
COVENANT_FIELDS = ("organisation", "title", "valid_from", "valid_until", "categories")


def _save_audited(instance, names, *, by):
    if not can_manage_partners(by) and not getattr(by, "is_superuser", False):
        raise PermissionDenied
    before = _snapshot(instance, names)
    created = instance.pk is None
    instance.full_clean()
    instance.save()
    record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        by=by,
        obj=instance,
        changes=_changes(instance, before, names),
    )
    return instance


@transaction.atomic
def organisation_save(organisation: Organisation, *, by) -> Organisation:
    """Create or change a partner organisation (team leaders; audited)."""
    return _save_audited(organisation, ORGANISATION_FIELDS, by=by)


@transaction.atomic
def contact_save(contact: Contact, *, by) -> Contact:
    """Create or change a contact person. A linked account must have the ketenpartner role:
    an account of the team would otherwise see partner pages under someone else's name."""
    from woonoverlast.accounts.roles import is_partner_account

    if contact.user_id and not is_partner_account(contact.user):
        raise ValidationError({"user": "Koppel alleen een account met de rol ketenpartner."})
    return _save_audited(contact, CONTACT_FIELDS, by=by)


@transaction.atomic
def covenant_save(covenant: Covenant, *, by) -> Covenant:
    """Create or change a convenant: its period and the categories it allows. Unknown
    categories are refused; care information is only ever allowed by naming it."""
    errors = Errors()
    categories = list(dict.fromkeys(covenant.categories or []))
    unknown = [value for value in categories if value not in DataCategory.values]
    if unknown:
        errors.add("categories", "Onbekende gegevenscategorie: " + ", ".join(map(str, unknown)))
    if not categories:
        errors.add("categories", "Kies ten minste één gegevenscategorie.")
    if covenant.valid_until and covenant.valid_from and covenant.valid_until < covenant.valid_from:
        errors.add("valid_until", "De einddatum mag niet voor de begindatum liggen.")
    errors.raise_if_any()
    covenant.categories = [value for value in DataCategory.values if value in categories]
    return _save_audited(covenant, COVENANT_FIELDS, by=by)


def covenant_in_force(organisation, on: datetime.date) -> Covenant | None:
    """The convenant under which `organisation` may receive data on `on` (the latest one that
    started when several overlap), or None: then it receives nothing."""
    return (
        Covenant.objects.filter(organisation=organisation)
        .in_force_on(on)
        .order_by("-valid_from", "-pk")
        .first()
    )


# -- the overleg ------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *, held_on: datetime.date, chair, participants=(), partner_contacts=(), title: str = "", by
) -> Meeting:
    """Plan an overleg. Case workers plan; the chair must be one too."""
    if not can_take_part_in_overleg(by):
        raise PermissionDenied
    errors = Errors()
    if held_on is None:
        errors.add("held_on", "Vul een datum in.", code="required")
    if chair is None or not can_work_cases(chair):
        errors.add("chair", "Kies een voorzitter uit het team.", code="invalid")
    errors.raise_if_any()
    meeting = Meeting.objects.create(
        held_on=held_on,
        chair=chair,
        created_by=by,
        title=title.strip() or Meeting._meta.get_field("title").default,
    )
    meeting.participants.set(participants)
    meeting.partner_contacts.set(partner_contacts)
    record(
        AuditAction.CREATE,
        by=by,
        obj=meeting,
        changes={
            "datum": held_on.isoformat(),
            "voorzitter": chair.pk,
            "deelnemers": sorted(user.pk for user in participants),
            "partners": sorted(contact.pk for contact in partner_contacts),
        },
    )
    return meeting


@transaction.atomic
def agenda_propose(*, meeting: Meeting, case, question: str, by) -> AgendaItem:
    """A casemanager proposes a case for the agenda with a question for the partners."""
    if not can_take_part_in_overleg(by) or not can_write_case(by, case):
        raise PermissionDenied
    errors = Errors()
    if not question.strip():
        errors.add("question", "Vul de vraag aan de partners in.", code="required")
    if not case.is_open:
        errors.add("case", "Alleen een lopende casus kan worden voorgedragen.", code="closed")
    if meeting.items.filter(case=case).exists():
        errors.add("case", "Deze casus staat al op de agenda van dit overleg.", code="twice")
    errors.raise_if_any()
    item = AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        question=question.strip(),
        proposed_by=by,
        position=meeting.items.count() + 1,
    )
    record(AuditAction.CREATE, by=by, obj=item, case=case, changes={"overleg": meeting.pk})
    return item


@transaction.atomic
def agenda_set(*, meeting: Meeting, accepted: list[int], by) -> Meeting:
    """The chair sets the agenda: the proposed items in `accepted` (ids, in this order) are on
    it, the others are not. Partners see only the accepted ones."""
    if not can_chair(by, meeting):
        raise PermissionDenied
    items = {item.pk: item for item in meeting.items.select_for_update()}
    unknown = [pk for pk in accepted if pk not in items]
    if unknown:
        raise ValidationError({"accepted": "Een gekozen agendapunt hoort niet bij dit overleg."})
    for item in items.values():
        old = item.state
        if item.pk in accepted:
            item.state = ItemState.ACCEPTED
            item.position = accepted.index(item.pk) + 1
        else:
            item.state = ItemState.DECLINED
        item.save(update_fields=["state", "position"])
        if old != item.state:
            record(
                AuditAction.UPDATE,
                by=by,
                obj=item,
                case=item.case,
                changes={"status": {"oud": old, "nieuw": item.state}},
            )
    meeting.agenda_set_at = timezone.now()
    meeting.save(update_fields=["agenda_set_at"])
    return meeting


def _check_held(meeting: Meeting, errors: Errors) -> None:
    if meeting.held_on > today():
        errors.add(
            None,
            f"Het overleg is op {format_date(meeting.held_on)}: leg de bespreking daarna vast.",
            code="not_held",
        )


@transaction.atomic
def item_record_minutes(*, item: AgendaItem, minutes: str, by) -> AgendaItem:
    """Record the bespreking of one case. It appears on the case's timeline (an action
    *ketenoverleg* on the meeting's date carries it, so the timeline, the dossier PDF, the
    retention job and the inzage export treat it as every other action)."""
    from woonoverlast.cases.services import action_correct, action_log

    if not can_chair(by, item.meeting):
        raise PermissionDenied
    errors = Errors()
    if item.state != ItemState.ACCEPTED:
        errors.add(None, "Deze casus staat niet op de agenda.", code="not_on_agenda")
    if not minutes.strip():
        errors.add("minutes", "Vul de bespreking in.", code="required")
    _check_held(item.meeting, errors)
    errors.raise_if_any()
    text = f"Casusoverleg {format_date(item.meeting.held_on)}: {minutes.strip()}"
    if item.minutes_action_id is None:
        item.minutes_action = action_log(
            item.case,
            action_type=ActionType.PARTNER_MEETING,
            performed_on=item.meeting.held_on,
            notes=text,
            by=by,
        )
    else:
        action_correct(item.minutes_action, by=by, performed_on=item.meeting.held_on, notes=text)
    old = item.minutes
    item.minutes = minutes.strip()
    item.minutes_at = timezone.now()
    item.save(update_fields=["minutes", "minutes_at", "minutes_action"])
    record(
        AuditAction.UPDATE,
        by=by,
        obj=item,
        case=item.case,
        changes={"bespreking": {"oud": bool(old), "nieuw": True}},
    )
    return item


@transaction.atomic
def agreement_add(
    *,
    item: AgendaItem,
    text: str,
    due_on: datetime.date | None,
    owner_user=None,
    owner_organisation: Organisation | None = None,
    owner_contact: Contact | None = None,
    by,
) -> Agreement:
    """Record an afspraak of the overleg. A colleague's becomes a follow-up in termijnbewaking
    (an action *ketenoverleg* whose vervolgdatum is the due date: Mijn casussen, Termijnen and
    the digest show it); a partner's is tracked here and comes back on the next agenda."""
    from woonoverlast.cases.services import action_log

    if not can_chair(by, item.meeting):
        raise PermissionDenied
    if owner_contact is not None and owner_organisation is None:
        owner_organisation = owner_contact.organisation
    errors = Errors()
    if item.state != ItemState.ACCEPTED:
        errors.add(None, "Deze casus staat niet op de agenda.", code="not_on_agenda")
    if not text.strip():
        errors.add("text", "Vul de afspraak in.", code="required")
    if due_on is None:
        errors.add("due_on", "Vul een datum in.", code="required")
    elif due_on < item.meeting.held_on:
        errors.add("due_on", "De datum mag niet voor de datum van het overleg liggen.")
    if (owner_user is None) == (owner_organisation is None):
        errors.add("owner", "Kies wie de afspraak uitvoert: een collega of een partner.")
    elif owner_user is not None and not can_work_cases(owner_user):
        errors.add("owner", "Deze collega kan geen casussen behandelen.")
    if owner_contact is not None and owner_contact.organisation_id != owner_organisation.pk:
        errors.add("owner", "Deze contactpersoon hoort niet bij de gekozen organisatie.")
    _check_held(item.meeting, errors)
    errors.raise_if_any()
    action = None
    if owner_user is not None:
        action = action_log(
            item.case,
            action_type=ActionType.PARTNER_MEETING,
            performed_on=item.meeting.held_on,
            performed_by=owner_user,
            notes=f"Afspraak casusoverleg {format_date(item.meeting.held_on)}: {text.strip()}",
            follow_up_on=due_on,
            by=by,
        )
    agreement = Agreement.objects.create(
        item=item,
        case=item.case,
        text=text.strip(),
        due_on=due_on,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        owner_contact=owner_contact,
        action=action,
        created_by=by,
    )
    record(
        AuditAction.CREATE,
        by=by,
        obj=agreement,
        case=item.case,
        changes={
            "uiterlijk op": due_on.isoformat(),
            "uitvoerder": owner_user.pk if owner_user else f"organisatie {owner_organisation.pk}",
        },
    )
    return agreement


def partner_contact_of(user) -> Contact | None:
    if not can_use_partner_pages(user):
        return None
    return (
        Contact.objects.select_related("organisation")
        .filter(user=user, is_active=True, organisation__is_active=True)
        .first()
    )


def can_complete_agreement(user, agreement: Agreement) -> bool:
    """A partner's afspraak: any contact of that organisation; a colleague's: who may write to
    the case (as for every follow-up)."""
    if agreement.owner_organisation_id:
        contact = partner_contact_of(user)
        if contact is not None:
            return contact.organisation_id == agreement.owner_organisation_id
        return can_work_cases(user) and can_write_case(user, agreement.case)
    return can_work_cases(user) and can_write_case(user, agreement.case)


@transaction.atomic
def agreement_complete(
    agreement: Agreement, *, on: datetime.date | None = None, note: str = "", by
) -> Agreement:
    """Mark an afspraak done, with a note. A colleague's settles its follow-up (the same
    rules as termijnbewaking: not in the future, not twice)."""
    from woonoverlast.cases.services import followup_complete

    row = Agreement.objects.select_for_update().select_related("case").get(pk=agreement.pk)
    if not can_complete_agreement(by, row):
        raise PermissionDenied
    on = on or today()
    errors = Errors()
    if row.done_on is not None:
        errors.add(
            None, f"Deze afspraak is al afgemeld op {format_date(row.done_on)}.", code="done"
        )
    errors.check_not_in_future("on", on)
    errors.raise_if_any()
    if row.action_id:
        action = row.action
        if action.follow_up_done_on is None:
            followup_complete(action, on=on, by=by)
    row.done_on = on
    row.done_note = note.strip()
    row.done_by = by
    row.save(update_fields=["done_on", "done_note", "done_by"])
    record(
        AuditAction.UPDATE,
        by=by,
        obj=row,
        case=row.case,
        changes={"uitgevoerd op": {"oud": None, "nieuw": on.isoformat()}},
    )
    agreement.done_on, agreement.done_note, agreement.done_by = on, row.done_note, by
    return row


def agreement_sync_from_follow_up(action) -> None:
    """A colleague settling the follow-up in Termijnen settles the afspraak too (one fact,
    one date): the post_save receiver in overleg.signals calls it."""
    if action.follow_up_done_on is None:
        return
    Agreement.objects.filter(action=action, done_on__isnull=True).update(
        done_on=action.follow_up_done_on
    )


def meeting_previous(meeting: Meeting) -> Meeting | None:
    return Meeting.objects.before(meeting).order_by("-held_on", "-pk").first()


@dataclass
class CarriedOver:
    """What the next overleg starts with: the afspraken of the last one (done or not) and every
    older afspraak that is still open."""

    previous: Meeting | None
    agreements: list = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(1 for agreement in self.agreements if not agreement.is_done)


def meeting_carried_over(meeting: Meeting) -> CarriedOver:
    previous = meeting_previous(meeting)
    if previous is None:
        return CarriedOver(previous=None)
    from django.db.models import Q

    rows = (
        Agreement.objects.for_list()
        .filter(
            Q(item__meeting=previous)
            | Q(done_on__isnull=True, item__meeting__in=Meeting.objects.before(previous))
        )
        .order_by("done_on", "due_on", "pk")
    )
    agreements = sorted(rows, key=lambda a: (a.is_done, a.due_on, a.pk))
    return CarriedOver(previous=previous, agreements=agreements)


# -- what a partner gets ----------------------------------------------------------------------


@dataclass
class PartnerCase:
    """One agenda case as one organisation may see it: the fields of the categories its
    convenant allows, and nothing else (the template and the PDF render only this)."""

    item_id: int
    reference: str
    question: str
    categories: list[str]
    address: str = ""
    district: str = ""
    nuisance: list[str] = field(default_factory=list)
    summary: str = ""
    status: str = ""
    registered_on: datetime.date | None = None
    course: list[tuple] = field(default_factory=list)
    measures: list[tuple] = field(default_factory=list)
    care_categories: list[str] = field(default_factory=list)
    care_actions: list[tuple] = field(default_factory=list)

    @property
    def category_labels(self) -> list[str]:
        return [DataCategory(value).label for value in self.categories]


def _partner_case(item: AgendaItem, categories: list[str]) -> PartnerCase:
    case = item.case
    allowed = set(categories)
    view = PartnerCase(
        item_id=item.pk, reference=case.reference, question=item.question, categories=categories
    )
    if DataCategory.ADDRESS in allowed:
        view.address = case.address
        view.district = case.district.name
        view.nuisance = [c.name for c in case.categories.all() if c.code not in CARE_CATEGORY_CODES]
        view.summary = case.description
    if DataCategory.COURSE in allowed:
        view.status = case.get_status_display()
        view.registered_on = case.registered_on
        view.course = [
            (action.performed_on, action.get_action_type_display())
            for action in case.actions.filter(withdrawn_at__isnull=True).order_by(
                "performed_on", "pk"
            )
            if action.action_type not in CARE_ACTION_TYPES
        ]
    if DataCategory.MEASURES in allowed:
        view.measures = [
            (
                measure.get_kind_display(),
                measure.started_on,
                measure.get_current_step_display() if measure.current_step else "",
                measure.ended_on,
            )
            for measure in case.measures.order_by("started_on", "pk")
        ]
    if DataCategory.CARE in allowed:
        view.care_categories = [
            c.name for c in case.categories.all() if c.code in CARE_CATEGORY_CODES
        ]
        view.care_actions = [
            (action.performed_on, action.get_action_type_display(), action.notes)
            for action in case.actions.filter(
                withdrawn_at__isnull=True, action_type__in=CARE_ACTION_TYPES
            ).order_by("performed_on", "pk")
        ]
    return view


def partner_window(meeting: Meeting) -> tuple[datetime.date, datetime.date]:
    """The first and last day a partner sees the meeting's agenda cases."""
    return (
        meeting.held_on - datetime.timedelta(days=settings.OVERLEG_PARTNER_DAYS_BEFORE),
        meeting.held_on + datetime.timedelta(days=settings.OVERLEG_PARTNER_DAYS_AFTER),
    )


def in_partner_window(meeting: Meeting, on: datetime.date) -> bool:
    first, last = partner_window(meeting)
    return first <= on <= last


def agenda_items(meeting: Meeting):
    return (
        meeting.items.filter(state=ItemState.ACCEPTED)
        .select_related("case", "case__district")
        .prefetch_related("case__categories")
        .order_by("position", "pk")
    )


@dataclass
class PartnerAgenda:
    meeting: Meeting
    organisation: Organisation
    covenant: Covenant | None
    cases: list[PartnerCase]


def agenda_for_organisation(
    meeting: Meeting, organisation: Organisation, *, on: datetime.date
) -> PartnerAgenda:
    """Exactly what `organisation` gets of `meeting`'s agenda on day `on`: the chair's preview
    and the partner's page and PDF all come from here. Without a convenant in force: the
    cases' references and questions are not even listed."""
    covenant = covenant_in_force(organisation, on)
    if covenant is None or meeting.agenda_set_at is None:
        return PartnerAgenda(meeting, organisation, covenant, [])
    cases = [_partner_case(item, list(covenant.categories)) for item in agenda_items(meeting)]
    return PartnerAgenda(meeting, organisation, covenant, cases)


def partner_meetings(user, *, on: datetime.date):
    """The overleggen a ketenpartner account takes part in whose window holds `on`."""
    contact = partner_contact_of(user)
    if contact is None:
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(partner_contacts=contact, agenda_set_at__isnull=False)
        .within_window(
            on,
            before_days=settings.OVERLEG_PARTNER_DAYS_BEFORE,
            after_days=settings.OVERLEG_PARTNER_DAYS_AFTER,
        )
        .order_by("held_on", "pk")
    )


def partner_meeting(user, pk: int, *, on: datetime.date) -> Meeting:
    """The meeting, when `user` may see it on `on`; PermissionDenied otherwise (a meeting
    outside the window or not the partner's is refused, whatever the URL)."""
    meeting = partner_meetings(user, on=on).filter(pk=pk).first()
    if meeting is None:
        raise PermissionDenied
    return meeting


def partner_case(user, meeting: Meeting, reference: str, *, on: datetime.date) -> PartnerCase:
    """One agenda case for the partner; PermissionDenied when it is not on that agenda."""
    contact = partner_contact_of(user)
    if contact is None:
        raise PermissionDenied
    agenda = agenda_for_organisation(meeting, contact.organisation, on=on)
    for view in agenda.cases:
        if view.reference == reference:
            return view
    raise PermissionDenied


@transaction.atomic
def disclosures_register(
    *, meeting: Meeting, cases: list[PartnerCase], covenant: Covenant, channel: str, by
) -> list[Disclosure]:
    """Register what went to a partner: one verstrekking per case, with the categories it
    carried (AVG art. 5 lid 2 and art. 30 lid 1 sub d). Called by every view, PDF and
    download a partner gets; never by the chair's preview (nothing leaves the team)."""
    contact = partner_contact_of(by)
    if contact is None or contact.organisation_id != covenant.organisation_id:
        raise PermissionDenied
    from woonoverlast.cases.models import Case

    by_reference = {
        case.reference: case
        for case in Case.objects.filter(reference__in=[view.reference for view in cases])
    }
    ids = {reference: case.pk for reference, case in by_reference.items()}
    now = timezone.now()
    rows = Disclosure.objects.bulk_create(
        [
            Disclosure(
                disclosed_at=now,
                case_id=ids[view.reference],
                organisation_id=contact.organisation_id,
                contact=contact,
                user=by,
                covenant=covenant,
                meeting=meeting,
                categories=list(view.categories),
                channel=channel,
            )
            for view in cases
        ]
    )
    for view in cases:
        record(
            AuditAction.VIEW if channel == DisclosureChannel.VIEW else AuditAction.EXPORT,
            by=by,
            obj=meeting,
            case=by_reference[view.reference],
            changes={"verstrekking": channel, "categorieën": list(view.categories)},
        )
    return rows


def agenda_html(agenda: PartnerAgenda, *, preview: bool = False) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        "overleg/agenda_pdf.html",
        {"agenda": agenda, "preview": preview, "made_at": timezone.localtime()},
    )


def agenda_pdf(agenda: PartnerAgenda) -> bytes:
    """The partner's agenda as PDF, by the documents app's PDF path (HTML printed by
    LibreOffice). Raises documents.conversion.ConversionError when it cannot be made."""
    from woonoverlast.documents import conversion

    return conversion.to_pdf(agenda_html(agenda).encode("utf-8"), suffix="html")


def item_minutes_to_dossier(*, item: AgendaItem, by):
    """Put the bespreking and afspraken of one case as a PDF in that case's dossier (only this
    case's part of the overleg: the other cases on the agenda stay out of its file). Made by
    the documents app's PDF path and stored by its upload service, with its checks and audit."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.template.loader import render_to_string

    from woonoverlast.documents import conversion
    from woonoverlast.documents.models import DocumentType
    from woonoverlast.documents.services import documents_upload

    if not can_chair(by, item.meeting):
        raise PermissionDenied
    if not item.minutes:
        raise ValidationError("Leg eerst de bespreking vast.")
    held_on = format_date(item.meeting.held_on)
    html = render_to_string(
        "overleg/minutes_pdf.html",
        {
            "item": item,
            "meeting": item.meeting,
            "agreements": item.agreements.for_list(),
            "made_at": timezone.localtime(),
        },
    )
    pdf = conversion.to_pdf(html.encode("utf-8"), suffix="html")
    upload = SimpleUploadedFile(
        f"verslag-casusoverleg-{item.meeting.held_on:%Y-%m-%d}.pdf", pdf, "application/pdf"
    )
    (document,) = documents_upload(
        case=item.case,
        files=[upload],
        document_type=DocumentType.MINUTES,
        title=f"Verslag casusoverleg {held_on}",
        action=item.minutes_action,
        by=by,
    )
    return document
