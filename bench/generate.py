"""Fill PostgreSQL with N realistic cases, fast, for the benchmarks.

Cases spread over the wijken (weighted by size), housing types (weighted as in Tabel 5.1 of
2023) and the ten years up to today, each with its status history in the shape the services
write (contiguous rows, each ending where the next starts, the case mirroring the latest),
1-10 actions (huisbezoeken and follow-ups among them), 1-3 parties, 1-3 meldingen,
categories and, for complex cases, ketenpartners.

The rows are made inside PostgreSQL (INSERT ... SELECT over generate_series with random()),
not in Python: measured on the 2-core machine that is several times faster than building
rows in Python and sending them with COPY (see docs/performance.md).

    python -m bench.generate --cases 100000 [--replace] [--seed 7]

The data is bench data only: it bypasses the services on purpose (speed) and must never be
loaded into a real database. The generator works on BENCH_DATABASE_URL (not DATABASE_URL),
refuses a database that has cases and is not marked as a benchmark database, and needs
--replace to empty a marked one.
"""

import argparse
import datetime
import time

from bench import is_marked, mark, setup_django

# Relative sizes of the eight wijken of Zoetermeer (inhabitants, rounded).
DISTRICT_WEIGHTS = [9, 14, 16, 14, 16, 10, 13, 8]
# Tabel 5.1 of 2023: koop 87, corporatie 178, particulier 19 cases.
HOUSING_WEIGHTS = {"koop": 87, "corporatie": 178, "particulier": 19}
ACTION_WEIGHTS = {
    "gesprek": 30,
    "huisbezoek": 22,
    "zorg": 10,
    "ketenoverleg": 12,
    "mediation": 8,
    "waarschuwing": 6,
    "schoonmaak": 4,
    "onderdak": 2,
    "gedragsaanwijzing": 2,
    "dwangsom": 1,
    "huisverbod": 1,
    "overig": 3,
}
REASON_WEIGHTS = {"opgelost": 50, "doorverwezen": 20, "geen_overlast": 15, "verhuisd": 10}
REASON_WEIGHTS["overig"] = 5
SOURCE_WEIGHTS = {
    "buurtbewoner": 45,
    "corporatie": 20,
    "politie": 12,
    "hulpverlener": 8,
    "wijkteam": 7,
    "gemeente": 4,
    "anoniem": 4,
}
STREETS = [
    "Dorpsstraat",
    "Stadhuisplein",
    "Meerzichtlaan",
    "Amerikaweg",
    "Buytenwegh",
    "Leyensweg",
    "Seghwaertseweg",
    "Noordhovenseweg",
    "Rokkeveenseweg",
    "Oosterheemplein",
    "Europaweg",
    "Australiëweg",
    "Aziëweg",
    "Afrikaweg",
    "Voorweg",
    "Zegwaartseweg",
    "Broekwegzijde",
    "Nathaliegang",
    "Parkdreef",
    "Van Leeuwenhoeklaan",
]
# Names drawn roughly as the Dutch have them, so that a search on a name finds as many cases
# as it would in a real registry: a first name from a list weighted by rank (the commonest
# about 6 %, the rarest about 1 %), a surname from the 30 commonest (about 7 % of people all
# together: "de Jong" 0.5 %) or else one of 2,400 others made of a prefix and two parts
# (0.03-0.06 % each). An earlier version drew from 80 full names, so that any full name
# matched one party in 80 (docs/performance.md).
FIRST_NAMES = [
    "Anna", "Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Noah", "Sophie", "Levi",
    "Tess", "Finn", "Sara", "Liam", "Zoë", "Milan", "Eva", "Mohamed", "Nora", "Luuk",
    "Fatima", "Jesse", "Lotte", "Bram", "Yara", "Thijs", "Saar", "Adam", "Fenna", "Jan",
    "Sanne", "Kees", "Ingrid", "Ahmet", "Wilma", "Henk", "Ayşe", "Pieter", "Marleen", "Youssef",
]  # fmt: skip
FIRST_NAME_WEIGHTS = [round(100 / (rank + 10)) for rank in range(1, len(FIRST_NAMES) + 1)]
COMMON_LAST_NAMES = {
    "de Jong": 51, "Jansen": 44, "de Vries": 43, "van den Berg": 35, "van Dijk": 34,
    "Bakker": 33, "Janssen": 30, "Visser": 29, "Smit": 26, "Meijer": 25, "de Boer": 24,
    "Mulder": 23, "de Groot": 23, "Bos": 22, "Vos": 20, "Peters": 20, "Hendriks": 19,
    "van Leeuwen": 18, "Dekker": 17, "Brouwer": 17, "de Wit": 17, "Dijkstra": 16,
    "Smits": 16, "de Graaf": 15, "van der Meer": 15, "Yilmaz": 10, "El Amrani": 6,
    "Kaya": 6, "Nguyen": 5, "Öztürk": 5,
}  # fmt: skip
COMMON_LAST_NAME_SHARE = 0.07
LAST_NAME_PREFIXES = ["", "", "van ", "de ", "van der "]
LAST_NAME_STEMS = [
    "Hoog", "Laag", "Wouter", "Kleine", "Groen", "Rood", "Zand", "Steen", "Molen", "Brink",
    "Haar", "Water", "Linden", "Eik", "Beuk", "Wind", "Noord", "Zuid", "Oost", "West",
    "Rijn", "Maas", "Kor", "Ter", "Alder", "Bijl", "Dam", "Goud", "Heem", "Knol",
]  # fmt: skip
LAST_NAME_ENDINGS = [
    "veld", "berg", "kamp", "man", "dijk", "hof", "huis", "meer", "stra", "sma",
    "inga", "ink", "horst", "broek", "hout", "beek", "loo", "wijk", "sloot", "gaard",
]  # fmt: skip
WORKERS = 40
CORPORATIONS = ("De Goede Woning", "Vidomes", "Wooncompas")
# Every table the generator fills, emptied by --replace (dependants first).
CASE_TABLES = [
    "cases_case_categories",
    "cases_case_partners",
    "cases_statuschange",
    "cases_action",
    "cases_actionmonth",
    "cases_party",
    "cases_melding",
    "audit_auditevent",
    "cases_case",
    "cases_referencecounter",
]


def _bag(weights: dict | list) -> list:
    """The keys repeated by weight, so that `bag[1 + floor(random() * len)]` picks by weight."""
    items = weights.items() if isinstance(weights, dict) else enumerate(weights)
    return [key for key, weight in items for _ in range(weight)]


def _pick(bag: str, size: int) -> str:
    """SQL that picks one element of the array parameter `bag` at random."""
    return f"(%({bag})s::text[])[1 + floor(random() * {size})::int]"


def reference_data() -> dict:
    """The ids the cases point at: wijken, categories, partners, corporations, casemanagers."""
    from django.contrib.auth.models import Group

    from woonoverlast.accounts.models import User
    from woonoverlast.cases.models import Category, District, HousingCorporation, Partner

    group = Group.objects.get(name="casemanager")
    workers = []
    for number in range(1, WORKERS + 1):
        user, created = User.objects.get_or_create(
            username=f"bench{number:02d}",
            defaults={"first_name": "Bench", "last_name": f"Medewerker {number:02d}"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(group)
        workers.append(user.pk)
    corporations = [HousingCorporation.objects.get_or_create(name=n)[0].pk for n in CORPORATIONS]
    districts = list(District.objects.order_by("display_order", "pk").values_list("pk", flat=True))
    weights = (DISTRICT_WEIGHTS * (len(districts) // len(DISTRICT_WEIGHTS) + 1))[: len(districts)]
    return {
        "workers": workers,
        "corporations": corporations,
        "districts": _bag(dict(zip(districts, weights, strict=True))),
        "categories": list(Category.objects.values_list("pk", flat=True)),
        "partners": list(Partner.objects.values_list("pk", flat=True)),
    }


def _statements(n: int, today: datetime.date, ids: dict) -> list[tuple[str, str, dict]]:
    """(label, SQL, parameters) in order. `bench_case` is a scratch table of the cases'
    random draws that the other statements read."""
    first_day = today.replace(year=today.year - 10, day=min(today.day, 28))
    span = (today - first_day).days
    housing, reasons = _bag(HOUSING_WEIGHTS), _bag(REASON_WEIGHTS)
    actions, sources = _bag(ACTION_WEIGHTS), _bag(SOURCE_WEIGHTS)
    first_names = _bag(dict(zip(FIRST_NAMES, FIRST_NAME_WEIGHTS, strict=True)))
    common_last_names = _bag(COMMON_LAST_NAMES)
    params = {
        "n": n,
        "today": today,
        "first_day": first_day,
        "span": span,
        "districts": [str(pk) for pk in ids["districts"]],
        "workers": [str(pk) for pk in ids["workers"]],
        "corporations": [str(pk) for pk in ids["corporations"]],
        "housing": housing,
        "reasons": reasons,
        "actions": actions,
        "sources": sources,
        "streets": STREETS,
        "first_names": first_names,
        "common_last_names": common_last_names,
        "common_share": COMMON_LAST_NAME_SHARE,
        "prefixes": LAST_NAME_PREFIXES,
        "stems": LAST_NAME_STEMS,
        "endings": LAST_NAME_ENDINGS,
        "categories": [str(pk) for pk in ids["categories"]],
        "partners": [str(pk) for pk in ids["partners"]],
    }
    # A duration in days, log-normal with median e^mu days: exp(mu + sigma * N(0, 1)),
    # N(0, 1) by Box-Muller.
    lognormal = (
        "greatest(1, least(3000, exp({mu} + {sigma} * sqrt(-2 * ln(1 - random())) "
        "* cos(2 * pi() * random())))::int)"
    )
    stage = f"""
        CREATE TEMPORARY TABLE bench_case ON COMMIT DROP AS
        SELECT id, registered_on, district_id, housing_type, casemanager_id, complex,
               closed1, reason1,
               CASE WHEN closed1 IS NOT NULL AND reopen_draw < 0.05
                         AND closed1 + reopen_after <= %(today)s::date
                    THEN closed1 + reopen_after END AS reopened,
               reason2, second_duration, n_actions, n_parties, n_reports
        FROM (
            SELECT i AS id,
                   -- ids grow with the registration date, as they do in real use
                   %(first_day)s::date + ((i - 1)::bigint * %(span)s / %(n)s)::int
                       AS registered_on,
                   {_pick("districts", len(params["districts"]))}::bigint AS district_id,
                   {_pick("housing", len(housing))} AS housing_type,
                   {_pick("workers", len(params["workers"]))}::bigint AS casemanager_id,
                   random() < 0.2 AS complex,
                   CASE WHEN random() < 0.98
                        THEN %(first_day)s::date + ((i - 1)::bigint * %(span)s / %(n)s)::int
                             + {lognormal.format(mu=4.5, sigma=0.8)}
                   END AS closed1_draw,
                   {_pick("reasons", len(reasons))} AS reason1,
                   {_pick("reasons", len(reasons))} AS reason2,
                   random() AS reopen_draw,
                   7 + floor(random() * 114)::int AS reopen_after,
                   CASE WHEN random() < 0.8 THEN {lognormal.format(mu=3.5, sigma=0.7)} END
                       AS second_duration,
                   1 + floor(random() * 10)::int AS n_actions,
                   1 + floor(random() * 3)::int AS n_parties,
                   1 + floor(random() * 3)::int AS n_reports
            FROM generate_series(1, %(n)s) AS i
        ) AS draws
        CROSS JOIN LATERAL (
            SELECT CASE WHEN closed1_draw <= %(today)s::date THEN closed1_draw END AS closed1
        ) AS closing
    """
    # The case's last status row decides its status; closed2 is the second closing.
    history = """
        CREATE TEMPORARY TABLE bench_history ON COMMIT DROP AS
        SELECT *,
               CASE WHEN reopened IS NOT NULL AND second_duration IS NOT NULL
                         AND reopened + second_duration <= %(today)s::date
                    THEN reopened + second_duration END AS closed2
        FROM bench_case
    """
    cases = """
        INSERT INTO cases_case (
            id, reference, district_id, housing_type, corporation_id, street, house_number,
            house_number_addition, postcode, description, registered_on, casemanager_id,
            complexity, next_review_on, status, closed_on, anonymised_at, version, created_at,
            updated_at, created_by_id, last_activity_on)
        SELECT h.id,
               'WO-' || extract(year FROM h.registered_on) || '-' ||
                   lpad(seq::text, greatest(4, length(seq::text)), '0'),
               h.district_id, h.housing_type,
               CASE WHEN h.housing_type = 'corporatie' THEN
                   (%(corporations)s::text[])[1 + floor(random() * 3)::int]::bigint END,
               (%(streets)s::text[])[1 + floor(random() * 20)::int],
               1 + floor(random() * 400)::int,
               CASE WHEN random() < 0.1 THEN 'A' ELSE '' END,
               (2711 + floor(random() * 19)::int)::text || ' ' ||
                   chr(65 + floor(random() * 26)::int) || chr(65 + floor(random() * 26)::int),
               'Overlast tussen buren.',
               h.registered_on, h.casemanager_id,
               CASE WHEN h.complex THEN 'complex' ELSE 'enkelvoudig' END,
               NULL,
               CASE WHEN coalesce(h.closed2, h.closed1) IS NOT NULL
                         AND (h.reopened IS NULL OR h.closed2 IS NOT NULL)
                    THEN 'closed' ELSE 'open' END,
               CASE WHEN h.reopened IS NULL THEN h.closed1 ELSE h.closed2 END,
               NULL, 1,
               h.registered_on + time '09:00' AT TIME ZONE 'Europe/Amsterdam',
               greatest(h.registered_on, coalesce(h.closed2, h.reopened, h.closed1))
                   + time '17:00' AT TIME ZONE 'Europe/Amsterdam',
               h.casemanager_id,
               greatest(h.registered_on, a.last_on, h.reopened)
        FROM (
            SELECT *, row_number() OVER (
                PARTITION BY extract(year FROM registered_on) ORDER BY id) AS seq
            FROM bench_history
        ) AS h
        -- What services.last_activity keeps: the latest of registration, reopening and last
        -- action (the actions are written first).
        LEFT JOIN (SELECT case_id, max(performed_on) AS last_on
                   FROM cases_action GROUP BY case_id) AS a ON a.case_id = h.id
        ORDER BY h.id
    """
    # Up to four contiguous rows: open, closed, reopened, closed again.
    status = """
        INSERT INTO cases_statuschange (
            case_id, status, effective_on, ended_on, closing_reason, note, created_at,
            created_by_id)
        SELECT id, status, effective_on, ended_on, reason, '',
               effective_on + time '10:00' AT TIME ZONE 'Europe/Amsterdam', casemanager_id
        FROM (
            SELECT id, casemanager_id, 1 AS step, 'open' AS status, registered_on AS effective_on,
                   closed1 AS ended_on, '' AS reason
            FROM bench_history
            UNION ALL
            SELECT id, casemanager_id, 2, 'closed', closed1, reopened, reason1
            FROM bench_history WHERE closed1 IS NOT NULL
            UNION ALL
            SELECT id, casemanager_id, 3, 'open', reopened, closed2, ''
            FROM bench_history WHERE reopened IS NOT NULL
            UNION ALL
            SELECT id, casemanager_id, 4, 'closed', closed2, NULL, reason2
            FROM bench_history WHERE closed2 IS NOT NULL
        ) AS rows
        ORDER BY id, step
    """
    # Actions fall between registration and the (last) closing or today.
    action = f"""
        INSERT INTO cases_action (
            case_id, action_type, performed_on, performed_by_id, notes, follow_up_on,
            follow_up_done_on, present, findings, withdrawal_reason, created_at, case_open)
        SELECT id, action_type, performed_on, casemanager_id, 'Actie vastgelegd.',
               follow_up_on,
               CASE WHEN follow_up_on <= %(today)s::date AND random() < 0.8
                    THEN follow_up_on END,
               CASE WHEN action_type = 'huisbezoek' THEN 'Casemanager, bewoner' ELSE '' END,
               CASE WHEN action_type = 'huisbezoek' THEN 'Woning bekeken.' ELSE '' END, '',
               performed_on + time '11:00' AT TIME ZONE 'Europe/Amsterdam', case_open
        FROM (
            SELECT h.id, h.casemanager_id, {_pick("actions", len(actions))} AS action_type,
                   -- The case's status, as services.open_follow_ups keeps it (the case's own
                   -- status below: not closed, or reopened and not closed again).
                   coalesce(h.closed2, h.closed1) IS NULL
                       OR (h.reopened IS NOT NULL AND h.closed2 IS NULL) AS case_open,
                   h.registered_on + floor(random() * (1 + (
                       CASE WHEN h.reopened IS NOT NULL AND h.closed2 IS NULL THEN %(today)s::date
                            ELSE coalesce(h.closed2, h.closed1, %(today)s::date) END
                       - h.registered_on)))::int AS performed_on,
                   random() < 0.3 AS with_follow_up,
                   7 + floor(random() * 36)::int AS follow_up_days
            FROM bench_history AS h, generate_series(1, h.n_actions)
        ) AS drawn
        CROSS JOIN LATERAL (
            SELECT CASE WHEN with_follow_up THEN performed_on + follow_up_days END AS follow_up_on
        ) AS follow_up
        ORDER BY id, performed_on
    """
    party = f"""
        INSERT INTO cases_party (
            case_id, role, name, phone, email, address, notes, withdrawal_reason, anonymised_at,
            created_at)
        SELECT h.id, (ARRAY['melder', 'veroorzaker', 'betrokkene'])[k],
               {_pick("first_names", len(first_names))} || ' ' ||
                   CASE WHEN random() < %(common_share)s
                        THEN {_pick("common_last_names", len(common_last_names))}
                        ELSE {_pick("prefixes", len(LAST_NAME_PREFIXES))}
                             || {_pick("stems", len(LAST_NAME_STEMS))}
                             || {_pick("endings", len(LAST_NAME_ENDINGS))} END,
               '06' || (10000000 + floor(random() * 89999999)::int)::text,
               '', '', '', '', NULL,
               h.registered_on + time '09:30' AT TIME ZONE 'Europe/Amsterdam'
        FROM bench_history AS h, generate_series(1, h.n_parties) AS k
        ORDER BY h.id, k
    """
    meldingen = f"""
        INSERT INTO cases_melding (
            case_id, received_on, source, text, withdrawal_reason, created_at, created_by_id)
        SELECT h.id,
               h.registered_on + floor(random() * (1 + (
                   coalesce(h.closed1, %(today)s::date) - h.registered_on)))::int,
               {_pick("sources", len(sources))}, 'Melding van overlast.', '',
               h.registered_on + time '09:15' AT TIME ZONE 'Europe/Amsterdam', h.casemanager_id
        FROM bench_history AS h, generate_series(1, h.n_reports) AS k
        ORDER BY h.id, k
    """
    n_categories, n_partners = len(params["categories"]), len(params["partners"])
    categories = f"""
        INSERT INTO cases_case_categories (case_id, category_id)
        SELECT DISTINCT h.id,
               (%(categories)s::text[])[1 + (first_pick + k) %% {n_categories}]::bigint
        FROM (SELECT id, floor(random() * {n_categories})::int AS first_pick,
                     CASE WHEN random() < 0.3 THEN 2 ELSE 1 END AS how_many
              FROM bench_history) AS h,
             generate_series(0, h.how_many - 1) AS k
    """
    partners = f"""
        INSERT INTO cases_case_partners (case_id, partner_id)
        SELECT DISTINCT h.id, (%(partners)s::text[])[1 + (first_pick + k) %% {n_partners}]::bigint
        FROM (SELECT id, floor(random() * {n_partners})::int AS first_pick
              FROM bench_history WHERE complex) AS h,
             generate_series(0, 1) AS k
    """
    counters = """
        INSERT INTO cases_referencecounter (year, last_number)
        SELECT extract(year FROM registered_on)::int, count(*)
        FROM bench_history GROUP BY 1
        ON CONFLICT (year) DO UPDATE
            SET last_number = EXCLUDED.last_number
    """
    # The overview's counts per month and type, as the action services keep them.
    action_months = """
        INSERT INTO cases_actionmonth (month, action_type, count)
        SELECT date_trunc('month', performed_on)::date, action_type, count(*)
        FROM cases_action WHERE withdrawn_at IS NULL GROUP BY 1, 2
    """
    return [
        ("draws", stage, params),
        ("history", history, params),
        ("actions", action, params),
        ("actions per month", action_months, {}),
        ("cases", cases, params),
        ("status", status, params),
        ("parties", party, params),
        ("meldingen", meldingen, params),
        ("categories", categories, params),
        ("partners", partners, params),
        ("counters", counters, params),
    ]


def fill(cursor, cases: int, *, seed: int, today: datetime.date, progress=None) -> None:
    """Generate `cases` cases in the caller's transaction, into a migrated database without
    cases (ids from 1; the per-year reference counters set to the generated numbers)."""
    cursor.execute("SELECT EXISTS (SELECT 1 FROM cases_case)")
    if cursor.fetchone()[0]:
        raise SystemExit("fill() fills an empty case table only; use --replace.")
    ids = reference_data()
    cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
    cursor.execute("SET LOCAL work_mem = '64MB'")
    # The rows are consistent by construction (tests/test_bench.py checks it): skip the
    # per-row foreign-key triggers, which cost more than the inserts themselves.
    cursor.execute("SET LOCAL session_replication_role = replica")
    for label, sql, params in _statements(cases, today, ids):
        started = time.perf_counter()
        cursor.execute(sql, params)
        if progress:
            progress(label, cursor.rowcount, time.perf_counter() - started)
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), "
        "(SELECT coalesce(max(id), 1) FROM cases_case))"
    )


def generate(cases: int, *, seed: int = 7, replace: bool = False, quiet: bool = False) -> float:
    """Generate the cases on the current (benchmark) database; returns the seconds it took."""
    from django.db import connection, transaction

    from woonoverlast.cases.models import Case
    from woonoverlast.cases.services.figures import case_figures_changed
    from woonoverlast.cases.services.open_cases import open_cases_changed

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark generator needs PostgreSQL (BENCH_DATABASE_URL).")
    with connection.cursor() as cursor:
        marked = is_marked(cursor)
        if Case.objects.exists():
            if not marked:
                raise SystemExit(
                    "This database has cases and is not a benchmark database: refusing to touch it."
                )
            if not replace:
                raise SystemExit("This database has cases already; use --replace to empty it.")
            cursor.execute(f"TRUNCATE {', '.join(CASE_TABLES)} RESTART IDENTITY CASCADE")
        mark(cursor)
    started = time.perf_counter()

    def progress(label, rows, seconds):
        if not quiet:
            print(f"  {label:<11} {rows:>11,} rows {seconds:7.1f} s", flush=True)

    with transaction.atomic():
        with connection.cursor() as cursor:
            fill(cursor, cases, seed=seed, today=datetime.date.today(), progress=progress)
        # The rows bypass the services: give the figures and the open cases new versions as
        # they would, so that no Tabel 5.1 or team count stored in a shared cache (CACHE_URL)
        # before is read again.
        case_figures_changed()
        open_cases_changed()
    # Statistics for the planner, and the visibility map and hint bits set now rather than by
    # autovacuum in the middle of the measurements.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--replace", action="store_true", help="empty a benchmark database first")
    args = parser.parse_args()
    setup_django()
    seconds = generate(args.cases, seed=args.seed, replace=args.replace)
    print(f"{args.cases:,} cases in {seconds:.1f} s")


if __name__ == "__main__":
    main()
