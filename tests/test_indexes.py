"""No table has two identical indexes, and the tables every registration, closing, action
and import writes carry no index that another of their indexes already serves: each index
is written on every insert (docs/performance.md, the import)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

WRITTEN_ON_EVERY_CASE = [
    "cases_case",
    "cases_case_categories",
    "cases_case_partners",
    "cases_statuschange",
    "cases_action",
    "cases_actionmonth",
    "cases_party",
    "cases_melding",
    "audit_auditevent",
    "archiving_casearchive",
]

# An index is served by another when it is a plain, non-unique btree index whose key
# columns, with the same operator classes, begin the other's keys, and the other has no
# condition (a partial index serves only its own rows).
REDUNDANT_INDEXES = """
    SELECT a.indrelid::regclass::text, a.indexrelid::regclass::text, b.indexrelid::regclass::text
    FROM pg_index a
    JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
    JOIN pg_class index_a ON index_a.oid = a.indexrelid
    JOIN pg_class index_b ON index_b.oid = b.indexrelid
    JOIN pg_am method_a ON method_a.oid = index_a.relam
    JOIN pg_am method_b ON method_b.oid = index_b.relam
    WHERE a.indrelid::regclass::text = ANY(%s)
      AND method_a.amname = 'btree' AND method_b.amname = 'btree'
      AND NOT a.indisunique
      AND a.indpred IS NULL AND b.indpred IS NULL
      AND a.indexprs IS NULL AND b.indexprs IS NULL
      AND a.indnkeyatts <= b.indnkeyatts
      AND (a.indkey::int2[])[0:a.indnkeyatts - 1] = (b.indkey::int2[])[0:a.indnkeyatts - 1]
      AND (a.indclass::oid[])[0:a.indnkeyatts - 1] = (b.indclass::oid[])[0:a.indnkeyatts - 1]
"""


def test_no_index_of_the_written_tables_is_served_by_another():
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's catalog")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'",
            [WRITTEN_ON_EVERY_CASE],
        )
        assert {name for (name,) in cursor.fetchall()} == set(WRITTEN_ON_EVERY_CASE)
        cursor.execute(REDUNDANT_INDEXES, [WRITTEN_ON_EVERY_CASE])
        assert cursor.fetchall() == []


def test_the_check_finds_an_index_that_another_serves():
    """The query above finds what it looks for: an index on the case alone beside
    statuschange_case_idx (case, effective_on)."""
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's catalog")
    with connection.cursor() as cursor:
        cursor.execute('CREATE INDEX test_served_idx ON cases_statuschange ("case_id")')
        cursor.execute(REDUNDANT_INDEXES, [WRITTEN_ON_EVERY_CASE])
        assert cursor.fetchall() == [
            ("cases_statuschange", "test_served_idx", "statuschange_case_idx")
        ]


# Two indexes of one table with the same method, columns, operator classes, expressions and
# condition.
IDENTICAL_INDEXES = """
    SELECT a.indrelid::regclass::text, a.indexrelid::regclass::text, b.indexrelid::regclass::text
    FROM pg_index a
    JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid > a.indexrelid
    JOIN pg_class index_a ON index_a.oid = a.indexrelid
    JOIN pg_class index_b ON index_b.oid = b.indexrelid
    JOIN pg_namespace schema ON schema.oid = index_a.relnamespace
    WHERE schema.nspname = current_schema()
      AND index_a.relam = index_b.relam
      AND a.indkey::text = b.indkey::text
      AND a.indclass::text = b.indclass::text
      AND pg_get_expr(a.indexprs, a.indrelid) IS NOT DISTINCT FROM
          pg_get_expr(b.indexprs, b.indrelid)
      AND pg_get_expr(a.indpred, a.indrelid) IS NOT DISTINCT FROM
          pg_get_expr(b.indpred, b.indrelid)
"""


def test_no_table_has_two_identical_indexes():
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's catalog")
    with connection.cursor() as cursor:
        cursor.execute(IDENTICAL_INDEXES)
        assert cursor.fetchall() == []
        cursor.execute('CREATE INDEX test_same_idx ON cases_party ("name")')
        cursor.execute('CREATE INDEX test_same_again_idx ON cases_party ("name")')
        cursor.execute(IDENTICAL_INDEXES)
        assert cursor.fetchall() == [("cases_party", "test_same_idx", "test_same_again_idx")]
