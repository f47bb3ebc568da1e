"""Print EXPLAIN ANALYZE of the queries the benchmark times, as the app builds them.

    python -m bench.explain
    python -m bench.explain --pages [--slower-than 5]

Tabel 5.1 of last year, the live overview's open-cases block, and the case list (count and
page 1) for each of the benchmark's filters, on the benchmark database. With --pages: for
each daily page of the benchmark (bench.run.DAILY_PAGES), the plan of every query it runs
that takes longer than --slower-than milliseconds.
"""

import argparse
import datetime

from bench import setup_django


def explain(title: str, queryset) -> None:
    print(f"\n### {title}\n")
    print("```")
    print(queryset.explain(analyze=True, buffers=True))
    print("```")


def explain_pages(slower_than_ms: float) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.run import DAILY_PAGES, _client_as

    for label, role, name, kwargs in DAILY_PAGES:
        client = _client_as(role)
        url = reverse(name, kwargs=kwargs)
        client.get(url)  # warm, as the timed runs are
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        slow = [q for q in queries.captured_queries if float(q["time"]) * 1000 > slower_than_ms]
        print(f"\n## {label} ({url}): {len(queries)} queries, {len(slow)} over {slower_than_ms} ms")
        for query in slow:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\n```\n{query['sql'][:300]}...\n\n{plan}\n```")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", action="store_true", help="the daily pages' slow queries")
    parser.add_argument("--slower-than", type=float, default=5.0, help="milliseconds")
    args = parser.parse_args()
    setup_django()
    if args.pages:
        explain_pages(args.slower_than)
        return

    from bench.run import list_filters, list_filterset
    from reports import tabel51
    from woonoverlast.cases.models import Case
    from woonoverlast.cases.views.lists import PAGE_SIZE
    from woonoverlast.common.pagination import LongListPaginator

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
        # The deepest page as the list reads it (woonoverlast.common.pagination): a capped list
        # from the front, otherwise from the end.
        if paginator.capped:
            offset = (paginator.num_pages - 1) * PAGE_SIZE
            deepest = filterset.qs[offset : offset + PAGE_SIZE]
        else:
            deepest = filterset.qs.reverse()[: (paginator.count - 1) % PAGE_SIZE + 1]
        explain(f"Case list '{name}': deepest page ({paginator.num_pages})", deepest)


if __name__ == "__main__":
    main()
