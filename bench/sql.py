"""Hand-written SQL for the benchmarks: the lower bounds the app's own code is compared with,
and the consistency checks of generated data. Shared by bench/run.py and the tests."""

import datetime

# Tabel 5.1 in one statement: the year's cases, their status row in effect on P, grouped.
TABEL51 = """
SELECT c.district_id, c.housing_type,
       count(*) FILTER (WHERE coalesce(s.status, 'open') = 'open') AS lopend,
       count(*) FILTER (WHERE s.status = 'closed') AS afgerond
FROM cases_case AS c
LEFT JOIN cases_statuschange AS s
       ON s.case_id = c.id AND s.effective_on <= %(as_of)s
      AND (s.ended_on IS NULL OR s.ended_on > %(as_of)s)
WHERE c.registered_on BETWEEN %(first)s AND %(last)s
GROUP BY c.district_id, c.housing_type
"""

# The live overview's lower bound, designed as the app now reads it: the open cases counted
# once (the four blocks over them), the kept counts of actions per month (cases_actionmonth).
OVERVIEW = [
    """
    SELECT c.district_id, c.housing_type, c.complexity, c.casemanager_id,
           count(*),
           count(*) FILTER (WHERE c.last_activity_on < %(since)s),
           count(*) FILTER (WHERE c.registered_on > %(three)s),
           count(*) FILTER (WHERE c.registered_on > %(six)s AND c.registered_on <= %(three)s),
           count(*) FILTER (WHERE c.registered_on > %(twelve)s AND c.registered_on <= %(six)s),
           count(*) FILTER (WHERE c.registered_on <= %(twelve)s)
    FROM cases_case AS c
    WHERE c.status = 'open'
    GROUP BY 1, 2, 3, 4
    """,
    """
    SELECT id, first_name, last_name, username FROM accounts_user
    WHERE id IN (SELECT DISTINCT casemanager_id FROM cases_case WHERE status = 'open')
    """,
    """
    SELECT month, action_type, count FROM cases_actionmonth
    WHERE month BETWEEN %(months_from)s AND %(today)s
    """,
]


def tabel51_params(year: int, as_of: datetime.date | None = None) -> dict:
    as_of = as_of or datetime.date(year, 12, 31)
    return {
        "as_of": as_of,
        "first": datetime.date(year, 1, 1),
        "last": min(datetime.date(year, 12, 31), as_of),
    }


def tabel51_counts(cursor, year: int, as_of: datetime.date | None = None) -> dict:
    """(district id, housing type, status) -> count, as reports.tabel51 keys them."""
    cursor.execute(TABEL51, tabel51_params(year, as_of))
    counts = {}
    for district_id, housing_type, lopend, afgerond in cursor.fetchall():
        counts[(district_id, housing_type, "open")] = lopend
        counts[(district_id, housing_type, "closed")] = afgerond
    return counts


# Each statement counts rows that break a rule the services guarantee; all must be 0.
CONSISTENCY = {
    "case whose last activity is not the latest of registration, reopening, action and step": """
        SELECT count(*) FROM cases_case AS c
        WHERE c.last_activity_on IS DISTINCT FROM greatest(
            c.registered_on,
            (SELECT max(performed_on) FROM cases_action AS a
             WHERE a.case_id = c.id AND a.withdrawn_at IS NULL),
            (SELECT max(effective_on) FROM cases_statuschange AS s
             WHERE s.case_id = c.id AND s.status = 'open'),
            (SELECT max(st.occurred_on) FROM measures_measurestep AS st
             JOIN measures_measure AS m ON m.id = st.measure_id WHERE m.case_id = c.id))
    """,
    "actions per month and type not as counted from the actions": """
        SELECT count(*) FROM (
            SELECT date_trunc('month', performed_on)::date AS month, action_type, count(*) AS n
            FROM cases_action WHERE withdrawn_at IS NULL GROUP BY 1, 2
        ) AS counted
        FULL JOIN cases_actionmonth AS kept USING (month, action_type)
        WHERE counted.n IS DISTINCT FROM nullif(kept.count, 0)
    """,
    "case without exactly one current status row": """
        SELECT count(*) FROM cases_case AS c WHERE (
            SELECT count(*) FROM cases_statuschange AS s
            WHERE s.case_id = c.id AND s.ended_on IS NULL) <> 1
    """,
    "first status row is not 'open' on the registration date": """
        SELECT count(*) FROM cases_case AS c
        JOIN LATERAL (SELECT * FROM cases_statuschange AS s WHERE s.case_id = c.id
                      ORDER BY s.effective_on, s.id LIMIT 1) AS f ON true
        WHERE f.status <> 'open' OR f.effective_on <> c.registered_on
    """,
    "status rows not contiguous (a row's end is not the next row's start)": """
        SELECT count(*) FROM (
            SELECT ended_on, status,
                   lead(effective_on) OVER w AS next_start, lead(status) OVER w AS next_status
            FROM cases_statuschange WINDOW w AS (PARTITION BY case_id ORDER BY effective_on, id)
        ) AS rows
        WHERE ended_on IS DISTINCT FROM next_start OR status = next_status
    """,
    "case does not mirror its latest status row": """
        SELECT count(*) FROM cases_case AS c
        JOIN cases_statuschange AS s ON s.case_id = c.id AND s.ended_on IS NULL
        WHERE c.status <> s.status
           OR c.closed_on IS DISTINCT FROM
              CASE WHEN s.status = 'closed' THEN s.effective_on END
    """,
    "closing reason missing or on an open row": """
        SELECT count(*) FROM cases_statuschange
        WHERE (status = 'closed') = (closing_reason = '')
    """,
    "closed before registration": """
        SELECT count(*) FROM cases_case WHERE closed_on < registered_on
    """,
    "action before registration or in the future": """
        SELECT count(*) FROM cases_action AS a JOIN cases_case AS c ON c.id = a.case_id
        WHERE a.performed_on < c.registered_on OR a.performed_on > current_date
    """,
    "action's case_open not its case's status (services.open_follow_ups)": """
        SELECT count(*) FROM cases_action AS a JOIN cases_case AS c ON c.id = a.case_id
        WHERE a.case_open <> (c.status = 'open')
    """,
    "reference not WO-<registration year>-<number>": """
        SELECT count(*) FROM cases_case
        WHERE reference !~ ('^WO-' || extract(year FROM registered_on) || '-[0-9]{4,}$')
    """,
    "reference counter behind the highest reference of its year": """
        SELECT count(*) FROM (
            SELECT extract(year FROM registered_on)::int AS year,
                   max(split_part(reference, '-', 3)::int) AS highest
            FROM cases_case GROUP BY 1) AS r
        LEFT JOIN cases_referencecounter AS rc ON rc.year = r.year
        WHERE rc.last_number IS NULL OR rc.last_number < r.highest
    """,
    "case without actions, parties or meldingen": """
        SELECT count(*) FROM cases_case AS c
        WHERE NOT EXISTS (SELECT 1 FROM cases_action WHERE case_id = c.id)
           OR NOT EXISTS (SELECT 1 FROM cases_party WHERE case_id = c.id)
           OR NOT EXISTS (SELECT 1 FROM cases_melding WHERE case_id = c.id)
    """,
}


def consistency_problems(cursor) -> dict[str, int]:
    """The broken rules with the number of rows breaking them (empty: consistent)."""
    problems = {}
    for rule, sql in CONSISTENCY.items():
        cursor.execute(sql)
        count = cursor.fetchone()[0]
        if count:
            problems[rule] = count
    return problems
