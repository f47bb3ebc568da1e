"""Archiving by the Selectielijst gemeenten en intergemeentelijke organen 2020.

Archiefwet 1995 art. 3: the municipality keeps its archiefbescheiden in good order; art. 5:
it may destroy them only on the basis of a selectielijst (the Selectielijst 2020, Stcrt. 2020,
11143). Archiefbesluit 1995 art. 6-8: destruction by a list that is approved, and a
verklaring van vernietiging that says what was destroyed. So:

- a closed case gets a resultaat (default derived from what happened; the casemanager may
  choose another, with a reason), and each maatregel one when it ends;
- brondatum = the latest of the closing date and each maatregel's end; archiefactiedatum =
  brondatum + the longest term of the case's resultaten; archiefnominatie = blijvend_bewaren
  when any resultaat says so (then no archiefactiedatum: such a case is transferred, never
  destroyed). A running maatregel (bezwaar, beroep, invordering included) keeps a case from
  getting dates; reopening clears them (ZGW Zaken: `brondatum`, `archiefactiedatum`,
  `archiefnominatie`);
- destruction only by a vernietigingslijst: proposed monthly, reviewed by a team leader
  (uitzondering with a reason), approved by the archivaris, executed by a background job, and
  recorded permanently in a verklaring van vernietiging (Selectielijst 2020, 19.1.18).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from woonoverlast.accounts.roles import (
    can_approve_destruction_list,
    can_choose_case_result,
    can_review_destruction_list,
)
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.cases.choices import ClosingReason, Status
from woonoverlast.cases.models import Case
from woonoverlast.common.calendar import add_months, add_years
from woonoverlast.common.validation import Errors, format_date, today
from woonoverlast.measures.choices import Outcome
from woonoverlast.measures.models import Measure

from . import running, selectielijst
from .choices import AppliesTo, ListKind, ListStatus, Waardering
from .models import (
    CaseArchive,
    DestructionList,
    DestructionListItem,
    DestructionStatement,
    MeasureResult,
    ResultType,
)

REOPENED = "Casus heropend nadat de lijst was voorgesteld."
NOW_RUNNING = "Er loopt (weer) een maatregel, bezwaar, beroep of invordering."


def result_type(number: str) -> ResultType:
    return ResultType.objects.get(number=number)


# -- resultaten --------------------------------------------------------------------------------


def default_measure_result(measure: Measure) -> ResultType:
    """A maatregel that reached a besluit was enforcement carried out (12.2, 10 years; the
    list's example: 'maatregel'); one stopped before it was enforcement broken off (12.3).
    A handhavingsverzoek is a request (6 Verzoeken behandelen): 6.1.8 when granted (5 years),
    otherwise 6.2 (afgewezen or not taken up, 1 year); the enforcement it leads to is a
    maatregel of its own."""
    if measure.kind == running.ENFORCEMENT_REQUEST:
        decided = [
            outcome
            for step, outcome in running.measure_step_outcomes(measure)
            if step == running.REQUEST_DECIDED
        ]
        granted = bool(decided) and decided[-1] == running.REQUEST_GRANTED
        return result_type(selectielijst.REQUEST_GRANTED if granted else selectielijst.NOT_TAKEN_UP)
    steps = running.measure_steps(measure)
    if running.DECISION in steps:
        return result_type(selectielijst.ENFORCED)
    return result_type(selectielijst.ENFORCEMENT_STOPPED)


def further_measure_results(measure: Measure) -> list[ResultType]:
    """The resultaten of what happened besides the maatregel's own process, each a process of
    its own in the Selectielijst 2020:

    - bezwaar or beroep (13 Geschillen behandelen): 13.1.4 when the bezwaar was declared
      niet-ontvankelijk and no beroep followed (1 year), 13.2 when it was withdrawn without
      beroep (afgebroken, 1 year), 13.1.1 when money was at stake: a dwangsom incurred or
      costs charged (met financiële consequenties, 7 years), otherwise 13.1 (5 years);
    - invordering (18 Betalen en innen): 18.3 when a payment was received, else 18.4 (niet
      geïnd: verjaard, art. 5:35 Awb), both 7 years.
    """
    steps = running.measure_step_outcomes(measure)
    names = {step for step, _ in steps}
    numbers = []
    appealed = bool(names & running.APPEAL_STEPS)
    if running.OBJECTION in names or appealed:
        decided = [outcome for step, outcome in steps if step == running.OBJECTION_DECIDED]
        last = decided[-1] if decided else ""
        if names & running.COLLECTION_STEPS:
            numbers.append(selectielijst.DISPUTE_FINANCIAL)
        elif not appealed and last == Outcome.INADMISSIBLE:
            numbers.append(selectielijst.DISPUTE_INADMISSIBLE)
        elif not appealed and last == Outcome.OBJECTION_WITHDRAWN:
            numbers.append(selectielijst.DISPUTE_STOPPED)
        else:
            numbers.append(selectielijst.DISPUTE_HANDLED)
    if names & running.COLLECTION_STEPS:
        paid = running.PAID in names
        numbers.append(selectielijst.COLLECTED if paid else selectielijst.NOT_COLLECTED)
    return list(ResultType.objects.filter(number__in=numbers).order_by("id"))


def default_case_result(case: Case) -> ResultType:
    """What the case's own process was: a maatregel with a besluit makes it handhaving
    uitgevoerd (12.2); a melding where no nuisance was found was not taken up (6.2, 1 year);
    otherwise the melding was handled (6.1, 5 years; the list's example: 'melding
    overlast'). The casemanager may choose another (case_result_choose)."""
    decided = Measure.objects.filter(case=case, steps__step=running.DECISION).exists()
    if decided:
        return result_type(selectielijst.ENFORCED)
    closing = case.status_changes.current().first()
    if closing is not None and closing.closing_reason == ClosingReason.NO_NUISANCE:
        return result_type(selectielijst.NOT_TAKEN_UP)
    return result_type(selectielijst.HANDLED)


def _archive_values(case: Case, case_result: ResultType) -> dict:
    """brondatum, archiefactiedatum, archiefnominatie of a closed case, or all empty while a
    maatregel runs."""
    empty = {"brondatum": None, "archiefactiedatum": None, "archiefnominatie": ""}
    measures = list(
        Measure.objects.filter(case=case)
        .select_related("archive_result__result_type")
        .prefetch_related("archive_result__further_result_types")
    )
    if any(running.measure_is_running(measure) for measure in measures):
        return empty
    results = [case_result]
    brondatum = case.closed_on
    for measure in measures:
        end = running.measure_end(measure)
        brondatum = max(brondatum, end)
        measure_result = getattr(measure, "archive_result", None)
        if measure_result is not None:
            results.append(measure_result.result_type)
            results.extend(measure_result.further_result_types.all())
        else:
            results.append(default_measure_result(measure))
            results.extend(further_measure_results(measure))
    if any(result.waardering == Waardering.KEEP for result in results):
        return {
            "brondatum": brondatum,
            "archiefactiedatum": None,
            "archiefnominatie": "blijvend_bewaren",
        }
    term = max(result.term_years for result in results)
    return {
        "brondatum": brondatum,
        "archiefactiedatum": add_years(brondatum, term),
        "archiefnominatie": Waardering.DESTROY,
    }


def _archive_changes(archive: CaseArchive) -> dict:
    return {
        "resultaat": archive.result_type.number,
        "brondatum": archive.brondatum.isoformat() if archive.brondatum else None,
        "archiefactiedatum": (
            archive.archiefactiedatum.isoformat() if archive.archiefactiedatum else None
        ),
        "archiefnominatie": archive.archiefnominatie or None,
    }


def case_archive_settle(case: Case, *, by=None) -> CaseArchive | None:
    """Bring a case's archive data in step with its status and maatregelen: a closed case
    gets (keeps) its resultaat and, once no maatregel runs, its dates; an open case has none,
    and is taken off every vernietigingslijst that was not yet carried out. Called inside the
    transaction of every status change and of a maatregel's end (signals.py)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        archive = CaseArchive.objects.filter(case=case).select_related("result_type").first()
        if case.status != Status.CLOSED:
            if archive is None:
                return None
            if archive.destroyed_at is not None:
                raise PermissionDenied("Deze casus is vernietigd en kan niet heropend worden.")
            # Recorded on the archive row (not the case: the reopening is the case's own
            # change, and a second 'casus changed' would reach subscribers for nothing).
            record(
                AuditAction.UPDATE,
                by=by,
                obj=archive,
                case=case,
                changes={"archiefgegevens gewist (heropend)": _archive_changes(archive)},
            )
            archive.delete()
            _take_off_lists(case, reason=REOPENED, by=by)
            return None
        if archive is None:
            archive = CaseArchive(case=case, result_type=default_case_result(case))
        values = _archive_values(case, archive.result_type)
        before = _archive_changes(archive) if archive.pk and not archive._state.adding else None
        for field, value in values.items():
            setattr(archive, field, value)
        archive.save()
        after = _archive_changes(archive)
        if before != after:
            record(
                AuditAction.UPDATE,
                by=by,
                obj=archive,
                case=case,
                changes={"archiefgegevens": after},
            )
        if archive.archiefactiedatum is None:
            _take_off_lists(case, reason=NOW_RUNNING, by=by)
        return archive


def _check_chosen(
    errors: Errors, result_type: ResultType | None, reason: str, *, not_for: str, label: str
) -> None:
    """A chosen resultaat: an active one that applies here (not `not_for`), with a reason."""
    if result_type is None or not result_type.active or result_type.applies_to == not_for:
        errors.add("result_type", f"Kies een resultaat voor een {label}.", code="required")
    if not reason.strip():
        errors.add("reason", "Geef aan waarom u een ander resultaat kiest.", code="required")
    errors.raise_if_any()


def _save_chosen(row, *, result_type: ResultType, reason: str, by) -> str:
    """Store the choice on a CaseArchive or MeasureResult row; returns the old number."""
    old = row.result_type.number
    row.result_type = result_type
    row.result_reason = reason.strip()
    row.result_chosen_by = by
    row.save(update_fields=["result_type", "result_reason", "result_chosen_by"])
    return old


def case_result_choose(
    case: Case, *, result_type: ResultType | None, reason: str, by
) -> CaseArchive:
    """The casemanager chooses another resultaat for a closed case than the derived one,
    with a reason (it decides the term: Selectielijst 2020)."""
    if not can_choose_case_result(by, case):
        raise PermissionDenied("U mag het resultaat van deze casus niet wijzigen.")
    errors = Errors()
    if case.status != Status.CLOSED:
        errors.add(None, "Alleen een afgeronde casus heeft een resultaat.", code="open")
        errors.raise_if_any()
    _check_chosen(errors, result_type, reason, not_for=AppliesTo.MEASURE, label="casus")
    with transaction.atomic():
        archive = CaseArchive.objects.select_for_update().get(case=case)
        if archive.destroyed_at is not None:
            errors.add(None, "Deze casus is vernietigd.", code="destroyed")
            errors.raise_if_any()
        old = _save_chosen(archive, result_type=result_type, reason=reason, by=by)
        record(
            AuditAction.UPDATE,
            by=by,
            obj=archive,
            case=case,
            changes={"resultaat": {"oud": old, "nieuw": result_type.number}, "reden": "ingevuld"},
        )
        return case_archive_settle(case, by=by)


def _measure_result_changes(result: MeasureResult) -> dict:
    return {
        "resultaat maatregel": result.result_type.number,
        "bijkomende resultaten": sorted(t.number for t in result.further_result_types.all()),
        "einde maatregel": result.ended_on.isoformat(),
    }


def measure_result_settle(measure: Measure, *, by=None) -> MeasureResult | None:
    """An ended maatregel gets its resultaat and its bijkomende resultaten (bezwaar, beroep,
    invordering), and its case's archive data are brought in step. Settled again whenever
    the maatregel ends anew (a beroep or a collection after its last step): the derived
    resultaat follows what happened; one a user chose (measure_result_choose) stays."""
    if running.measure_is_running(measure):
        return None
    with transaction.atomic():
        # The case as it is now (the maatregel's may be an object read before a closing).
        case = Case.objects.get(pk=measure.case_id)
        result = MeasureResult.objects.select_for_update().filter(measure=measure).first()
        before = _measure_result_changes(result) if result is not None else None
        if result is None:
            result = MeasureResult(measure=measure, result_type=default_measure_result(measure))
        elif result.result_chosen_by_id is None and not result.result_reason:
            result.result_type = default_measure_result(measure)
        result.ended_on = running.measure_end(measure)
        result.save()
        result.further_result_types.set(further_measure_results(measure))
        after = _measure_result_changes(result)
        if before != after:
            record(
                AuditAction.CREATE if before is None else AuditAction.UPDATE,
                by=by,
                obj=result,
                case=case,
                changes=after,
            )
        if case.status == Status.CLOSED:
            case_archive_settle(case, by=by)
        return result


def measure_result_choose(
    measure: Measure, *, result_type: ResultType | None, reason: str, by
) -> MeasureResult:
    """A user chooses another resultaat for an ended maatregel than the derived one, with a
    reason (it decides the term: Selectielijst 2020); audited with the old and the new."""
    from woonoverlast.accounts.roles import can_choose_measure_result

    # The case as it is now: the closed-case rule decides who may write (a maatregel object
    # read before the closing holds the open case).
    measure.case = Case.objects.get(pk=measure.case_id)
    if not can_choose_measure_result(by, measure):
        raise PermissionDenied("U mag het resultaat van deze maatregel niet wijzigen.")
    errors = Errors()
    result = MeasureResult.objects.filter(measure=measure).select_related("result_type").first()
    if result is None or running.measure_is_running(measure):
        errors.add(
            None,
            "Een maatregel krijgt een resultaat als hij helemaal is afgelopen (ook bezwaar, "
            "beroep en invordering).",
            code="running",
        )
        errors.raise_if_any()
    _check_chosen(errors, result_type, reason, not_for=AppliesTo.CASE, label="maatregel")
    with transaction.atomic():
        archive = CaseArchive.objects.filter(case_id=measure.case_id).first()
        if archive is not None and archive.destroyed_at is not None:
            errors.add(None, "Deze casus is vernietigd.", code="destroyed")
            errors.raise_if_any()
        result = MeasureResult.objects.select_for_update().get(pk=result.pk)
        old = _save_chosen(result, result_type=result_type, reason=reason, by=by)
        record(
            AuditAction.UPDATE,
            by=by,
            obj=result,
            case=measure.case,
            changes={
                "resultaat maatregel": {"oud": old, "nieuw": result_type.number},
                "reden": "ingevuld",
            },
        )
        if measure.case.status == Status.CLOSED:
            case_archive_settle(measure.case, by=by)
        return result


def imported_cases_archive(
    closed: list[tuple[int, datetime.date, str]], *, by=None
) -> dict[int, list[dict]]:
    """The archive data of cases the bulk import wrote closed (cases.signals.cases_imported):
    the rows case_archive_settle would write, in one INSERT (a COPY on PostgreSQL), and
    {case id: [its audit row]} for the import to record after the case's closing. A new
    case has no maatregel, so its resultaat follows from the closing alone
    (default_case_result: 6.2 when no nuisance was found, else 6.1).

    The resultaat, the dates and the audit content depend on the closing date and the
    resultaat alone, so they are worked out once per pair (a file of 100,000 cases closes
    them on a few hundred days) and shared by the rows of the cases that have it."""
    from woonoverlast.audit.recorder import audit_row_maker
    from woonoverlast.bulk import insert_rows

    types = {
        number: result_type(number)
        for number in (selectielijst.HANDLED, selectielijst.NOT_TAKEN_UP)
    }
    audit = audit_row_maker(AuditAction.UPDATE, by=by, model=CaseArchive)
    settled: dict[tuple[datetime.date, str], tuple[dict, dict]] = {}
    rows, events = [], {}
    for case_id, closed_on, reason in closed:
        number = (
            selectielijst.NOT_TAKEN_UP
            if reason == ClosingReason.NO_NUISANCE
            else selectielijst.HANDLED
        )
        known = settled.get((closed_on, number))
        if known is None:
            chosen = types[number]
            keep = chosen.waardering == Waardering.KEEP
            archive = CaseArchive(
                result_type=chosen,
                brondatum=closed_on,
                archiefactiedatum=None if keep else add_years(closed_on, chosen.term_years),
                archiefnominatie=Waardering.KEEP if keep else Waardering.DESTROY,
            )
            values = {
                "result_type_id": chosen.pk,
                "brondatum": archive.brondatum,
                "archiefactiedatum": archive.archiefactiedatum,
                "archiefnominatie": archive.archiefnominatie,
            }
            # One dict for all the events that have it (bulk.insert_rows encodes it once).
            changes = {"archiefgegevens": _archive_changes(archive)}
            known = settled[(closed_on, number)] = (values, changes)
        values, changes = known
        rows.append({"case_id": case_id, **values})
        events[case_id] = [audit(object_id=case_id, case_id=case_id, changes=changes)]
    insert_rows(CaseArchive, rows)
    return events


def cases_archive_backfill(*, by=None) -> int:
    """Closed cases without archive data (imported in bulk, or closed before this app): give
    them theirs. Runs before each monthly proposal."""
    missing = Case.objects.filter(status=Status.CLOSED).exclude(
        Exists(CaseArchive.objects.filter(case=OuterRef("pk")))
    )
    count = 0
    for case in missing.iterator():
        case_archive_settle(case, by=by)
        count += 1
    return count


# -- vernietigingslijsten ----------------------------------------------------------------------


def _destroyable(on: datetime.date):
    """CaseArchive rows whose archiefactiedatum has come with `vernietigen`, of closed cases
    without a running maatregel (bezwaar, beroep, invordering) and not destroyed."""
    return CaseArchive.objects.filter(
        archiefnominatie=Waardering.DESTROY,
        archiefactiedatum__lte=on,
        destroyed_at__isnull=True,
        case__status=Status.CLOSED,
    ).exclude(Exists(running.running_measures().filter(case=OuterRef("case"))))


_UNDER_WAY = [ListStatus.PROPOSED, ListStatus.REVIEWED, ListStatus.APPROVED]


def cases_due_for_destruction(on: datetime.date | None = None):
    """The cases a proposal on `on` holds: destroyable and not on a list still under way."""
    on_a_list = DestructionListItem.objects.filter(
        case=OuterRef("case"), excluded_reason="", destruction_list__status__in=_UNDER_WAY
    )
    return (
        _destroyable(on or today())
        .exclude(Exists(on_a_list))
        .select_related("case", "result_type")
        .order_by("result_type_id", "archiefactiedatum", "case_id")
    )


@transaction.atomic
def destruction_list_propose(*, on: datetime.date | None = None, by=None) -> DestructionList | None:
    """The monthly proposal: every case due for destruction, per resultaat (None when there
    is none). Archiefbesluit 1995 art. 6-8: nothing is destroyed until it is approved."""
    on = on or today()
    due = list(cases_due_for_destruction(on))
    if not due:
        return None
    destruction_list = DestructionList.objects.create(kind=ListKind.CASES, proposed_on=on)
    DestructionListItem.objects.bulk_create(
        DestructionListItem(
            destruction_list=destruction_list,
            case=archive.case,
            reference=archive.case.reference,
            result_type=archive.result_type,
            brondatum=archive.brondatum,
            archiefactiedatum=archive.archiefactiedatum,
        )
        for archive in due
    )
    record(
        AuditAction.CREATE,
        by=by,
        obj=destruction_list,
        changes={"vernietigingslijst": "voorgesteld", "aantal": len(due)},
    )
    return destruction_list


def _check_open(destruction_list: DestructionList, errors: Errors, *statuses) -> None:
    if destruction_list.status not in statuses:
        errors.add(
            None,
            f"Deze lijst is {destruction_list.get_status_display().lower()}.",
            code="status",
        )
        errors.raise_if_any()


def _take_off_lists(case: Case, *, reason: str, by) -> int:
    items = DestructionListItem.objects.filter(
        case=case, excluded_reason="", destruction_list__status__in=_UNDER_WAY
    )
    return items.update(excluded_reason=reason, excluded_by=by)


@transaction.atomic
def destruction_list_item_exclude(
    item: DestructionListItem, *, reason: str, by
) -> DestructionListItem:
    """A team leader takes a case off a proposal (uitzondering), with a reason."""
    if not can_review_destruction_list(by):
        raise PermissionDenied("Alleen een teamleider beoordeelt een vernietigingslijst.")
    errors = Errors()
    item = DestructionListItem.objects.select_related("destruction_list").get(pk=item.pk)
    _check_open(item.destruction_list, errors, ListStatus.PROPOSED)
    if not reason.strip():
        errors.add("reason", "Geef de reden van de uitzondering.", code="required")
    errors.raise_if_any()
    item.excluded_reason = reason.strip()
    item.excluded_by = by
    item.save(update_fields=["excluded_reason", "excluded_by"])
    record(
        AuditAction.UPDATE,
        by=by,
        obj=item.destruction_list,
        case=item.case,
        changes={"uitzondering": item.reference, "reden": "ingevuld"},
    )
    return item


@transaction.atomic
def destruction_list_review(destruction_list: DestructionList, *, by) -> DestructionList:
    """The team leader has reviewed the proposal; it goes to the archivaris."""
    if not can_review_destruction_list(by):
        raise PermissionDenied("Alleen een teamleider beoordeelt een vernietigingslijst.")
    destruction_list = DestructionList.objects.select_for_update().get(pk=destruction_list.pk)
    _check_open(destruction_list, Errors(), ListStatus.PROPOSED)
    destruction_list.status = ListStatus.REVIEWED
    destruction_list.reviewed_by = by
    destruction_list.reviewed_at = timezone.now()
    destruction_list.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    record(AuditAction.UPDATE, by=by, obj=destruction_list, changes={"status": "beoordeeld"})
    return destruction_list


@transaction.atomic
def destruction_list_approve(destruction_list: DestructionList, *, by) -> DestructionList:
    """The archivaris approves a reviewed list (who approves is the municipality's
    archiefverordening's choice; the issue asks for the archivaris); the background
    job then destroys it, after the commit."""
    if not can_approve_destruction_list(by):
        raise PermissionDenied("Alleen de archivaris keurt een vernietigingslijst goed.")
    destruction_list = DestructionList.objects.select_for_update().get(pk=destruction_list.pk)
    _check_open(destruction_list, Errors(), ListStatus.REVIEWED)
    destruction_list.status = ListStatus.APPROVED
    destruction_list.approved_by = by
    destruction_list.approved_at = timezone.now()
    destruction_list.save(update_fields=["status", "approved_by", "approved_at"])
    record(AuditAction.UPDATE, by=by, obj=destruction_list, changes={"status": "goedgekeurd"})
    from .tasks import destroy_list

    pk = destruction_list.pk
    transaction.on_commit(lambda: destroy_list.delay(pk))
    return destruction_list


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@transaction.atomic
def destruction_list_execute(destruction_list_id: int, *, by=None) -> DestructionList:
    """The background job: destroy what an approved list holds and make the verklaring van
    vernietiging. Idempotent: a list already destroyed is left as it is. Each case is checked
    again first: one reopened, or with a maatregel running again, is taken off."""
    from woonoverlast.audit.services import login_events_purge

    destruction_list = DestructionList.objects.select_for_update().get(pk=destruction_list_id)
    if destruction_list.status == ListStatus.DESTROYED:
        return destruction_list
    if destruction_list.status != ListStatus.APPROVED:
        raise PermissionDenied("Alleen een goedgekeurde vernietigingslijst wordt uitgevoerd.")
    now = timezone.now()
    if destruction_list.kind == ListKind.LOGINS:
        count = login_events_purge(before=destruction_list.cutoff_at, by=by)
        content = {
            "soort": "inloggegevens",
            "selectielijst": selectielijst.LOGIN_DATA_NUMBER,
            "grens": destruction_list.cutoff_at.isoformat(),
            "aantal": count,
        }
    else:
        content = _destroy_cases(destruction_list, now=now, by=by)
    destruction_list.status = ListStatus.DESTROYED
    destruction_list.destroyed_at = now
    destruction_list.save(update_fields=["status", "destroyed_at"])
    DestructionStatement.objects.create(
        destruction_list=destruction_list,
        made_at=now,
        approved_by_name=_name(destruction_list.approved_by),
        reviewed_by_name=_name(destruction_list.reviewed_by),
        content=content,
    )
    record(
        AuditAction.ANONYMISE,
        by=by,
        obj=destruction_list,
        changes={"vernietigd": content.get("aantal", 0)},
    )
    return destruction_list


def _destroy_cases(destruction_list: DestructionList, *, now, by) -> dict:
    from woonoverlast.cases.services import cases_anonymise
    from woonoverlast.documents.models import Document
    from woonoverlast.events.outbox import case_destroyed_emit

    items = list(
        destruction_list.items.filter(excluded_reason="").select_related("case", "result_type")
    )
    due = set(_destroyable(destruction_list.proposed_on).values_list("case_id", flat=True))
    kept = [item for item in items if item.case_id not in due]
    for item in kept:
        item.excluded_reason = REOPENED if item.case.status != Status.CLOSED else NOW_RUNNING
        item.save(update_fields=["excluded_reason"])
    items = [item for item in items if item.case_id in due]
    ids = [item.case_id for item in items]
    files = dict(
        Document.objects.filter(case_id__in=ids, files_removed_at__isnull=True)
        .values("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    cases_anonymise(case_ids=ids, by=by, reason=f"vernietigd: {destruction_list}")
    CaseArchive.objects.filter(case_id__in=ids).update(destroyed_at=now)
    # Subscribers to the casussen channel destroy their copies too (events.outbox).
    for case in Case.objects.filter(pk__in=ids).select_related("district").order_by("pk"):
        case_destroyed_emit(case)
    rows = [
        {
            "referentie": item.reference,
            "resultaat": item.result_type.number,
            "omschrijving": item.result_type.description,
            "brondatum": item.brondatum.isoformat(),
            "archiefactiedatum": item.archiefactiedatum.isoformat(),
            "bestanden": files.get(item.case_id, 0),
        }
        for item in items
    ]
    per_result = {}
    for row in rows:
        per_result[row["resultaat"]] = per_result.get(row["resultaat"], 0) + 1
    dates = [item.brondatum for item in items]
    return {
        "soort": "casussen",
        "aantal": len(rows),
        "bestanden": sum(row["bestanden"] for row in rows),
        "periode": ([format_date(min(dates)), format_date(max(dates))] if dates else []),
        "per_resultaat": per_result,
        "casussen": rows,
        # References only: the reason is free text and this record is kept permanently.
        "uitgezonderd": list(
            destruction_list.items.exclude(excluded_reason="").values_list("reference", flat=True)
        ),
    }


@transaction.atomic
def login_events_list_propose(
    *, on: datetime.date | None = None, by=None
) -> DestructionList | None:
    """The log-in and log-out events older than six months (Selectielijst 2020, 19.1.24
    'Login-gegevens': vernietigen na 6 maanden), as a list to review and approve like the
    cases' (None when there are none)."""
    from woonoverlast.audit.services import login_events_before

    on = on or today()
    limit = add_months(on, -selectielijst.LOGIN_DATA_MONTHS)
    cutoff = timezone.make_aware(datetime.datetime.combine(limit, datetime.time.min))
    if not login_events_before(cutoff).exists():
        return None
    destruction_list = DestructionList.objects.create(
        kind=ListKind.LOGINS, proposed_on=on, cutoff_at=cutoff
    )
    record(
        AuditAction.CREATE,
        by=by,
        obj=destruction_list,
        changes={"vernietigingslijst": "voorgesteld", "inloggegevens voor": limit.isoformat()},
    )
    return destruction_list


# -- the table of resultaten (admin) -------------------------------------------------------------

RESULT_TYPE_FIELDS = ("number", "description", "waardering", "term_years", "applies_to", "active")


@transaction.atomic
def result_type_save(result_type: ResultType, *, by) -> ResultType:
    """A team leader adds or changes a resultaat of the table (in the admin); audited with
    the old and new values. A changed term applies to the archive dates computed from then
    on (closing, reopening, a maatregel's end)."""
    from woonoverlast.accounts.roles import can_lead_team
    from woonoverlast.audit.recorder import describe_changes, describe_new, snapshot

    if by is not None and not (can_lead_team(by) or by.is_superuser):
        raise PermissionDenied("Alleen een teamleider beheert de resultaattypen.")
    result_type.full_clean()
    after = snapshot(result_type, RESULT_TYPE_FIELDS)
    if result_type.pk is None:
        result_type.save()
        record(AuditAction.CREATE, by=by, obj=result_type, changes=describe_new(after))
        return result_type
    before = snapshot(ResultType.objects.get(pk=result_type.pk), RESULT_TYPE_FIELDS)
    result_type.save()
    changes = describe_changes(before, after)
    if changes:
        record(AuditAction.UPDATE, by=by, obj=result_type, changes=changes)
    return result_type


# -- handing over: the MDTO package ---------------------------------------------------------------


def mdto_export(cases, *, by) -> bytes:
    """The MDTO package (ZIP) of these cases, for the e-depot (overbrenging of what is
    blijvend_bewaren) or a central zaaksysteem: team leaders only; every case in the audit
    log as exported."""
    from woonoverlast.accounts.roles import can_export_mdto
    from woonoverlast.audit.recorder import audit_event, record_many

    from .mdto import cases_package

    if not can_export_mdto(by):
        raise PermissionDenied("Alleen een teamleider exporteert een MDTO-pakket.")
    cases = list(cases)
    package = cases_package(cases)
    record_many(
        [
            audit_event(AuditAction.EXPORT, by=by, obj=case, case=case, changes={"formaat": "MDTO"})
            for case in cases
        ]
    )
    return package
