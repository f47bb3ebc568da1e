"""Demo maatregelen, added to existing demo cases (no case is created, closed or changed, so
Tabel 5.1 reads exactly as before): some finished in 2023 and 2024 (one with a dwangsom
verbeurd, one with a bezwaar) and a few running, with deadlines around today: a dwangsom in
collection, an order addressed to the verhuurder too, a begunstigingstermijn extended, a
handhavingsverzoek and a verbod om aanwezig te zijn."""

import datetime
from decimal import Decimal

from woonoverlast.cases.choices import PartyRole, Status
from woonoverlast.cases.models import Case, StatusChange
from woonoverlast.cases.services.activity import party_add

from .choices import MeasureKind, Outcome, Step
from .models import Measure
from .rules import TEAM_LEADER_STEPS
from .services import measure_addressee_add, measure_start, measure_step_record

DAY = datetime.timedelta(days=1)
# The belangenafweging is recorded in its note (services.measure_step_record requires it).
WEIGHING_NOTE = (
    "Subsidiariteit: gesprekken, buurtbemiddeling en een waarschuwing hebben de overlast niet "
    "gestopt. Evenredigheid: de last beperkt alleen het gedrag dat de buren hindert."
)


def _case(*, registered_from, registered_to, open_until=None, skip=0):
    """A demo case registered in the period, open at least until `open_until` (or still
    open), with a veroorzaker, without a maatregel yet; the same one on every machine."""
    cases = (
        Case.objects.filter(
            registered_on__gte=registered_from,
            registered_on__lte=registered_to,
            parties__role=PartyRole.RESPONDENT,
            measures__isnull=True,
        )
        .order_by("registered_on", "reference")
        .distinct()
    )
    if open_until is None:
        cases = cases.filter(status=Status.OPEN)
    else:
        closed_early = StatusChange.objects.filter(
            status=Status.CLOSED, effective_on__lte=open_until
        ).values("case_id")
        cases = cases.exclude(pk__in=closed_early)
    return cases[skip]


def _steps(measure, by, leader, start: datetime.date, plan):
    # Recorded by the case's own casemanager where it has one: once the case is closed, only
    # they (and team leaders) may still write to it (accounts.roles.can_write_case).
    by = measure.case.casemanager or by
    for offset, step, data in plan:
        user = leader if step in TEAM_LEADER_STEPS else by
        if step == Step.WEIGHING:
            data = {"note": WEIGHING_NOTE, **data}
        measure_step_record(measure, step=step, on=start + offset * DAY, by=user, **data)


def _start(case, kind, on, by):
    # By the case's own casemanager too: measure_start checks can_write_case like the steps.
    respondent = case.parties.filter(role=PartyRole.RESPONDENT).order_by("pk").first()
    return measure_start(
        case=case, respondent=respondent, kind=kind, by=case.casemanager or by, on=on
    )


def add_demo_measures(*, casemanager, teamleader, today: datetime.date) -> int:
    """Add the demo maatregelen; returns how many. Nothing when there are any already."""
    if Measure.objects.exists():
        return 0
    made = 0
    penalty = {"penalty_amount": Decimal("250"), "penalty_maximum": Decimal("2500")}

    def add(case, kind: str, start: datetime.date, plan) -> None:
        """Start a maatregel of `kind` on `case` on `start` and record `plan`, a list of
        (days after `start`, step, step data)."""
        nonlocal made
        measure = _start(case, kind, start, casemanager)
        _steps(measure, casemanager, teamleader, start, plan)
        made += 1

    # 2023: a gedragsaanwijzing with a dwangsom verbeurd and collected, then afgelopen.
    case = _case(
        registered_from=datetime.date(2023, 1, 1),
        registered_to=datetime.date(2023, 3, 31),
        open_until=datetime.date(2023, 6, 30),
    )
    add(
        case,
        MeasureKind.BEHAVIOURAL_ORDER_PENALTY,
        case.registered_on + 7 * DAY,
        [
            (0, Step.INVESTIGATION_REPORT, {}),
            (7, Step.WEIGHING, {}),
            (10, Step.WARNING_SENT, {}),
            (40, Step.INTENTION_SENT, {"zienswijze_days": 14}),
            (50, Step.VIEW_RECEIVED, {}),
            (60, Step.DECISION, {"begunstigingstermijn_days": 14, "duration_months": 6, **penalty}),
            (62, Step.NOTIFIED, {}),
            (80, Step.CHECK, {"outcome": Outcome.BREACHED}),
            (80, Step.PENALTY_INCURRED, {}),
            (100, Step.COLLECTION_ORDER, {"amount": Decimal("250")}),
            (102, Step.NOTIFIED, {}),
            (110, Step.PAYMENT_RECEIVED, {"amount": Decimal("250")}),
            (120, Step.CHECK, {"outcome": Outcome.COMPLIED}),
            (245, Step.EXPIRED, {}),
        ],
    )

    # 2023: a closure (art. 174a) of three months.
    case = _case(
        registered_from=datetime.date(2023, 4, 1),
        registered_to=datetime.date(2023, 6, 30),
        open_until=datetime.date(2023, 7, 31),
    )
    add(
        case,
        MeasureKind.CLOSURE,
        case.registered_on + 3 * DAY,
        [
            (0, Step.INVESTIGATION_REPORT, {}),
            (2, Step.WEIGHING, {}),
            (5, Step.INTENTION_SENT, {"zienswijze_days": 7}),
            (8, Step.VIEW_WAIVED, {}),
            (13, Step.DECISION, {"duration_months": 3}),
            (14, Step.NOTIFIED, {}),
            (30, Step.CHECK, {"outcome": Outcome.BREACHED}),
            (31, Step.ENFORCEMENT_APPLIED, {}),
            (106, Step.EXPIRED, {}),
        ],
    )

    # 2024: a gedragsaanwijzing (bestuursdwang) with a bezwaar, decided ongegrond.
    case = _case(
        registered_from=datetime.date(2024, 1, 1),
        registered_to=datetime.date(2024, 3, 31),
        open_until=datetime.date(2024, 5, 31),
    )
    add(
        case,
        MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT,
        case.registered_on + 5 * DAY,
        [
            (0, Step.INVESTIGATION_REPORT, {}),
            (2, Step.WEIGHING, {}),
            (3, Step.WARNING_SENT, {}),
            (30, Step.INTENTION_SENT, {"zienswijze_days": 14}),
            (45, Step.DECISION, {"begunstigingstermijn_days": 21, "duration_months": 12}),
            (47, Step.NOTIFIED, {}),
            (60, Step.OBJECTION_RECEIVED, {"advisory_committee": True}),
            (100, Step.HEARING, {"outcome": Outcome.HEARD}),
            (120, Step.OBJECTION_DECIDED, {"outcome": Outcome.UNFOUNDED}),
            (130, Step.CHECK, {"outcome": Outcome.COMPLIED}),
            (200, Step.ENDED, {}),
        ],
    )

    # Running, around today. The cases must have been open since well before.
    recent_from, recent_to = today - 400 * DAY, today - 120 * DAY
    # A voornemen whose zienswijze term ends in four days.
    case = _case(registered_from=recent_from, registered_to=recent_to)
    add(
        case,
        MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT,
        today - 40 * DAY,
        [
            (0, Step.INVESTIGATION_REPORT, {}),
            (5, Step.WEIGHING, {}),
            (10, Step.WARNING_SENT, {}),
            (30, Step.INTENTION_SENT, {"zienswijze_days": 14}),
        ],
    )

    # A dwangsom order: bezwaartermijn running, begunstigingstermijn passed, controle planned.
    # It is addressed to the verhuurder too (art. 151d lid 2 Gemeentewet), made known to him
    # two days later: his own bezwaartermijn runs two days longer (art. 6:7 and 6:8 Awb).
    case = _case(registered_from=recent_from, registered_to=recent_to, skip=1)
    start = today - 80 * DAY
    measure = _start(case, MeasureKind.BEHAVIOURAL_ORDER_PENALTY, start, casemanager)
    by = case.casemanager or casemanager
    landlord = party_add(
        case,
        role=PartyRole.CORPORATION if case.housing_type == "corporatie" else PartyRole.LANDLORD,
        name="Woonstichting De Meerwaarde" if case.housing_type == "corporatie" else "J. Verhoef",
        by=by,
    )
    addressee = measure_addressee_add(measure=measure, party=landlord, by=by, on=start + 40 * DAY)
    _steps(
        measure,
        casemanager,
        teamleader,
        start,
        [
            (0, Step.INVESTIGATION_REPORT, {}),
            (3, Step.WEIGHING, {}),
            (5, Step.WARNING_SENT, {}),
            (30, Step.INTENTION_SENT, {"zienswijze_days": 14}),
            (46, Step.VIEW_WAIVED, {}),
            (48, Step.DECISION, {"begunstigingstermijn_days": 14, "duration_months": 6, **penalty}),
            (50, Step.NOTIFIED, {"next_check_on": today + 2 * DAY}),
            (52, Step.NOTIFIED, {"addressee": addressee}),
        ],
    )
    made += 1

    # A bezwaar whose beslistermijn ends in about two weeks.
    case = _case(registered_from=recent_from, registered_to=recent_to, skip=2)
    add(
        case,
        MeasureKind.BEHAVIOURAL_ORDER_PENALTY,
        today - 110 * DAY,
        [
            (0, Step.INVESTIGATION_REPORT, {}),
            (3, Step.WEIGHING, {}),
            (5, Step.WARNING_SENT, {}),
            (20, Step.INTENTION_SENT, {"zienswijze_days": 14}),
            (
                35,
                Step.DECISION,
                {"begunstigingstermijn_days": 28, "duration_months": 12, **penalty},
            ),
            (40, Step.NOTIFIED, {}),
            (60, Step.OBJECTION_RECEIVED, {}),
        ],
    )

    # A dwangsom in collection: two forfeited, an invorderingsbeschikking bekendgemaakt, an
    # aanmaning; the verjaring runs (a year after the beschikking stuitte it, art. 5:37a).
    case = _case(registered_from=recent_from, registered_to=recent_to, skip=3)
    add(
        case,
        MeasureKind.BEHAVIOURAL_ORDER_PENALTY,
        today - 115 * DAY,
        [
            (0, Step.INVESTIGATION_REPORT, {}),
            (2, Step.WEIGHING, {}),
            (5, Step.WARNING_SENT, {}),
            (20, Step.INTENTION_SENT, {"zienswijze_days": 14}),
            (35, Step.VIEW_WAIVED, {}),
            (36, Step.DECISION, {"begunstigingstermijn_days": 7, "duration_months": 12, **penalty}),
            (38, Step.NOTIFIED, {}),
            (50, Step.CHECK, {"outcome": Outcome.BREACHED}),
            (50, Step.PENALTY_INCURRED, {}),
            (64, Step.CHECK, {"outcome": Outcome.BREACHED}),
            (64, Step.PENALTY_INCURRED, {}),
            (80, Step.COLLECTION_ORDER, {"amount": Decimal("500")}),
            (82, Step.NOTIFIED, {}),
            (100, Step.REMINDER, {}),
        ],
    )

    # A dwangsom order whose begunstigingstermijn the burgemeester extended (last_verlengd).
    case = _case(registered_from=recent_from, registered_to=recent_to, skip=4)
    add(
        case,
        MeasureKind.BEHAVIOURAL_ORDER_PENALTY,
        today - 60 * DAY,
        [
            (0, Step.INVESTIGATION_REPORT, {}),
            (2, Step.WEIGHING, {}),
            (4, Step.WARNING_SENT, {}),
            (10, Step.INTENTION_SENT, {"zienswijze_days": 14}),
            (25, Step.VIEW_RECEIVED, {}),
            (
                28,
                Step.DECISION,
                {
                    "begunstigingstermijn_days": 14,
                    "duration_indefinite": True,
                    "indefinite_reason": "De overlast is structureel; opheffen kan op verzoek "
                    "na een jaar zonder verbeurte (art. 5:34 lid 2 Awb).",
                    **penalty,
                },
            ),
            (30, Step.NOTIFIED, {}),
            (40, Step.TERM_EXTENDED, {"until_on": today + 10 * DAY}),
        ],
    )

    # A handhavingsverzoek of an omwonende, its beslistermijn (art. 4:13 Awb) running.
    case = _case(registered_from=recent_from, registered_to=recent_to, skip=5)
    add(
        case,
        MeasureKind.ENFORCEMENT_REQUEST,
        today - 30 * DAY,
        [
            (0, Step.REQUEST_RECEIVED, {}),
            (12, Step.INVESTIGATION_REPORT, {}),
        ],
    )

    # A verbod om aanwezig te zijn (art. 151d lid 3): ten days from bekendmaking, ended.
    case = _case(registered_from=recent_from, registered_to=recent_to, skip=6)
    add(
        case,
        MeasureKind.PRESENCE_BAN,
        today - 50 * DAY,
        [
            (0, Step.INVESTIGATION_REPORT, {}),
            (1, Step.WEIGHING, {}),
            (2, Step.INTENTION_SENT, {"zienswijze_days": 3}),
            (5, Step.VIEW_RECEIVED, {}),
            (6, Step.DECISION, {}),
            (7, Step.NOTIFIED, {}),
            (12, Step.CHECK, {"outcome": Outcome.COMPLIED}),
            (18, Step.EXPIRED, {}),
        ],
    )
    return made


def demo_part(demo) -> str:
    """The maatregelen of the demo set (cases.demo.register_demo_part); they change no case,
    so not Tabel 5.1."""
    made = add_demo_measures(
        casemanager=demo.people["casemanager"],
        teamleader=demo.people["teamleider"],
        today=demo.until,
    )
    return f"{made} maatregelen aangemaakt"
