"""The totals of Tabel 5.1 in the jaarverslag's words, ready to paste.

For the jaarverslag 2023 this gives exactly its paragraph:

    In totaal zijn in 2023 284 concrete casussen geregistreerd. Daarvan zijn er 171 afgerond.
    Het aantal openstaande casussen is 113. In 71 openstaande casussen gaat het om
    corporatiewoningen. Het aantal openstaande casussen van koopwoningen is aanzienlijk lager,
    namelijk 31. De overige 11 openstaande casussen hebben betrekking op particuliere
    huurwoningen.

Other numbers get sentences that stay true: singular for one, no comparison that does not
hold, a note on the peildatum when it is not 31 December.
"""

import datetime

from woonoverlast.cases.choices import HousingType

from .tabel51 import Table, year_end

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def long_date(day: datetime.date) -> str:
    """31 december 2023"""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def number(n: int) -> str:
    """Dutch digit grouping: 1.234."""
    return f"{n:,}".replace(",", ".")


def _registered(table: Table) -> str:
    n = table.total.total
    if table.registered_to < year_end(table.year):
        period = f"van 1 januari tot en met {long_date(table.registered_to)}"
        if n == 0:
            return f"{period.capitalize()} zijn geen concrete casussen geregistreerd."
        if n == 1:
            return f"{period.capitalize()} is in totaal 1 concrete casus geregistreerd."
        return f"{period.capitalize()} zijn in totaal {number(n)} concrete casussen geregistreerd."
    if n == 0:
        return f"In {table.year} zijn geen concrete casussen geregistreerd."
    if n == 1:
        return f"In totaal is in {table.year} 1 concrete casus geregistreerd."
    return f"In totaal zijn in {table.year} {number(n)} concrete casussen geregistreerd."


def _closed(table: Table) -> str:
    closed, total = table.closed_total, table.total.total
    on = "" if table.is_default_as_of else f" op de peildatum ({long_date(table.as_of)})"
    if total == 1:
        return f"Die is{on} afgerond." if closed else f"Die is{on} nog niet afgerond."
    if closed == 0:
        return f"Daarvan is er{on} nog geen afgerond."
    if closed == total:
        return f"Die zijn{on} allemaal afgerond."
    if closed == 1:
        return f"Daarvan is er{on} 1 afgerond."
    return f"Daarvan zijn er{on} {number(closed)} afgerond."


def _open(table: Table) -> list[str]:
    """The open cases: their number, then corporatie, koop (compared) and particulier."""
    open_total = table.open_total
    if open_total == 0:
        return []
    corporatie = table.open_by_housing_type(HousingType.CORPORATIE)
    koop = table.open_by_housing_type(HousingType.KOOP)
    particulier = table.open_by_housing_type(HousingType.PARTICULIER)

    # All open cases of one housing type: say so, rather than list two zeros.
    for n, homes, home in (
        (corporatie, "corporatiewoningen", "corporatiewoning"),
        (koop, "koopwoningen", "koopwoning"),
        (particulier, "particuliere huurwoningen", "particuliere huurwoning"),
    ):
        if n == open_total == 1:
            return ["Er is 1 openstaande casus.", f"Die heeft betrekking op een {home}."]
        if n == open_total:
            return [
                f"Het aantal openstaande casussen is {number(n)}.",
                f"Die hebben allemaal betrekking op {homes}.",
            ]

    sentences = [f"Het aantal openstaande casussen is {number(open_total)}."]
    if corporatie == 0:
        sentences.append("Geen van de openstaande casussen gaat over een corporatiewoning.")
    elif corporatie == 1:
        sentences.append("In 1 openstaande casus gaat het om een corporatiewoning.")
    else:
        sentences.append(
            f"In {number(corporatie)} openstaande casussen gaat het om corporatiewoningen."
        )

    sentences.append(_koop_compared(koop, corporatie))

    if particulier == 0:
        sentences.append(
            "Geen van de openstaande casussen heeft betrekking op een particuliere huurwoning."
        )
    elif particulier == 1:
        sentences.append(
            "De overige openstaande casus heeft betrekking op een particuliere huurwoning."
        )
    else:
        sentences.append(
            f"De overige {number(particulier)} openstaande casussen hebben betrekking op "
            "particuliere huurwoningen."
        )
    return sentences


def _koop_compared(koop: int, corporatie: int) -> str:
    """The koop sentence, compared with the corporatie number as the jaarverslag does."""
    if koop == 0:
        return "Er zijn geen openstaande casussen van koopwoningen."
    if corporatie == 0:
        comparison = ""
    elif koop * 2 <= corporatie:
        comparison = "aanzienlijk lager"
    elif koop < corporatie:
        comparison = "lager"
    elif koop == corporatie:
        comparison = "even hoog"
    elif koop >= corporatie * 2:
        comparison = "aanzienlijk hoger"
    else:
        comparison = "hoger"
    if not comparison:
        return f"Het aantal openstaande casussen van koopwoningen is {number(koop)}."
    return (
        f"Het aantal openstaande casussen van koopwoningen is {comparison}, "
        f"namelijk {number(koop)}."
    )


def totals_in_words(table: Table) -> str:
    """The paragraph for the jaarverslag: totals registered, closed and open by housing type."""
    sentences = [_registered(table)]
    if table.total.total:
        sentences.append(_closed(table))
        sentences.extend(_open(table))
    return " ".join(sentences)
