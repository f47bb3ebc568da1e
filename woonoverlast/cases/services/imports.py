"""Registering many cases at once: the import of a spreadsheet (read by import_files beside
this module) or an older system.

The same rules as case_register and case_close, checked by the same functions, and the same
rows (cases, categories, status history, audit events), but read and written in bulk: the
queries do not grow with the number of cases, except the INSERTs, one per batch.
"""

import datetime
import inspect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Upper

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import audit_row_maker, record_rows
from woonoverlast.bulk import insert_many, insert_rows, insert_streamed
from woonoverlast.common.validation import Errors, one_today

from ..choices import ClosingReason, Status
from ..models import Case, StatusChange
from ..signals import cases_imported
from .figures import case_figures_changed
from .open_cases import open_cases_changed
from .references import ReferenceBlock
from .registration import (
    _check_casemanager,
    _created_changes,
    _new_case,
    _registration_errors,
    case_register,
)
from .status import _check_closing_reason, _check_status_change, _status_change_changes

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
    # The audit content of the registration, when made ahead (_passed_until_refused).
    created_changes: dict | None = None


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


class _Checks:
    """Checks every case in order, as a series of case_register + case_close calls would:
    a reference the file gives must not exist yet, also not as one generated for an earlier
    case; generated references continue each year's counter after the claims before them.

    Reads what the checks need from the database when made; iterating runs the checks
    without a query and yields each case that passes, planned; the refused ones are
    collected in `refused` (position in the input: ValidationError). `block` holds the
    reference counters, to be saved when the cases are written.
    """

    def __init__(self, new_cases: Sequence[NewCase], *, by):
        self.new_cases = new_cases
        self.by = by
        self.arguments = [_register_arguments(new) for new in new_cases]
        self.taken = _taken_references([a["reference"] for a in self.arguments if a["reference"]])
        years = {
            ReferenceBlock.claimed_year(a["reference"])
            if a["reference"]
            else a["registered_on"].year
            for a in self.arguments
            if a["reference"] or a["registered_on"]  # without a date the rules refuse the case
        }
        self.block = ReferenceBlock(year for year in years if year is not None)
        # The one check that reads the database, a casemanager's roles (cached on the user
        # object), done for each casemanager now: the checks may then run while a COPY has
        # the connection (cases_register_many).
        casemanagers = {id(a["casemanager"]): a["casemanager"] for a in self.arguments}
        for casemanager in casemanagers.values():
            _check_casemanager(Errors(), casemanager)
        self.refused: dict[int, ValidationError] = {}

    def _reference_exists(self, reference: str) -> bool:
        return reference.upper() in self.taken

    def __iter__(self) -> Iterator[_Planned]:
        memo = {}
        for position, (new, given) in enumerate(zip(self.new_cases, self.arguments, strict=True)):
            case = _new_case(by=self.by, **{name: given[name] for name in _NEW_CASE_ARGUMENTS})
            try:
                _registration_errors(
                    case,
                    reference=given["reference"],
                    casemanager=given["casemanager"],
                    reference_exists=self._reference_exists,
                    # Objects the caller read from the database: not queried again per case
                    # (the INSERT's foreign keys are the backstop).
                    loaded_relations=["district", "corporation"],
                    memo=memo,
                ).raise_if_any()
                if new.close_on is not None:
                    _close_errors(case, new).raise_if_any()
            except ValidationError as error:
                self.refused[position] = error
                continue
            if given["reference"]:
                self.block.claim(given["reference"])
            else:
                case.reference = self.block.next(case.registered_on.year)
            self.taken.add(case.reference.upper())
            if new.close_on is not None:
                # The case mirrors its latest status row, as case_close leaves it.
                case.status = Status.CLOSED
                case.closed_on = new.close_on
            yield _Planned(
                case=case,
                categories=list(dict.fromkeys(given["categories"])),
                partners=list(dict.fromkeys(given["partners"])),
                close_on=new.close_on,
                close_reason=new.close_reason,
            )


# case_register's arguments with their defaults: one place says what a registration takes.
_REGISTER_PARAMETERS = {
    name: parameter.default
    for name, parameter in inspect.signature(case_register).parameters.items()
    if name != "by"
}
_NEW_CASE_ARGUMENTS = [
    name for name in inspect.signature(_new_case).parameters if name not in ("by",)
]


_REQUIRED_PARAMETERS = [
    name for name, default in _REGISTER_PARAMETERS.items() if default is inspect.Parameter.empty
]


def _register_arguments(new: NewCase) -> dict:
    unknown = new.register.keys() - _REGISTER_PARAMETERS.keys()
    if unknown:
        raise TypeError(f"case_register has no argument {', '.join(sorted(unknown))}")
    missing = [name for name in _REQUIRED_PARAMETERS if name not in new.register]
    if missing:
        raise TypeError(f"case_register needs {', '.join(missing)}")
    if str(new.register.get("first_melding_text", "")).strip():
        raise TypeError("cases_register_many does not add meldingen (first_melding_text)")
    arguments = {**_REGISTER_PARAMETERS, **new.register}
    arguments["reference"] = arguments["reference"].strip()
    return arguments


def _write_related(batch: list[_Planned], *, by) -> None:
    """The rows that go with a batch of written cases: each table in one INSERT (or as many
    as the database's limit on parameters needs: SQLite)."""
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
    # What other apps keep of the closed cases (the archive data), with their audit rows.
    after_closing: dict[int, list[dict]] = {}
    if closing:
        closed = [
            (change["case_id"], change["effective_on"], change["closing_reason"])
            for change in closing.values()
        ]
        for _receiver, rows in cases_imported.send(sender=Case, closed=closed, by=by):
            for case_id, case_rows in (rows or {}).items():
                after_closing.setdefault(case_id, []).extend(case_rows)

    created = audit_row_maker(AuditAction.CREATE, by=by, model=Case)
    closed_event = audit_row_maker(AuditAction.CLOSE, by=by, model=StatusChange)
    # The content of a closing depends on its date and reason alone: one dict for all the
    # events that have it (bulk.insert_rows encodes it once).
    closing_changes: dict[tuple, dict] = {}

    def events():
        # Made as the COPY asks for them: PostgreSQL takes each while the next is made
        # (no query in here: the connection is busy with the COPY).
        for planned in batch:
            case = planned.case
            yield created(
                object_id=case.pk,
                case_id=case.pk,
                changes=_registration_changes(planned),
            )
            if change := closing.get(id(planned)):
                key = (change["effective_on"], change["closing_reason"])
                changes = closing_changes.get(key)
                if changes is None:
                    changes = closing_changes[key] = _status_change_changes(
                        current_status=Status.OPEN,
                        status=Status.CLOSED,
                        on=change["effective_on"],
                        closing_reason=change["closing_reason"],
                        note="",
                    )
                yield closed_event(object_id=change["id"], case_id=case.pk, changes=changes)
                yield from after_closing.get(case.pk, [])

    count = len(batch) + sum(
        1 + len(after_closing.get(planned.case.pk, ()))
        for planned in batch
        if id(planned) in closing
    )
    record_rows(events(), count=count)


def _registration_changes(planned: _Planned) -> dict:
    if planned.created_changes is None:
        planned.created_changes = _created_changes(
            planned.case, {"categories": planned.categories, "partners": planned.partners}
        )
    return planned.created_changes


def cases_register_many(
    new_cases: Sequence[NewCase], *, by, check_only: bool = False, batch_size: int = BATCH_SIZE
) -> list[Case]:
    """Register (and, where asked, close) many cases: all of them, or none.

    Every case is checked first by the rules of case_register and case_close, in order; when
    any case breaks one, CasesRefused names each and nothing is written. With
    check_only=True nothing is written either way (the unsaved cases are returned).
    Otherwise the cases, their categories and partners, their status rows and the audit
    events (one per registration and one per close, with the content the services record,
    in the caller's audit context) are written in one transaction. Like the services, it
    schedules nothing after commit.

    On PostgreSQL the cases are sent to the database as they pass the checks, in one COPY,
    so that it takes them while the next are checked (the two took turns: a quarter of an
    import's time); after a refused case nothing more is sent, and the transaction is rolled
    back. The rows that go with them follow in batches of `batch_size` cases.
    """
    with transaction.atomic(), one_today():
        checks = _Checks(new_cases, by=by)
        streamed = connection.vendor == "postgresql" and not check_only
        if streamed:
            planned = []
            insert_streamed(Case, _passed_until_refused(checks, planned), count=len(new_cases))
        else:
            planned = list(checks)
        if checks.refused:
            raise CasesRefused(checks.refused)
        if not check_only:
            checks.block.save()
            for start in range(0, len(planned), batch_size):
                batch = planned[start : start + batch_size]
                if not streamed:
                    insert_many(Case, [item.case for item in batch])
                _write_related(batch, by=by)
            if planned:
                case_figures_changed()
                open_cases_changed()
    return [item.case for item in planned]


def _passed_until_refused(checks: _Checks, planned: list) -> Iterator[Case]:
    """The cases that pass the checks, for the COPY, each added to `planned`; after the first
    refused case none, but every case is still checked, so that all refusals are named."""
    for item in checks:
        planned.append(item)
        if not checks.refused:
            yield item.case
    # PostgreSQL is still writing the last cases sent (their indexes take it longer than
    # the checks take Python): meanwhile the audit content of the registrations is made,
    # which the events would otherwise wait for.
    if not checks.refused:
        for item in planned:
            _registration_changes(item)
