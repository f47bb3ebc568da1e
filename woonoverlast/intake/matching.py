"""Possible matches of binnengekomen meldingen: the cases a melding may belong to.

For each melding: open cases and cases closed in the last RECENTLY_CLOSED_DAYS

- at the same address (postcode + house number + addition);
- nearby: the same postcode or the same street, within NEARBY house numbers;
- with the same melder: a party with role melder with the same e-mail address, phone number
  or name (case-insensitive).

One query for a whole page of meldingen, whatever their number: an OR of index range
conditions (case_address_idx, case_street_number_idx) and the melders' partial indexes on
cases_party. The cases it returns are sorted out per melding in Python.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, Lower, Upper
from django.utils import timezone

from woonoverlast.cases.choices import PartyRole, Status
from woonoverlast.cases.models import Case, Party

from .models import IncomingReport

NEARBY = 4
RECENTLY_CLOSED_DAYS = 180
MAX_MATCHES = 8


class Reason:
    ADDRESS = "adres"
    NEARBY = "in de buurt"
    REPORTER = "zelfde melder"
    ORDER = {ADDRESS: 0, REPORTER: 1, NEARBY: 2}


@dataclass
class Match:
    case: Case
    reasons: list[str] = field(default_factory=list)

    @property
    def sort_key(self):
        return (
            min(Reason.ORDER[reason] for reason in self.reasons),
            self.case.status != Status.OPEN,
            -self.case.registered_on.toordinal(),
        )


def _reporter_keys(report: IncomingReport) -> dict[str, str]:
    return {
        "email": report.reporter_email.strip().lower(),
        "phone": report.reporter_phone.strip(),
        "name": report.reporter_name.strip().lower(),
    }


def _address_condition(report: IncomingReport) -> Q:
    if not report.house_number:
        return Q(pk__in=[])
    numbers = Q(
        house_number__gte=max(1, report.house_number - NEARBY),
        house_number__lte=report.house_number + NEARBY,
    )
    condition = Q()
    if report.postcode:
        condition |= Q(postcode=report.postcode) & numbers
    if report.street:
        condition |= Q(street_upper=report.street.strip().upper()) & numbers
    return condition if condition else Q(pk__in=[])


def matching_cases(reports: list[IncomingReport], *, today: datetime.date | None = None):
    """{melding id: [Match, ...]} for `reports`, best first: one query."""
    today = today or timezone.localdate()
    result: dict[int, list[Match]] = {report.pk: [] for report in reports}
    if not reports:
        return result
    keys = {report.pk: _reporter_keys(report) for report in reports}
    emails = {k["email"] for k in keys.values() if k["email"]}
    phones = {k["phone"] for k in keys.values() if k["phone"]}
    names = {k["name"] for k in keys.values() if k["name"]}

    address = Q(pk__in=[])
    for report in reports:
        address |= _address_condition(report)
    candidates = (
        Case.objects.annotate(street_upper=Upper("street")).filter(address).order_by().values("pk")
    )
    reporter_condition = Q(pk__in=[])
    if emails:
        reporter_condition |= Q(email_lower__in=emails)
    if phones:
        reporter_condition |= Q(phone__in=phones)
    if names:
        reporter_condition |= Q(name_lower__in=names)
    reporters = Party.objects.annotate(email_lower=Lower("email"), name_lower=Lower("name")).filter(
        reporter_condition, role=PartyRole.REPORTER
    )
    if emails or phones or names:
        candidates = candidates.union(reporters.order_by().values("case_id"))
        # The first matching melder of each case, as "email|phone|name", to tell which
        # melding it matches.
        matched = Subquery(
            reporters.filter(case=OuterRef("pk"))
            .annotate(key=Concat("email_lower", Value("|"), "phone", Value("|"), "name_lower"))
            .order_by("pk")
            .values("key")[:1]
        )
    else:
        matched = Value("")

    # The candidates' ids as one subquery (a UNION of index scans), so that the database
    # joins to the few cases by primary key instead of testing every case against an OR.
    recent = today - datetime.timedelta(days=RECENTLY_CLOSED_DAYS)
    cases = (
        Case.objects.filter(pk__in=candidates)
        .filter(Q(status=Status.OPEN) | Q(closed_on__gte=recent))
        .annotate(street_upper=Upper("street"), reporter_key=matched)
        .select_related("district", "casemanager")
        .order_by(F("registered_on").desc(), "pk")
    )
    for case in cases:
        email, phone, name = (case.reporter_key or "||").split("|", 2)
        for report in reports:
            reasons = []
            if (
                case.postcode == report.postcode
                and case.house_number == report.house_number
                and case.house_number_addition.upper() == report.house_number_addition.upper()
            ):
                reasons.append(Reason.ADDRESS)
            elif (
                report.house_number
                and case.house_number
                and (
                    case.postcode == report.postcode
                    or (report.street and case.street_upper == report.street.strip().upper())
                )
                and abs(case.house_number - report.house_number) <= NEARBY
            ):
                reasons.append(Reason.NEARBY)
            mine = keys[report.pk]
            if (
                (mine["email"] and mine["email"] == email)
                or (mine["phone"] and mine["phone"] == phone)
                or (mine["name"] and mine["name"] == name)
            ):
                reasons.append(Reason.REPORTER)
            if reasons:
                result[report.pk].append(Match(case=case, reasons=reasons))
    for matches in result.values():
        matches.sort(key=lambda match: match.sort_key)
        del matches[MAX_MATCHES:]
    return result
