"""Print EXPLAIN ANALYZE of the queries the benchmark times, as the app builds them.

    python -m bench.explain

Tabel 5.1 of last year, the live overview's open-cases block, and the case list (count and
page 1) for each of the benchmark's filters, on the benchmark database.
"""

import datetime
from urllib.parse import urlencode

from bench import setup_django


def explain(title: str, queryset) -> None:
    print(f"\n### {title}\n")
    print("```")
    print(queryset.explain(analyze=True, buffers=True))
    print("```")


def main():
    setup_django()
    from django.db.models import Count, Q
    from django.http import QueryDict

    from bench.run import list_filters
    from reports import tabel51
    from woonoverlast.cases.filters import CaseFilter
    from woonoverlast.cases.models import Case
    from woonoverlast.cases.views.lists import PAGE_SIZE

    year = datetime.date.today().year - 1
    first, last = tabel51.registration_window(year, tabel51.default_as_of(year))
    cases = Case.objects.registered_between(first, last).with_status_on(tabel51.default_as_of(year))
    # The same queryset as reports.tabel51._grouped.
    grouped = (
        cases.order_by()
        .values("district_id", "housing_type")
        .annotate(
            lopend=Count("pk", filter=Q(status_on="open")),
            afgerond=Count("pk", filter=Q(status_on="closed")),
        )
    )
    explain(f"Tabel 5.1 {year} (grouped with the status on 31-12-{year})", grouped)
    explain(
        "Live overview: open cases per wijk x housing type",
        Case.objects.open()
        .order_by()
        .values("district_id", "housing_type")
        .annotate(n=Count("pk")),
    )
    for name, params in list_filters().items():
        filterset = CaseFilter(QueryDict(urlencode(params)), queryset=Case.objects.for_list())
        assert filterset.is_valid()
        total = filterset.qs.count()
        explain(f"Case list '{name}' ({total:,} cases): page 1", filterset.qs[:PAGE_SIZE])
        # The last page as the list reads it: from the end (woonoverlast.cases.pagination).
        last = (total - 1) % PAGE_SIZE + 1
        explain(
            f"Case list '{name}': last page, read from the end",
            filterset.qs.reverse()[:last],
        )


if __name__ == "__main__":
    main()
