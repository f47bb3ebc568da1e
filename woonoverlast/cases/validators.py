import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator

# A case reference: no slashes, spaces or other odd characters, since it is part of the
# case's URL (the URL converter in urls.py uses the same pattern).
REFERENCE_REGEX = r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}"

# Free text (descriptions, notes, findings): room for a long account, not a pasted document.
FREE_TEXT_MAX_LENGTH = 10_000
# On the models' free-text fields, so that every service enforces them (a NUL character cannot
# be stored in PostgreSQL at all); the forms and the importer say it earlier in their words.
FREE_TEXT_VALIDATORS = [
    MaxLengthValidator(FREE_TEXT_MAX_LENGTH),
    ProhibitNullCharactersValidator(),
]

# Four digits not starting with 0, then two letters; SA, SD and SS are never issued.
_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
_UNUSED_LETTERS = {"SA", "SD", "SS"}


def normalize_postcode(value: str) -> str:
    """'2711ab' -> '2711 AB'. Raises ValidationError when it is not a Dutch postcode."""
    match = _POSTCODE.match(value.strip().upper())
    if not match or match.group(2) in _UNUSED_LETTERS:
        raise ValidationError(
            "Vul een geldige Nederlandse postcode in, bijvoorbeeld 2711 AB.", code="postcode"
        )
    return f"{match.group(1)} {match.group(2)}"


def validate_postcode(value: str) -> None:
    if value:
        normalize_postcode(value)


_HOUSE_NUMBER_ADDITION = re.compile(r"^[A-Za-z0-9]{1,6}$")


def validate_house_number_addition(value: str) -> None:
    if value and not _HOUSE_NUMBER_ADDITION.match(value):
        raise ValidationError(
            "Een toevoeging bestaat uit hoogstens 6 letters of cijfers, bijvoorbeeld A of 2.",
            code="house_number_addition",
        )
