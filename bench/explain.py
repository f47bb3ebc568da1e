"""Print EXPLAIN ANALYZE of the queries the benchmark times, as the app builds them.

    python -m bench.explain

Tabel 5.1 of last year, the live overview's open-cases block, and the case list (count and
page 1) for each of the benchmark's filters, on the benchmark database.
"""

import datetime

from bench import setup_django


def explain(title: str, queryset) -> None:
    print(f"\n### {title}\n")
    print("```")
    print(queryset.explain(analyze=True, buffers=True))
    print("```")


def main():
    setup_django()

    from bench.run import list_filters, list_filterset
    from reports import tabel51
    from woonoverlast.cases.models import Case
    from woonoverlast.cases.pagination import LongListPaginator
    from woonoverlast.cases.views.lists import PAGE_SIZE

    year = datetime.date.today().year - 1
    first, last = tabel51.registration_window(year, tabel51.default_as_of(year))
    cases = Case.objects.registered_between(first, last).with_status_on(tabel51.default_as_of(year))
    explain(
        f"Tabel 5.1 {year} (grouped with the status on 31-12-{year})",
        tabel51.grouped_query(cases),
    )
    explain(
        "Live overview: open cases per wijk x housing type",
        Case.objects.open().count_by_district_and_housing_type(),
    )
    for name, params in list_filters().items():
        filterset = list_filterset(params, Case.objects.for_list())
        assert filterset.is_valid()
        paginator = LongListPaginator(filterset.qs, PAGE_SIZE)
        size = f"over {paginator.count_cap:,}" if paginator.capped else f"{paginator.count:,}"
        explain(f"Case list '{name}' ({size} cases): page 1", filterset.qs[:PAGE_SIZE])
        # The deepest page as the list reads it (woonoverlast.cases.pagination): a capped list
        # from the front, otherwise from the end.
        if paginator.capped:
            offset = (paginator.num_pages - 1) * PAGE_SIZE
            deepest = filterset.qs[offset : offset + PAGE_SIZE]
        else:
            deepest = filterset.qs.reverse()[: (paginator.count - 1) % PAGE_SIZE + 1]
        explain(f"Case list '{name}': deepest page ({paginator.num_pages})", deepest)


if __name__ == "__main__":
    main()
