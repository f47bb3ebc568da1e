"""Cursor pagination of the case list: stable pages however many cases are added meanwhile,
and no OFFSET that grows with the page number (docs/performance.md)."""

from rest_framework import serializers
from rest_framework.pagination import CursorPagination

# sorteer -> the ordering the cursor walks. The first field places the cursor, so it must be
# a column of the case itself, never empty; registered_on repeats (a day's cases), which the
# cursor handles with a small offset within the day.
SORTS = {
    "-geregistreerd": ("-registered_on", "-id"),
    "geregistreerd": ("registered_on", "id"),
    "-referentie": ("-reference",),
    "referentie": ("reference",),
}
DEFAULT_SORT = "-geregistreerd"


class CaseCursorPagination(CursorPagination):
    page_size = 25
    page_size_query_param = "aantal"
    max_page_size = 100
    page_size_query_description = "Aantal casussen per pagina (standaard 25, hoogstens 100)."
    cursor_query_description = "De cursor uit `next` of `previous` van het vorige antwoord."
    ordering = SORTS[DEFAULT_SORT]

    def get_ordering(self, request, queryset, view):
        sort = request.query_params.get("sorteer") or DEFAULT_SORT
        if sort not in SORTS:
            raise serializers.ValidationError(
                {
                    "sorteer": [
                        "In de API kan alleen gesorteerd worden op "
                        + ", ".join(SORTS)
                        + " (de andere sorteringen van het scherm passen niet bij een cursor)."
                    ]
                }
            )
        return SORTS[sort]
