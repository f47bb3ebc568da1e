"""Possible matches of binnengekomen meldingen: the cases a melding may belong to.

For each melding: open cases and cases closed in the last RECENTLY_CLOSED_DAYS

- at the same address (postcode + house number + addition);
- nearby: the same postcode, or the same street in the same postcode area (its four digits),
  within NEARBY house numbers;
- with the same melder: a party with role melder with the same e-mail address or phone
  number, or the same name at the same postcode (case-insensitive).

One query for a whole page of meldingen, whatever their number: a UNION of index range scans
(case_address_idx, case_street_number_idx, the melders' partial indexes on cases_party) over a
VALUES list of the meldingen, joined to the cases by primary key. The cases it returns are
sorted out per melding in Python.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, F, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Lower
from django.utils import timezone

from woonoverlast.accounts.roles import cases_with_visible_parties
from woonoverlast.cases.choices import PartyRole, Status
from woonoverlast.cases.models import Case, Party

from .models import IntakeMelding

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


def _reporter_keys(melding: IntakeMelding) -> dict[str, str]:
    return {
        "email": melding.reporter_email.strip().lower(),
        "phone": melding.reporter_phone.strip(),
        "name": melding.reporter_name.strip().lower(),
    }


def _candidates_sql(
    meldingen: list[IntakeMelding], keys: dict, *, recent: datetime.date
) -> tuple[str, list]:
    """The ids of the candidate cases, as one SQL statement (a UNION of index scans over a
    VALUES list of the meldingen) and its parameters. Written as SQL, not as a tree of Q
    objects: for a page of meldingen Django spent far longer building and compiling an OR of
    hundreds of conditions than the database took to answer it.

    Where a part reads the cases, it keeps only those open or closed since `recent` (the
    caller keeps that rule for every part): at 1,000,000 cases nine in ten cases in a street
    or at a postcode were closed long ago, and passing them on cost a primary-key lookup each
    (the neighbours of a page of 100 meldingen: 4,957 candidates for 525 matches), and for
    the melder's name a look at each one's parties."""
    ctes, cte_params, parts, params = [], [], [], []
    live = f"(c.status = '{Status.OPEN}' OR c.closed_on >= %s)"
    addresses = [melding for melding in meldingen if melding.house_number and melding.postcode]
    if addresses:
        rows = ", ".join(
            "(CAST(%s AS varchar(7)), CAST(%s AS varchar(4)), CAST(%s AS varchar(200)), "
            "CAST(%s AS integer), CAST(%s AS integer))"
            for _ in addresses
        )
        ctes.append(f"m (postcode, area, street, low, high) AS (VALUES {rows})")
        for melding in addresses:
            cte_params += [
                melding.postcode,
                melding.postcode[:4],
                melding.street.strip().upper(),
                max(1, melding.house_number - NEARBY),
                melding.house_number + NEARBY,
            ]
        near = "c.house_number BETWEEN m.low AND m.high"
        # The same street in the same postcode area: written as the index case_street_number_idx
        # is (Django's Substr is SUBSTRING on PostgreSQL, a function other than its substr).
        substring = "SUBSTR" if connection.vendor == "sqlite" else "SUBSTRING"
        conditions = [
            f"c.postcode = m.postcode AND {near} AND {live}",
            f"UPPER(c.street) = m.street AND {substring}(c.postcode, 1, 4) = m.area AND {near} "
            f"AND {live}",
        ]
        for condition in conditions:
            if connection.vendor == "postgresql":
                # LATERAL with OFFSET 0 (so that it is not flattened back into a join): one
                # index range scan per melding. As a plain join PostgreSQL chose to hash all
                # cases for a page of meldingen.
                parts.append(
                    "SELECT x.id FROM m CROSS JOIN LATERAL "
                    f"(SELECT c.id FROM cases_case c WHERE {condition} OFFSET 0) AS x "
                    "WHERE m.street <> ''"
                    if "street" in condition
                    else "SELECT x.id FROM m CROSS JOIN LATERAL "
                    f"(SELECT c.id FROM cases_case c WHERE {condition} OFFSET 0) AS x"
                )
            else:
                where = " WHERE m.street <> ''" if "street" in condition else ""
                parts.append(f"SELECT c.id FROM m JOIN cases_case c ON {condition}{where}")
            params.append(recent)
    reporter = f"p.role = '{PartyRole.REPORTER}'"
    for column, values in (
        ("LOWER(p.email)", sorted({k["email"] for k in keys.values() if k["email"]})),
        ("p.phone", sorted({k["phone"] for k in keys.values() if k["phone"]})),
    ):
        if values:
            marks = ", ".join(["%s"] * len(values))
            parts.append(
                f"SELECT p.case_id FROM cases_party p WHERE {reporter} AND {column} IN ({marks})"
            )
            params += values
    named = sorted(
        {(r.postcode, keys[r.pk]["name"]) for r in meldingen if r.postcode and keys[r.pk]["name"]}
    )
    if named:
        rows = ", ".join("(CAST(%s AS varchar(7)), CAST(%s AS varchar(200)))" for _ in named)
        ctes.append(f"n (postcode, name) AS (VALUES {rows})")
        for postcode, name in named:
            cte_params += [postcode, name]
        parts.append(
            f"SELECT p.case_id FROM n JOIN cases_case c ON c.postcode = n.postcode AND {live} "
            f"JOIN cases_party p ON p.case_id = c.id AND {reporter} AND LOWER(p.name) = n.name"
        )
        params.append(recent)
    if not parts:
        return "", []
    with_clause = f"WITH {', '.join(ctes)} " if ctes else ""
    return with_clause + " UNION ".join(parts), cte_params + params


def matching_cases(
    meldingen: list[IntakeMelding], *, today: datetime.date | None = None, user=None
):
    """{melding id: [Match, ...]} for `meldingen`, best first: one query.

    With `user`, only the cases whose personal data that user may see (accounts.roles, the
    rule of the case list's search): a match by address or melder would otherwise show a
    closed case the user is shut out of, with its address."""
    today = today or timezone.localdate()
    recent = today - datetime.timedelta(days=RECENTLY_CLOSED_DAYS)
    result: dict[int, list[Match]] = {melding.pk: [] for melding in meldingen}
    keys = {melding.pk: _reporter_keys(melding) for melding in meldingen}
    sql, params = _candidates_sql(meldingen, keys, recent=recent)
    if not sql:
        return result

    # The first matching melder of each case, as "email|phone|name", to tell which melding
    # it matches.
    emails = {k["email"] for k in keys.values() if k["email"]}
    phones = {k["phone"] for k in keys.values() if k["phone"]}
    names = {k["name"] for k in keys.values() if k["name"]}
    contact = Q(email_lower__in=emails) | Q(phone__in=phones) | Q(name_lower__in=names)
    matched = Subquery(
        Party.objects.annotate(email_lower=Lower("email"), name_lower=Lower("name"))
        .filter(contact, case=OuterRef("pk"), role=PartyRole.REPORTER)
        .annotate(key=Concat("email_lower", Value("|"), "phone", Value("|"), "name_lower"))
        .order_by("pk")
        .values("key")[:1]
    )
    if connection.vendor == "postgresql":
        # id = ANY(ARRAY(...)): the few thousand candidates by primary key. With IN PostgreSQL
        # expected a hundred thousand and read every open case instead (0.15 s).
        candidates = RawSQL(
            f'"cases_case"."id" = ANY(ARRAY({sql}))', params, output_field=BooleanField()
        )
    else:
        candidates = Q(pk__in=RawSQL(sql, params))
    cases = (
        Case.objects.filter(candidates)
        .filter(Q(status=Status.OPEN) | Q(closed_on__gte=recent))
        .in_working_term(today)
    )
    if user is not None:
        visible = cases_with_visible_parties(user)
        cases = cases.filter(Q(pk__in=[]) if visible is None else visible)
    cases = (
        cases.annotate(reporter_key=matched)
        .select_related("district", "casemanager")
        .order_by(F("registered_on").desc(), "pk")
    )
    # Each case is compared only with the meldings that share a key with it (every reason
    # needs one: the postcode, the street in the postcode area, the melder's e-mail or phone),
    # not with the whole page (every melding with every candidate was most of the time).
    by_key: dict[tuple, list[IntakeMelding]] = {}
    for melding in meldingen:
        mine = keys[melding.pk]
        for key in (
            ("postcode", melding.postcode),
            ("street", melding.street.strip().upper(), melding.postcode[:4]),
            ("email", mine["email"]),
            ("phone", mine["phone"]),
        ):
            if all(key[1:]):
                by_key.setdefault(key, []).append(melding)
    order = {melding.pk: index for index, melding in enumerate(meldingen)}
    for case in cases:
        email, phone, name = (case.reporter_key or "||").split("|", 2)
        candidates = {
            melding.pk: melding
            for key in (
                ("postcode", case.postcode),
                ("street", case.street.upper(), case.postcode[:4]),
                ("email", email),
                ("phone", phone),
            )
            for melding in by_key.get(key, ())
        }
        for melding in sorted(candidates.values(), key=lambda melding: order[melding.pk]):
            reasons = []
            if (
                case.postcode == melding.postcode
                and case.house_number == melding.house_number
                and case.house_number_addition.upper() == melding.house_number_addition.upper()
            ):
                reasons.append(Reason.ADDRESS)
            elif (
                melding.house_number
                and case.house_number
                and melding.postcode
                and (
                    case.postcode == melding.postcode
                    or (
                        melding.street
                        and case.street.upper() == melding.street.strip().upper()
                        and case.postcode[:4] == melding.postcode[:4]
                    )
                )
                and abs(case.house_number - melding.house_number) <= NEARBY
            ):
                reasons.append(Reason.NEARBY)
            mine = keys[melding.pk]
            if (
                (mine["email"] and mine["email"] == email)
                or (mine["phone"] and mine["phone"] == phone)
                or (mine["name"] and mine["name"] == name and case.postcode == melding.postcode)
            ):
                reasons.append(Reason.REPORTER)
            if reasons:
                result[melding.pk].append(Match(case=case, reasons=reasons))
    for matches in result.values():
        matches.sort(key=lambda match: match.sort_key)
        del matches[MAX_MATCHES:]
    return result
