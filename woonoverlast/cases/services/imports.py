"""Registering many cases at once: the import of a spreadsheet or an older system.

The same rules as case_register and case_close, checked by the same functions, and the same
rows (cases, categories, status history, audit events), but read and written in bulk: the
queries do not grow with the number of cases, except the INSERTs, one per batch.
"""

import datetime
import inspect
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Upper

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import audit_row, record_rows
from woonoverlast.bulk import insert_many, insert_rows

from ..choices import ClosingReason, Status
from ..models import Case, StatusChange
from .references import ReferenceBlock
from .registration import _created_changes, _new_case, _registration_errors, case_register
from .status import _check_closing_reason, _check_status_change, _status_change_changes
from .validation import Errors, one_today

BATCH_SIZE = 10000


@dataclass
class NewCase:
    """One case to register: case_register's keyword arguments (without `by`), and when it
    is already closed, the date and reason case_close would be given."""

    register: dict
    close_on: datetime.date | None = None
    close_reason: str = ClosingReason.OTHER


class CasesRefused(Exception):
    """Some cases break a rule; nothing was written. `errors` maps the position of each
    refused case in the input to its ValidationError (keyed by argument, as the services'
    own errors are)."""

    def __init__(self, errors: dict[int, ValidationError]):
        super().__init__(f"{len(errors)} casussen geweigerd")
        self.errors = errors


@dataclass
class _Planned:
    case: Case
    categories: list
    partners: list
    close_on: datetime.date | None
    close_reason: str


def _taken_references(references: list[str]) -> set[str]:
    """The references among these that a case already has, upper-cased: one query (or one
    per chunk where the database limits the parameters of a query, SQLite)."""
    wanted = sorted({reference.upper() for reference in references})
    if connection.vendor == "postgresql":
        # Not `UPPER(reference) IN (<the file's references>)`: for a long list PostgreSQL
        # answers that from the trigram index (case_reference_trgm_idx), which compares every
        # value with every case sharing its trigrams; after one rolled-back check of a file
        # (its dead rows share them all) a second check of 100,000 rows ran for minutes.
        # From the list as a table, the planner joins by hash or probes the btree index.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT wanted FROM unnest(%s::text[]) AS wanted WHERE EXISTS "
                f"(SELECT FROM {Case._meta.db_table} WHERE UPPER(reference) = wanted)",
                [wanted],
            )
            return {reference for (reference,) in cursor.fetchall()}
    chunk = connection.features.max_query_params or len(wanted) or 1
    taken = set()
    for start in range(0, len(wanted), chunk):
        taken.update(
            Case.objects.annotate(upper_reference=Upper("reference"))
            .filter(upper_reference__in=wanted[start : start + chunk])
            .values_list("upper_reference", flat=True)
        )
    return taken


def _close_errors(case: Case, new: NewCase) -> Errors:
    """What case_close would refuse, right after the registration (open since registered_on)."""
    errors = Errors()
    _check_closing_reason(errors, new.close_reason)
    _check_status_change(
        errors,
        status=Status.CLOSED,
        on=new.close_on,
        registered_on=case.registered_on,
        current_status=Status.OPEN,
        current_since=case.registered_on,
    )
    return errors


def _checked(new_cases: Sequence[NewCase], *, by, write_counters: bool) -> tuple[list, dict]:
    """Check every case in order, as a series of case_register + case_close calls would:
    a reference the file gives must not exist yet, also not as one generated for an earlier
    case; generated references continue each year's counter after the claims before them."""
    arguments = [_register_arguments(new) for new in new_cases]
    taken = _taken_references([a["reference"] for a in arguments if a["reference"]])
    years = {
        ReferenceBlock.claimed_year(a["reference"]) if a["reference"] else a["registered_on"].year
        for a in arguments
        if a["reference"] or a["registered_on"]  # without a date the rules refuse the case
    }
    block = ReferenceBlock(year for year in years if year is not None)

    def reference_exists(reference: str) -> bool:
        return reference.upper() in taken

    planned, refused, memo = [], {}, {}
    for position, (new, given) in enumerate(zip(new_cases, arguments, strict=True)):
        case = _new_case(by=by, **{name: given[name] for name in _NEW_CASE_ARGUMENTS})
        try:
            _registration_errors(
                case,
                reference=given["reference"],
                casemanager=given["casemanager"],
                reference_exists=reference_exists,
                # Objects the caller read from the database: not queried again per case
                # (the INSERT's foreign keys are the backstop).
                loaded_relations=["district", "corporation"],
                memo=memo,
            ).raise_if_any()
            if new.close_on is not None:
                _close_errors(case, new).raise_if_any()
        except ValidationError as error:
            refused[position] = error
            continue
        if given["reference"]:
            block.claim(given["reference"])
        else:
            case.reference = block.next(case.registered_on.year)
        taken.add(case.reference.upper())
        planned.append(
            _Planned(
                case=case,
                categories=list(dict.fromkeys(given["categories"])),
                partners=list(dict.fromkeys(given["partners"])),
                close_on=new.close_on,
                close_reason=new.close_reason,
            )
        )
    if write_counters:
        block.save()
    return planned, refused


# case_register's arguments with their defaults: one place says what a registration takes.
_REGISTER_PARAMETERS = {
    name: parameter.default
    for name, parameter in inspect.signature(case_register).parameters.items()
    if name != "by"
}
_NEW_CASE_ARGUMENTS = [
    name for name in inspect.signature(_new_case).parameters if name not in ("by",)
]


def _register_arguments(new: NewCase) -> dict:
    unknown = set(new.register) - set(_REGISTER_PARAMETERS)
    if unknown:
        raise TypeError(f"case_register has no argument {', '.join(sorted(unknown))}")
    missing = [
        name
        for name, default in _REGISTER_PARAMETERS.items()
        if default is inspect.Parameter.empty and name not in new.register
    ]
    if missing:
        raise TypeError(f"case_register needs {', '.join(missing)}")
    if str(new.register.get("first_report_text", "")).strip():
        raise TypeError("cases_register_many does not add meldingen (first_report_text)")
    arguments = {**_REGISTER_PARAMETERS, **new.register}
    arguments["reference"] = arguments["reference"].strip()
    return arguments


def _write(batch: list[_Planned], *, by) -> None:
    """One batch: each table in one INSERT (or as many as the database's limit on
    parameters needs: SQLite)."""
    cases = [planned.case for planned in batch]
    for planned in batch:
        if planned.close_on is not None:
            # The case mirrors its latest status row, as case_close leaves it.
            planned.case.status = Status.CLOSED
            planned.case.closed_on = planned.close_on
    insert_many(Case, cases)

    for name in ("categories", "partners"):
        field = Case._meta.get_field(name)
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        insert_rows(
            field.remote_field.through,
            [
                {source: planned.case.pk, target: item.pk}
                for planned in batch
                for item in getattr(planned, name)
            ],
        )

    by_id = by.pk if by is not None else None
    opening = [
        {
            "case_id": planned.case.pk,
            "status": Status.OPEN,
            "effective_on": planned.case.registered_on,
            "ended_on": planned.close_on,
            "created_by_id": by_id,
        }
        for planned in batch
    ]
    closing = {
        id(planned): {
            "case_id": planned.case.pk,
            "status": Status.CLOSED,
            "effective_on": planned.close_on,
            "closing_reason": planned.close_reason,
            "created_by_id": by_id,
        }
        for planned in batch
        if planned.close_on is not None
    }
    insert_rows(StatusChange, [*opening, *closing.values()])

    events = []
    for planned in batch:
        case = planned.case
        events.append(
            audit_row(
                AuditAction.CREATE,
                by=by,
                model=Case,
                object_id=case.pk,
                case_id=case.pk,
                changes=_created_changes(
                    case, {"categories": planned.categories, "partners": planned.partners}
                ),
            )
        )
        if change := closing.get(id(planned)):
            events.append(
                audit_row(
                    AuditAction.CLOSE,
                    by=by,
                    model=StatusChange,
                    object_id=change["id"],
                    case_id=case.pk,
                    changes=_status_change_changes(
                        current_status=Status.OPEN,
                        status=Status.CLOSED,
                        on=change["effective_on"],
                        closing_reason=change["closing_reason"],
                        note="",
                    ),
                )
            )
    record_rows(events)


def cases_register_many(
    new_cases: Sequence[NewCase], *, by, check_only: bool = False, batch_size: int = BATCH_SIZE
) -> list[Case]:
    """Register (and, where asked, close) many cases: all of them, or none.

    Every case is checked first by the rules of case_register and case_close, in order; when
    any case breaks one, CasesRefused names each and nothing is written. With
    check_only=True nothing is written either way (the unsaved cases are returned).
    Otherwise the cases, their categories and partners, their status rows and the audit
    events (one per registration and one per close, with the content the services record,
    in the caller's audit context) are written in batches of `batch_size` cases, in one
    transaction. Like the services, it schedules nothing after commit.
    """
    with transaction.atomic(), one_today():
        planned, refused = _checked(new_cases, by=by, write_counters=not check_only)
        if refused:
            raise CasesRefused(refused)
        if not check_only:
            for start in range(0, len(planned), batch_size):
                _write(planned[start : start + batch_size], by=by)
    return [p.case for p in planned]
