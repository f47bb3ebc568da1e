"""Registering a case, correcting its facts and assigning it."""

import datetime
import re
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from woonoverlast.accounts.access import check_case_write
from woonoverlast.accounts.roles import can_lead_team, can_work_cases
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import MASKED, describe_changes, describe_new, record, snapshot
from woonoverlast.bulk import new_instance
from woonoverlast.common.validation import Errors, format_date

from ..choices import Complexity, HousingType, MeldingSource, Status
from ..models import (
    Case,
    Category,
    District,
    HousingCorporation,
    Partner,
    Reassignment,
    StatusChange,
)
from ..signals import case_reassigned
from ..validators import REFERENCE_REGEX, normalize_postcode
from .activity import melding_add
from .figures import case_figures_changed
from .last_activity import case_refresh_last_activity
from .open_cases import open_cases_changed
from .references import (
    REFERENCE_NUMBER_MAX,
    reference_claim,
    reference_next,
    reference_out_of_range,
)

_REFERENCE_CHARS = re.compile(rf"^{REFERENCE_REGEX}$")

# Facts case_update may change; status, reference and casemanager have their own services.
EDITABLE_FACTS = (
    "district",
    "housing_type",
    "corporation",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "description",
    "registered_on",
    "complexity",
    "next_review_on",
)
_LISTS = ("categories", "partners")
# The facts Tabel 5.1 counts by (services.figures).
COUNTED_FACTS = frozenset({"district", "housing_type", "registered_on"})


def _check_address(errors: Errors, case: Case) -> None:
    if case.postcode:
        try:
            case.postcode = normalize_postcode(case.postcode)
        except ValidationError as error:
            errors.add("postcode", error.messages[0], code="postcode")
    if case.house_number_addition and not case.house_number:
        errors.add("house_number", "Vul een huisnummer in bij de toevoeging.", code="required")


def _check_facts(errors: Errors, case: Case) -> None:
    if case.housing_type != HousingType.CORPORATIE:
        case.corporation = None
    _check_address(errors, case)
    errors.check_not_in_future("registered_on", case.registered_on)


def _check_casemanager(errors: Errors, casemanager) -> None:
    if casemanager is not None and not (casemanager.is_active and can_work_cases(casemanager)):
        errors.add(
            "casemanager",
            f"{casemanager} is geen actieve casemanager of teamleider.",
            code="casemanager",
        )


def _reference_exists(reference: str) -> bool:
    return Case.objects.filter(reference__iexact=reference).exists()


def _check_reference(
    errors: Errors, reference: str, *, exists: Callable[[str], bool] = _reference_exists
) -> None:
    """A reference given by the user: well-formed and not yet used (in any case).

    `exists` answers the uniqueness question; the bulk import passes one that looks in the
    references it read for the whole file in one query.
    """
    if not _REFERENCE_CHARS.match(reference):
        errors.add(
            "reference",
            "Een referentie bestaat uit letters, cijfers, punten, koppeltekens en liggende "
            "streepjes.",
            code="reference",
        )
    elif reference_out_of_range(reference):
        errors.add(
            "reference",
            f"Het volgnummer van een referentie is hoogstens {REFERENCE_NUMBER_MAX}.",
            code="reference_range",
        )
    elif exists(reference):
        errors.add("reference", f"Referentie {reference} bestaat al.", code="unique")


def _new_case(
    *,
    district: District,
    housing_type: str,
    registered_on: datetime.date,
    by,
    reference: str,
    corporation: HousingCorporation | None,
    street: str,
    house_number: int | None,
    house_number_addition: str,
    postcode: str,
    description: str,
    casemanager,
    complexity: str,
) -> Case:
    """The unsaved open case case_register writes (reference "-" until it is generated)."""
    return new_instance(
        Case,
        reference=reference or "-",
        district=district,
        housing_type=housing_type,
        corporation=corporation,
        street=street.strip(),
        house_number=house_number,
        house_number_addition=house_number_addition.strip().upper(),
        postcode=postcode,
        description=description.strip(),
        registered_on=registered_on,
        last_activity_on=registered_on,
        casemanager=casemanager,
        complexity=complexity,
        status=Status.OPEN,
        created_by=by,
    )


def _registration_errors(
    case: Case,
    *,
    reference: str,
    casemanager,
    reference_exists: Callable[[str], bool] = _reference_exists,
    loaded_relations: Iterable[str] = (),
    memo: dict | None = None,
) -> Errors:
    """Every rule a new case must meet, collected (not raised).

    `loaded_relations` names foreign keys whose objects the caller read from the database
    itself, so the model validation need not query each one again, and `memo` lets it
    validate each value of a field once (both: the bulk import).
    """
    errors = Errors()
    _check_facts(errors, case)
    _check_casemanager(errors, casemanager)
    if reference:
        _check_reference(errors, reference, exists=reference_exists)
    errors.model(
        case,
        exclude=["reference", "postcode", "created_by", "casemanager", *loaded_relations],
        memo=memo,
    )
    # Left out of the model validation to spare a query each, but still required.
    for name in loaded_relations:
        field = Case._meta.get_field(name)
        if not field.blank and getattr(case, field.attname) is None:
            errors.add(name, field.error_messages["blank"], code="blank")
    return errors


def _created_changes(case: Case, lists: dict[str, Iterable]) -> dict:
    """The audit content of a newly registered case; `lists` holds its categories and
    partners (the objects, as the case has them)."""
    values = snapshot(case, ("reference", *EDITABLE_FACTS, "casemanager"))
    for name in _LISTS:
        values[name] = [str(item) for item in lists[name]]
    return describe_new(values, private=Case.PERSONAL_DATA_FIELDS)


def district_for_postcode(postcode: str) -> District | None:
    """The wijk of the other cases with this postcode (the one most of them have, the most
    recently registered on a tie), among the active wijken; None for a postcode the team has
    not seen. A postcode lies in one wijk, so a new case at it (from a melding) need not be
    looked up by hand. One query."""
    from django.db.models import Count, Max

    try:
        postcode = normalize_postcode(postcode or "")
    except ValidationError:
        return None
    found = (
        Case.objects.filter(postcode=postcode, district__is_active=True)
        .values("district_id")
        .annotate(cases=Count("pk"), latest=Max("registered_on"))
        .order_by("-cases", "-latest", "district_id")
        .first()
    )
    return District.objects.get(pk=found["district_id"]) if found else None


ASSIGN_OTHER_REFUSED = "Alleen een teamleider kan een casus aan een ander toewijzen."


def registration_casemanager(*, chosen, by):
    """The casemanager of a case that `by` registers: the one rule of the screen and the API.
    A team leader (accounts.roles.can_lead_team) chooses anyone or no one; anyone else
    registers the case for themselves (no choice: themselves), and naming someone else is
    refused, not silently replaced. Without a user (a script) the choice stands."""
    if by is None or can_lead_team(by):
        return chosen
    if chosen is not None and chosen != by:
        raise PermissionDenied(ASSIGN_OTHER_REFUSED)
    return by


@transaction.atomic
def case_register(
    *,
    district: District,
    housing_type: str,
    registered_on: datetime.date,
    by,
    reference: str = "",
    corporation: HousingCorporation | None = None,
    street: str = "",
    house_number: int | None = None,
    house_number_addition: str = "",
    postcode: str = "",
    categories: Iterable[Category] = (),
    description: str = "",
    casemanager=None,
    complexity: str = Complexity.SIMPLE,
    partners: Iterable[Partner] = (),
    first_melding_text: str = "",
    first_melding_source: str = MeldingSource.RESIDENT,
    first_melding_on: datetime.date | None = None,
) -> Case:
    """Register a new open case, with its opening status row and optionally its first melding.

    Without a reference one is generated from the registration year (WO-2023-0042); a
    reference from a spreadsheet is kept and must be unique. Who may register a case for
    someone else is registration_casemanager's rule: the screen and the API ask it first (the
    import, the intake and the demo set pass their casemanager as it is).
    """
    reference = reference.strip()
    case = _new_case(
        district=district,
        housing_type=housing_type,
        registered_on=registered_on,
        by=by,
        reference=reference,
        corporation=corporation,
        street=street,
        house_number=house_number,
        house_number_addition=house_number_addition,
        postcode=postcode,
        description=description,
        casemanager=casemanager,
        complexity=complexity,
    )
    _registration_errors(case, reference=reference, casemanager=casemanager).raise_if_any()

    if reference:
        reference_claim(reference)
    else:
        case.reference = reference_next(registered_on.year)
    case.save()
    case.categories.set(categories)
    case.partners.set(partners)
    StatusChange.objects.create(
        case=case, status=Status.OPEN, effective_on=registered_on, created_by=by
    )
    case_figures_changed()
    open_cases_changed()
    record(
        AuditAction.CREATE,
        by=by,
        obj=case,
        case=case,
        changes=_created_changes(case, {name: getattr(case, name).all() for name in _LISTS}),
    )
    if first_melding_text.strip():
        melding_add(
            case,
            received_on=first_melding_on or registered_on,
            source=first_melding_source,
            text=first_melding_text,
            by=by,
        )
    return case


@transaction.atomic
def case_update(
    case: Case,
    *,
    by,
    expected_version: int | None = None,
    categories: Iterable[Category] | None = None,
    partners: Iterable[Partner] | None = None,
    **facts,
) -> Case:
    """Correct a case's facts. Only EDITABLE_FACTS can be passed; the rest has its service.

    `expected_version` is the version the user's form was filled from; when the case has
    changed since, the update is refused rather than overwriting the other change.
    """
    unknown = set(facts) - set(EDITABLE_FACTS)
    if unknown:
        raise TypeError(f"case_update cannot change {', '.join(sorted(unknown))}")
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_case_write(case, by)
    before = snapshot(case, EDITABLE_FACTS, _LISTS)
    if expected_version is not None and expected_version != case.version:
        stale = Errors()
        stale.add(
            None,
            "Iemand anders heeft deze casus gewijzigd nadat u het formulier opende. Uw "
            "wijzigingen zijn niet opgeslagen: bekijk de nieuwe gegevens en voer uw wijziging "
            "opnieuw in.",
            code="stale",
        )
        stale.raise_if_any()
    for name, value in facts.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    errors = Errors()
    _check_facts(errors, case)
    if "registered_on" in facts and case.registered_on:
        first_closing = (
            case.status_changes.in_force()
            .filter(status=Status.CLOSED)
            .order_by("effective_on")
            .first()
        )
        if first_closing and case.registered_on > first_closing.effective_on:
            errors.add(
                "registered_on",
                "De registratiedatum mag niet na de eerste afsluiting "
                f"({format_date(first_closing.effective_on)}) liggen.",
                code="after_closing",
            )
    errors.model(case, exclude=["postcode", "created_by", "casemanager"])
    errors.raise_if_any()
    case.version += 1
    case.save()
    if categories is not None:
        case.categories.set(categories)
    if partners is not None:
        case.partners.set(partners)
    if COUNTED_FACTS.intersection(facts):
        case_figures_changed()
    if "registered_on" in facts:
        case_refresh_last_activity(case.pk)
        case.refresh_from_db(fields=["last_activity_on"])
    changes = describe_changes(
        before, snapshot(case, EDITABLE_FACTS, _LISTS), private=Case.PERSONAL_DATA_FIELDS
    )
    if changes:
        record(AuditAction.UPDATE, by=by, obj=case, case=case, changes=changes)
    return case


REASSIGN_REASON_MAX_LENGTH = 500


@transaction.atomic
def case_reassign(case: Case, *, casemanager, reason: str, by) -> Case:
    """Give a case to another casemanager (who decides may: see accounts.roles), with a
    reason. The reason is stored (Reassignment), the audit log says that it was reassigned
    and why in general terms, and `case_reassigned` is sent (termijnbewaking gives the new
    casemanager a bericht in the app)."""
    # Checked here, not only by the view (accounts.roles: team leaders reassign).
    if by is not None and not can_lead_team(by):
        raise PermissionDenied("Alleen een teamleider kan een casus toewijzen.")
    check_case_write(case, by)
    errors = Errors()
    reason = (reason or "").strip()
    if casemanager is None:
        errors.add("casemanager", "Kies een casemanager.", code="required")
    else:
        _check_casemanager(errors, casemanager)
        if casemanager.pk == case.casemanager_id:
            errors.add(
                "casemanager", f"De casus is al toegewezen aan {casemanager}.", code="unchanged"
            )
    if not reason:
        errors.add("reason", "Geef een reden voor het toewijzen.", code="required")
    elif len(reason) > REASSIGN_REASON_MAX_LENGTH:
        errors.add(
            "reason",
            f"Een reden is hoogstens {REASSIGN_REASON_MAX_LENGTH} tekens.",
            code="max_length",
        )
    errors.raise_if_any()
    before = snapshot(case, ["casemanager"])
    previous = case.casemanager
    case.casemanager = casemanager
    case.save(update_fields=["casemanager", "updated_at"])
    reassignment = Reassignment.objects.create(
        case=case, previous=previous, casemanager=casemanager, reason=reason, created_by=by
    )
    record(
        AuditAction.REASSIGN,
        by=by,
        obj=case,
        case=case,
        changes={
            **describe_changes(before, snapshot(case, ["casemanager"])),
            "reden": MASKED,
        },
    )
    case_reassigned.send(sender=Case, case=case, reassignment=reassignment)
    # Also for a case that `case` says is closed: this instance may have been read before a
    # reopening. Last: the version's row stays locked until the commit, as briefly as possible.
    open_cases_changed()
    return case


@transaction.atomic
def case_reassign_many(cases: Iterable[Case], *, casemanager, reason: str, by) -> list[Case]:
    """Reassign several cases at once (the case list), each by case_reassign, all in one
    transaction: all of them or none. Cases that already have this casemanager are left as
    they are; it is an error when that leaves nothing to do."""
    cases = list(cases)
    if not cases:
        raise ValidationError({"casussen": "Kies een of meer casussen."})
    todo = [case for case in cases if casemanager is None or case.casemanager_id != casemanager.pk]
    if not todo:
        raise ValidationError(
            {"casemanager": f"De gekozen casussen zijn al toegewezen aan {casemanager}."}
        )
    # Lock the cases first, in one order: the first case_reassign locks the open cases'
    # version row until the commit, and a close of one of the later cases (which locks its
    # case, then that row) must not be waiting for it while this waits for that case.
    list(
        Case.objects.select_for_update()
        .filter(pk__in=[case.pk for case in todo])
        .order_by("pk")
        .values_list("pk")
    )
    return [case_reassign(case, casemanager=casemanager, reason=reason, by=by) for case in todo]


# Reassigning "all cases matching the filters" reassigns at most this many in one go (one
# transaction, one notification each): more is a reorganisation, not a list action.
REASSIGN_MATCHING_MAX = 500


@transaction.atomic
def case_reassign_matching(filters, *, expected: int, casemanager, reason: str, by) -> list[Case]:
    """Reassign every case the case list shows for `filters` (its query parameters), as
    case_reassign_many does for ticked ones. The filters and the access rules are applied
    here again, on the server, not taken from the page; `expected` is the number the page
    showed, and a list that has changed since (a case added, closed or reassigned) is refused,
    so that no case is reassigned that the team leader did not see counted. Team leaders only
    (accounts.roles.can_lead_team)."""
    from types import SimpleNamespace

    from django.core.exceptions import PermissionDenied

    from woonoverlast.accounts.roles import can_lead_team

    from ..filters import CaseFilter

    if not can_lead_team(by):
        raise PermissionDenied
    cases = Case.objects.for_list().with_data_visible_to(by)
    filterset = CaseFilter(filters, queryset=cases, request=SimpleNamespace(user=by))
    if not filterset.is_valid():
        raise ValidationError({"alle": "De filters bevatten een fout; er is niets toegewezen."})
    matching = list(filterset.qs[: REASSIGN_MATCHING_MAX + 1])
    if len(matching) > REASSIGN_MATCHING_MAX:
        raise ValidationError(
            {
                "alle": f"Wijs ten hoogste {REASSIGN_MATCHING_MAX} casussen tegelijk toe. "
                "Maak de filters nauwer."
            }
        )
    if len(matching) != expected:
        raise ValidationError(
            {
                "alle": f"De lijst is veranderd sinds u hem zag: er voldoen nu {len(matching)} "
                "casussen aan de filters. Controleer de lijst en kies opnieuw."
            }
        )
    return case_reassign_many(matching, casemanager=casemanager, reason=reason, by=by)
