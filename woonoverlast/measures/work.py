"""What the team has to do next in a maatregel's enforcement phase, for termijnbewaking
(Termijnen, Mijn casussen, the digest, the case file). Reads a MeasureState; no queries.

A term that asks something of the *person* is no deadline of the team once it has passed:
when the begunstigingstermijn ends the person must have complied, and what is due then is a
controle (the term's last day is the person's; from the next day a breach can be found, art.
5:32a lid 2 and 5:24 lid 2 Awb). So a passed begunstigingstermijn becomes the task *Controle
uitvoeren*, never "te laat" (and a passed zienswijzetermijn, art. 4:8 Awb, the task *Besluit
nemen*). The same holds down the enforcement chain:

- a controle that found a breach: the dwangsom is verbeurd by operation of law (art. 5:33
  Awb) and must be recorded, or bestuursdwang applied (art. 5:21, 5:24 Awb);
- a verbeurde dwangsom not paid within the six weeks of art. 5:33 Awb, not yet claimed by
  an invorderingsbeschikking: take one (art. 5:37 lid 1) before the verjaring (art. 5:35);
- an invorderingsbeschikking bekendgemaakt and something still outstanding: an aanmaning
  (art. 4:112 Awb, payment within two weeks after the day it is sent);
- an aanmaning whose two weeks have passed: a dwangbevel (art. 4:114 and 5:37 Awb).

The costs of bestuursdwang go the same way from their kostenbeschikking (art. 5:25 Awb), a
geldschuld of titel 4.4 Awb: not paid within the betalingstermijn of six weeks after its
bekendmaking (art. 4:87 lid 1), an aanmaning (4:112), then a dwangbevel (4:114); never once
the costs are verjaard, five years after the betalingstermijn (4:104; not the dwangsom's
one year of 5:35).

A task is due from its first day and stays due until the step that does it is recorded; it
is never "te laat" (the verjaring itself is a deadline of the team and is red once missed,
rules.DeadlineKind.PRESCRIPTION). Nothing is due once enforcing is not allowed (a gegrond
bezwaar, a vernietigd or geschorst besluit, the looptijd passed) or everything is verjaard.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from woonoverlast.common.validation import format_date

from .choices import Outcome, Step
from .deadlines import DAY
from .money import format_euro
from .rules import ALLOWED_STEPS, TEAM_LEADER_STEPS, Deadline, DeadlineKind, MeasureState

PAYMENT_WEEKS = 6  # art. 5:33 Awb: a verbeurde dwangsom is paid within six weeks
REMINDER_DAYS = 14  # art. 4:112 lid 1 Awb: the aanmaning gives two weeks
# What an invorderingsbeschikking (or the old `invordering`) claimed.
_CLAIMS = (Step.COLLECTION_ORDER, Step.COLLECTION)


class TaskKind:
    DECISION = "besluit_nemen"
    CHECK = "controle_uitvoeren"
    PENALTY = "dwangsom_vastleggen"
    ENFORCE = "bestuursdwang_toepassen"
    COLLECTION_ORDER = "invorderingsbeschikking_nemen"
    REMINDER = "aanmaning_sturen"
    WRIT = "dwangbevel_uitvaardigen"

    LABELS = {
        DECISION: "Besluit nemen",
        CHECK: "Controle uitvoeren",
        PENALTY: "Verbeurde dwangsom vastleggen",
        ENFORCE: "Bestuursdwang toepassen",
        COLLECTION_ORDER: "Invorderingsbeschikking nemen",
        REMINDER: "Aanmaning sturen",
        WRIT: "Dwangbevel uitvaardigen",
    }


@dataclass(frozen=True)
class Task:
    """Something the team must do in a measure from `due_on` on (no personal data)."""

    kind: str
    due_on: datetime.date
    detail: str  # Dutch, after the label: why it is due
    step: str  # the step that records it

    @property
    def label(self) -> str:
        return TaskKind.LABELS[self.kind]

    @property
    def needs_team_leader(self) -> bool:
        return self.step in TEAM_LEADER_STEPS


def _decision_task(state: MeasureState, today: datetime.date) -> Task | None:
    """The zienswijze term is the person's too (art. 4:8 Awb): once it passed without a
    zienswijze the burgemeester may decide; that is the team's next task, not a missed term."""
    intention, term = state.last(Step.INTENTION_SENT), state.zienswijze_term
    if intention is None or term is None or today <= term.ends_on or state.is_ended:
        return None
    if state.after(intention, Step.VIEW_RECEIVED, Step.VIEW_WAIVED, Step.DECISION):
        return None
    detail = f"de zienswijzetermijn eindigde op {format_date(term.ends_on)} zonder zienswijze"
    return Task(TaskKind.DECISION, term.ends_on + DAY, detail, Step.DECISION)


def _enforcement_allowed(state: MeasureState, on: datetime.date) -> bool:
    return not state.is_ended and state.enforcement_refusal(on) is None


def _check_task(state: MeasureState, today: datetime.date) -> Task | None:
    term = state.begunstigingstermijn
    if term is None or today <= term.ends_on or not _enforcement_allowed(state, today):
        return None
    if any(row.step == Step.CHECK and row.occurred_on > term.ends_on for row in state.steps):
        return None
    if state.planned_check is not None:
        return None  # the planned controle is listed itself (DeadlineKind.CHECK)
    return Task(
        TaskKind.CHECK,
        term.ends_on + DAY,
        f"de begunstigingstermijn eindigde op {format_date(term.ends_on)}",
        Step.CHECK,
    )


def _breach_task(state: MeasureState) -> Task | None:
    """After a controle that found a breach: record the dwangsom verbeurd, or apply
    bestuursdwang, unless that followed it or the dwangsommen reached their maximum."""
    check = state.last(Step.CHECK)
    if check is None or check.outcome != Outcome.BREACHED or state.is_ended:
        return None
    if state.enforcement_refusal(check.occurred_on) is not None:
        return None
    if state.after(check, Step.PENALTY_INCURRED, Step.ENFORCEMENT_APPLIED):
        return None
    allowed = ALLOWED_STEPS[state.measure.kind].get(Step.CHECK, frozenset())
    decision = state.decision
    found = f"de controle van {format_date(check.occurred_on)} stelde een overtreding vast"
    if Step.PENALTY_INCURRED in allowed and decision and decision.penalty_amount:
        maximum = decision.penalty_maximum
        if maximum is not None and state.dwangsommen_verbeurd >= maximum:
            return None
        return Task(
            TaskKind.PENALTY,
            check.occurred_on,
            f"{found}; de dwangsom is van rechtswege verbeurd (art. 5:33 Awb)",
            Step.PENALTY_INCURRED,
        )
    if Step.ENFORCEMENT_APPLIED in allowed:
        detail = f"{found} (art. 5:24 Awb)"
        return Task(TaskKind.ENFORCE, check.occurred_on, detail, Step.ENFORCEMENT_APPLIED)
    return None


def _verjaring_text(state: MeasureState, penalty) -> str:
    ends_on = state.verjaring(penalty).ends_on
    if ends_on is None:
        return "de verjaring loopt door zolang bezwaar of beroep tegen de last loopt (5:35 Awb)"
    return f"uiterlijk {format_date(ends_on)} invorderen, daarna verjaard (art. 5:35 Awb)"


def _collection_tasks(state: MeasureState, today: datetime.date) -> list[Task]:
    """Invorderingsbeschikking, aanmaning, dwangbevel for the verbeurde dwangsommen."""
    outstanding = state.amount_outstanding
    alive = [p for p in state.verjaringen if not p.lapsed_on(today)]
    if not outstanding or not alive or state.has(Step.COST_ORDER):
        return []
    tasks = []
    claimed = sum(
        (row.amount or Decimal(0) for row in state.steps if row.step in _CLAIMS), Decimal(0)
    )
    to_claim = min(state.collectable_on(today), outstanding)
    if to_claim > 0:
        # The first dwangsom not covered by what was claimed or paid (oldest first).
        covered = max(claimed, state.amount_paid)
        running = Decimal(0)
        for item in alive:
            running += item.penalty.amount or Decimal(0)
            if running > covered:
                penalty = item.penalty
                break
        else:
            penalty = alive[-1].penalty
        tasks.append(
            Task(
                TaskKind.COLLECTION_ORDER,
                penalty.occurred_on + datetime.timedelta(weeks=PAYMENT_WEEKS) + DAY,
                f"{format_euro(to_claim)} verbeurd en niet betaald binnen zes weken na "
                f"{format_date(penalty.occurred_on)} (art. 5:33 en 5:37 Awb); "
                + _verjaring_text(state, penalty),
                Step.COLLECTION_ORDER,
            )
        )
    orders = [row for row in state.steps if row.step == Step.COLLECTION_ORDER]
    notified = [state.bekendmaking_van(row) for row in orders]
    notified = [row for row in notified if row is not None]
    if not notified:
        return tasks
    first_alive = alive[0].penalty
    reminder = state.last(Step.REMINDER)
    if reminder is None or reminder.occurred_on < notified[-1].occurred_on:
        earliest = first_alive.occurred_on + datetime.timedelta(weeks=PAYMENT_WEEKS) + DAY
        tasks.append(
            Task(
                TaskKind.REMINDER,
                max(notified[-1].occurred_on + DAY, earliest),
                f"{format_euro(outstanding)} staat open na de invorderingsbeschikking "
                f"bekendgemaakt op {format_date(notified[-1].occurred_on)} (art. 4:112 Awb); "
                + _verjaring_text(state, first_alive),
                Step.REMINDER,
            )
        )
    elif not state.after(reminder, Step.WRIT):
        tasks.append(
            Task(
                TaskKind.WRIT,
                reminder.occurred_on + REMINDER_DAYS * DAY + DAY,
                f"{format_euro(outstanding)} niet betaald binnen twee weken na de aanmaning "
                f"van {format_date(reminder.occurred_on)} (art. 4:112 en 4:114 Awb); "
                + _verjaring_text(state, first_alive),
                Step.WRIT,
            )
        )
    return tasks


def _cost_tasks(state: MeasureState, today: datetime.date) -> list[Task]:
    """Aanmaning and dwangbevel for the costs of bestuursdwang of the latest bekendgemaakte
    kostenbeschikking while something is outstanding and the costs are not verjaard
    (art. 4:87, 4:104, 4:112 and 4:114 Awb)."""
    outstanding = state.amount_outstanding
    verjaringen = state.verjaringen_kosten
    if not outstanding or not verjaringen or verjaringen[-1].lapsed_on(today):
        return []
    order = verjaringen[-1].penalty
    payment = state.cost_payment_term(order)
    prescribed = (
        f"uiterlijk {format_date(verjaringen[-1].ends_on)} invorderen, daarna verjaard "
        "(art. 4:104 Awb)"
    )
    reminder = state.last(Step.REMINDER)
    if reminder is None or reminder.occurred_on < order.occurred_on:
        return [
            Task(
                TaskKind.REMINDER,
                payment.ends_on + DAY,
                f"{format_euro(outstanding)} niet betaald binnen de betalingstermijn van de "
                f"kostenbeschikking (tot en met {format_date(payment.ends_on)}, art. 4:87 en "
                f"4:112 Awb); {prescribed}",
                Step.REMINDER,
            )
        ]
    if state.after(reminder, Step.WRIT):
        return []
    return [
        Task(
            TaskKind.WRIT,
            reminder.occurred_on + REMINDER_DAYS * DAY + DAY,
            f"{format_euro(outstanding)} niet betaald binnen twee weken na de aanmaning van "
            f"{format_date(reminder.occurred_on)} (art. 4:112 en 4:114 Awb); {prescribed}",
            Step.WRIT,
        )
    ]


def enforcement_tasks(state: MeasureState, today: datetime.date) -> list[Task]:
    """The tasks of the enforcement phase due on or before `today`, earliest first."""
    tasks = [
        _decision_task(state, today),
        _check_task(state, today),
        _breach_task(state),
        *_collection_tasks(state, today),
        *_cost_tasks(state, today),
    ]
    return sorted(
        (task for task in tasks if task is not None and task.due_on <= today),
        key=lambda task: task.due_on,
    )


def watched_deadlines(state: MeasureState, today: datetime.date) -> list[Deadline]:
    """The running deadlines as termijnbewaking lists them: the person's terms only until
    their last day (a passed begunstigingstermijn is the task Controle uitvoeren, or nothing
    when enforcing is not allowed; a passed zienswijzetermijn the task Besluit nemen), and a
    term that just lapses (bezwaar, beroep) only until its last day."""
    return [
        deadline
        for deadline in state.deadlines
        if not (deadline.due_on < today and (deadline.lapses or deadline.kind in _PERSONS))
    ]


# The terms that ask something of the person, not of the team.
_PERSONS = (DeadlineKind.COMPLIANCE, DeadlineKind.VIEW)
