"""Named reads of the case domain. Reports and views build on these, not on raw filters."""

import datetime
import re

from django.db import connections, models
from django.db.models import Case as Cases
from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from woonoverlast.common.expressions import EqualsAny

from .choices import ActionType, Status

# search_with_parties: up to this many parties' case ids are read once per search.
PARTY_SEARCH_IDS_MAX = 50_000

_POSTCODE_WITHOUT_SPACE = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{1,2})$")


def _in_effect_on(prefix: str, as_of: datetime.date) -> Q:
    """Status rows in effect on `as_of`: effective_on <= as_of < ended_on (open-ended)."""
    return Q(**{f"{prefix}effective_on__lte": as_of}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": as_of})
    )


def has_action_since(since: datetime.date) -> Exists:
    """For a case (OuterRef "pk"): an action performed on or after `since`."""
    from .models import Action

    return Exists(Action.objects.in_force().filter(case=OuterRef("pk"), performed_on__gte=since))


# The related rows of the apps built on cases that the case file shows: each registers its
# lookup (a name or a Prefetch) in its AppConfig.ready; CaseQuerySet.for_file prefetches them.
_file_prefetches: dict = {}


def register_file_prefetch(name: str, lookup) -> None:
    """Add `lookup` to what CaseQuerySet.for_file prefetches."""
    _file_prefetches[name] = lookup


# The apps built on cases whose rows count as activity on a case (a maatregel's step): each
# registers, in its AppConfig.ready, a function returning a subquery of the latest date per
# case (OuterRef "pk").
_activity_sources: dict = {}


def register_activity_source(name: str, latest) -> None:
    """Add `latest()` (a one-value subquery per case) to last_activity_from_history."""
    _activity_sources[name] = latest


def last_activity_from_history():
    """What `Case.last_activity_on` holds, worked out from the history: the latest of the
    registration date, the date the case was last reopened, the date of its last action and
    that of each registered activity source (the maatregelen's last step: a case under a
    gedragsaanwijzing is being worked). One subquery per kind and case: for keeping the
    column up to date, and for checking it."""
    from .models import Action, StatusChange

    # Withdrawn entries and corrected status rows do not count (in_force).
    last_action = (
        Action.objects.in_force()
        .filter(case=OuterRef("pk"))
        .order_by("-performed_on")
        .values("performed_on")[:1]
    )
    # A reopening is an open row (the first one starts on the registration date) that is in
    # force: a withdrawn reopening was replaced. A correction row counts when it corrects a
    # reopening's date, not when it undoes a closing made in error (the case stayed open).
    last_reopened = (
        StatusChange.objects.in_force()
        .filter(case=OuterRef("pk"), status=Status.OPEN)
        .filter(Q(corrects__isnull=True) | Q(corrects__status=Status.OPEN))
        .order_by("-effective_on")
        .values("effective_on")[:1]
    )
    latest = [last_action, last_reopened, *(source() for source in _activity_sources.values())]
    return Greatest(
        "registered_on",
        *(Coalesce(Subquery(subquery), "registered_on") for subquery in latest),
    )


def stalled(before: datetime.date) -> Q:
    """Open cases whose last activity (`Case.last_activity_on`) lies on or before `before`.

    THE definition of "stalled" / "zonder actie": termijnbewaking (followups.selection), the
    overview (reports.overview) and the case list's filter all use it. The last activity is
    the registration, a reopening, an action (not a withdrawn one) or a maatregel's step, so a
    case registered today is never stalled.
    """
    return Q(status=Status.OPEN, last_activity_on__lte=before)


def stalled_before(as_of: datetime.date, days: int) -> datetime.date:
    """The last day of activity that makes a case stalled on `as_of` after `days` days."""
    return as_of - datetime.timedelta(days=days)


def follow_up_pending() -> Q:
    """On Action: a follow-up that still asks for something. THE definition behind Termijnen,
    Mijn casussen and the timeline's "Te laat": a follow-up date, not done, on an open case
    (a closed case asks nothing; Action.follow_up_pending says the same for one row).
    `case_open` is the case's status kept on the action (services.open_follow_ups): the
    conditions on the action are those of its partial index action_follow_up_pending_idx. The
    case's own status says the same and is named too, so that PostgreSQL reads the open
    cases from theirs (case_open_counts_idx) when it joins them."""
    return Q(
        follow_up_on__isnull=False,
        follow_up_done_on__isnull=True,
        withdrawn_at__isnull=True,
        case_open=True,
        case__status=Status.OPEN,
    )


# An open case has no closing date (the constraint case_closed_on_iff_closed): for the working
# term (services.retention.within_working_term) it closes on the last day there is, so it is
# within the term whatever the limit.
OPEN_CASE_CLOSING = datetime.date.max


def working_term_closing():
    """A case's closing date for the working term, OPEN_CASE_CLOSING for an open case. The
    street's search index holds it beside the trigrams (migration 0023, PostgreSQL), and the
    indexes of a casemanager's and a registrant's cases hold it beside the user (Case.Meta),
    so that a search reads only the cases in the working term."""
    return Coalesce("closed_on", Value(OPEN_CASE_CLOSING))


def aftercare_candidates(before: datetime.date, since: datetime.date | None = None) -> Q:
    """Cases closed on or before `before` (and on or after `since` when given): by their own
    columns, so a query can narrow to them before working out their nazorg actions."""
    condition = Q(status=Status.CLOSED, closed_on__lte=before)
    if since:
        condition &= Q(closed_on__gte=since)
    return condition


def text_condition(text: str, *, visible: Q | None = None) -> Q:
    """Reference, street or postcode contains `text` (case-insensitive; each has a trigram
    index on PostgreSQL). '2711ab' also finds postcode '2711 AB' (stored with a space).

    `visible` (accounts.roles.cases_with_visible_parties) limits the address side to the
    cases whose address the user may see: a closed case hidden from the user must not be
    found by its street or postcode (that would tell where it was). The reference is no
    personal data and matches on every case.

    With `visible` "open, or their own, registered or granted" (a casemanager), the address
    is written out twice: on the open cases, and on the rest. The same set as the address AND
    `visible`, but PostgreSQL answers the first by the open cases' street index and the
    second by the user's cases in the working term (migration 0025), instead of reading every
    case of the street in the working term to test it (docs/performance.md). Not once per
    branch: PostgreSQL then intersected the street with all 25,000 cases of the casemanager.
    """
    address = Q(street__icontains=text) | Q(postcode__icontains=text)
    match = _POSTCODE_WITHOUT_SPACE.match(text)
    if match:
        address |= Q(postcode__icontains=f"{match[1]} {match[2]}")
    if visible:  # Q() is everyone's: no condition on the case
        address = _address_within(address, visible)
    return Q(reference__icontains=text) | address


def _address_within(address: Q, visible: Q) -> Q:
    """`address` AND `visible`, split into the open cases and the rest when `visible` is an
    OR with "open" among its branches (see text_condition)."""
    is_open = ("status", Status.OPEN)
    rest = [branch for branch in visible.children if branch != is_open]
    if visible.connector != Q.OR or visible.negated or len(rest) in (0, len(visible.children)):
        return address & visible
    return (address & Q(is_open)) | (address & Q(*rest, _connector=Q.OR))


def _unseen_ids(ids) -> models.Func:
    """PostgreSQL: `ids` as a bigint[] in a scalar subquery, not a literal. PostgreSQL plans
    an array it cannot see as a few rows (as it does ARRAY(SELECT ...)) and looks them up by
    primary key; shown thousands of ids, it chose to scan the cases in order, hoping to stop
    early."""
    from django.contrib.postgres.fields import ArrayField
    from django.db.models.functions import Cast

    return models.Func(
        Cast(Value(sorted(ids)), ArrayField(models.BigIntegerField())),
        template="(SELECT %(expressions)s)::bigint[]",
        output_field=ArrayField(models.BigIntegerField()),
    )


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Status.OPEN)

    def closed(self):
        return self.filter(status=Status.CLOSED)

    def registered_between(self, first: datetime.date, last: datetime.date):
        """Cases registered from `first` up to and including `last`."""
        return self.filter(registered_on__gte=first, registered_on__lte=last)

    def with_status_on(self, as_of: datetime.date):
        """Annotate `status_on`: the case's status as it stood on `as_of`.

        One LEFT JOIN on the status row in effect that day. A case with no row in effect
        (registered after `as_of`) counts as open; callers filter on registration first.
        """
        return self.annotate(
            status_row_on=FilteredRelation(
                "status_changes", condition=_in_effect_on("status_changes__", as_of)
            ),
            status_on=Coalesce("status_row_on__status", Value(Status.OPEN)),
        )

    def open_on(self, as_of: datetime.date):
        """Cases whose status on `as_of` (at the end of that day) was open.

        One join on the status row in effect that day; at most one row is in effect on a
        date, so no case is counted twice. A case registered after `as_of` has no such row.
        """
        return self.filter(
            _in_effect_on("status_changes__", as_of), status_changes__status=Status.OPEN
        )

    def for_list(self):
        """What a case list row shows, without a query per row."""
        return self.select_related("district", "casemanager", "corporation").prefetch_related(
            "categories"
        )

    def for_file(self):
        """The case file: facts, parties, meldingen, actions and status history, in a fixed
        number of queries whatever their number."""
        from .models import Action, Melding, Party, StatusChange

        corrections = ("corrected_by", "withdrawn_by")
        return self.select_related(
            "district", "casemanager", "corporation", "created_by"
        ).prefetch_related(
            "categories",
            "partners",
            Prefetch("parties", queryset=Party.objects.select_related(*corrections)),
            Prefetch(
                "meldingen", queryset=Melding.objects.select_related("created_by", *corrections)
            ),
            Prefetch(
                "actions", queryset=Action.objects.select_related("performed_by", *corrections)
            ),
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("created_by")),
            # What the apps built on cases show on the case file (the intake's meldingen).
            *_file_prefetches.values(),
        )

    def with_data_visible_to(self, user):
        """Annotate `data_visible`: may `user` see the case's personal data (its address)?
        The closed-case rule of accounts.roles, in the query."""
        from woonoverlast.accounts.roles import case_data_visible_condition

        return self.annotate(data_visible=case_data_visible_condition(user))

    def in_working_term(self, on: datetime.date | None = None):
        """Open cases and those closed less than RETENTION_MONTHS ago: what the working
        screens list (services.retention.within_working_term)."""
        from .services.retention import within_working_term

        return self.filter(within_working_term(on))

    def assigned_to(self, user):
        return self.filter(casemanager=user)

    def at_address(self, *, postcode: str, house_number: int, house_number_addition: str = ""):
        """Cases at one address (postcode normalized as '2711 AB'; addition case-insensitive)."""
        return self.filter(
            postcode=postcode,
            house_number=house_number,
            house_number_addition__iexact=house_number_addition.strip(),
        )

    def search(self, text: str, *, visible: Q | None = None):
        """Free text on reference, street or postcode: case-insensitive, partial; the address
        only among the cases matching `visible` (see text_condition).

        '2711ab' also finds postcode '2711 AB' (stored with a space)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(text_condition(text, visible=visible))

    def search_with_parties(self, text: str, *, visible: Q, within: Q | None = None):
        """`search`, plus the cases with a party whose name contains `text`, among the cases
        matching `visible` (roles.cases_with_visible_parties: whose parties the user may see).
        `within`: a condition on Case the list applies anyway (the working term), applied to
        the parties' cases when they are read, so that the list gets only the ids it can show
        (a common surname: 2,800 cases in the working term of 10,900 with such a party).

        On PostgreSQL the party side is `id = ANY(array)`, which joins the trigram indexes'
        BitmapOr as one more index scan (on the primary key), so the list still reads only the
        matching cases; an IN (subquery) or a UNION in its place made PostgreSQL read every
        case (docs/performance.md). The array is read here, once (_party_case_ids): a list
        asks for its count and its page, and as a subquery in both the party side would be
        read twice. Beyond PARTY_SEARCH_IDS_MAX parties it stays a subquery, so that a name
        like "a" does not bring millions of ids into Python.
        """
        from .models import Case, Party

        text = text.strip()
        if not text:
            return self
        named = Party.objects.using(self.db).filter(name__icontains=text).order_by()
        cases = (visible or Q()) & (within or Q())  # Q() is everyone's: no condition
        named_in_cases = (
            named.filter(case__in=Case.objects.filter(cases).values("pk")) if cases else named
        )
        if connections[self.db].vendor != "postgresql":
            return self.filter(
                text_condition(text, visible=visible) | Q(pk__in=named_in_cases.values("case_id"))
            )

        from django.contrib.postgres.expressions import ArraySubquery

        case_ids = self._party_case_ids(named, cases)
        if case_ids is not None:
            array = _unseen_ids(case_ids)
        else:
            array = ArraySubquery(named_in_cases.values("case_id"))
        return self.filter(
            text_condition(text, visible=visible) | Q(EqualsAny(models.F("pk"), array))
        )

    def _party_case_ids(self, named, cases: Q) -> set[int] | None:
        """PostgreSQL: the ids of the cases matching `cases` that have a party in `named`, in
        two reads: the parties' case ids, then those of them that match `cases`, by primary
        key. None when there are more than PARTY_SEARCH_IDS_MAX parties.

        Not in one join: whether PostgreSQL looked the cases up per party or hashed all
        258,000 cases of the working term (130-200 ms for "de Jong") changed with each
        ANALYZE's estimate of the parties; the two reads take 75-90 ms whatever the
        statistics (docs/performance.md)."""
        from .models import Case

        party_case_ids = list(named.values_list("case_id", flat=True)[: PARTY_SEARCH_IDS_MAX + 1])
        if len(party_case_ids) > PARTY_SEARCH_IDS_MAX:
            return None
        if not cases or not party_case_ids:
            return set(party_case_ids)
        return set(
            Case.objects.using(self.db)
            .filter(cases, EqualsAny(models.F("pk"), _unseen_ids(set(party_case_ids))))
            .values_list("pk", flat=True)
        )

    def at_address_search(
        self,
        *,
        house_number: int,
        street: str = "",
        postcode: str = "",
        house_number_addition: str | None = None,
        visible: Q | None = None,
    ):
        """Cases at a house number in a street (partial, any case) or at a postcode ('2711 AB');
        any addition unless one is given (case-insensitive). Only among the cases matching
        `visible` (see text_condition): an address is personal data."""
        condition = Q(house_number=house_number)
        if visible:
            condition &= visible
        if street:
            condition &= Q(street__icontains=street)
        if postcode:
            condition &= Q(postcode=postcode)
        if house_number_addition:
            condition &= Q(house_number_addition__iexact=house_number_addition)
        return self.filter(condition)

    def with_action(
        self,
        *,
        action_type: str | None = None,
        first: datetime.date | None = None,
        last: datetime.date | None = None,
    ):
        """Cases with an action (of `action_type`, when given) performed in [first, last]."""
        from .models import Action

        actions = Action.objects.in_force().filter(case=OuterRef("pk"))
        if action_type:
            actions = actions.filter(action_type=action_type)
        if first:
            actions = actions.filter(performed_on__gte=first)
        if last:
            actions = actions.filter(performed_on__lte=last)
        return self.filter(Exists(actions))

    def without_action_since(self, since: datetime.date):
        """Cases with no activity (registration, reopening, action) on or after `since`: the
        last activity of the stalled definition (`stalled`), so that the overview's links
        (with status open) list exactly the cases it counts."""
        return self.filter(last_activity_on__lt=since)

    def with_next_follow_up(self):
        """Annotate `next_follow_up_on`: the earliest follow-up date not yet done (or None).

        Termijnbewaking may replace this with its own definition of "due"."""
        from .models import Action

        return self.annotate(
            next_follow_up_on=Subquery(
                Action.objects.follow_ups_open()
                .filter(case=OuterRef("pk"))
                .order_by("follow_up_on")
                .values("follow_up_on")[:1]
            )
        )

    def worklist_of(self, user):
        """*Mijn casussen*: open cases assigned to `user`, the earliest open follow-up first
        (so due and overdue ones lead), then the cases without one, newest first."""
        return (
            self.open()
            .assigned_to(user)
            .with_next_follow_up()
            .order_by(models.F("next_follow_up_on").asc(nulls_last=True), "-registered_on", "-id")
        )

    def count_by_district_and_housing_type(self):
        """One aggregate query: rows of {district, housing_type, count}."""
        return (
            self.order_by()
            .values("district", "housing_type")
            .annotate(count=Count("id"))
            .order_by("district", "housing_type")
        )

    def count_by_casemanager(self):
        """One aggregate query: rows of {casemanager, count} (casemanager None: unassigned)."""
        return (
            self.order_by()
            .values("casemanager")
            .annotate(count=Count("id"))
            .order_by("casemanager")
        )

    # -- termijnbewaking ---------------------------------------------------------------------

    def stalled_on(self, as_of: datetime.date, *, days: int):
        """Open cases with no action in the `days` days up to and including `as_of`: the last
        activity lies `days` days or more before `as_of`."""
        return self.open().filter(stalled(as_of - datetime.timedelta(days=days)))

    def with_aftercare_done(self):
        """Annotate `aftercare_done`: a nazorg action on or after the (current) closing date.

        Looked for only for a closed case (an open one has no closing date, so none): the
        due lists annotate a casemanager's 1,600 open cases too, and the EXISTS for each of
        them was half of the query (docs/performance.md). CASE, because SQL fixes the order
        of its branches, not of an AND's operands."""
        from .models import Action

        done = Exists(
            Action.objects.in_force().filter(
                case=OuterRef("pk"),
                action_type=ActionType.AFTERCARE,
                performed_on__gte=OuterRef("closed_on"),
            )
        )
        return self.annotate(
            aftercare_done=Cases(
                When(status=Status.CLOSED, then=done),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def aftercare_due_on(
        self, as_of: datetime.date, *, weeks: int, since: datetime.date | None = None
    ):
        """Closed cases whose nazorg was due by `as_of` (closed `weeks` weeks before or
        earlier) and that had no nazorg action since closing; only those closed on or after
        `since` when given."""
        before = as_of - datetime.timedelta(weeks=weeks)
        return (
            self.filter(aftercare_candidates(before, since))
            .with_aftercare_done()
            .filter(aftercare_done=False)
        )


class ActionQuerySet(models.QuerySet):
    def in_force(self):
        """Not withdrawn (services.corrections): what every count and computation uses."""
        return self.filter(withdrawn_at__isnull=True)

    def follow_ups_open(self):
        """Actions (not withdrawn) with a follow-up date whose follow-up has not been done."""
        return self.in_force().filter(follow_up_on__isnull=False, follow_up_done_on__isnull=True)

    def next_follow_up_by_case(self, case_ids) -> dict:
        """{case id: the earliest open follow-up date} for these cases, in one query (as
        CaseQuerySet.with_next_follow_up, for a page of cases already read)."""
        if not case_ids:
            return {}
        rows = (
            self.follow_ups_open()
            .filter(case_id__in=case_ids)
            .order_by()
            .values("case_id")
            .annotate(first=Min("follow_up_on"))
        )
        return {row["case_id"]: row["first"] for row in rows}

    def follow_ups_due_by(self, last: datetime.date):
        """Pending follow-ups (follow_up_pending: open cases only) due on or before `last`
        (overdue ones included)."""
        return self.filter(follow_up_pending(), follow_up_on__lte=last)


class StatusChangeQuerySet(models.QuerySet):
    def in_force(self):
        """Rows not replaced by a team leader's correction (services.status.status_correct).
        A replaced row keeps its dates but ends where it starts, so it is in effect on no
        date and the reports' range conditions skip it by themselves."""
        return self.filter(corrected_by_row__isnull=True)

    def current(self):
        return self.filter(ended_on__isnull=True)

    def in_effect_on(self, as_of: datetime.date):
        return self.filter(_in_effect_on("", as_of))
