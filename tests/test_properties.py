"""Property-based tests (hypothesis): the status rules and the import hold for any input."""

import datetime
import itertools
import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CaseFactory
from woonoverlast.cases import services
from woonoverlast.cases.choices import ClosingReason, Status
from woonoverlast.cases.models import Case
from woonoverlast.cases.services.import_files import ImportFailed, import_cases, parse_date

pytestmark = pytest.mark.django_db
D = datetime.date
REGISTERED = D(2023, 3, 1)
DB_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def rolled_back(test):
    """Run one hypothesis example in a transaction that is thrown away afterwards."""

    def run(*args, **kwargs):
        with transaction.atomic():
            test(*args, **kwargs)
            transaction.set_rollback(True)

    return run


# -- status history --------------------------------------------------------------------------

operations = st.lists(
    st.tuples(
        st.sampled_from(["close", "reopen"]),
        st.integers(min_value=-30, max_value=400),  # days after registration
    ),
    max_size=8,
)


def expected_status_on(applied: list[tuple[str, datetime.date]], as_of: datetime.date) -> str:
    """The rule, written as plainly as possible: the latest change on or before the date."""
    status = Status.OPEN
    for change, on in applied:
        if on <= as_of:
            status = Status.CLOSED if change == "close" else Status.OPEN
    return status


@DB_SETTINGS
@given(steps=operations, probes=st.lists(st.integers(-5, 420), min_size=1, max_size=6))
@rolled_back
def test_any_sequence_of_changes_keeps_the_history_consistent(steps, probes):
    case = CaseFactory(registered_on=REGISTERED)
    applied = []
    for change, offset in steps:
        on = REGISTERED + datetime.timedelta(days=offset)
        try:
            if change == "close":
                services.case_close(case, on=on, reason=ClosingReason.RESOLVED, by=None)
            else:
                services.case_reopen(case, on=on, reason="Opnieuw", by=None)
        except ValidationError:
            continue  # refused: it must have changed nothing (checked below)
        applied.append((change, on))

    # Accepted changes alternate and never go back in time.
    kinds = [change for change, _ in applied]
    assert kinds == ["close", "reopen"] * (len(kinds) // 2) + ["close"] * (len(kinds) % 2)
    dates = [on for _, on in applied]
    assert dates == sorted(dates) and all(on >= REGISTERED for on in dates)

    rows = list(case.status_changes.order_by("effective_on", "id"))
    assert len(rows) == len(applied) + 1
    for row, following in itertools.pairwise(rows):
        assert row.ended_on == following.effective_on  # contiguous, no gaps or overlaps
    assert rows[-1].ended_on is None
    case.refresh_from_db()
    assert case.status == rows[-1].status
    assert case.closed_on == (rows[-1].effective_on if case.status == Status.CLOSED else None)

    for offset in probes:
        as_of = REGISTERED + datetime.timedelta(days=offset)
        if as_of < REGISTERED:
            continue
        found = Case.objects.with_status_on(as_of).get(pk=case.pk).status_on
        assert found == expected_status_on(applied, as_of), as_of


# -- dates -----------------------------------------------------------------------------------

dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))


@given(day=dates)
def test_both_date_formats_read_back_the_same_day(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d-%m-%Y")) == day
    assert parse_date(f"{day.day}-{day.month}-{day.year}") == day


@given(text=st.text(max_size=20))
def test_any_text_is_a_date_or_a_dutch_refusal(text):
    try:
        assert isinstance(parse_date(text), datetime.date)
    except ValueError as error:
        assert "is geen geldige datum" in str(error)


# -- import ----------------------------------------------------------------------------------

cell = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(
        [
            "Centrum",
            "meerzicht",
            "De Leyens",
            "koop",
            "corporatie",
            "2023-03-01",
            "01-03-2023",
            "31-02-2023",
            "",
            "'; DROP TABLE cases_case; --",
            "<script>alert(1)</script>",
        ]
    ),
)
rows = st.lists(st.lists(cell, min_size=5, max_size=5), min_size=1, max_size=6)


@DB_SETTINGS
@given(rows=rows, delimiter=st.sampled_from([",", ";"]))
@rolled_back
def test_an_import_is_all_or_nothing_whatever_the_cells(rows, delimiter):
    import csv

    before = Case.objects.count()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "casussen.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file, delimiter=delimiter)
            writer.writerow(
                ["wijk", "woningtype", "geregistreerd_op", "afgerond_op", "omschrijving"]
            )
            writer.writerows(rows)
        try:
            imported = import_cases(path)
        except ImportFailed as failed:
            assert failed.problems
            assert all(problem.row is None or problem.row >= 1 for problem in failed.problems)
            assert Case.objects.count() == before
        else:
            assert Case.objects.count() == before + len(imported)
            for case in imported:  # stored as given, harmlessly
                assert case.description in {row[4].strip() for row in rows}


valid_rows = st.lists(
    st.tuples(
        st.sampled_from(["Centrum", "Meerzicht", "Buytenwegh", "Oosterheem"]),
        st.sampled_from(["koop", "corporatie", "particulier"]),
        st.dates(min_value=D(2020, 1, 1), max_value=D(2023, 12, 31)),
        st.one_of(st.none(), st.integers(0, 400)),
    ),
    min_size=1,
    max_size=5,
)


@DB_SETTINGS
@given(rows=valid_rows)
@rolled_back
def test_valid_rows_are_stored_exactly(rows):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "casussen.csv"
        lines = ["wijk;woningtype;geregistreerd_op;afgerond_op"]
        for district, housing_type, registered, days_open in rows:
            closed = "" if days_open is None else registered + datetime.timedelta(days_open)
            closed_text = closed.strftime("%d-%m-%Y") if closed else ""
            lines.append(f"{district};{housing_type};{registered:%d-%m-%Y};{closed_text}")
        path.write_text("\n".join(lines), encoding="utf-8-sig")
        imported = import_cases(path)
    stored = [
        (c.district.name, c.housing_type, c.registered_on, c.closed_on)
        for c in Case.objects.filter(pk__in=[c.pk for c in imported]).order_by("pk")
    ]
    expected = [(d, h, r, None if o is None else r + datetime.timedelta(o)) for d, h, r, o in rows]
    assert stored == expected
