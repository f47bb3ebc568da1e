"""What is due: the reads of termijnbewaking, for one user, for the team and for one case.

Five kinds of item, each tied to one case:

- a follow-up (`Action.follow_up_on`, not yet done) on an open case;
- a review of an open case (`Case.next_review_on`);
- a stalled open case: no action in the last N days (settings; default 30), counted from the
  latest of its registration, its last reopening and its last action. A case whose last
  activity was on 1 June is stalled from 1 July on (N = 30), not on 30 June;
- nazorg due: a closed case whose closing date lies the nazorg period (default 6 weeks) or
  more in the past, with no nazorg action on or after the closing date. Closed on 1 June:
  due from 13 July on;
- a running deadline of a maatregel (zienswijze term, bezwaartermijn, beslistermijn op bezwaar,
  begunstigingstermijn, planned controle, end of the order, verjaring; measures.rules), computed
  from its steps with the Algemene termijnenwet. Listed like follow-ups; a bezwaar- or
  beroepstermijn asks nothing of the team once passed and is dropped then, and so is a passed
  begunstigingstermijn (the person's term). A missed beslistermijn or verjaring is overdue (red);
- a task of a maatregel's enforcement phase (measures.work): Controle uitvoeren from the day
  after the begunstigingstermijn, then the dwangsom verbeurd, the invorderingsbeschikking (with
  the verjaring date), the aanmaning and the dwangbevel. Due today from its first day on until
  its step is recorded, never "Te laat"; each links to the form that records it.

Follow-ups and reviews are listed when overdue (before today), due today, or due later this
week (after today up to and including Sunday of the current ISO week). Stalled cases and
nazorg are listed once due: "today" on the day they become due, overdue after it. Most urgent
first: overdue follow-ups and reviews, today's, nazorg, stalled cases, then this week's.

Two more kinds come from the intake: a binnengekomen melding due INTAKE_HANDLE_WITHIN_WORKDAYS
werkdagen after it came in (team selection only: the queue is the team's, not one
casemanager's), and an open case whose melder has not been informed for
INTAKE_FEEDBACK_AFTER_WEEKS weeks (terugkoppeling): one more query.

"Today" is `timezone.localdate()` (TIME_ZONE, Europe/Amsterdam). Every selection costs a fixed
number of queries whatever the number of rows: the settings, the follow-ups, the cases; the
maatregelen and the meldingen add theirs. The whole team's pages ask for a `limit`: at
1,000,000 cases tens of thousands of cases are stalled, so only the most urgent become items
and the rest is counted per casemanager in the database (three more queries).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from woonoverlast.accounts.models import User
from woonoverlast.accounts.roles import case_workers
from woonoverlast.cases.choices import ActionType, Status
from woonoverlast.cases.models import Action, Case
from woonoverlast.cases.querysets import aftercare_candidates, stalled, stalled_before
from woonoverlast.cases.services.retention import retention_limit
from woonoverlast.common.validation import format_date
from woonoverlast.intake.choices import OPEN_STATUSES
from woonoverlast.measures.rules import DeadlineKind
from woonoverlast.measures.selection import measure_work
from woonoverlast.measures.work import Task, TaskKind

from .models import FollowUpSettings

_MEASURE_PREFIX = "maatregel_"


class Kind:
    FOLLOW_UP = "vervolg"
    REVIEW = "evaluatie"
    STALLED = "stilgevallen"
    AFTERCARE = "nazorg"
    # The intake: a melding not handled within its werkdagen (team scope only), and a melder
    # of an open case not informed for N weeks (terugkoppeling).
    INTAKE = "melding"
    FEEDBACK = "terugkoppeling"

    LABELS = {
        FOLLOW_UP: "Vervolgactie",
        REVIEW: "Evaluatie",
        STALLED: "Stilgevallen",
        AFTERCARE: "Nazorg",
        INTAKE: "Melding afhandelen",
        FEEDBACK: "Terugkoppeling",
    }
    # The deadlines of a maatregel: "maatregel_" and the DeadlineKind.
    MEASURE_PREFIX = _MEASURE_PREFIX
    MEASURE = {_MEASURE_PREFIX + kind: label for kind, label in DeadlineKind.LABELS.items()}
    # The tasks of a maatregel's enforcement phase (measures.work): due from a day on, never
    # "Te laat" (a passed begunstigingstermijn is the task Controle uitvoeren).
    MEASURE_TASKS = {_MEASURE_PREFIX + kind: label for kind, label in TaskKind.LABELS.items()}
    MEASURE.update(MEASURE_TASKS)
    LABELS.update(MEASURE)
    # Dated deadlines, counted as overdue / today / this week. A binnengekomen melding is
    # one: it must be handled within its werkdagen, and one past them is "Te laat" like any
    # other deadline (it was a column of its own the team table did not show, so the row
    # "Niet toegewezen" read 0 0 0 0 0 with a total of 2).
    DEADLINES = frozenset({FOLLOW_UP, REVIEW, INTAKE, *MEASURE})

    # Within one day and urgency: explicit deadlines before the signals.
    ORDER = {
        FOLLOW_UP: 0,
        REVIEW: 1,
        AFTERCARE: 2,
        STALLED: 3,
        **{kind: 4 + index for index, kind in enumerate(MEASURE)},
        INTAKE: 20,
        FEEDBACK: 21,
    }


class Urgency:
    OVERDUE = "te_laat"
    TODAY = "vandaag"
    THIS_WEEK = "deze_week"

    LABELS = {OVERDUE: "Te laat", TODAY: "Vandaag", THIS_WEEK: "Deze week"}


@dataclass(frozen=True)
class Period:
    """Today and the last day of the current ISO week (Sunday)."""

    today: datetime.date
    week_end: datetime.date

    @classmethod
    def of(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(today=today, week_end=today + datetime.timedelta(days=6 - today.weekday()))

    def task_urgency(self, due_on: datetime.date) -> str:
        """A task due from `due_on` on: to do today once due, never overdue."""
        return Urgency.TODAY if due_on <= self.today else Urgency.THIS_WEEK

    def urgency(self, due_on: datetime.date) -> str:
        if due_on < self.today:
            return Urgency.OVERDUE
        if due_on == self.today:
            return Urgency.TODAY
        return Urgency.THIS_WEEK


@dataclass(frozen=True)
class DueItem:
    """One thing due on one case. Holds the case reference, dates and the casemanager (a
    colleague), never anything about the people involved in the case."""

    kind: str
    urgency: str
    due_on: datetime.date
    case_id: int | None  # None: a binnengekomen melding without a case (Kind.INTAKE)
    reference: str  # the case's, or the melding's (Kind.INTAKE)
    casemanager_id: int | None = None
    casemanager_name: str = ""
    # Follow-ups only: the action it follows and what kind of action that was.
    action_id: int | None = None
    action_label: str = ""
    # The date the item counts from: the action's date, the last activity, the closing date.
    since: datetime.date | None = None
    # Maatregelen only: the measure and its kind (never the person it is aimed at).
    measure_id: int | None = None
    measure_label: str = ""
    # A maatregel's task only: why it is due, and the step that records it.
    detail: str = ""
    record_step: str = ""
    record_by_team_leader: bool = False

    @property
    def kind_label(self) -> str:
        return Kind.LABELS[self.kind]

    @property
    def is_deadline(self) -> bool:
        """A follow-up, a review or a maatregel's term has a date someone set (or the law);
        stalled and nazorg are signals."""
        return self.kind in Kind.DEADLINES

    @property
    def is_overdue(self) -> bool:
        """THE definition of "Te laat": a deadline whose date has passed. Stalled cases and
        nazorg are not "Te laat" (they have their own label and count), on every screen and
        in every count (DueList.overdue, team_rows, the digests)."""
        return self.is_deadline and self.urgency == Urgency.OVERDUE

    @property
    def urgency_label(self) -> str:
        """The badge: the urgency of a deadline; the kind of a signal (Stilgevallen, Nazorg)."""
        return Urgency.LABELS[self.urgency] if self.is_deadline else self.kind_label

    @property
    def is_follow_up(self) -> bool:
        return self.kind == Kind.FOLLOW_UP

    @property
    def description(self) -> str:
        """What is due, in Dutch, without personal data."""
        if self.kind == Kind.FOLLOW_UP:
            return f"Vervolg op {self.action_label.lower()} van {format_date(self.since)}"
        if self.kind == Kind.REVIEW:
            return "Evaluatie van de casus"
        if self.kind == Kind.STALLED:
            return f"Geen actie sinds {format_date(self.since)}"
        if self.kind in Kind.MEASURE_TASKS:
            return f"{self.measure_label}: {self.kind_label.lower()}; {self.detail}"
        if self.kind in Kind.MEASURE:
            return f"{self.measure_label}: {self.kind_label.lower()} op {format_date(self.due_on)}"
        if self.kind == Kind.INTAKE:
            return f"Binnengekomen melding van {format_date(self.since)} afhandelen"
        if self.kind == Kind.FEEDBACK:
            return f"Melder informeren, laatst op {format_date(self.since)}"
        return f"Nazorgcontact, afgerond op {format_date(self.since)}"

    @property
    def when(self) -> str:
        """The date a follow-up or review is due, as a phrase; empty for the others (their
        description says their date)."""
        if self.kind == Kind.FOLLOW_UP:
            return f"vervolgdatum {format_date(self.due_on)}"
        if self.kind == Kind.REVIEW:
            return f"evaluatiedatum {format_date(self.due_on)}"
        if self.kind == Kind.INTAKE:
            return f"uiterlijk {format_date(self.due_on)}"
        return ""

    @property
    def url(self) -> str:
        if self.kind == Kind.INTAKE:
            return reverse("intake:detail", kwargs={"reference": self.reference})
        url = reverse("cases:detail", kwargs={"reference": self.reference})
        return f"{url}#maatregel-{self.measure_id}" if self.measure_id else url

    @property
    def record_url(self) -> str:
        """A maatregel's task: the form that records the step doing it."""
        if not self.record_step:
            return ""
        return reverse("measures:step", kwargs={"pk": self.measure_id, "step": self.record_step})

    def sort_key(self):
        """Most urgent first: overdue follow-ups and reviews, today's, nazorg due, stalled
        cases (all already due), then this week's; oldest first within each group."""
        if self.kind in (Kind.AFTERCARE, Kind.FEEDBACK):
            group = 2
        elif self.kind == Kind.STALLED:
            group = 3
        else:
            group = {Urgency.OVERDUE: 0, Urgency.TODAY: 1, Urgency.THIS_WEEK: 4}[self.urgency]
        return (group, self.due_on, Kind.ORDER[self.kind], self.reference, self.action_id or 0)

    def as_data(self) -> dict:
        """The item as stored in a notification (JSON): references and dates only."""
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "urgency": self.urgency,
            "urgency_label": self.urgency_label,
            "due_on": self.due_on.isoformat(),
            "due_on_display": format_date(self.due_on),
            "reference": self.reference,
            "description": self.description,
            "when": self.when,
            "casemanager": self.casemanager_name,
        }


@dataclass(frozen=True)
class NotListed:
    """What a limited selection counted for one casemanager but did not list: signals by
    kind, follow-ups by urgency."""

    name: str
    counts: dict  # Kind.STALLED / Kind.AFTERCARE -> number
    follow_ups: dict = field(default_factory=dict)  # Urgency -> number

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + sum(self.follow_ups.values())

    def only(self, kinds) -> "NotListed":
        return NotListed(
            self.name,
            {kind: n for kind, n in self.counts.items() if kind in kinds},
            self.follow_ups if Kind.FOLLOW_UP in kinds else {},
        )


@dataclass
class DueList:
    """The due items of one scope, most urgent first, with the views templates need.

    A team's selection lists only the most urgent signals (stalled cases, nazorg) and counts
    the others per casemanager in `not_listed`; the counts and team_rows include them."""

    period: Period
    items: list[DueItem] = field(default_factory=list)
    not_listed: dict = field(default_factory=dict)  # casemanager id -> NotListed
    # How many a page shows (None: SHOWN).
    show: int | None = None

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return self.counts["total"]

    def __bool__(self):
        return bool(self.items) or any(left.total for left in self.not_listed.values())

    # A page shows the most urgent ones; the counts (team_rows, counts) cover them all.
    SHOWN = 100

    @property
    def shown(self) -> list["DueItem"]:
        return self.items[: self.SHOWN if self.show is None else self.show]

    @property
    def not_shown(self) -> int:
        return max(0, self.counts["total"] - len(self.shown))

    def _deadlines(self, urgency: str) -> list[DueItem]:
        return [item for item in self.items if item.is_deadline and item.urgency == urgency]

    @property
    def overdue(self) -> list[DueItem]:
        """Follow-ups and reviews whose date has passed."""
        return self._deadlines(Urgency.OVERDUE)

    @property
    def due_today(self) -> list[DueItem]:
        return self._deadlines(Urgency.TODAY)

    @property
    def due_this_week(self) -> list[DueItem]:
        return self._deadlines(Urgency.THIS_WEEK)

    @property
    def stalled(self) -> list[DueItem]:
        return [item for item in self.items if item.kind == Kind.STALLED]

    @property
    def aftercare(self) -> list[DueItem]:
        return [item for item in self.items if item.kind == Kind.AFTERCARE]

    @property
    def intake(self) -> list[DueItem]:
        return [item for item in self.items if item.kind == Kind.INTAKE]

    @property
    def feedback(self) -> list[DueItem]:
        return [item for item in self.items if item.kind == Kind.FEEDBACK]

    @property
    def counts(self) -> dict[str, int]:
        return _counts(self.items, self.not_listed.values())

    def select(self, *, casemanagers=None, kinds=None, urgency=None) -> "DueList":
        """The items (and counts) of these casemanager ids and kinds (None: all); with an
        `urgency`, only the deadlines of that urgency (the columns of the team table)."""
        items = [
            item
            for item in self.items
            if (casemanagers is None or item.casemanager_id in casemanagers)
            and (kinds is None or item.kind in kinds)
            and (urgency is None or (item.is_deadline and item.urgency == urgency))
        ]
        not_listed = {
            key: left if kinds is None else left.only(kinds)
            for key, left in self.not_listed.items()
            if casemanagers is None or key in casemanagers
        }
        if urgency is not None:
            not_listed = {
                key: NotListed(left.name, {}, {urgency: left.follow_ups.get(urgency, 0)})
                for key, left in not_listed.items()
            }
        return DueList(period=self.period, items=items, not_listed=not_listed)

    def for_casemanager(self, user_id: int | None) -> "DueList":
        return self.select(casemanagers={user_id})


def _counts(items, not_listed=()) -> dict[str, int]:
    counter = Counter()
    for item in items:
        if item.is_deadline:
            counter[item.urgency] += 1
        else:
            counter[item.kind] += 1
    for left in not_listed:
        counter.update(left.counts)
        counter.update(left.follow_ups)
    return {
        "overdue": counter[Urgency.OVERDUE],
        "today": counter[Urgency.TODAY],
        "this_week": counter[Urgency.THIS_WEEK],
        "stalled": counter[Kind.STALLED],
        "aftercare": counter[Kind.AFTERCARE],
        # Of the deadlines above, how many are meldingen (not added to the total again).
        "intake": sum(1 for item in items if item.kind == Kind.INTAKE),
        "feedback": counter[Kind.FEEDBACK],
        "total": len(items) + sum(left.total for left in not_listed),
    }


CASEMANAGER_FIELDS = (
    "casemanager_id",
    "casemanager__first_name",
    "casemanager__last_name",
    "casemanager__username",
)
CASE_FIELDS = (
    "id",
    "reference",
    "status",
    "next_review_on",
    "closed_on",
    "last_activity_on",
    "aftercare_done",
    *CASEMANAGER_FIELDS,
)


def _names(user_ids: set) -> dict:
    """{user id: name} of the casemanagers `user_ids` (None: the cases of nobody, no name)."""
    names = dict.fromkeys(user_ids, "")
    found = User.objects.filter(pk__in=user_ids - {None})
    for user_id, *name in found.values_list("pk", "first_name", "last_name", "username"):
        names[user_id] = User.name_of(*name)
    return names


def _name_of(row: dict, *, prefix: str) -> str:
    return User.name_of(
        row[f"{prefix}casemanager__first_name"],
        row[f"{prefix}casemanager__last_name"],
        row[f"{prefix}casemanager__username"],
    )


@dataclass(frozen=True)
class _CaseItems:
    """The review, stalled and nazorg items of one case row (CASE_FIELDS)."""

    period: "Period"
    config: FollowUpSettings
    last_active_by: datetime.date

    def __call__(self, row: dict, *, kinds) -> list["DueItem"]:
        period, config = self.period, self.config
        common = {
            "case_id": row["id"],
            "reference": row["reference"],
            "casemanager_id": row["casemanager_id"],
            "casemanager_name": _name_of(row, prefix=""),
        }
        items = []
        if row["status"] == Status.OPEN:
            review_on = row["next_review_on"]
            if Kind.REVIEW in kinds and review_on and review_on <= period.week_end:
                items.append(
                    DueItem(
                        kind=Kind.REVIEW,
                        urgency=period.urgency(review_on),
                        due_on=review_on,
                        **common,
                    )
                )
            last = row["last_activity_on"]
            if Kind.STALLED in kinds and last <= self.last_active_by:
                stalled_on = last + datetime.timedelta(days=config.stalled_after_days)
                items.append(
                    DueItem(
                        kind=Kind.STALLED,
                        urgency=period.urgency(stalled_on),
                        due_on=stalled_on,
                        since=last,
                        **common,
                    )
                )
        elif Kind.AFTERCARE in kinds:
            closed_on = row["closed_on"]
            due_on = closed_on + datetime.timedelta(weeks=config.aftercare_after_weeks)
            items.append(
                DueItem(
                    kind=Kind.AFTERCARE,
                    urgency=period.urgency(due_on),
                    due_on=due_on,
                    since=closed_on,
                    **common,
                )
            )
        return items


FOLLOW_UP_FIELDS = (
    "id",
    "action_type",
    "performed_on",
    "follow_up_on",
    "case_id",
    "case__reference",
    *(f"case__{name}" for name in CASEMANAGER_FIELDS),
)


_ACTION_LABELS = dict(ActionType.choices)


def _follow_up_item(row: dict, period: Period) -> DueItem:
    return DueItem(
        kind=Kind.FOLLOW_UP,
        urgency=period.urgency(row["follow_up_on"]),
        due_on=row["follow_up_on"],
        case_id=row["case_id"],
        reference=row["case__reference"],
        casemanager_id=row["case__casemanager_id"],
        casemanager_name=_name_of(row, prefix="case__"),
        action_id=row["id"],
        action_label=_ACTION_LABELS.get(row["action_type"], row["action_type"]),
        since=row["performed_on"],
    )


def _select(
    scope: dict,
    *,
    today: datetime.date | None,
    config: FollowUpSettings | None,
    with_intake: bool = False,
    limit: int | None = None,
    calendar=None,
) -> DueList:
    """The due items of the cases matching `scope` (lookups on Case), and with `with_intake`
    the binnengekomen meldingen due. With `limit`, only that many follow-ups, stalled cases
    and nazorg cases of each (the most urgent) become items; the rest is counted
    (DueList.not_listed). `calendar` (common.calendar.AtwCalendar): the request's, when the
    page has one already; read here otherwise."""
    period = Period.of(today)
    config = config or FollowUpSettings.load()
    last_active_by = stalled_before(period.today, config.stalled_after_days)
    aftercare_before = period.today - datetime.timedelta(weeks=config.aftercare_after_weeks)
    items: list[DueItem] = []

    follow_ups = Action.objects.follow_ups_due_by(period.week_end).filter(
        **{f"case__{key}": value for key, value in scope.items()}
    )
    # Candidates by the case's own columns first, so that the database works out the last
    # activity and the nazorg action only for open cases and recently closed ones, not for
    # every case ever closed (docs/performance.md).
    # Nazorg of a case closed longer than RETENTION_MONTHS ago is no work of the screens
    # (cases.services.retention.within_working_term).
    since = max(filter(None, (config.aftercare_since, retention_limit(period.today))))
    closed_candidates = aftercare_candidates(aftercare_before, since)
    aftercare = closed_candidates & Q(aftercare_done=False)
    reviews = Q(status=Status.OPEN, next_review_on__lte=period.week_end)
    candidates = (
        Case.objects.filter(**scope)
        .filter(Q(status=Status.OPEN) | closed_candidates)
        .with_aftercare_done()
    )
    make = _CaseItems(period, config, last_active_by)
    not_listed: dict = {}
    if limit is None:
        items.extend(_follow_up_item(row, period) for row in follow_ups.values(*FOLLOW_UP_FIELDS))
        for row in candidates.filter(reviews | stalled(last_active_by) | aftercare).values(
            *CASE_FIELDS
        ):
            items.extend(make(row, kinds=(Kind.REVIEW, Kind.STALLED, Kind.AFTERCARE)))
    else:
        # The whole team: at 1,000,000 cases tens of thousands of follow-ups and stalled cases
        # are due (docs/performance.md). Reviews are few; of the follow-ups and the signals
        # only the `limit` most urgent of each kind become items (the order of
        # DueItem.sort_key: a follow-up due earlier is always more urgent), the others are
        # counted per casemanager in the database.
        for row in candidates.filter(reviews).values(*CASE_FIELDS):
            items.extend(make(row, kinds=(Kind.REVIEW,)))
        if limit:
            earliest = follow_ups.order_by("follow_up_on", "case__reference", "pk")
            items.extend(
                _follow_up_item(row, period) for row in earliest.values(*FOLLOW_UP_FIELDS)[:limit]
            )
            signal_rows = [
                (Kind.STALLED, candidates.filter(stalled(last_active_by)), "last_activity_on"),
                (Kind.AFTERCARE, candidates.filter(aftercare), "closed_on"),
            ]
            for kind, rows, oldest_first in signal_rows:
                for row in rows.order_by(oldest_first, "reference").values(*CASE_FIELDS)[:limit]:
                    items.extend(make(row, kinds=(kind,)))
        not_listed = _not_listed(
            scope,
            items,
            follow_ups=follow_ups,
            period=period,
            last_active_by=last_active_by,
            closed_candidates=closed_candidates,
        )

    items.extend(_measure_items(scope, period, calendar))
    items.extend(_intake_items(scope, period, with_intake=with_intake))
    items.sort(key=DueItem.sort_key)
    return DueList(period=period, items=items, not_listed=not_listed)


def _not_listed(
    scope: dict,
    listed: list[DueItem],
    *,
    follow_ups,
    period: Period,
    last_active_by: datetime.date,
    closed_candidates: Q,
) -> dict:
    """{casemanager id: NotListed}: the follow-ups, stalled cases and nazorg of `scope`
    counted per casemanager in the database (three GROUP BY queries), less those `listed`.

    Stalled cases are counted by the case's own columns (the index on status and last
    activity), nazorg with its action check only for the cases closed in the window: one query
    with both as an OR made the database check the nazorg action of every open case too (1.6 s
    at 1,000,000 cases). The follow-ups read the partial index of pending follow-ups.

    Counted per casemanager id alone, their names read once after (a fourth query): grouped
    by the names too, PostgreSQL joined every counted row to its user and sorted them all
    on the names. With the open cases in id order (case_open_id_idx) the two counts went
    30 -> 12 ms and 18 -> 8 ms at 1,000,000 cases (docs/performance.md)."""
    today = period.today
    follow_up_counts = (
        follow_ups.values("case__casemanager_id")
        .annotate(
            overdue=Count("pk", filter=Q(follow_up_on__lt=today)),
            today=Count("pk", filter=Q(follow_up_on=today)),
            this_week=Count("pk", filter=Q(follow_up_on__gt=today)),
        )
        .order_by()
    )
    stalled_counts = (
        Case.objects.filter(**scope)
        .filter(stalled(last_active_by))
        .values("casemanager_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    aftercare_counts = (
        Case.objects.filter(**scope)
        .filter(closed_candidates)
        .with_aftercare_done()
        .filter(aftercare_done=False)
        .values("casemanager_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    managers: set = set()
    counted: Counter = Counter()  # (casemanager id, kind or urgency) -> number
    for row in follow_up_counts:
        manager = row["case__casemanager_id"]
        managers.add(manager)
        counted[(manager, Urgency.OVERDUE)] += row["overdue"]
        counted[(manager, Urgency.TODAY)] += row["today"]
        counted[(manager, Urgency.THIS_WEEK)] += row["this_week"]
    for kind, rows in ((Kind.STALLED, stalled_counts), (Kind.AFTERCARE, aftercare_counts)):
        for row in rows:
            managers.add(row["casemanager_id"])
            counted[(row["casemanager_id"], kind)] += row["n"]
    names = _names(managers)
    for item in listed:
        if item.kind == Kind.FOLLOW_UP:
            counted[(item.casemanager_id, item.urgency)] -= 1
        elif item.kind in (Kind.STALLED, Kind.AFTERCARE):
            counted[(item.casemanager_id, item.kind)] -= 1
    not_listed = {}
    for manager, name in names.items():
        left = NotListed(
            name,
            {kind: counted[(manager, kind)] for kind in (Kind.STALLED, Kind.AFTERCARE)},
            {urgency: counted[(manager, urgency)] for urgency in Urgency.LABELS},
        )
        if left.total:
            not_listed[manager] = left
    return not_listed


def _measure_items(scope: dict, period: Period, calendar=None) -> list[DueItem]:
    """The maatregelen's running deadlines due by the end of the week and the tasks of their
    enforcement phase due (measures.work): two queries. A passed begunstigingstermijn is no
    deadline the team missed: it is the task Controle uitvoeren."""
    items = []
    for measure, found in measure_work(scope, today=period.today, calendar=calendar):
        if found.due_on > period.week_end:
            continue
        case = measure.case
        manager = case.casemanager
        common = {
            "kind": Kind.MEASURE_PREFIX + found.kind,
            "due_on": found.due_on,
            "case_id": case.pk,
            "reference": case.reference,
            "casemanager_id": case.casemanager_id,
            "casemanager_name": str(manager) if manager else "",
            "measure_id": measure.pk,
            "measure_label": measure.get_kind_display(),
        }
        if isinstance(found, Task):
            item = DueItem(
                urgency=period.task_urgency(found.due_on),
                detail=found.detail,
                record_step=found.step,
                record_by_team_leader=found.needs_team_leader,
                **common,
            )
        else:
            item = DueItem(urgency=period.urgency(found.due_on), **common)
        items.append(item)
    return items


def _intake_items(scope: dict, period: Period, *, with_intake: bool) -> list[DueItem]:
    """One query on the binnengekomen meldingen: those not handled (when `with_intake`), due
    INTAKE_HANDLE_WITHIN_WORKDAYS werkdagen after receipt; and those of open cases in `scope`
    whose melder (with an e-mail address) was last informed INTAKE_FEEDBACK_AFTER_WEEKS or more
    ago (or never, counted from when the melding was handled)."""
    from woonoverlast.common.calendar import AtwCalendar, add_workdays
    from woonoverlast.intake.models import IntakeMelding

    feedback_weeks = settings.INTAKE_FEEDBACK_AFTER_WEEKS
    feedback_before = timezone.make_aware(
        datetime.datetime.combine(
            period.today - datetime.timedelta(weeks=feedback_weeks), datetime.time.max
        )
    )
    informed = Coalesce("reporter_informed_at", "handled_at")
    condition = Q(
        case__status=Status.OPEN,
        anonymised_at__isnull=True,
        informed_at__lte=feedback_before,
        **{f"case__{key}": value for key, value in scope.items()},
    ) & ~Q(reporter_email="")
    if with_intake:
        condition |= Q(status__in=OPEN_STATUSES)
    rows = (
        IntakeMelding.objects.annotate(informed_at=informed)
        .filter(condition)
        .values(
            "reference",
            "status",
            "received_at",
            "informed_at",
            "case_id",
            "case__reference",
            "case__casemanager_id",
            "case__casemanager__first_name",
            "case__casemanager__last_name",
            "case__casemanager__username",
        )
    )
    items: list[DueItem] = []
    feedback: dict[int, DueItem] = {}
    calendar = None  # read with the first open melding: none open, no query
    for row in rows:
        if row["status"] in OPEN_STATUSES:
            received_on = timezone.localtime(row["received_at"]).date()
            calendar = calendar or AtwCalendar.load()
            due_on = add_workdays(received_on, settings.INTAKE_HANDLE_WITHIN_WORKDAYS, calendar)
            if due_on <= period.week_end:
                items.append(
                    DueItem(
                        kind=Kind.INTAKE,
                        urgency=period.urgency(due_on),
                        due_on=due_on,
                        case_id=None,
                        reference=row["reference"],
                        since=received_on,
                    )
                )
            continue
        since = timezone.localtime(row["informed_at"]).date()
        due_on = since + datetime.timedelta(weeks=feedback_weeks)
        # One item per case: the melder informed longest ago.
        current = feedback.get(row["case_id"])
        if current is None or due_on < current.due_on:
            feedback[row["case_id"]] = DueItem(
                kind=Kind.FEEDBACK,
                urgency=period.urgency(due_on),
                due_on=due_on,
                case_id=row["case_id"],
                reference=row["case__reference"],
                casemanager_id=row["case__casemanager_id"],
                casemanager_name=_name_of(row, prefix="case__"),
                since=since,
            )
    return items + list(feedback.values())


def due_for_user(
    user, *, today: datetime.date | None = None, config: FollowUpSettings | None = None
) -> DueList:
    """What is due on the cases assigned to `user` (Mijn casussen, the personal digest)."""
    return _select({"casemanager": user}, today=today, config=config)


# The casemanager of a team selection that has none (DueFilter: "Niet toegewezen").
NOBODY = "nobody"


def due_for_team(
    *,
    today: datetime.date | None = None,
    config: FollowUpSettings | None = None,
    limit: int | None = None,
    casemanager=None,
) -> DueList:
    """What is due on all cases of the team, assigned or not, and the binnengekomen meldingen
    that must be handled (the team leader). `casemanager`: only that user's cases (a user
    id), or NOBODY for the unassigned ones and the meldingen. `limit`: see _select (a page
    lists the most urgent; the digests take everything)."""
    if casemanager is None:
        scope = {}
    elif casemanager == NOBODY:
        scope = {"casemanager__isnull": True}
    else:
        scope = {"casemanager_id": casemanager}
    return _select(
        scope,
        today=today,
        config=config,
        with_intake=casemanager in (None, NOBODY),
        limit=limit,
    )


def due_for_case(
    case: Case,
    *,
    today: datetime.date | None = None,
    config: FollowUpSettings | None = None,
    calendar=None,
) -> DueList:
    """What is due on one case (the case file; `calendar`: the request's AtwCalendar, so
    the page reads the equated days once)."""
    return _select({"pk": case.pk}, today=today, config=config, calendar=calendar)


@dataclass(frozen=True)
class TeamRow:
    """One casemanager's counts in the team overview."""

    casemanager_id: int | None
    name: str
    overdue: int
    today: int
    this_week: int
    stalled: int
    aftercare: int
    total: int
    intake: int = 0
    feedback: int = 0


UNASSIGNED = "Niet toegewezen"


def team_rows(due: DueList) -> list[TeamRow]:
    """Counts per casemanager from a team selection (no query), by name; unassigned last."""
    groups: dict[int | None, list[DueItem]] = {}
    names: dict[int | None, str] = {}
    for item in due.items:
        groups.setdefault(item.casemanager_id, []).append(item)
        names[item.casemanager_id] = item.casemanager_name or UNASSIGNED
    for key, left in due.not_listed.items():
        groups.setdefault(key, [])
        names[key] = left.name or UNASSIGNED
    rows = [
        TeamRow(
            casemanager_id=key,
            name=names[key],
            **_counts(items, [due.not_listed[key]] if key in due.not_listed else []),
        )
        for key, items in groups.items()
    ]
    rows.sort(key=lambda row: (row.casemanager_id is None, row.name.lower()))
    return rows


def digest_recipients():
    """The users who get a daily digest: active casemanagers and team leaders.
    The rapportage role has no cases and gets none."""
    return case_workers().order_by("pk")
