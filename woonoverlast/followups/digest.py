"""The content of the daily digest, built from a selection (no queries of its own).

A digest names cases by reference and links to them; it holds no names, addresses, notes or
other facts about the people involved (a casemanager's name appears only in the team
leader's overview, as the colleague the cases are assigned to). The same content is stored
twice: as plain text for the e-mail (`body`, absolute links) and structured for the page
(`data`, see templates/followups/notification.html).
"""

import datetime
from dataclasses import asdict

from django.conf import settings
from django.urls import reverse

from woonoverlast.common.validation import format_date

from .models import NotificationKind
from .selection import DueItem, DueList, team_rows

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
FOOTER = (
    "Dit bericht noemt alleen casusnummers en links; de gegevens van de betrokkenen staan in "
    "het casusdossier."
)


def _day(value: datetime.date) -> str:
    return f"{WEEKDAYS[value.weekday()]} {format_date(value)}"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _sections(due: DueList) -> list[tuple[str, list[DueItem]]]:
    sections = [
        ("Te laat", due.overdue),
        ("Vandaag", due.due_today),
        ("Deze week", due.due_this_week),
        ("Stilgevallen casussen", due.stalled),
        ("Nazorg", due.aftercare),
        # Binnengekomen meldingen are deadlines: listed under Te laat, Vandaag, Deze week.
        ("Melders informeren", due.feedback),
    ]
    return [(title, items) for title, items in sections if items]


def _summary(counts: dict[str, int]) -> str:
    parts = [
        (counts["overdue"], "te laat"),
        (counts["today"], "vandaag"),
        (counts["this_week"], "deze week"),
        (counts["stalled"], "stilgevallen"),
        (counts["aftercare"], "nazorg"),
        (counts["feedback"], "melders informeren"),
    ]
    return ", ".join(f"{number} {label}" for number, label in parts if number)


def _item_line(item: DueItem, *, with_casemanager: bool) -> str:
    when = f" ({item.when})" if item.when else ""
    who = f" – {item.casemanager_name or 'niet toegewezen'}" if with_casemanager else ""
    return f"- {item.reference}: {item.description}{when}{who}\n  {absolute(item.url)}"


def _section(title: str, items: list[DueItem], *, with_casemanager: bool) -> tuple[list, dict]:
    """One section of a digest: its text lines and its stored data. A long section names the
    most urgent items (DueList.SHOWN) and counts the rest, which the Termijnen page lists."""
    shown, more = items[: DueList.SHOWN], len(items) - DueList.SHOWN
    lines = [f"{title} ({len(items)})"]
    lines.extend(_item_line(item, with_casemanager=with_casemanager) for item in shown)
    if more > 0:
        lines.append(f"- en nog {more}: zie Termijnen")
    lines.append("")
    data = {
        "title": title,
        "count": len(items),
        "items": [item.as_data() for item in shown],
        "more": max(more, 0),
    }
    return lines, data


def personal_digest(due: DueList) -> dict | None:
    """A casemanager's digest: everything due on their cases. None when nothing is due."""
    if not due:
        return None
    today = due.period.today
    link = reverse("followups:due")
    lines = [f"Termijnbewaking van {_day(today)} voor uw casussen.", ""]
    data_sections = []
    for title, items in _sections(due):
        section_lines, data = _section(title, items, with_casemanager=False)
        lines += section_lines
        data_sections.append(data)
    lines += [f"Alle termijnen: {absolute(link)}", "", FOOTER]
    return {
        "title": f"Dagoverzicht {format_date(today)}: {_summary(due.counts)}",
        "body": "\n".join(lines),
        "link": link,
        "data": {"sections": data_sections},
    }


def team_digest(due: DueList) -> dict | None:
    """The team leader's overview: counts per casemanager and the overdue items.
    None when nothing is due in the whole team."""
    if not due:
        return None
    today = due.period.today
    link = reverse("followups:due")
    rows = team_rows(due)
    lines = [
        f"Teamoverzicht termijnbewaking van {_day(today)}.",
        "",
        "Per casemanager: te laat / vandaag / deze week / stilgevallen / nazorg",
    ]
    lines += [
        f"- {row.name}: {row.overdue} / {row.today} / {row.this_week} / {row.stalled} / "
        f"{row.aftercare}"
        for row in rows
    ]
    lines.append("")
    data_sections = []
    if due.overdue:
        section_lines, data = _section("Te laat", due.overdue, with_casemanager=True)
        lines += section_lines
        data_sections.append(data)
    lines += [f"Alle termijnen van het team: {absolute(link)}", "", FOOTER]
    return {
        "title": f"Teamoverzicht {format_date(today)}: {_summary(due.counts)}",
        "body": "\n".join(lines),
        "link": link,
        "data": {"rows": [asdict(row) for row in rows], "sections": data_sections},
    }


BUILDERS = {NotificationKind.DIGEST: personal_digest, NotificationKind.TEAM: team_digest}


def with_notice(content: dict | None, notice: str | None, *, today: datetime.date) -> dict | None:
    """The team overview with a notice on top (the Atw table reminder of the maatregelen); an
    overview of the notice alone when nothing else is due."""
    if not notice:
        return content
    if content is None:
        link = reverse("followups:due")
        content = {
            "title": f"Teamoverzicht {format_date(today)}: let op",
            "body": f"Alle termijnen van het team: {absolute(link)}\n\n{FOOTER}",
            "link": link,
            "data": {"sections": []},
        }
    return {
        **content,
        "body": f"Let op: {notice}\n\n{content['body']}",
        "data": {**content["data"], "notices": [notice]},
    }
