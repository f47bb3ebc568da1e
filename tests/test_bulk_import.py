"""The bulk path of the import (services.cases_register_many): the same rows as the services
write one by one, all or nothing for large files, per-year references, and a number of
queries that does not grow with the rows."""

import datetime
import math

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.factories import CaseFactory, casemanager
from woonoverlast.audit.models import AuditEvent, AuditRoute
from woonoverlast.audit.recorder import audit_context
from woonoverlast.cases import services
from woonoverlast.cases.choices import ClosingReason
from woonoverlast.cases.models import Case, ReferenceCounter, StatusChange
from woonoverlast.cases.services.import_files import (
    ImportFailed,
    Lookups,
    import_cases,
    parse_row,
    read_rows,
)

pytestmark = pytest.mark.django_db

D = datetime.date
HEADER = [
    "referentie",
    "wijk",
    "woningtype",
    "geregistreerd_op",
    "afgerond_op",
    "categorie",
    "casemanager",
    "straat",
    "huisnummer",
    "postcode",
    "omschrijving",
]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 6, 15, 12, 0), tick=False):
        yield


def write_csv(tmp_path, rows, name="casussen.csv"):
    path = tmp_path / name
    lines = [";".join(HEADER), *(";".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def row(
    reference="",
    wijk="Centrum",
    housing_type="koop",
    registered="2023-03-01",
    closed="",
    categories="",
    worker="",
    street="",
    number="",
    postcode="",
    description="",
):
    return [
        reference,
        wijk,
        housing_type,
        registered,
        closed,
        categories,
        worker,
        street,
        number,
        postcode,
        description,
    ]


def import_row_by_row(path, *, by):
    """The import as it was before the bulk path: the services, one row at a time."""
    lookups = Lookups()
    cases = []
    with audit_context(route=AuditRoute.IMPORT), transaction.atomic():
        for number, values in read_rows(path):
            parsed = parse_row(number, values, lookups)
            assert not parsed.problems
            case = services.case_register(**parsed.register, by=by)
            if parsed.closed_on:
                services.case_close(case, on=parsed.closed_on, reason=ClosingReason.OTHER, by=by)
            cases.append(case)
    return cases


def stored_rows(cases) -> dict:
    from woonoverlast.archiving.models import CaseArchive

    """Everything the import wrote for these cases, without ids and timestamps."""
    pks = [case.pk for case in cases]
    reference_of = dict(Case.objects.filter(pk__in=pks).values_list("pk", "reference"))
    skip = {"id", "created_at", "updated_at"}
    case_rows = [
        {
            field.attname: getattr(case, field.attname)
            for field in Case._meta.concrete_fields
            if field.attname not in skip
        }
        | {
            "categories": sorted(case.categories.values_list("code", flat=True)),
            "partners": sorted(case.partners.values_list("pk", flat=True)),
        }
        for case in Case.objects.filter(pk__in=pks).order_by("reference")
    ]
    status_rows = [
        {
            field.attname: getattr(change, field.attname)
            for field in StatusChange._meta.concrete_fields
            if field.attname not in skip
        }
        | {"case_id": reference_of[change.case_id]}
        for change in StatusChange.objects.filter(case__in=pks).order_by(
            "case__reference", "effective_on", "id"
        )
    ]
    status_of = {
        str(change.pk): (reference_of[change.case_id], change.status)
        for change in StatusChange.objects.filter(case__in=pks)
    }
    events = [
        {
            "action": event.action,
            "route": event.route,
            "actor_id": event.actor_id,
            "actor_name": event.actor_name,
            "object_type": event.object_type,
            # The object by what it is, not by its id.
            "object": reference_of.get(int(event.object_id))
            if event.object_type in ("casus", CaseArchive._meta.verbose_name)
            else status_of[event.object_id],
            "case": reference_of[event.case_id],
            "changes": event.changes,
            "path": event.path,
            "ip_address": event.ip_address,
        }
        # The archive data of a closed case (woonoverlast.archiving) included: the import
        # writes them with the case, as the status services do.
        for event in AuditEvent.objects.filter(case__in=pks).order_by("id")
    ]
    archive_rows = [
        {
            field.attname: getattr(archive, field.attname)
            for field in CaseArchive._meta.concrete_fields
            if field.attname not in skip
        }
        | {"case_id": reference_of[archive.case_id]}
        for archive in CaseArchive.objects.filter(case__in=pks).order_by("case__reference")
    ]
    return {"cases": case_rows, "status": status_rows, "audit": events, "archive": archive_rows}


def counters():
    return dict(ReferenceCounter.objects.values_list("year", "last_number"))


class TestSameRowsAsTheServices:
    def test_open_and_closed_rows_with_every_column(self, tmp_path):
        worker = casemanager(username="sdevries")
        CaseFactory(registered_on=D(2023, 1, 5))  # the counter of 2023 does not start at 0
        path = write_csv(
            tmp_path,
            [
                row(categories="geluidsoverlast, verzamelwoede", worker="sdevries"),
                row(
                    "WO-2023-0040",
                    "Meerzicht",
                    "corporatie",
                    "01-02-2023",
                    "2023-12-31",
                    street="Dorpsstraat",
                    number="12a",
                    postcode="2711ab",
                    description=" Overlast ",
                ),
                row(registered="2023-05-01", closed="2023-05-01", categories="overig|overig"),
                row("IMP-1", "Buytenwegh", "particulier", "2022-07-01", "2024-06-15"),
                row(registered="2022-01-01", worker="SDEVRIES"),
            ],
        )

        with transaction.atomic():
            expected = stored_rows(import_row_by_row(path, by=worker))
            expected_counters = counters()
            transaction.set_rollback(True)
        imported = import_cases(path, by=worker)

        assert stored_rows(imported) == expected
        assert counters() == expected_counters
        # Spot checks, so that an empty comparison cannot pass.
        assert [c["reference"] for c in expected["cases"]] == [
            "IMP-1",
            "WO-2022-0001",
            "WO-2023-0002",
            "WO-2023-0040",
            "WO-2023-0041",
        ]
        assert len(expected["status"]) == 8
        assert [e["action"] for e in expected["audit"]].count("close") == 3
        assert [a["case_id"] for a in expected["archive"]] == [
            "IMP-1",
            "WO-2023-0040",
            "WO-2023-0041",
        ]
        assert expected["archive"][0]["archiefactiedatum"] == D(2029, 6, 15)  # 6.1: 5 years

    def test_the_returned_cases_are_saved_and_mirror_their_status(self, tmp_path):
        path = write_csv(tmp_path, [row(), row(closed="2023-04-01")])
        open_case, closed_case = import_cases(path)
        assert (open_case.pk, open_case.status, open_case.closed_on) == (
            Case.objects.get(reference=open_case.reference).pk,
            "open",
            None,
        )
        assert (closed_case.status, closed_case.closed_on, closed_case.version) == (
            "closed",
            D(2023, 4, 1),
            1,
        )


class TestReferences:
    def test_generated_references_continue_each_year_after_existing_cases(self, tmp_path):
        for registered in (D(2022, 2, 1), D(2022, 3, 1), D(2023, 3, 1)):
            CaseFactory(registered_on=registered)
        path = write_csv(
            tmp_path,
            [
                row(registered="2021-05-01"),
                row(registered="2022-05-01"),
                row(registered="2023-05-01"),
                row("WO-2023-0050", registered="2023-05-02"),
                row(registered="2023-05-03"),
                row(registered="2022-05-04"),
                row("WO-2019-0007", registered="2023-05-05"),
            ],
        )
        imported = import_cases(path)
        assert [case.reference for case in imported] == [
            "WO-2021-0001",
            "WO-2022-0003",
            "WO-2023-0002",
            "WO-2023-0050",
            "WO-2023-0051",
            "WO-2022-0004",
            "WO-2019-0007",
        ]
        assert counters() == {2019: 7, 2021: 1, 2022: 4, 2023: 51}
        # And the services number on from there.
        assert CaseFactory(registered_on=D(2023, 6, 1)).reference == "WO-2023-0052"

    def test_a_reference_generated_for_an_earlier_row_is_taken(self, tmp_path):
        path = write_csv(
            tmp_path, [row(registered="2022-05-01"), row("wo-2022-0001", registered="2022-05-02")]
        )
        with pytest.raises(ImportFailed) as failed:
            import_cases(path)
        assert [str(p) for p in failed.value.problems] == [
            "Rij 3: referentie: Referentie wo-2022-0001 bestaat al."
        ]
        assert not Case.objects.exists()

    def test_an_existing_reference_in_another_case(self, tmp_path):
        CaseFactory(reference="Oud-17")
        path = write_csv(tmp_path, [row("OUD-17"), row("oud-18")])
        with pytest.raises(ImportFailed) as failed:
            import_cases(path)
        assert [str(p) for p in failed.value.problems] == [
            "Rij 2: referentie: Referentie OUD-17 bestaat al."
        ]


class TestAllOrNothing:
    # In the middle, and last: on PostgreSQL the cases go to the COPY as they pass the
    # checks, so all but the last had been sent when the last was refused.
    @pytest.mark.parametrize(("rows", "bad"), [(3000, 1500), (2000, 1999)])
    def test_a_bad_row_in_a_large_file_imports_nothing(self, tmp_path, rows, bad):
        lines = [row(registered="2023-03-01", closed="2023-04-01") for _ in range(rows)]
        lines[bad] = row(registered="2023-03-01", closed="2023-02-01")
        path = write_csv(tmp_path, lines)
        before = counters()
        with pytest.raises(ImportFailed) as failed:
            import_cases(path)
        assert [str(p) for p in failed.value.problems] == [
            f"Rij {bad + 2}: afgerond_op: De datum mag niet voor de registratiedatum "
            "(01-03-2023) liggen."
        ]
        assert not Case.objects.exists()
        assert not StatusChange.objects.exists()
        assert not AuditEvent.objects.exists()
        assert counters() == before

    def test_parse_and_rule_problems_are_reported_in_row_order(self, tmp_path):
        path = write_csv(
            tmp_path,
            [
                row(postcode="12"),
                row(wijk="Nergens"),
                row(),
                row(registered="2024-06-16"),
            ],
        )
        with pytest.raises(ImportFailed) as failed:
            import_cases(path)
        assert [p.row for p in failed.value.problems] == [2, 3, 5]
        assert not Case.objects.exists()

    def test_check_only_writes_nothing_at_all(self, tmp_path):
        path = write_csv(tmp_path, [row(), row("WO-2023-0009", closed="2023-05-01")])
        assert len(import_cases(path, commit=False)) == 2
        assert not Case.objects.exists()
        assert not StatusChange.objects.exists()
        assert not AuditEvent.objects.exists()
        assert counters() == {}


class TestQueries:
    def queries(self, tmp_path, rows: int, by) -> list[str]:
        path = write_csv(
            tmp_path,
            [
                row(
                    f"WO-2022-{n + 1:04d}" if n % 4 == 0 else "",
                    registered=f"2023-03-{n % 28 + 1:02d}",
                    closed="2023-05-01" if n % 2 else "",
                    categories="geluidsoverlast",
                    worker=by.username,
                )
                for n in range(rows)
            ],
            name=f"c{rows}.csv",
        )
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            assert len(import_cases(path, by=by)) == rows
            transaction.set_rollback(True)
        return [query["sql"] for query in captured.captured_queries]

    def test_the_number_of_queries_does_not_grow_with_the_rows(self, tmp_path):
        worker = casemanager()
        few, many = self.queries(tmp_path, 10, worker), self.queries(tmp_path, 500, worker)

        def inserts(queries):
            return [q for q in queries if q.lstrip().upper().startswith("INSERT")]

        def others(queries):
            return [q for q in queries if q not in inserts(queries)]

        assert len(others(many)) == len(others(few))
        if connection.features.max_query_params is None:  # PostgreSQL: one INSERT per table
            assert len(many) == len(few)
        else:
            # SQLite splits an INSERT at 999 parameters: a few per table, never one per row.
            assert len(inserts(many)) <= 6 * math.ceil(500 * 20 / 999)


def test_a_case_without_a_wijk_is_refused_not_a_database_error():
    refused_case = services.NewCase(
        register={"district": None, "housing_type": "koop", "registered_on": D(2023, 3, 1)}
    )
    undated_case = services.NewCase(
        register={"district": None, "housing_type": "koop", "registered_on": None}
    )
    with pytest.raises(services.CasesRefused) as excinfo:
        services.cases_register_many([refused_case, undated_case], by=None)
    errors = excinfo.value.errors
    assert "district" in errors[0].message_dict
    assert {"district", "registered_on"} <= set(errors[1].message_dict)
    assert not Case.objects.exists()


class TestArchiveData:
    """Issue 25: a case imported closed gets its resultaat and archive dates at the import,
    as case_close gives them, not only from the backfill before a vernietigingslijst."""

    def test_closed_cases_get_them_in_the_import_and_the_backfill_has_nothing_left(self):
        from woonoverlast.archiving.models import CaseArchive
        from woonoverlast.archiving.services import cases_archive_backfill
        from woonoverlast.cases.models import District

        district = District.objects.first()

        def new(n, **close):
            return services.NewCase(
                register={
                    "district": district,
                    "housing_type": "koop",
                    "registered_on": D(2020, 1, 1) + datetime.timedelta(days=n),
                },
                **close,
            )

        handled, not_taken_up, open_case = services.cases_register_many(
            [
                new(1, close_on=D(2020, 2, 29)),
                new(2, close_on=D(2020, 3, 1), close_reason=ClosingReason.NO_NUISANCE),
                new(3),
            ],
            by=None,
        )
        archives = {
            archive.case_id: archive
            for archive in CaseArchive.objects.select_related("result_type")
        }
        assert set(archives) == {handled.pk, not_taken_up.pk}
        first, second = archives[handled.pk], archives[not_taken_up.pk]
        assert (first.result_type.number, first.brondatum, first.archiefactiedatum) == (
            "6.1",
            D(2020, 2, 29),
            D(2025, 2, 28),  # five years on, from 29 February
        )
        assert (second.result_type.number, second.archiefactiedatum) == ("6.2", D(2021, 3, 1))
        assert {first.archiefnominatie, second.archiefnominatie} == {"vernietigen"}
        assert cases_archive_backfill() == 0
        # In the audit log with each case, as the services record it.
        assert AuditEvent.objects.filter(
            case=handled, object_type=CaseArchive._meta.verbose_name
        ).exists()
        assert not AuditEvent.objects.filter(
            case=open_case, object_type=CaseArchive._meta.verbose_name
        ).exists()

    def test_the_import_adds_one_insert_for_them_not_one_per_case(self):
        from woonoverlast.cases.models import District

        district = District.objects.first()

        def run(count):
            new_cases = [
                services.NewCase(
                    register={
                        "district": district,
                        "housing_type": "koop",
                        "registered_on": D(2021, 1, 1),
                    },
                    close_on=D(2021, 2, 1),
                )
                for _ in range(count)
            ]
            with CaptureQueriesContext(connection) as queries:
                services.cases_register_many(new_cases, by=None)
            return [query["sql"] for query in queries.captured_queries]

        def archive_queries(queries):
            return [q for q in queries if "archiving_" in q]

        one, many = run(1), run(20)
        assert len(one) == len(many)
        # The two resultaten read once each, and the rows in one INSERT; on PostgreSQL that
        # is a COPY, which the captured queries do not show.
        pinned = 2 if connection.vendor == "postgresql" else 3
        assert len(archive_queries(one)) == len(archive_queries(many)) == pinned

    @pytest.mark.parametrize("keep_handled", [False, True], ids=["destroy", "keep"])
    def test_they_equal_what_the_single_case_path_gives_per_resultaat_and_boundary_day(
        self, keep_handled
    ):
        """For every resultaat the import derives (6.1, 6.2, and 6.1 set to blijvend bewaren
        in the admin), closed on the last and the first day of a year and on 29 February:
        the same archive row and audit content as case_register + case_close give, although
        the import works them out once per closing day and resultaat."""
        from woonoverlast.archiving.models import CaseArchive, ResultType
        from woonoverlast.cases.models import District

        if keep_handled:
            ResultType.objects.filter(number="6.1").update(
                waardering="blijvend_bewaren", term_years=None
            )
        district = District.objects.first()
        closings = [
            (day, reason)
            for day in (D(2022, 12, 31), D(2023, 1, 1), D(2020, 2, 29))
            for reason in (ClosingReason.OTHER, ClosingReason.NO_NUISANCE)
        ]
        # Twice each: the second case of a day and resultaat shares the first one's values.
        closings += closings

        def archive_and_events(cases):
            archives = {
                archive.case_id: archive
                for archive in CaseArchive.objects.filter(case__in=cases).select_related(
                    "result_type"
                )
            }
            result = []
            for case in cases:
                archive = archives[case.pk]
                events = AuditEvent.objects.filter(
                    case=case, object_type=CaseArchive._meta.verbose_name
                )
                result.append(
                    (
                        archive.result_type.number,
                        archive.brondatum,
                        archive.archiefactiedatum,
                        archive.archiefnominatie,
                        archive.result_reason,
                        archive.result_chosen_by_id,
                        [
                            (e.action, e.route, e.object_id == str(case.pk), e.changes)
                            for e in events
                        ],
                    )
                )
            return result

        with transaction.atomic():
            single = []
            for day, reason in closings:
                case = services.case_register(
                    district=district, housing_type="koop", registered_on=D(2020, 1, 1), by=None
                )
                services.case_close(case, on=day, reason=reason, by=None)
                single.append(case)
            expected = archive_and_events(single)
            transaction.set_rollback(True)

        imported = services.cases_register_many(
            [
                services.NewCase(
                    register={
                        "district": district,
                        "housing_type": "koop",
                        "registered_on": D(2020, 1, 1),
                    },
                    close_on=day,
                    close_reason=reason,
                )
                for day, reason in closings
            ],
            by=None,
        )

        assert archive_and_events(imported) == expected
        # Spot checks, so that an equal pair of wrong answers cannot pass.
        by_closing = dict(zip(closings, expected, strict=False))
        handled_31_12 = by_closing[(D(2022, 12, 31), ClosingReason.OTHER)]
        not_taken_up_01_01 = by_closing[(D(2023, 1, 1), ClosingReason.NO_NUISANCE)]
        leap_day = by_closing[(D(2020, 2, 29), ClosingReason.NO_NUISANCE)]
        assert not_taken_up_01_01[:4] == ("6.2", D(2023, 1, 1), D(2024, 1, 1), "vernietigen")
        assert leap_day[:4] == ("6.2", D(2020, 2, 29), D(2021, 2, 28), "vernietigen")
        if keep_handled:
            assert handled_31_12[:4] == ("6.1", D(2022, 12, 31), None, "blijvend_bewaren")
        else:
            assert handled_31_12[:4] == ("6.1", D(2022, 12, 31), D(2027, 12, 31), "vernietigen")
        assert [len(row[-1]) for row in expected] == [1] * len(closings)
