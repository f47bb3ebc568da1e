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
  begunstigingstermijn, planned controle, end of the order; measures.rules), computed from its
  steps with the Algemene termijnenwet. Listed like follow-ups; a bezwaartermijn asks nothing
  of the team once passed and is dropped then. A missed beslistermijn is overdue (red).

Follow-ups and reviews are listed when overdue (before today), due today, or due later this
week (after today up to and including Sunday of the current ISO week). Stalled cases and
nazorg are listed once due: "today" on the day they become due, overdue after it. Most urgent
first: overdue follow-ups and reviews, today's, nazorg, stalled cases, then this week's.

"Today" is `timezone.localdate()` (TIME_ZONE, Europe/Amsterdam). Every selection costs three
queries whatever the number of rows: the settings, the follow-ups, the cases.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from woonoverlast.accounts.roles import case_workers
from woonoverlast.cases.choices import ActionType, Status
from woonoverlast.cases.models import Action, Case
from woonoverlast.cases.querysets import aftercare_candidates, stalled
from woonoverlast.cases.services.validation import format_date
from woonoverlast.measures.rules import DeadlineKind
from woonoverlast.measures.selection import running_measure_deadlines

from .models import FollowUpSettings

_MEASURE_PREFIX = "maatregel_"


class Kind:
    FOLLOW_UP = "vervolg"
    REVIEW = "evaluatie"
    STALLED = "stilgevallen"
    AFTERCARE = "nazorg"

    LABELS = {
        FOLLOW_UP: "Vervolgactie",
        REVIEW: "Evaluatie",
        STALLED: "Stilgevallen",
        AFTERCARE: "Nazorg",
    }
    # The deadlines of a maatregel: "maatregel_" and the DeadlineKind.
    MEASURE_PREFIX = _MEASURE_PREFIX
    MEASURE = {_MEASURE_PREFIX + kind: label for kind, label in DeadlineKind.LABELS.items()}
    LABELS.update(MEASURE)
    # Dated deadlines, counted as overdue / today / this week.
    DEADLINES = frozenset({FOLLOW_UP, REVIEW, *MEASURE})

    # Within one day and urgency: explicit deadlines before the signals.
    ORDER = {
        FOLLOW_UP: 0,
        REVIEW: 1,
        AFTERCARE: 2,
        STALLED: 3,
        **{kind: 4 + index for index, kind in enumerate(MEASURE)},
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
    case_id: int
    reference: str
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

    @property
    def kind_label(self) -> str:
        return Kind.LABELS[self.kind]

    @property
    def urgency_label(self) -> str:
        return Urgency.LABELS[self.urgency]

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
        if self.kind in Kind.MEASURE:
            return f"{self.measure_label}: {self.kind_label.lower()} op {format_date(self.due_on)}"
        return f"Nazorgcontact, afgerond op {format_date(self.since)}"

    @property
    def when(self) -> str:
        """The date a follow-up or review is due, as a phrase; empty for the others (their
        description says their date)."""
        if self.kind == Kind.FOLLOW_UP:
            return f"vervolgdatum {format_date(self.due_on)}"
        if self.kind == Kind.REVIEW:
            return f"evaluatiedatum {format_date(self.due_on)}"
        return ""

    @property
    def url(self) -> str:
        url = reverse("cases:detail", kwargs={"reference": self.reference})
        return f"{url}#maatregel-{self.measure_id}" if self.measure_id else url

    def sort_key(self):
        """Most urgent first: overdue follow-ups and reviews, today's, nazorg due, stalled
        cases (all already due), then this week's; oldest first within each group."""
        if self.kind == Kind.AFTERCARE:
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


@dataclass
class DueList:
    """The due items of one scope, most urgent first, with the views templates need."""

    period: Period
    items: list[DueItem] = field(default_factory=list)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __bool__(self):
        return bool(self.items)

    # A page shows the most urgent ones; the counts (team_rows, counts) cover them all.
    SHOWN = 100

    @property
    def shown(self) -> list["DueItem"]:
        return self.items[: self.SHOWN]

    @property
    def not_shown(self) -> int:
        return max(0, len(self.items) - self.SHOWN)

    def _deadlines(self, urgency: str) -> list[DueItem]:
        return [
            item for item in self.items if item.kind in Kind.DEADLINES and item.urgency == urgency
        ]

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
    def counts(self) -> dict[str, int]:
        return _counts(self.items)

    def for_casemanager(self, user_id: int | None) -> "DueList":
        return DueList(
            period=self.period,
            items=[item for item in self.items if item.casemanager_id == user_id],
        )


def _counts(items) -> dict[str, int]:
    counter = Counter()
    for item in items:
        if item.kind in Kind.DEADLINES:
            counter[item.urgency] += 1
        else:
            counter[item.kind] += 1
    return {
        "overdue": counter[Urgency.OVERDUE],
        "today": counter[Urgency.TODAY],
        "this_week": counter[Urgency.THIS_WEEK],
        "stalled": counter[Kind.STALLED],
        "aftercare": counter[Kind.AFTERCARE],
        "total": len(items),
    }


def _person(first_name: str | None, last_name: str | None, username: str | None) -> str:
    return f"{first_name or ''} {last_name or ''}".strip() or (username or "")


def _select(
    scope: dict, *, today: datetime.date | None, config: FollowUpSettings | None
) -> DueList:
    """The due items of the cases matching `scope` (lookups on Case): three queries."""
    period = Period.of(today)
    config = config or FollowUpSettings.load()
    stalled_before = period.today - datetime.timedelta(days=config.stalled_after_days)
    aftercare_before = period.today - datetime.timedelta(weeks=config.aftercare_after_weeks)
    action_labels = dict(ActionType.choices)
    items: list[DueItem] = []

    follow_ups = (
        Action.objects.follow_ups_due_by(period.week_end)
        .filter(case__status=Status.OPEN, **{f"case__{key}": value for key, value in scope.items()})
        .values(
            "id",
            "action_type",
            "performed_on",
            "follow_up_on",
            "case_id",
            "case__reference",
            "case__casemanager_id",
            "case__casemanager__first_name",
            "case__casemanager__last_name",
            "case__casemanager__username",
        )
    )
    for row in follow_ups:
        items.append(
            DueItem(
                kind=Kind.FOLLOW_UP,
                urgency=period.urgency(row["follow_up_on"]),
                due_on=row["follow_up_on"],
                case_id=row["case_id"],
                reference=row["case__reference"],
                casemanager_id=row["case__casemanager_id"],
                casemanager_name=_person(
                    row["case__casemanager__first_name"],
                    row["case__casemanager__last_name"],
                    row["case__casemanager__username"],
                ),
                action_id=row["id"],
                action_label=action_labels.get(row["action_type"], row["action_type"]),
                since=row["performed_on"],
            )
        )

    # Candidates by the case's own columns first, so that the database works out the last
    # activity and the nazorg action only for open cases and recently closed ones, not for
    # every case ever closed (at 1,000,000 cases: 7-9 s without this, docs/performance.md).
    closed_candidates = aftercare_candidates(aftercare_before, config.aftercare_since)
    aftercare = closed_candidates & Q(aftercare_done=False)
    cases = (
        Case.objects.filter(**scope)
        .filter(Q(status=Status.OPEN) | closed_candidates)
        .with_aftercare_done()
        .filter(
            Q(status=Status.OPEN, next_review_on__lte=period.week_end)
            | stalled(stalled_before)
            | aftercare
        )
        .values(
            "id",
            "reference",
            "status",
            "next_review_on",
            "closed_on",
            "last_activity_on",
            "aftercare_done",
            "casemanager_id",
            "casemanager__first_name",
            "casemanager__last_name",
            "casemanager__username",
        )
    )
    for row in cases:
        common = {
            "case_id": row["id"],
            "reference": row["reference"],
            "casemanager_id": row["casemanager_id"],
            "casemanager_name": _person(
                row["casemanager__first_name"],
                row["casemanager__last_name"],
                row["casemanager__username"],
            ),
        }
        if row["status"] == Status.OPEN:
            review_on = row["next_review_on"]
            if review_on and review_on <= period.week_end:
                items.append(
                    DueItem(
                        kind=Kind.REVIEW,
                        urgency=period.urgency(review_on),
                        due_on=review_on,
                        **common,
                    )
                )
            last = row["last_activity_on"]
            if last <= stalled_before:
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
        else:
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

    items.extend(_measure_items(scope, period))
    items.sort(key=DueItem.sort_key)
    return DueList(period=period, items=items)


def _measure_items(scope: dict, period: Period) -> list[DueItem]:
    """The running deadlines of the maatregelen due by the end of the week: two queries."""
    items = []
    for measure, deadline in running_measure_deadlines(scope):
        if deadline.due_on > period.week_end or (
            deadline.lapses and deadline.due_on < period.today
        ):
            continue
        case = measure.case
        manager = case.casemanager
        items.append(
            DueItem(
                kind=Kind.MEASURE_PREFIX + deadline.kind,
                urgency=period.urgency(deadline.due_on),
                due_on=deadline.due_on,
                case_id=case.pk,
                reference=case.reference,
                casemanager_id=case.casemanager_id,
                casemanager_name=_person(manager.first_name, manager.last_name, manager.username)
                if manager
                else "",
                measure_id=measure.pk,
                measure_label=measure.get_kind_display(),
            )
        )
    return items


def due_for_user(
    user, *, today: datetime.date | None = None, config: FollowUpSettings | None = None
) -> DueList:
    """What is due on the cases assigned to `user` (Mijn casussen, the personal digest)."""
    return _select({"casemanager": user}, today=today, config=config)


def due_for_team(
    *, today: datetime.date | None = None, config: FollowUpSettings | None = None
) -> DueList:
    """What is due on all cases of the team, assigned or not (the team leader)."""
    return _select({}, today=today, config=config)


def due_for_case(
    case: Case, *, today: datetime.date | None = None, config: FollowUpSettings | None = None
) -> DueList:
    """What is due on one case (the case file)."""
    return _select({"pk": case.pk}, today=today, config=config)


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


UNASSIGNED = "Niet toegewezen"


def team_rows(due: DueList) -> list[TeamRow]:
    """Counts per casemanager from a team selection (no query), by name; unassigned last."""
    groups: dict[int | None, list[DueItem]] = {}
    names: dict[int | None, str] = {}
    for item in due.items:
        groups.setdefault(item.casemanager_id, []).append(item)
        names[item.casemanager_id] = item.casemanager_name or UNASSIGNED
    rows = [
        TeamRow(casemanager_id=key, name=names[key], **_counts(items))
        for key, items in groups.items()
    ]
    rows.sort(key=lambda row: (row.casemanager_id is None, row.name.lower()))
    return rows


def digest_recipients():
    """The users who get a daily digest: active casemanagers and team leaders.
    The rapportage role has no cases and gets none."""
    return case_workers().order_by("pk")
