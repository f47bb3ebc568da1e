"""The one table of allowed next steps per kind, and what a measure's steps imply: its
computed terms, its running deadlines and the steps that may follow.

ALLOWED_STEPS[kind][latest step or None] is the set of steps that may follow. Beyond the table
the step service checks *preconditions* (a team leader may record the step anyway with a
reason: urgency, art. 4:11 Awb) and *sequence* rules (never skippable); see services.py.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from woonoverlast.cases.choices import PartyRole
from woonoverlast.common.calendar import DAY, AtwCalendar, add_years

from .choices import (
    BEHAVIOURAL_ORDERS,
    COLLECTION_DECISIONS,
    COLLECTION_STEPS,
    REVOKING_OUTCOMES,
    RULING_STEPS,
    TERMINAL_STEPS,
    MeasureKind,
    Outcome,
    Step,
)
from .deadlines import (
    GELDSCHULD_VERJARING_YEARS,
    Term,
    begunstigingstermijn_end,
    beslistermijn_end,
    betalingstermijn_end,
    bezwaartermijn_end,
    geldschuld_verjaring_end,
    looptijd_end,
    presence_ban_end,
    request_beslistermijn_end,
    zienswijze_term_end,
)

_PREPARATION = frozenset({Step.INVESTIGATION_REPORT, Step.WEIGHING, Step.WARNING_SENT})
# After bekendmaking the bezwaar track and the enforcement track run side by side, so every
# step of this phase may follow every other; the sequence rules order them where the law does.
_ORDER_PHASE = frozenset(
    {
        Step.OBJECTION_RECEIVED,
        Step.OBJECTION_ADJOURNED,
        Step.OBJECTION_DECIDED,
        Step.HEARING,
        Step.DECISION_SUSPENDED,
        Step.DECISION_POSTPONED,
        Step.DIRECT_APPEAL,
        Step.APPEAL_FILED,
        Step.INTERIM_REQUEST,
        Step.INTERIM_RULING,
        Step.APPEAL_RULING,
        Step.HIGHER_APPEAL_FILED,
        Step.HIGHER_APPEAL_RULING,
        Step.CHECK,
        Step.WITHDRAWN,
        Step.EXPIRED,
        Step.ENDED,
        # A new besluit once the bezwaar revoked the old one (sequence rule, art. 7:11 lid 2).
        Step.DECISION,
        # The bekendmaking of an invorderings- or kostenbeschikking (sequence rule).
        Step.NOTIFIED,
        # A besluit extending the begunstigingstermijn (sequence rule).
        Step.TERM_EXTENDED,
    }
)
# The enforcement steps that presuppose a last in force whose begunstigingstermijn has passed
# (art. 5:32a lid 2, 5:24 lid 2 and 3:40 Awb); the controle that finds a breach supports them.
ENFORCEMENT_STEPS = frozenset({Step.PENALTY_INCURRED, Step.ENFORCEMENT_APPLIED})
# The besluiten a bekendgemaakt step can make known (the latest not yet known first).
_BESLUITEN = frozenset(
    {Step.DECISION, Step.OBJECTION_DECIDED, Step.REQUEST_DECIDED, *COLLECTION_DECISIONS}
)


def _flow(enforcement: frozenset[str]) -> dict[str | None, frozenset[str]]:
    before_decision = _PREPARATION | {Step.INTENTION_SENT, Step.DECISION, Step.ENDED}
    phase = _ORDER_PHASE | enforcement
    table: dict[str | None, frozenset[str]] = {None: frozenset(before_decision)}
    for step in _PREPARATION:
        table[step] = frozenset(before_decision)
    table[Step.INTENTION_SENT] = frozenset(
        {Step.VIEW_RECEIVED, Step.VIEW_WAIVED, Step.DECISION, Step.ENDED}
    )
    table[Step.VIEW_RECEIVED] = frozenset({Step.DECISION, Step.ENDED})
    table[Step.VIEW_WAIVED] = frozenset({Step.DECISION, Step.ENDED})
    table[Step.DECISION] = frozenset({Step.NOTIFIED, Step.WITHDRAWN})
    return _closed(table, phase - {Step.DECISION}, phase)


def _closed(table: dict, phase_steps, phase) -> dict[str | None, frozenset[str]]:
    """`table` with every step of the phase leading to the phase, the terminal steps and the
    steps this kind never reaches (another kind's enforcement) leading nowhere."""
    for step in phase_steps - TERMINAL_STEPS:
        table[step] = frozenset(phase)
    for step in TERMINAL_STEPS:
        table[step] = frozenset()
    for step in Step.values:
        table.setdefault(step, frozenset())
    return table


# Collection (art. 5:37, 4:112, 4:114 Awb; costs of bestuursdwang art. 5:25). The old
# `invordering` step is no longer offered (readable for existing rows).
_PENALTY = frozenset(
    {Step.PENALTY_INCURRED, Step.COLLECTION_ORDER, Step.PAYMENT_RECEIVED, Step.REMINDER, Step.WRIT}
)
_ENFORCEMENT = frozenset(
    {Step.ENFORCEMENT_APPLIED, Step.COST_ORDER, Step.PAYMENT_RECEIVED, Step.REMINDER, Step.WRIT}
)


def _request_flow() -> dict[str | None, frozenset[str]]:
    """A handhavingsverzoek (an aanvraag, art. 1:3 lid 3 Awb): received, investigated and
    weighed, decided within the term of art. 4:13 Awb, bekendgemaakt; the aanvrager may then
    object and appeal. Enforcing after a granted request is a measure of its own."""
    preparation = frozenset({Step.INVESTIGATION_REPORT, Step.WEIGHING})
    before = preparation | {Step.REQUEST_DECIDED, Step.ENDED}
    protection = (_ORDER_PHASE - {Step.CHECK, Step.DECISION, Step.TERM_EXTENDED}) | {Step.NOTIFIED}
    table: dict[str | None, frozenset[str]] = {
        None: frozenset({Step.REQUEST_RECEIVED}),
        Step.REQUEST_RECEIVED: before,
        Step.REQUEST_DECIDED: frozenset({Step.NOTIFIED, Step.WITHDRAWN}),
    }
    for step in preparation:
        table[step] = before
    return _closed(table, protection, protection)


def step_table() -> dict[str, dict[str | None, frozenset[str]]]:
    """The table of allowed next steps per kind, built anew. The application reads it once,
    as ALLOWED_STEPS; the tests of the table call this function, so that a mutation tool's
    change to `_flow` (switched on only after the import) reaches them (docs/testing.md)."""
    return {
        MeasureKind.BEHAVIOURAL_ORDER_PENALTY: _flow(_PENALTY),
        MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT: _flow(_ENFORCEMENT),
        # Art. 174a: the closure is carried out by bestuursdwang (lid 5: art. 5:25-5:28 Awb).
        MeasureKind.CLOSURE: _flow(_ENFORCEMENT),
        # Art. 151d lid 3: a last onder bestuursdwang whose content is the verbod, for the ten
        # days the law sets: no begunstigingstermijn to extend.
        MeasureKind.PRESENCE_BAN: {
            step: allowed - {Step.TERM_EXTENDED} for step, allowed in _flow(_ENFORCEMENT).items()
        },
        MeasureKind.ENFORCEMENT_REQUEST: _request_flow(),
        MeasureKind.OTHER: _flow(_PENALTY | _ENFORCEMENT),
    }


ALLOWED_STEPS: dict[str, dict[str | None, frozenset[str]]] = step_table()

# Whom a measure of each kind may be addressed to (the party it is against).
# Art. 151d Gemeentewet: lid 1 the one who uses the home (the veroorzaker); lid 2 (since 1
# January 2021) the one who gives it in use, the verhuurder or corporatie, for the hinder
# its huurders cause. The verbod om aanwezig te zijn (lid 3) is part of a last to the user.
# Art. 174a: the sluiting concerns the rechthebbende too (eigenaar, verhuurder). A
# handhavingsverzoek asks to enforce against whoever the request names.
_LANDLORDS = frozenset({PartyRole.LANDLORD, PartyRole.CORPORATION})
_RIGHT_HOLDERS = _LANDLORDS | {PartyRole.OWNER}
ADDRESSEE_ROLES: dict[str, frozenset[str]] = {
    MeasureKind.BEHAVIOURAL_ORDER_PENALTY: frozenset({PartyRole.RESPONDENT}) | _LANDLORDS,
    MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT: frozenset({PartyRole.RESPONDENT}) | _LANDLORDS,
    MeasureKind.PRESENCE_BAN: frozenset({PartyRole.RESPONDENT}),
    MeasureKind.CLOSURE: frozenset({PartyRole.RESPONDENT}) | _RIGHT_HOLDERS,
    MeasureKind.ENFORCEMENT_REQUEST: frozenset({PartyRole.RESPONDENT}) | _RIGHT_HOLDERS,
    MeasureKind.OTHER: frozenset({PartyRole.RESPONDENT}) | _RIGHT_HOLDERS,
}
ADDRESSEE_ROLES_ANY = frozenset().union(*ADDRESSEE_ROLES.values())


# After afgelopen or beëindigd only collecting (and the bekendmaking of its besluiten) goes
# on; after ingetrokken nothing.
AFTER_END: dict[str, frozenset[str]] = {
    kind: frozenset((ALLOWED_STEPS[kind][Step.CHECK] & COLLECTION_STEPS) | {Step.NOTIFIED})
    for kind in ALLOWED_STEPS
}

# Steps only a team leader records (the burgemeester decides; the team leader records it).
TEAM_LEADER_STEPS = frozenset(
    {
        Step.DECISION,
        Step.WITHDRAWN,
        Step.COLLECTION_ORDER,
        Step.COST_ORDER,
        Step.TERM_EXTENDED,
        Step.REQUEST_DECIDED,
    }
)

# The step data each step carries; any other must stay empty.
STEP_FIELDS: dict[str, frozenset[str]] = {
    Step.INTENTION_SENT: frozenset({"zienswijze_days"}),
    Step.DECISION: frozenset(
        {
            "begunstigingstermijn_days",
            "duration_months",
            "duration_indefinite",
            "indefinite_reason",
            "penalty_amount",
            "penalty_maximum",
        }
    ),
    Step.TERM_EXTENDED: frozenset({"until_on"}),
    Step.REQUEST_DECIDED: frozenset({"outcome"}),
    Step.NOTIFIED: frozenset({"next_check_on", "addressee"}),
    Step.OBJECTION_RECEIVED: frozenset({"advisory_committee", "addressee"}),
    Step.OBJECTION_DECIDED: frozenset({"outcome"}),
    Step.HEARING: frozenset({"outcome"}),
    Step.DECISION_SUSPENDED: frozenset({"until_on"}),
    Step.DECISION_POSTPONED: frozenset({"outcome", "until_on"}),
    Step.INTERIM_RULING: frozenset({"outcome"}),
    Step.APPEAL_RULING: frozenset({"outcome"}),
    Step.HIGHER_APPEAL_RULING: frozenset({"outcome"}),
    Step.CHECK: frozenset({"outcome", "next_check_on"}),
    Step.PENALTY_INCURRED: frozenset({"amount"}),
    Step.COLLECTION: frozenset({"amount"}),
    Step.ENFORCEMENT_APPLIED: frozenset({"amount"}),
    Step.COLLECTION_ORDER: frozenset({"amount"}),
    Step.PAYMENT_RECEIVED: frozenset({"amount"}),
    Step.COST_ORDER: frozenset({"amount"}),
}
STEP_DATA_FIELDS = (
    "zienswijze_days",
    "begunstigingstermijn_days",
    "duration_months",
    "duration_indefinite",
    "indefinite_reason",
    "penalty_amount",
    "penalty_maximum",
    "outcome",
    "advisory_committee",
    "amount",
    "next_check_on",
    "until_on",
    "addressee",
)


class DeadlineKind:
    VIEW = "zienswijze"
    OBJECTION = "bezwaartermijn"
    DECISION = "beslistermijn"
    COMPLIANCE = "begunstigingstermijn"
    CHECK = "controle"
    ORDER_END = "looptijd"
    APPEAL_TERM = "beroepstermijn"
    PRESCRIPTION = "verjaring"
    COST_PRESCRIPTION = "verjaring_kosten"
    COLLECTION_OBJECTION = "bezwaartermijn_invordering"
    REQUEST_DECISION = "beslistermijn_aanvraag"

    LABELS = {
        VIEW: "Zienswijzetermijn eindigt",
        OBJECTION: "Bezwaartermijn eindigt",
        DECISION: "Beslistermijn op bezwaar",
        COMPLIANCE: "Begunstigingstermijn eindigt",
        CHECK: "Controle gepland",
        ORDER_END: "Looptijd maatregel eindigt",
        APPEAL_TERM: "Beroepstermijn eindigt",
        PRESCRIPTION: "Verjaring dwangsom (laatste dag invordering)",
        COST_PRESCRIPTION: "Verjaring kosten bestuursdwang (laatste dag invordering)",
        COLLECTION_OBJECTION: "Bezwaartermijn invorderings- of kostenbeschikking eindigt",
        REQUEST_DECISION: "Beslistermijn handhavingsverzoek (art. 4:13 Awb)",
    }


# The properties of Deadline and MeasureState that compute a rule are plain methods `_name`
# made a property by assignment (`name = property(_name)`): mutmut 3 does not mutate a
# decorated function, so a `@property` rule would go unmeasured (docs/testing.md).


@dataclass(frozen=True)
class Deadline:
    """A running deadline of a measure."""

    kind: str
    due_on: datetime.date
    # A bezwaartermijn of a measure with more than one addressee: whose it is, by role
    # ("verhuurder"), never by name.
    addressee: str = ""

    def _label(self) -> str:
        if self.addressee and self.kind == DeadlineKind.OBJECTION:
            return f"Bezwaartermijn {self.addressee} eindigt"
        return DeadlineKind.LABELS[self.kind]

    label = property(_label)

    def _is_decision(self) -> bool:
        """A deadline the municipality itself must meet: missing it is red."""
        return self.kind in (
            DeadlineKind.DECISION,
            DeadlineKind.PRESCRIPTION,
            DeadlineKind.COST_PRESCRIPTION,
            DeadlineKind.REQUEST_DECISION,
        )

    is_decision = property(_is_decision)

    def _lapses(self) -> bool:
        """Once passed it asks nothing of the team (the bezwaartermijn just ends)."""
        return self.kind in (
            DeadlineKind.OBJECTION,
            DeadlineKind.COLLECTION_OBJECTION,
            DeadlineKind.APPEAL_TERM,
        )

    lapses = property(_lapses)


@dataclass(frozen=True)
class Verjaring:
    """The verjaring of one verbeurde dwangsom (art. 5:35 Awb): the last day it can be
    collected, or None while it is extended because bezwaar or beroep against the last is
    open or pending (5:35 lid 2); `interrupted_on` the latest act that stuitte it (the
    invorderingsbeschikking, 5:37a lid 1; the first aanmaning or a dwangbevel, 4:106)."""

    penalty: object
    ends_on: datetime.date | None
    interrupted_on: datetime.date | None

    def lapsed_on(self, day: datetime.date) -> bool:
        return self.ends_on is not None and day > self.ends_on


class MeasureState:
    """What a measure's steps (in order) imply. No queries: pass the steps and the calendar."""

    def __init__(self, measure, steps, calendar: AtwCalendar):
        self.measure = measure
        self.steps = list(steps)
        self.calendar = calendar

    @property
    def latest(self):
        return self.steps[-1] if self.steps else None

    @property
    def latest_step(self) -> str | None:
        return self.steps[-1].step if self.steps else None

    @cached_property
    def terminal(self):
        """The terminal step (ingetrokken, afgelopen, beëindigd), if any: only collection
        steps may follow it."""
        return next((row for row in reversed(self.steps) if row.step in TERMINAL_STEPS), None)

    @property
    def is_ended(self) -> bool:
        return self.terminal is not None

    def _index_of_last(self, step: str) -> int | None:
        for index in range(len(self.steps) - 1, -1, -1):
            if self.steps[index].step == step:
                return index
        return None

    def last(self, step: str):
        index = self._index_of_last(step)
        return None if index is None else self.steps[index]

    def has(self, step: str) -> bool:
        return self._index_of_last(step) is not None

    def after(self, step_row, *steps: str) -> bool:
        """Is there one of `steps` after `step_row`?"""
        index = self.steps.index(step_row)
        return any(row.step in steps for row in self.steps[index + 1 :])

    # -- the table ------------------------------------------------------------------------

    @property
    def allowed_next(self) -> frozenset[str]:
        terminal = self.terminal
        if terminal is None:
            return ALLOWED_STEPS[self.measure.kind][self.latest_step]
        return frozenset() if terminal.step == Step.WITHDRAWN else AFTER_END[self.measure.kind]

    # -- terms ----------------------------------------------------------------------------

    def _zienswijze_term(self) -> Term | None:
        intention = self.last(Step.INTENTION_SENT)
        if intention is None or intention.zienswijze_days is None:
            return None
        return zienswijze_term_end(intention.occurred_on, intention.zienswijze_days)

    zienswijze_term = cached_property(_zienswijze_term)

    @property
    def decision(self):
        """The latest besluit of the measure itself (a handhavingsverzoek: the besluit op de
        aanvraag)."""
        return self.last(Step.DECISION) or self.last(Step.REQUEST_DECIDED)

    @property
    def extension(self):
        """The latest last_verlengd after the latest besluit, if any: its end date governs
        the begunstigingstermijn from the day it is recorded."""
        decision = self.last(Step.DECISION)
        extension = self.last(Step.TERM_EXTENDED)
        if decision is None or extension is None:
            return None
        return extension if self.steps.index(extension) > self.steps.index(decision) else None

    @cached_property
    def request_beslistermijn(self) -> Term | None:
        """Art. 4:13 Awb: the term to decide a handhavingsverzoek, from its receipt."""
        received = self.last(Step.REQUEST_RECEIVED)
        return request_beslistermijn_end(received.occurred_on, self.calendar) if received else None

    @cached_property
    def bekendmakingen(self) -> dict[int, object]:
        """Each besluit (the order, an invorderings- or kostenbeschikking) by position, with
        its bekendmaking to the veroorzaker: a bekendgemaakt step makes known the latest
        besluit not yet known (a beslissing op bezwaar whose bekendmaking was never recorded
        does not take the bekendmaking of a later besluit). The bekendmaking to a further
        addressee is his own (addressee_bekendmakingen)."""
        waiting: list[int] = []
        found: dict[int, object] = {}
        for index, row in enumerate(self.steps):
            if row.step in _BESLUITEN:
                waiting.append(index)
            elif row.step == Step.NOTIFIED and row.addressee_id is None and waiting:
                found[waiting.pop()] = row
        return found

    @cached_property
    def addressee_bekendmakingen(self) -> dict[int, object]:
        """The bekendmaking of the order's latest besluit to each further addressee, by the
        addressee's id: the first bekendgemaakt step naming him after that besluit. The besluit
        takes effect for him from it (art. 3:40 and 3:41 lid 1 Awb)."""
        decision = self.decision
        if decision is None:
            return {}
        found: dict[int, object] = {}
        for row in self.steps[self.steps.index(decision) + 1 :]:
            if row.step == Step.NOTIFIED and row.addressee_id is not None:
                found.setdefault(row.addressee_id, row)
        return found

    @property
    def addressees_niet_bekendgemaakt(self) -> int:
        """How many further addressees the order's latest besluit has not yet been made known
        to (Measure.addressee_count: no query)."""
        if self.decision is None:
            return 0
        count = getattr(self.measure, "addressee_count", 0) or 0
        return max(count - len(self.addressee_bekendmakingen), 0)

    def _primary_role(self) -> str:
        """The role of the measure's own addressee (Measure.respondent), in lower case."""
        return self.measure.respondent.get_role_display().lower()

    def _bezwaartermijnen(self) -> list[tuple[int | None, str, object, Term]]:
        """One bezwaartermijn per addressee the order's besluit was made known to, each from
        the day after his own bekendmaking (art. 6:7 and 6:8 Awb; the Atw applies): (the
        addressee's id or None for the veroorzaker, his role or "" when the measure has no
        further addressee, the bekendmaking, the term). The veroorzaker's first."""
        found = []
        several = bool(getattr(self.measure, "addressee_count", 0))
        notified = self.bekendmaking
        if notified is not None:
            role = self._primary_role() if several else ""
            found.append((None, role, notified, self.bezwaartermijn))
        for addressee_id, row in self.addressee_bekendmakingen.items():
            term = bezwaartermijn_end(row.occurred_on, self.calendar)
            found.append((addressee_id, row.addressee.role_label, row, term))
        return found

    bezwaartermijnen = cached_property(_bezwaartermijnen)

    def bezwaartermijn_of(self, addressee_id: int | None) -> Term | None:
        """The bezwaartermijn of one addressee (None: the veroorzaker), if made known to him."""
        return next(
            (term for found, _, _, term in self.bezwaartermijnen if found == addressee_id), None
        )

    def _bezwaar_after(self, row, addressee_id: int | None):
        """The first bezwaar of `addressee_id` (None: the veroorzaker) after `row`."""
        index = self.steps.index(row)
        return next(
            (
                later
                for later in self.steps[index + 1 :]
                if later.step == Step.OBJECTION_RECEIVED and later.addressee_id == addressee_id
            ),
            None,
        )

    def bekendmaking_van(self, besluit):
        return self.bekendmakingen.get(self.steps.index(besluit)) if besluit else None

    @property
    def niet_bekendgemaakt_besluit(self):
        """The latest besluit not yet bekendgemaakt, if any."""
        for index in range(len(self.steps) - 1, -1, -1):
            if self.steps[index].step in _BESLUITEN and index not in self.bekendmakingen:
                return self.steps[index]
        return None

    @property
    def bekendmaking(self):
        """The bekendmaking of the latest besluit of the order, if any."""
        return self.bekendmaking_van(self.decision)

    @property
    def herroeping_of_schorsing(self):
        """What keeps the besluit from being enforced, unless a new besluit followed it: a
        beslissing op bezwaar that declared the bezwaar (partly) well-founded (the besluit is
        herroepen, art. 7:11 lid 2 Awb), an uitspraak that vernietigt it, or a voorlopige
        voorziening that schorst it (art. 8:81 Awb) until the uitspraak in beroep. The latest
        of these counts."""
        for row in reversed(self.steps):
            if row.step == Step.DECISION:
                return None
            if row.step in (Step.OBJECTION_DECIDED, *RULING_STEPS):
                return row if row.outcome in REVOKING_OUTCOMES else None
            if row.step == Step.INTERIM_RULING and row.outcome == Outcome.GRANTED:
                return row
        return None

    @property
    def enforcement_from(self) -> datetime.date | None:
        """The first day a breach can forfeit a dwangsom or bestuursdwang can be applied: the
        day after the begunstigingstermijn (art. 5:32a lid 2, 5:24 lid 2 Awb), or, for a last
        without a term, the day after bekendmaking (art. 3:40 Awb). None before bekendmaking."""
        if self.bekendmaking is None:
            return None
        term = self.begunstigingstermijn
        return (term.ends_on if term is not None else self.bekendmaking.occurred_on) + DAY

    def enforcement_refusal(self, on: datetime.date | None) -> str | None:
        """Why no dwangsom can be forfeited, no bestuursdwang applied and no breach found on
        `on` (None: it can). The law, not policy: nobody may skip it."""
        revoked = self.herroeping_of_schorsing
        if revoked is not None and revoked.step == Step.INTERIM_RULING:
            return (
                f"De voorzieningenrechter heeft het besluit op {revoked.occurred_on:%d-%m-%Y} "
                "geschorst (art. 8:81 Awb): handhaven kan pas na de uitspraak in beroep."
            )
        if revoked is not None and revoked.step in RULING_STEPS:
            return (
                f"De rechter heeft het besluit op {revoked.occurred_on:%d-%m-%Y} vernietigd "
                f"({Step(revoked.step).label.lower()}). Leg eerst een nieuw besluit vast."
            )
        if revoked is not None:
            return (
                f"Het bezwaar is op {revoked.occurred_on:%d-%m-%Y} "
                f"{Outcome(revoked.outcome).label.lower()} verklaard: de last is herroepen "
                "(art. 7:11 lid 2 Awb). Leg eerst een nieuw besluit vast."
            )
        start = self.enforcement_from
        if start is None:
            return (
                "Het besluit is nog niet bekendgemaakt; de last werkt pas daarna (art. 3:40 Awb)."
            )
        if on is None:
            return None
        if on < start:
            if self.begunstigingstermijn is not None:
                return (
                    f"Kan vanaf {start:%d-%m-%Y}: de begunstigingstermijn loopt nog tot en met "
                    f"{self.begunstigingstermijn.ends_on:%d-%m-%Y} (art. 5:32a lid 2 en 5:24 "
                    "lid 2 Awb)."
                )
            return (
                f"Kan vanaf {start:%d-%m-%Y}: de last werkt pas na de bekendmaking op "
                f"{self.bekendmaking.occurred_on:%d-%m-%Y} (art. 3:40 Awb)."
            )
        if self.looptijd_end is not None and on > self.looptijd_end.ends_on:
            return (
                f"De looptijd van de last eindigde op {self.looptijd_end.ends_on:%d-%m-%Y}; daarna "
                "kan geen dwangsom meer worden verbeurd of bestuursdwang worden toegepast."
            )
        return None

    def _bezwaartermijn(self) -> Term | None:
        notified = self.bekendmaking
        return bezwaartermijn_end(notified.occurred_on, self.calendar) if notified else None

    bezwaartermijn = cached_property(_bezwaartermijn)

    def _open_bezwaren(self) -> list:
        """The bezwaren not yet decided (nor sent on as rechtstreeks beroep), oldest first.
        Bezwaren of several addressees against one besluit are decided together: one
        beslissing op bezwaar decides every bezwaar open before it."""
        found: list = []
        for row in self.steps:
            if row.step == Step.OBJECTION_RECEIVED:
                found.append(row)
            elif row.step in (Step.OBJECTION_DECIDED, Step.DIRECT_APPEAL):
                found = []
        return found

    open_bezwaren = cached_property(_open_bezwaren)

    def _open_bezwaar(self):
        """The oldest bezwaar not yet decided, if any: its beslistermijn ends first."""
        return self.open_bezwaren[0] if self.open_bezwaren else None

    open_bezwaar = property(_open_bezwaar)

    def _first_after(self, row, *steps: str):
        index = self.steps.index(row)
        return next((later for later in self.steps[index + 1 :] if later.step in steps), None)

    @property
    def open_beroep(self):
        """The beroep (or rechtstreeks beroep, art. 7:1a Awb) without an uitspraak, if any."""
        appeal = next(
            (
                row
                for row in reversed(self.steps)
                if row.step in (Step.APPEAL_FILED, Step.DIRECT_APPEAL)
            ),
            None,
        )
        if appeal is None or self.after(appeal, Step.APPEAL_RULING):
            return None
        return appeal

    @property
    def open_hoger_beroep(self):
        appeal = self.last(Step.HIGHER_APPEAL_FILED)
        if appeal is None or self.after(appeal, Step.HIGHER_APPEAL_RULING):
            return None
        return appeal

    @property
    def open_verzoek_voorlopige_voorziening(self):
        request = self.last(Step.INTERIM_REQUEST)
        if request is None or self.after(request, Step.INTERIM_RULING):
            return None
        return request

    @property
    def bekendmaking_beslissing_op_bezwaar(self):
        """The bekendmaking of the latest beslissing op bezwaar, if recorded."""
        return self.bekendmaking_van(self.last(Step.OBJECTION_DECIDED))

    def _beroepstermijn(self) -> Term | None:
        """Six weeks from the day after the beslissing op bezwaar was bekendgemaakt (art. 6:7
        and 6:8 Awb); the Atw applies."""
        notified = self.bekendmaking_beslissing_op_bezwaar
        return bezwaartermijn_end(notified.occurred_on, self.calendar) if notified else None

    beroepstermijn = cached_property(_beroepstermijn)

    def _beslistermijn_verdaagd(self) -> bool:
        bezwaar = self.open_bezwaar or self.last(Step.OBJECTION_RECEIVED)
        return bezwaar is not None and self.after(bezwaar, Step.OBJECTION_ADJOURNED)

    beslistermijn_verdaagd = property(_beslistermijn_verdaagd)

    def _beslistermijn(self) -> Term | None:
        """Art. 7:10 Awb: lid 1 (six weeks, twelve with an adviescommissie), lid 3 (verdaagd),
        lid 2 (opgeschort from the day after the request to herstel until the day it was
        hersteld or its term passed: those days are added) and lid 4 (verder uitgesteld: the
        agreed day)."""
        bezwaar = self.open_bezwaar or self.last(Step.OBJECTION_RECEIVED)
        if bezwaar is None:
            return None
        # From the end of the bezwaartermijn of the one who objected (his own bekendmaking).
        bezwaartermijn = self.bezwaartermijn_of(bezwaar.addressee_id) or self.bezwaartermijn
        if bezwaartermijn is None:
            return None
        term = beslistermijn_end(
            bezwaartermijn.ends_on,
            self.calendar,
            advisory_committee=bezwaar.advisory_committee,
            adjourned=self.beslistermijn_verdaagd,
        )
        later = self.steps[self.steps.index(bezwaar) + 1 :]
        suspended = sum(
            (
                (row.until_on - row.occurred_on).days
                for row in later
                if row.step == Step.DECISION_SUSPENDED and row.until_on
            ),
            0,
        )
        if suspended:
            plain = term.plain_on + suspended * DAY
            ends = self.calendar.extend(plain) if term.atw_applies else plain
            term = Term(plain_on=plain, ends_on=ends, atw_applies=term.atw_applies)
        postponed = [row for row in later if row.step == Step.DECISION_POSTPONED and row.until_on]
        if postponed:
            day = postponed[-1].until_on
            term = Term(plain_on=day, ends_on=day, atw_applies=False)
        return term

    beslistermijn = cached_property(_beslistermijn)

    def _begunstigingstermijn(self) -> Term | None:
        """From the day after bekendmaking, as the besluit set it; once a besluit extended it
        (last_verlengd), until the new last day (a favourable besluit, art. 5:32a lid 2 Awb
        read with 4:81: the extension governs forfeiture from the day it is recorded)."""
        decision, notified = self.decision, self.bekendmaking
        if decision is None or notified is None:
            return None
        extension = self.extension
        if extension is not None and extension.until_on:
            return Term(plain_on=extension.until_on, ends_on=extension.until_on, atw_applies=False)
        if decision.begunstigingstermijn_days is None:
            return None
        return begunstigingstermijn_end(notified.occurred_on, decision.begunstigingstermijn_days)

    begunstigingstermijn = cached_property(_begunstigingstermijn)

    def _looptijd_end(self) -> Term | None:
        """The last day of the looptijd: months from bekendmaking as the besluit set them (None:
        onbepaald); a verbod om aanwezig te zijn: ten days by law (art. 151d lid 3)."""
        decision, notified = self.decision, self.bekendmaking
        if decision is None or notified is None:
            return None
        if self.measure.kind == MeasureKind.PRESENCE_BAN:
            return presence_ban_end(notified.occurred_on)
        if decision.duration_months is None:
            return None
        return looptijd_end(notified.occurred_on, decision.duration_months)

    looptijd_end = cached_property(_looptijd_end)

    def _planned_check(self):
        """The latest step with a planned controle, unless a controle followed it: walking
        back from the latest step, the first controle met ends the search (it planned the next
        one itself, or none is planned)."""
        for index in range(len(self.steps) - 1, -1, -1):
            row = self.steps[index]
            if row.next_check_on:
                return row
            if row.step == Step.CHECK:
                return None
        return None

    planned_check = property(_planned_check)

    def _dwangsommen_verbeurd(self) -> Decimal:
        return self._total(Step.PENALTY_INCURRED)

    dwangsommen_verbeurd = property(_dwangsommen_verbeurd)

    # -- collection ----------------------------------------------------------------------

    def _total(self, *steps: str) -> Decimal:
        return sum(
            (row.amount or Decimal(0) for row in self.steps if row.step in steps), Decimal(0)
        )

    @property
    def verbeurde_dwangsommen(self) -> list:
        return [row for row in self.steps if row.step == Step.PENALTY_INCURRED]

    @property
    def amount_due(self) -> Decimal:
        """What the person owes: the dwangsommen verbeurd and the costs charged."""
        return self._total(Step.PENALTY_INCURRED, Step.COST_ORDER)

    @property
    def amount_paid(self) -> Decimal:
        """Paid, counting the old `invordering` step as collected."""
        return self._total(Step.PAYMENT_RECEIVED, Step.COLLECTION)

    @property
    def amount_outstanding(self) -> Decimal:
        return max(self.amount_due - self.amount_paid, Decimal(0))

    def _onherroepelijk_on(self) -> datetime.date | None:
        """The day the order can no longer be challenged (the last day of a term left unused,
        or the uitspraak in hoger beroep), or None while bezwaar or beroep is pending or
        before bekendmaking. A beslissing op bezwaar without a recorded bekendmaking counts
        from its own date; an uitspraak from its date (hoger beroep: six weeks, 6:7 Awb)."""
        notified = self.bekendmaking
        if notified is None or self.addressees_niet_bekendgemaakt:
            # Not yet made known to every addressee: someone's term has not even started.
            return None
        higher = self.last(Step.HIGHER_APPEAL_FILED)
        if higher is not None:
            uitspraak = self._first_after(higher, Step.HIGHER_APPEAL_RULING)
            return uitspraak.occurred_on if uitspraak else None
        appeal = self.open_beroep
        if appeal is not None:
            return None
        uitspraak = self.last(Step.APPEAL_RULING)
        if uitspraak is not None:
            return bezwaartermijn_end(uitspraak.occurred_on, self.calendar).ends_on
        # Each addressee's own term (art. 6:8 Awb): the besluit stands once the last of them
        # passed unused, or the bezwaar made in it was decided and that term passed too.
        ends = []
        for addressee_id, _, known_on, term in self.bezwaartermijnen:
            bezwaar = self._bezwaar_after(known_on, addressee_id)
            if bezwaar is None:
                ends.append(term.ends_on)
                continue
            decided = self._first_after(bezwaar, Step.OBJECTION_DECIDED)
            if decided is None:
                return None
            known = self.bekendmaking_van(decided) or decided
            ends.append(bezwaartermijn_end(known.occurred_on, self.calendar).ends_on)
        return max(ends)

    onherroepelijk_on = cached_property(_onherroepelijk_on)

    def verjaring(self, penalty) -> Verjaring:
        """Art. 5:35 lid 1: one year after the day of forfeiture (not moved by the Atw: a term
        of more than twelve weeks, art. 4 lid 1 sub a). Each stuiting (the
        invorderingsbeschikking, 5:37a lid 1; the first aanmaning and a dwangbevel, 4:106)
        made before it lapsed starts a new year. Lid 2: when on its last day bezwaar or beroep
        against the last is open or pending, it runs until that is decided irrevocably."""
        ends_on = add_years(penalty.occurred_on, 1)
        interrupted_on = None
        reminded = False
        for row in self.steps[self.steps.index(penalty) + 1 :]:
            first_reminder = row.step == Step.REMINDER and not reminded
            reminded = reminded or row.step == Step.REMINDER
            stuit = row.step in (Step.COLLECTION_ORDER, Step.WRIT) or first_reminder
            if stuit and row.occurred_on <= ends_on:
                interrupted_on, ends_on = row.occurred_on, add_years(row.occurred_on, 1)
        irrevocable = self.onherroepelijk_on
        if irrevocable is None:
            return Verjaring(penalty, None, interrupted_on)
        return Verjaring(penalty, max(ends_on, irrevocable), interrupted_on)

    def _verjaringen(self) -> list[Verjaring]:
        return [self.verjaring(row) for row in self.verbeurde_dwangsommen]

    verjaringen = cached_property(_verjaringen)

    def cost_payment_term(self, order) -> Term | None:
        """The betalingstermijn of a kostenbeschikking (art. 4:87 lid 1 Awb: six weeks after
        its bekendmaking, Atw), or None before bekendmaking."""
        notified = self.bekendmaking_van(order)
        return betalingstermijn_end(notified.occurred_on, self.calendar) if notified else None

    def verjaring_kosten(self, order) -> Verjaring | None:
        """The verjaring of the costs of bestuursdwang fixed by the kostenbeschikking `order`
        (art. 5:25 Awb; a geldschuld of titel 4.4): five years after the betalingstermijn
        passed (art. 4:104 lid 1), after its bekendmaking only. A first aanmaning or a
        dwangbevel made before it lapsed stuit it and starts a new term of five years (art.
        4:105 and 4:106 Awb, read as the dwangsom's verjaring reads them)."""
        payment = self.cost_payment_term(order)
        if payment is None:
            return None
        ends_on = geldschuld_verjaring_end(payment.ends_on)
        interrupted_on = None
        reminded = False
        for row in self.steps[self.steps.index(order) + 1 :]:
            first_reminder = row.step == Step.REMINDER and not reminded
            reminded = reminded or row.step == Step.REMINDER
            stuit = row.step == Step.WRIT or first_reminder
            if stuit and row.occurred_on <= ends_on:
                interrupted_on = row.occurred_on
                ends_on = add_years(row.occurred_on, GELDSCHULD_VERJARING_YEARS)
        return Verjaring(order, ends_on, interrupted_on)

    def _verjaringen_kosten(self) -> list[Verjaring]:
        """The verjaring of each bekendgemaakte kostenbeschikking."""
        found = [self.verjaring_kosten(row) for row in self.steps if row.step == Step.COST_ORDER]
        return [item for item in found if item is not None]

    verjaringen_kosten = cached_property(_verjaringen_kosten)

    def collectable_on(self, day: datetime.date) -> Decimal:
        """What an invorderingsbeschikking on `day` may still claim: the dwangsommen verbeurd
        and not verjaard on that day, less what earlier beschikkingen (and the old
        `invordering`) already claimed."""
        alive = sum(
            (p.penalty.amount or Decimal(0) for p in self.verjaringen if not p.lapsed_on(day)),
            Decimal(0),
        )
        return max(alive - self._total(Step.COLLECTION_ORDER, Step.COLLECTION), Decimal(0))

    def _next_verjaring(self) -> Verjaring | None:
        """The earliest verjaring still running while something is outstanding (API
        `verjaring_tot`)."""
        if not self.amount_outstanding:
            return None
        dated = [p for p in self.verjaringen if p.ends_on is not None]
        return min(dated, key=lambda p: p.ends_on, default=None)

    next_verjaring = property(_next_verjaring)

    def collection_terms(self) -> list[tuple[object, Term]]:
        """The bezwaartermijn of each bekendgemaakte invorderings- or kostenbeschikking."""
        terms = []
        for row in self.steps:
            if row.step in COLLECTION_DECISIONS:
                notified = self.bekendmaking_van(row)
                if notified is not None:
                    terms.append((row, bezwaartermijn_end(notified.occurred_on, self.calendar)))
        return terms

    def computed_dates(self) -> list[tuple[str, Term]]:
        """Every term computed so far, running or not, for the case file."""
        terms = [
            (DeadlineKind.REQUEST_DECISION, self.request_beslistermijn),
            (DeadlineKind.VIEW, self.zienswijze_term),
            (DeadlineKind.DECISION, self.beslistermijn),
            (DeadlineKind.APPEAL_TERM, self.beroepstermijn),
            (DeadlineKind.COMPLIANCE, self.begunstigingstermijn),
            (DeadlineKind.ORDER_END, self.looptijd_end),
        ]
        dates = [(DeadlineKind.LABELS[kind], term) for kind, term in terms if term is not None]
        for _, role, _, term in self.bezwaartermijnen:
            dates.append((Deadline(DeadlineKind.OBJECTION, term.ends_on, role).label, term))
        for row, term in self.collection_terms():
            dates.append((f"Bezwaartermijn {Step(row.step).label.lower()} eindigt", term))
        for item in self.verjaringen:
            if item.ends_on is not None:
                label = f"Verjaring dwangsom verbeurd op {item.penalty.occurred_on:%d-%m-%Y}"
                dates.append((label, Term(item.ends_on, item.ends_on, atw_applies=False)))
        for item in self.verjaringen_kosten:
            order = item.penalty
            label = f"Betalingstermijn kostenbeschikking van {order.occurred_on:%d-%m-%Y} eindigt"
            dates.append((label, self.cost_payment_term(order)))
            label = f"Verjaring kosten kostenbeschikking van {order.occurred_on:%d-%m-%Y}"
            dates.append((label, Term(item.ends_on, item.ends_on, atw_applies=False)))
        return dates

    # -- running deadlines -----------------------------------------------------------------

    def _deadlines(self) -> list[Deadline]:
        """The deadlines still running, earliest first (once the measure has ended only those
        of collecting what is outstanding)."""
        found = self._collection_deadlines()
        if self.is_ended:
            found.sort(key=lambda deadline: deadline.due_on)
            return found
        received = self.last(Step.REQUEST_RECEIVED)
        if received is not None and not self.after(received, Step.REQUEST_DECIDED):
            term = self.request_beslistermijn
            found.append(Deadline(DeadlineKind.REQUEST_DECISION, term.ends_on))
        intention = self.last(Step.INTENTION_SENT)
        if (
            intention is not None
            and self.zienswijze_term
            and not self.after(intention, Step.VIEW_RECEIVED, Step.VIEW_WAIVED, Step.DECISION)
        ):
            found.append(Deadline(DeadlineKind.VIEW, self.zienswijze_term.ends_on))
        for addressee_id, role, known_on, term in self.bezwaartermijnen:
            if self._bezwaar_after(known_on, addressee_id) is None:
                found.append(Deadline(DeadlineKind.OBJECTION, term.ends_on, role))
        decided_notice = self.bekendmaking_beslissing_op_bezwaar
        if (
            decided_notice is not None
            and self.beroepstermijn
            and not self.after(decided_notice, Step.APPEAL_FILED)
        ):
            found.append(Deadline(DeadlineKind.APPEAL_TERM, self.beroepstermijn.ends_on))
        if self.open_bezwaar is not None and self.beslistermijn:
            found.append(Deadline(DeadlineKind.DECISION, self.beslistermijn.ends_on))
        term = self.begunstigingstermijn
        if term is not None and not any(
            row.step == Step.CHECK and row.occurred_on > term.ends_on for row in self.steps
        ):
            found.append(Deadline(DeadlineKind.COMPLIANCE, term.ends_on))
        planned = self.planned_check
        if planned is not None:
            found.append(Deadline(DeadlineKind.CHECK, planned.next_check_on))
        if self.looptijd_end is not None:
            found.append(Deadline(DeadlineKind.ORDER_END, self.looptijd_end.ends_on))
        found.sort(key=lambda deadline: deadline.due_on)
        return found

    deadlines = cached_property(_deadlines)

    def _collection_deadlines(self) -> list[Deadline]:
        found = []
        for row, term in self.collection_terms():
            if not self.after(row, Step.OBJECTION_RECEIVED):
                found.append(Deadline(DeadlineKind.COLLECTION_OBJECTION, term.ends_on))
        if self.amount_outstanding:
            for due_on in sorted({p.ends_on for p in self.verjaringen if p.ends_on}):
                found.append(Deadline(DeadlineKind.PRESCRIPTION, due_on))
            for due_on in sorted({p.ends_on for p in self.verjaringen_kosten}):
                found.append(Deadline(DeadlineKind.COST_PRESCRIPTION, due_on))
        return found

    def next_deadline(self, today: datetime.date | None = None) -> Deadline | None:
        """The earliest running deadline (a lapsing one only while it has not passed)."""
        for deadline in self.deadlines:
            if deadline.lapses and today and deadline.due_on < today:
                continue
            return deadline
        return None


def precondition_problems(state: MeasureState, step: str, on: datetime.date | None) -> list[str]:
    """Why `step` on `on` does not meet its preconditions (empty: it does). A team leader may
    record the step anyway, with a reason."""
    problems = []
    kind = state.measure.kind
    if step == Step.INTENTION_SENT and kind in BEHAVIOURAL_ORDERS:
        # Zoetermeer's instrument (APV art. 2:37a): onderzoeksverslag, belangenafweging and
        # waarschuwing before the voornemen; policy, so a team leader may go ahead.
        missing = [
            Step(needed).label.lower()
            for needed in (Step.INVESTIGATION_REPORT, Step.WEIGHING, Step.WARNING_SENT)
            if not state.has(needed)
        ]
        if missing:
            listed = (
                ", ".join(missing[:-1]) + " en " + missing[-1] if len(missing) > 1 else missing[0]
            )
            problems.append(f"Voor een voornemen tot gedragsaanwijzing zijn nodig: {listed}.")
    if step == Step.DECISION:
        intention = state.last(Step.INTENTION_SENT)
        if intention is None:
            problems.append("Er is nog geen voornemen verzonden (zienswijze, art. 4:8 Awb).")
        elif not state.after(intention, Step.VIEW_RECEIVED, Step.VIEW_WAIVED):
            term = state.zienswijze_term
            if term is not None and on is not None and on <= term.ends_on:
                problems.append(
                    "De zienswijzetermijn loopt nog tot en met "
                    f"{term.ends_on:%d-%m-%Y} en er is geen zienswijze ontvangen of afgezien."
                )
    return problems


__all__ = [
    "ALLOWED_STEPS",
    "STEP_DATA_FIELDS",
    "STEP_FIELDS",
    "TEAM_LEADER_STEPS",
    "Deadline",
    "DeadlineKind",
    "MeasureState",
    "Outcome",
    "precondition_problems",
    "step_table",
]
