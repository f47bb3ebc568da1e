"""What anonymised personal data looks like, and the condition for rows that still hold some.

The bewaartermijn (services/retention.py) selects and updates with these, and the models'
partial indexes use the same conditions, so the daily job reads only rows that still hold
personal data.
"""

from django.db.models import Q

REMOVED = "[verwijderd na bewaartermijn]"


def holds_personal_data(anonymised: dict) -> Q:
    """Rows with at least one of the fields of `anonymised` (field -> its anonymised value)
    not (yet) at its anonymised value."""
    condition = Q()
    for field, removed in anonymised.items():
        condition |= Q(**{f"{field}__isnull": False}) if removed is None else ~Q(**{field: removed})
    return condition
