"""Fill PostgreSQL with N realistic cases, fast, for the benchmarks.

Cases spread over the wijken, housing types and ten years up to today, each with its status
history (the same shape the services write: contiguous rows, the case mirroring the latest),
1-10 actions (huisbezoeken and follow-ups among them), parties, meldingen and categories.
Rows go in with COPY, in chunks, so a million cases (about 13 million rows) take minutes.

    python -m bench.generate --cases 100000

The data is bench data only: it bypasses the services on purpose (speed) and must never be
loaded into a real database; the generator refuses a database that has cases already unless
--replace is given, and then it empties the case tables first.
"""

import argparse
import datetime
import random
import time
from dataclasses import dataclass

from bench import setup_django

HOUSING_WEIGHTS = {"koop": 31 + 56, "corporatie": 71 + 107, "particulier": 11 + 8}
ACTION_TYPES = [
    ("gesprek", 30),
    ("huisbezoek", 22),
    ("zorg", 10),
    ("ketenoverleg", 12),
    ("mediation", 8),
    ("waarschuwing", 6),
    ("schoonmaak", 4),
    ("onderdak", 2),
    ("gedragsaanwijzing", 2),
    ("dwangsom", 1),
    ("overig", 3),
]
REASONS = ["opgelost", "doorverwezen", "geen_overlast", "verhuisd", "overig"]
SOURCES = ["buurtbewoner", "corporatie", "politie", "hulpverlener", "wijkteam", "gemeente"]
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
]
FIRST_NAMES = ["Anna", "Daan", "Fatima", "Jan", "Lotte", "Mohamed", "Noah", "Sanne", "Sem", "Yara"]
LAST_NAMES = ["de Jong", "Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "El Amrani"]
POSTCODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"
CHUNK = 20_000


@dataclass
class Ids:
    case: int
    status: int
    action: int


def _weighted(rng: random.Random, weights: dict | list):
    items = list(weights.items()) if isinstance(weights, dict) else weights
    return rng.choices([k for k, _ in items], [w for _, w in items])[0]


class Generator:
    def __init__(self, *, cases: int, seed: int, today: datetime.date):
        self.total = cases
        self.rng = random.Random(seed)
        self.today = today
        self.first_day = today.replace(year=today.year - 10)
        self.span = (today - self.first_day).days

    def reference_data(self):
        from django.contrib.auth.models import Group

        from woonoverlast.accounts.models import User
        from woonoverlast.cases.models import Category, District, HousingCorporation

        group = Group.objects.get(name="casemanager")
        workers = []
        for number in range(1, 41):
            user, _ = User.objects.get_or_create(
                username=f"bench{number:02d}",
                defaults={"first_name": "Bench", "last_name": f"Medewerker {number:02d}"},
            )
            user.groups.add(group)
            workers.append(user.pk)
        corporations = [
            HousingCorporation.objects.get_or_create(name=name)[0].pk
            for name in ("De Goede Woning", "Vidomes", "Wooncompas")
        ]
        self.workers = workers
        self.corporations = corporations
        self.districts = list(
            District.objects.order_by("display_order").values_list("pk", flat=True)
        )
        self.categories = list(Category.objects.values_list("pk", flat=True))

    def case_rows(self, ids: Ids, count: int):
        """Yields (case, categories, statuses, actions, parties, reports) per case."""
        rng, now = self.rng, datetime.datetime.now(tz=datetime.UTC)
        counters: dict[int, int] = self.counters
        for _ in range(count):
            ids.case += 1
            registered = self.first_day + datetime.timedelta(days=rng.randrange(self.span + 1))
            counters[registered.year] = counters.get(registered.year, 0) + 1
            reference = f"WO-{registered.year}-{counters[registered.year]:04d}"
            housing_type = _weighted(rng, HOUSING_WEIGHTS)
            worker = rng.choice(self.workers)

            changes = [("open", registered, "")]
            if rng.random() < 0.9:
                closed = registered + datetime.timedelta(days=int(rng.lognormvariate(4.5, 0.8)))
                if closed <= self.today:
                    changes.append(("closed", closed, rng.choice(REASONS)))
                    if rng.random() < 0.05:
                        reopened = closed + datetime.timedelta(days=rng.randint(7, 120))
                        if reopened <= self.today:
                            changes.append(("open", reopened, ""))
            status, last_on, _ = changes[-1]
            statuses = []
            for index, (row_status, on, reason) in enumerate(changes):
                ended = changes[index + 1][1] if index + 1 < len(changes) else None
                ids.status += 1
                statuses.append(
                    (ids.status, ids.case, row_status, on, ended, reason, "", now, worker)
                )

            window = max(
                (last_on if status == "closed" else self.today) - registered, datetime.timedelta(0)
            )
            actions = []
            for _ in range(rng.randint(1, 10)):
                ids.action += 1
                action_type = _weighted(rng, ACTION_TYPES)
                performed = registered + datetime.timedelta(days=rng.randint(0, window.days))
                follow_up = (
                    performed + datetime.timedelta(days=rng.randint(7, 42))
                    if rng.random() < 0.3
                    else None
                )
                done = (
                    follow_up
                    if follow_up and follow_up <= self.today and rng.random() < 0.8
                    else None
                )
                visit = action_type == "huisbezoek"
                actions.append(
                    (
                        ids.action,
                        ids.case,
                        action_type,
                        performed,
                        worker,
                        "Actie vastgelegd.",
                        follow_up,
                        done,
                        "Casemanager, bewoner" if visit else "",
                        "Woning bekeken." if visit else "",
                        now,
                    )
                )
            parties = [
                (
                    ids.case,
                    role,
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "06" + str(rng.randint(10_000_000, 99_999_999)),
                    "",
                    "",
                    "",
                    None,
                    now,
                )
                for role in ("melder", "veroorzaker")[: rng.randint(1, 2)]
            ]
            reports = [
                (
                    ids.case,
                    registered + datetime.timedelta(days=rng.randint(0, window.days)),
                    rng.choice(SOURCES),
                    "Melding van overlast.",
                    now,
                    worker,
                )
                for _ in range(rng.randint(1, 3))
            ]
            categories = rng.sample(self.categories, k=rng.choice((1, 1, 2)))
            case = (
                ids.case,
                reference,
                rng.choice(self.districts),
                housing_type,
                rng.choice(self.corporations) if housing_type == "corporatie" else None,
                rng.choice(STREETS),
                rng.randint(1, 400),
                "",
                f"27{rng.randint(11, 29)} {''.join(rng.choices(POSTCODE_LETTERS, k=2))}",
                "Overlast tussen buren.",
                registered,
                worker,
                "enkelvoudig",
                None,
                status,
                last_on if status == "closed" else None,
                None,
                1,
                now,
                now,
                worker,
            )
            yield case, categories, statuses, actions, parties, reports

    def run(self, cursor, progress):
        from django.db import connection

        self.reference_data()
        self.counters = {}
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        start_case = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_statuschange")
        start_status = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_action")
        ids = Ids(case=start_case, status=start_status, action=cursor.fetchone()[0])
        raw = connection.connection.cursor()
        done = 0
        while done < self.total:
            count = min(CHUNK, self.total - done)
            batches: dict[str, list] = {
                k: [] for k in ("case", "cat", "status", "action", "party", "report")
            }
            for case, categories, statuses, actions, parties, reports in self.case_rows(ids, count):
                batches["case"].append(case)
                batches["cat"].extend((case[0], category) for category in categories)
                batches["status"].extend(statuses)
                batches["action"].extend(actions)
                batches["party"].extend(parties)
                batches["report"].extend(reports)
            for table, columns, rows in (
                ("cases_case", CASE_COLUMNS, batches["case"]),
                ("cases_case_categories", "case_id, category_id", batches["cat"]),
                ("cases_statuschange", STATUS_COLUMNS, batches["status"]),
                ("cases_action", ACTION_COLUMNS, batches["action"]),
                ("cases_party", PARTY_COLUMNS, batches["party"]),
                ("cases_report", REPORT_COLUMNS, batches["report"]),
            ):
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            done += count
            progress(done)
        for year, last in self.counters.items():
            cursor.execute(
                "INSERT INTO cases_referencecounter (year, last_number) VALUES (%s, %s) "
                "ON CONFLICT (year) DO UPDATE SET last_number = GREATEST("
                "cases_referencecounter.last_number, EXCLUDED.last_number)",
                [year, last],
            )
        for table in (
            "cases_case",
            "cases_statuschange",
            "cases_action",
            "cases_party",
            "cases_report",
            "cases_case_categories",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )


CASE_COLUMNS = (
    "id, reference, district_id, housing_type, corporation_id, street, house_number, "
    "house_number_addition, postcode, description, registered_on, casemanager_id, complexity, "
    "next_review_on, status, closed_on, anonymised_at, version, created_at, updated_at, "
    "created_by_id"
)
STATUS_COLUMNS = (
    "id, case_id, status, effective_on, ended_on, closing_reason, note, created_at, created_by_id"
)
ACTION_COLUMNS = (
    "id, case_id, action_type, performed_on, performed_by_id, notes, follow_up_on, "
    "follow_up_done_on, present, findings, created_at"
)
PARTY_COLUMNS = "case_id, role, name, phone, email, address, notes, anonymised_at, created_at"
REPORT_COLUMNS = "case_id, received_on, source, text, created_at, created_by_id"
CASE_TABLES = [
    "cases_case_categories",
    "cases_case_partners",
    "cases_statuschange",
    "cases_action",
    "cases_party",
    "cases_report",
    "audit_auditevent",
    "cases_case",
    "cases_referencecounter",
]


def generate(cases: int, *, seed: int = 7, replace: bool = False, quiet: bool = False) -> float:
    """Generate the cases; returns the seconds it took."""
    from django.db import connection, transaction

    from woonoverlast.cases.models import Case

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark generator needs PostgreSQL (set DATABASE_URL).")
    if Case.objects.exists():
        if not replace:
            raise SystemExit("This database has cases already; use --replace to empty it first.")
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(CASE_TABLES)} RESTART IDENTITY CASCADE")
    started = time.perf_counter()

    def progress(done):
        if not quiet:
            rate = done / (time.perf_counter() - started)
            print(f"  {done:>9,} cases ({rate:,.0f}/s)", flush=True)

    generator = Generator(cases=cases, seed=seed, today=datetime.date.today())
    with transaction.atomic(), connection.cursor() as cursor:
        generator.run(cursor, progress)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--replace", action="store_true")
    args = parser.parse_args()
    setup_django()
    seconds = generate(args.cases, seed=args.seed, replace=args.replace)
    print(f"{args.cases:,} cases in {seconds:.1f} s")


if __name__ == "__main__":
    main()
