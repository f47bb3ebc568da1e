"""The clock, date formatting and the collection of Dutch validation errors the services share."""

import contextlib
import datetime
import functools
from contextvars import ContextVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone

_fixed_today: ContextVar[datetime.date | None] = ContextVar("fixed_today", default=None)


def today() -> datetime.date:
    """Today in the municipality's time zone."""
    return _fixed_today.get() or timezone.localdate()


@contextlib.contextmanager
def one_today():
    """Inside, today() gives one date: a bulk check asks it for every row, and a run that
    passes midnight still judges every row by the same day."""
    token = _fixed_today.set(today())
    try:
        yield
    finally:
        _fixed_today.reset(token)


def format_date(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


class Errors:
    """Collects errors per argument name and raises them together."""

    def __init__(self):
        self._errors: dict[str, list] = {}

    def add(self, field: str | None, message: str, code: str = "invalid") -> None:
        key = field or NON_FIELD_ERRORS
        self._errors.setdefault(key, []).append(ValidationError(message, code=code))

    def merge(self, error: ValidationError, rename: dict[str, str] | None = None) -> None:
        rename = rename or {}
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                key = rename.get(field, field)
                self._errors.setdefault(key, []).extend(errors)
        else:
            self._errors.setdefault(NON_FIELD_ERRORS, []).extend(error.error_list)

    def check_not_in_future(self, field: str, value: datetime.date | None) -> None:
        if value and value > today():
            self.add(field, "De datum mag niet in de toekomst liggen.", code="future")

    def check_not_before_registration(
        self, field: str, value: datetime.date | None, registered_on: datetime.date | None
    ) -> None:
        """The one date rule of everything that happens on a case (a status change, an
        action, a huisbezoek, a melding): not before the case was registered."""
        if value and registered_on and value < registered_on:
            self.add(
                field,
                f"De datum mag niet voor de registratiedatum ({format_date(registered_on)}) "
                "liggen.",
                code="before_registration",
            )

    def check_case_date(
        self, field: str, value: datetime.date | None, registered_on: datetime.date | None
    ) -> bool:
        """Both date rules of an event on a case: not in the future, not before registration.
        True when the date passed both."""
        count = sum(len(errors) for errors in self._errors.values())
        self.check_not_in_future(field, value)
        self.check_not_before_registration(field, value, registered_on)
        return count == sum(len(errors) for errors in self._errors.values())

    def model(self, instance: models.Model, *, exclude=(), rename=None, memo=None) -> None:
        """Run the model's field validation (required, lengths, choices, validators).

        Uniqueness and check constraints are checked by the services in Dutch and enforced by
        the database as the backstop, so they are not repeated here in Django's words.

        `memo` (a dict the caller keeps) lets a caller that validates many instances, the bulk
        import, validate each value of a field once: the same checks as `full_clean`, in
        the same order, with each field's outcome remembered per value. Only fields whose
        validation depends on their value alone are remembered (not relations).
        """
        if memo is None:
            try:
                instance.full_clean(
                    exclude=list(exclude), validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                self.merge(error, rename)
            return
        found = {}
        for field, name, attname, blank, empty_values, is_relation in _checked_fields(
            instance._meta, tuple(exclude)
        ):
            raw = getattr(instance, attname)
            if blank and raw in empty_values:
                continue
            if is_relation:
                outcome = _clean(field, raw, instance)
            else:
                key = (name, raw)
                outcome = memo.get(key)
                if outcome is None:
                    outcome = memo[key] = _clean(field, raw, instance)
            ok, value = outcome
            if not ok:
                found[name] = value
            elif value is not raw:  # the same object back: setting it again changes nothing
                setattr(instance, attname, value)
        try:
            instance.clean()
        except ValidationError as error:
            found = error.update_error_dict(found)
        if found:
            self.merge(ValidationError(found), rename)

    def field(self, model, name: str, value, *, argument: str | None = None) -> None:
        """Run one model field's validation on a value that is not on an instance."""
        try:
            model._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            self._errors.setdefault(argument or name, []).extend(error.error_list)

    def raise_if_any(self) -> None:
        if self._errors:
            raise ValidationError(self._errors)


@functools.cache
def _checked_fields(meta, exclude: tuple) -> tuple:
    """The fields Errors.model checks on an instance of this model, each with what the
    check reads of it, looked up once (the bulk import checks every row's case)."""
    return tuple(
        (field, field.name, field.attname, field.blank, field.empty_values, field.is_relation)
        for field in meta.fields
        if field.name not in exclude and not field.generated
    )


def _clean(field, raw, instance) -> tuple[bool, object]:
    """(True, the cleaned value) or (False, the field's errors)."""
    try:
        return True, field.clean(raw, instance)
    except ValidationError as error:
        return False, error.error_list
