"""Melding references: MLD-<year>-<five digits>, numbered per year of receipt."""

from woonoverlast.cases.services.references import locked_counters

from ..models import IntakeReferenceCounter


def format_incoming_reference(year: int, number: int) -> str:
    return f"MLD-{year}-{number:05d}"


def incoming_reference_next(year: int) -> str:
    """The next reference of `year`, race-safe (the counter row is locked). Callers hold a
    transaction."""
    counter = locked_counters(IntakeReferenceCounter, [year])[year]
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return format_incoming_reference(year, counter.last_number)
