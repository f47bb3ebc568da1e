"""Small helpers the services share to collect and raise Dutch validation errors."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone


def today() -> datetime.date:
    """Today in the municipality's time zone."""
    return timezone.localdate()


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

    def model(self, instance: models.Model, *, exclude=(), rename=None) -> None:
        """Run the model's field validation (required, lengths, choices, validators).

        Uniqueness and check constraints are checked by the services in Dutch and enforced by
        the database as the backstop, so they are not repeated here in Django's words.
        """
        try:
            instance.full_clean(
                exclude=list(exclude), validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self.merge(error, rename)

    def field(self, model, name: str, value, *, argument: str | None = None) -> None:
        """Run one model field's validation on a value that is not on an instance."""
        try:
            model._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            self._errors.setdefault(argument or name, []).extend(error.error_list)

    def raise_if_any(self) -> None:
        if self._errors:
            raise ValidationError(self._errors)


def check_case_write(case, by) -> None:
    """Refuse a write to `case` by a user who may not write to it (accounts.roles: the
    closed-case rule). `by=None` is the system itself (import, demo data, jobs)."""
    from woonoverlast.accounts.roles import can_write_case

    if by is not None and not can_write_case(by, case):
        raise PermissionDenied("U mag deze afgeronde casus niet wijzigen.")
