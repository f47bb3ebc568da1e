"""The merge fields a letter template may use, and their values for one letter.

A template writes `{{ casus.referentie }}`, `{{ betrokkene.naam }}`, `{{ vandaag }}`. Only the
fields below exist (docs/dossier.md lists them for the team); a template that uses any other
name is refused when it is uploaded. Templates render in Jinja2's SandboxedEnvironment, so a
template reaches these values and nothing else (no attributes of Python objects: every value
is a plain string).
"""

import datetime
import re
import time

from django.conf import settings
from django.utils import formats, timezone, translation
from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import SandboxedEnvironment

# name -> {field: description}; a name with None is a single value.
FIELDS: dict[str, dict[str, str] | None] = {
    "vandaag": None,
    "casus": {
        "referentie": "referentie van de casus, bijvoorbeeld WO-2024-0042",
        "adres": "adres van de woning (straat, huisnummer, postcode)",
        "straat": "straat van de woning",
        "huisnummer": "huisnummer met toevoeging",
        "postcode": "postcode van de woning",
        "straat_huisnummer": "straat en huisnummer van de woning (de adresregel)",
        "plaats": "woonplaats van de woning",
        "postcode_plaats": "postcode en woonplaats zoals PostNL ze wil: 2711 DM  ZOETERMEER",
        "wijk": "wijk",
        "woningtype": "koopwoning, corporatiewoning of particuliere huurwoning",
        "geregistreerd_op": "datum van registratie",
    },
    "betrokkene": {
        "naam": "naam van de geadresseerde",
        "adres": "postadres van de geadresseerde (anders het adres van de woning)",
        "adresregel": "straat en huisnummer van de geadresseerde (anders van de woning)",
        "postcode_plaats": "postcode en woonplaats van de geadresseerde: 2711 DM  ZOETERMEER",
        "rol": "melder, veroorzaker of betrokkene",
        "email": "e-mailadres van de geadresseerde",
        "telefoon": "telefoonnummer van de geadresseerde",
    },
    "casemanager": {
        "naam": "naam van de casemanager van de casus",
        "email": "e-mailadres van de casemanager",
    },
    "maatregel": {
        "soort": "soort maatregel, bijvoorbeeld gedragsaanwijzing",
        "stap": "de stap van de maatregel waar de brief bij hoort",
        "datum": "datum van die stap",
        "zienswijze_termijn_einde": "laatste dag om een zienswijze te geven",
        "besluit_op": "datum van het besluit",
        "bekendgemaakt_op": "datum van bekendmaking van het besluit (als die is vastgelegd)",
        "bezwaartermijn_einde": "laatste dag van de bezwaartermijn (zes weken, art. 6:7 Awb; "
        "als de bekendmaking is vastgelegd)",
        "bezwaartermijn": "de bezwaartermijn in woorden: 'uiterlijk op 6 mei 2026' als de "
        "bekendmaking is vastgelegd, anders 'binnen zes weken na de dag van verzending van dit "
        "besluit'",
        "begunstigingstermijn_einde": "laatste dag van de begunstigingstermijn (als de "
        "bekendmaking is vastgelegd)",
        "begunstigingstermijn": "de begunstigingstermijn in woorden: 'uiterlijk op 7 april "
        "2026' als de bekendmaking is vastgelegd, anders 'binnen 14 dagen na de dag van "
        "verzending van dit besluit'",
    },
}
MEASURE = "maatregel"
PARTY = "betrokkene"


# A letter is a page or two: far more than that is a template gone wrong (or made to hurt).
MAX_OUTPUT_CHARS = 1_000_000
MAX_RENDER_SECONDS = 10


class LetterTooLarge(TemplateError):
    pass


def sandbox() -> SandboxedEnvironment:
    """The Jinja environment every letter renders in: sandboxed, and a missing value is an
    error rather than an empty spot in a letter.

    Jinja's sandbox keeps a template from reaching code, not from spending memory or time.
    Templates are checked on upload (check_template: no loops, no arithmetic, no calls), so a
    letter's size grows with its template only; on top of that every value written counts
    against MAX_OUTPUT_CHARS and MAX_RENDER_SECONDS, and past either the render stops.
    """
    written = 0
    max_output = MAX_OUTPUT_CHARS
    deadline = time.monotonic() + MAX_RENDER_SECONDS

    def finalize(value):
        nonlocal written
        written += len(str(value))
        if written > max_output:
            raise LetterTooLarge("de brief wordt te lang")
        if time.monotonic() > deadline:
            raise LetterTooLarge("de brief kost te veel tijd")
        return value

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, finalize=finalize)


# What a letter template may contain: fields, literal text, and `{% if %}` to leave a piece
# out (docxtpl's `{%p if %}` too), with comparisons, `and`/`or`/`not`, `~` and a few filters
# that change case or fill in a default. Everything else is refused on upload, with its name:
# loops (nested loops over a field take minutes), arithmetic (`'x' * 10**9` is a gigabyte,
# and Jinja evaluates constant expressions while the template is compiled), `include`,
# `extends`, `import` (there is no other template to load: every letter from it would fail),
# `set`, macros, and filters such as `attr` (the sandbox refuses them only while rendering).
ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.Name,
    nodes.Getattr,
    nodes.Const,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Compare,
    nodes.Operand,
    nodes.Concat,
    nodes.Filter,
    nodes.Test,
    nodes.Keyword,
    # Refused by check_fields, which names them as fields: "(…)", "[…]".
    nodes.Call,
    nodes.Getitem,
    nodes.Slice,
)
ALLOWED_FILTERS = {"upper", "lower", "capitalize", "title", "trim", "default", "d", "e", "escape"}
ALLOWED_TESTS = {"defined", "undefined", "none"}
NODE_NAMES = {
    nodes.For: "for-lussen",
    nodes.Include: "include",
    nodes.Extends: "extends",
    nodes.Import: "import",
    nodes.FromImport: "import",
    nodes.Macro: "macro",
    nodes.CallBlock: "call",
    nodes.Assign: "set",
    nodes.AssignBlock: "set",
    nodes.With: "with",
    nodes.FilterBlock: "filter-blokken",
    nodes.Block: "block",
    nodes.BinExpr: "rekenen (+, -, *, /, %, **)",
    nodes.UnaryExpr: "rekenen (+, -, *, /, %, **)",
    nodes.Tuple: "lijsten",
    nodes.List: "lijsten",
    nodes.Dict: "lijsten",
    nodes.ScopedEvalContextModifier: "autoescape",
}


def check_template(tree: nodes.Template) -> None:
    """A ValueError listing what a parsed template uses beyond what a letter may use (see
    ALLOWED_NODES). Call it before anything compiles the template."""
    refused = set()
    for node in tree.find_all(nodes.Node):
        if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            refused.add(f"|{node.name}")
        elif isinstance(node, nodes.Test) and node.name not in ALLOWED_TESTS:
            refused.add(f"is {node.name}")
        elif isinstance(node, nodes.Name) and node.ctx != "load":
            refused.add("set")
        elif not isinstance(node, ALLOWED_NODES):
            name = next(
                (label for kind, label in NODE_NAMES.items() if isinstance(node, kind)),
                type(node).__name__,
            )
            refused.add(name)
    if refused:
        raise ValueError(sorted(refused))


def documented_fields() -> list[tuple[str, str]]:
    """(field, description) for the documentation page and the admin's help text."""
    rows = [("vandaag", "de datum waarop de brief wordt gemaakt")]
    for name, fields in FIELDS.items():
        for field, description in (fields or {}).items():
            rows.append((f"{name}.{field}", description))
    return rows


def check_fields(tree: nodes.Template, undeclared: set[str]) -> list[str]:
    """The names a template uses, as `name.field`; a ValueError names an unknown one."""
    used = set()
    unknown = sorted(name for name in undeclared if name not in FIELDS)
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in FIELDS:
            known = FIELDS[node.node.name] or {}
            if node.attr in known:
                used.add(f"{node.node.name}.{node.attr}")
            else:
                unknown.append(f"{node.node.name}.{node.attr}")
        elif not isinstance(node.node, nodes.Name):
            unknown.append(f"….{node.attr}")  # an attribute of anything else
    if any(tree.find_all(nodes.Getitem)):
        unknown.append("[…]")
    if any(tree.find_all(nodes.Call)):
        unknown.append("(…)")  # no calls: a letter only shows values
    if unknown:
        raise ValueError(sorted(set(unknown)))
    used |= {name for name in undeclared if FIELDS.get(name, {}) is None}
    return sorted(used)


def format_date(value: datetime.date | None) -> str:
    if value is None:
        return ""
    with translation.override("nl"):
        return formats.date_format(value, "j F Y")


def _person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


POSTCODE = re.compile(r"\b(\d{4})\s?([A-Za-z]{2})\b")


def place_line(postcode: str, city: str) -> str:
    """The last line of a Dutch postal address as PostNL asks it: the postcode with one space,
    two spaces, the place in capitals (`2711 DM  ZOETERMEER`); "" when either is missing."""
    match = POSTCODE.search(postcode or "")
    city = " ".join((city or "").split())
    if not match or not city:
        return ""
    return f"{match[1]} {match[2].upper()}  {city.upper()}"


def split_address(address: str) -> tuple[str, str]:
    """A typed address (`Dorpsstraat 1, 2711 DM Zoetermeer`) as (street line, place line);
    without a postcode and place after it, the place line is ""."""
    match = POSTCODE.search(address)
    if not match:
        return address.strip(" ,"), ""
    street = address[: match.start()].strip(" ,")
    city = address[match.end() :].strip(" ,")
    return street, place_line(match[0], city)


def case_values(case) -> dict:
    street_line = f"{case.street} {case.house_number or ''}{case.house_number_addition}".strip()
    return {
        "referentie": case.reference,
        "adres": case.address,
        "straat": case.street,
        "huisnummer": f"{case.house_number or ''}{case.house_number_addition}".strip(),
        "postcode": case.postcode,
        "straat_huisnummer": street_line,
        "plaats": settings.CASE_CITY,
        "postcode_plaats": place_line(case.postcode, settings.CASE_CITY),
        "wijk": str(case.district),
        "woningtype": {
            "koop": "koopwoning",
            "corporatie": "corporatiewoning",
            "particulier": "particuliere huurwoning",
        }.get(case.housing_type, case.get_housing_type_display()),
        "geregistreerd_op": format_date(case.registered_on),
    }


def party_values(party, case) -> dict:
    if party is None:
        return dict.fromkeys(FIELDS[PARTY], "")
    if party.address:
        street_line, places = split_address(party.address)
    else:  # the party lives at the home of the case
        home = case_values(case)
        street_line, places = home["straat_huisnummer"], home["postcode_plaats"]
    return {
        "naam": party.name,
        "adres": party.address or case.address,
        "adresregel": street_line,
        "postcode_plaats": places,
        "rol": party.get_role_display().lower(),
        "email": party.email,
        "telefoon": party.phone,
    }


SENT_OBJECTION = "binnen zes weken na de dag van verzending van dit besluit"


def measure_values(step, *, on: datetime.date) -> dict:
    """The maatregel's fields for a letter made from one of its steps (empty without one).

    The terms are those of the measures app (Awb, Atw). A term counts from the day after the
    besluit was bekendgemaakt (art. 6:8 Awb for the bezwaartermijn; the besluit's own term
    for the begunstigingstermijn), so its last day is filled in only once that bekendmaking
    is recorded, whenever the letter is made. A besluit's letter is usually written before:
    it is itself what makes the besluit known, so it says "binnen zes weken na de dag van
    verzending van dit besluit" and invents no date (`bezwaartermijn`, `begunstigingstermijn`);
    the date fields stay empty, and a template that needs them is refused with the reason.
    """
    values = dict.fromkeys(FIELDS[MEASURE], "")
    if step is None:
        return values
    from woonoverlast.common.calendar import AtwCalendar
    from woonoverlast.measures import deadlines
    from woonoverlast.measures.choices import COLLECTION_DECISIONS, Step
    from woonoverlast.measures.rules import MeasureState

    # The besluiten a letter makes known, each with its own bezwaartermijn (a beslissing op
    # bezwaar has a beroepstermijn instead, not a field here).
    besluiten = {Step.DECISION, *COLLECTION_DECISIONS}
    measure = step.measure
    every = list(measure.steps.select_related("addressee__party").order_by("occurred_on", "id"))
    upto = every[: next(i for i, row in enumerate(every) if row.pk == step.pk) + 1]
    calendar = AtwCalendar.load()
    state = MeasureState(measure, upto, calendar)  # as of the letter's step
    known = MeasureState(measure, every, calendar)  # bekendmakingen recorded since count too
    kind = measure.get_kind_display()
    values.update(
        soort=kind[:1].lower() + kind[1:],
        stap=step.get_step_display().lower(),
        datum=format_date(step.occurred_on),
    )
    if state.zienswijze_term is not None:
        values["zienswijze_termijn_einde"] = format_date(state.zienswijze_term.ends_on)
    elif step.step == Step.INTENTION_SENT:
        days = settings.MEASURES_ZIENSWIJZE_DAYS
        end = deadlines.zienswijze_term_end(step.occurred_on, days)
        values["zienswijze_termijn_einde"] = format_date(end.ends_on)
    besluit = next((row for row in reversed(upto) if row.step in besluiten), None)
    if besluit is not None:
        notified = known.bekendmaking_van(besluit)
        if step.step == Step.NOTIFIED and step.addressee_id is not None:
            # The letter of the bekendmaking to a further addressee: his own bezwaartermijn,
            # from the day after his bekendmaking (art. 6:8 Awb).
            besluit, notified = state.decision or besluit, step
        values["besluit_op"] = format_date(besluit.occurred_on)
        values["bezwaartermijn"] = SENT_OBJECTION
        if notified is not None:
            ends_on = deadlines.bezwaartermijn_end(notified.occurred_on, calendar).ends_on
            values["bekendgemaakt_op"] = format_date(notified.occurred_on)
            values["bezwaartermijn_einde"] = format_date(ends_on)
            values["bezwaartermijn"] = f"uiterlijk op {format_date(ends_on)}"
    decision = state.decision
    if decision is not None and decision.begunstigingstermijn_days is not None:
        days = decision.begunstigingstermijn_days
        notified = known.bekendmaking_van(decision)
        if notified is None:
            values["begunstigingstermijn"] = (
                f"binnen {days} {'dag' if days == 1 else 'dagen'} na de dag van verzending van "
                "dit besluit"
            )
        else:
            ends_on = deadlines.begunstigingstermijn_end(notified.occurred_on, days).ends_on
            values["begunstigingstermijn_einde"] = format_date(ends_on)
            values["begunstigingstermijn"] = f"uiterlijk op {format_date(ends_on)}"
    return values


def missing_measure_fields(context: dict, used: list[str]) -> list[str]:
    """The maatregel fields a template uses that the step cannot fill (descriptions)."""
    return [
        FIELDS[MEASURE][name.split(".", 1)[1]]
        for name in used
        if name.startswith(f"{MEASURE}.") and not context[MEASURE][name.split(".", 1)[1]]
    ]


def context_for(*, case, party=None, step=None, on: datetime.date | None = None) -> dict:
    on = on or timezone.localdate()
    return {
        "vandaag": format_date(on),
        "casus": case_values(case),
        PARTY: party_values(party, case),
        "casemanager": {
            "naam": _person_name(case.casemanager),
            "email": case.casemanager.email if case.casemanager else "",
        },
        MEASURE: measure_values(step, on=on),
    }
