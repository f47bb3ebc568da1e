"""The layout of the live overview (reports:overview): the figures of reports.overview as the
rows, cells and links its template shows. Every number links to the case list filtered to
exactly those cases, for the roles that may see cases (`with_links`); the rapportage role
gets the same numbers without links."""

import datetime

from woonoverlast.cases.filters import list_url

from . import charts, overview, tabel51


def _url(with_links: bool, params: dict) -> str | None:
    return list_url(**params) if with_links else None


def _grid(block: overview.Grid, *, with_links: bool) -> list[dict]:
    """Each row of a grid with its cells and total, every number with its case-list link."""
    return [
        {
            "row": row,
            "cells": [
                (value, _url(with_links, {**row.params, **column.params}))
                for column, value in zip(block.columns, row.cells, strict=True)
            ],
            "total": (row.total, _url(with_links, row.params)),
        }
        for row in block.all_rows
    ]


def _action_rows(actions: overview.ActionMonths, *, today: datetime.date, with_links: bool):
    """Per action type: (label, [(count, link) per month], (total, link))."""
    rows = []
    for action_type, counts in actions.rows:
        months = [
            (
                n,
                _url(
                    with_links,
                    {
                        "actie_soort": action_type.value,
                        "actie_van": month,
                        "actie_tot": overview.month_end(month),
                    },
                ),
            )
            for month, n in zip(actions.months, counts, strict=True)
        ]
        total = (
            sum(counts),
            _url(
                with_links,
                {
                    "actie_soort": action_type.value,
                    "actie_van": actions.months[0],
                    "actie_tot": today,
                },
            ),
        )
        rows.append((action_type.label, months, total))
    return rows


def overview_page_context(*, today: datetime.date, with_links: bool, with_names: bool) -> dict:
    """The template context of the overview on `today`. `with_names`: the rows per
    casemanager (can_see_staff_workload); without it the team's total row only."""
    districts = tabel51.districts_in_order()
    counted = overview.count_open_cases(today)
    open_now = overview.open_by_district(districts, counted)
    ages = overview.open_by_age(districts, counted)
    stale = overview.stale_by_district(districts, counted)
    per_casemanager = overview.by_casemanager(counted)
    actions = overview.actions_per_month(today)
    chart = charts.stacked_bars(
        chart_id="grafiek-open-per-wijk",
        title="Open casussen per wijk en woningtype",
        series=[column.label for column in open_now.columns],
        rows=[(row.name, row.cells) for row in open_now.rows],
    )
    return {
        "today": today,
        "with_links": with_links,
        "open_now": open_now,
        "open_rows": _grid(open_now, with_links=with_links),
        "chart": chart,
        "ages": ages,
        "age_rows": _grid(ages, with_links=with_links),
        "stale": stale,
        "stale_rows": _grid(stale, with_links=with_links),
        "stale_since": counted.stale_since,
        "stale_days": counted.stale_days,
        "per_casemanager": per_casemanager,
        "casemanager_rows": [
            {
                **item,
                "stale": (
                    per_casemanager.stale_of(item["row"]),
                    _url(
                        with_links,
                        {**item["row"].params, "geen_actie_sinds": per_casemanager.stale_since},
                    ),
                ),
            }
            for item in _grid(per_casemanager, with_links=with_links)
            if with_names or item["row"].is_total
        ],
        "with_names": with_names,
        "actions": actions,
        "action_rows": _action_rows(actions, today=today, with_links=with_links),
        "action_totals": [
            (n, _url(with_links, {"actie_van": month, "actie_tot": overview.month_end(month)}))
            for month, n in zip(actions.months, actions.totals, strict=True)
        ],
        "action_grand_total": (
            sum(actions.totals),
            _url(with_links, {"actie_van": actions.months[0], "actie_tot": today}),
        ),
    }
