"""Termijnbewaking's sections of the case pages (cases.sections), registered in
FollowupsConfig.ready."""

from .selection import DueList, due_for_case, due_for_team, due_for_user, team_rows

# Mijn casussen shows this many of each list (today's, and each folded group: this week,
# stalled, nazorg), the most urgent first; Termijnen has the rest, one click away. A page of
# every overdue item of a casemanager with a backlog (a hundred rows, each with its button)
# was most of the page's time (docs/performance.md).
GROUP_SHOWN = 25


def case_file_section(user, case, *, calendar=None, **_) -> dict:
    """The case's termijnen on its case file (with the request's Atw calendar)."""
    return {"case_due": due_for_case(case, calendar=calendar)}


def worklist_section(user) -> dict:
    """*Mijn casussen*: today's deadlines (overdue and today), then this week's, the stalled
    cases and nazorg as collapsible groups with their counts."""
    due = due_for_user(user)
    return {
        "due": due,
        "due_today": DueList(
            period=due.period, items=due.overdue + due.due_today, show=GROUP_SHOWN
        ),
        "due_groups": [
            {
                "id": key,
                "title": title,
                "due": DueList(period=due.period, items=items, show=GROUP_SHOWN),
            }
            for key, title, items in (
                ("deze-week", "Deze week te doen", due.due_this_week),
                ("stilgevallen", "Stilgevallen", due.stalled),
                ("nazorg", "Nazorg", due.aftercare),
            )
        ],
    }


def team_overview_section() -> dict:
    """The team leader's start page: the termijnen per casemanager, only the counts (no item
    of the team needs to be made)."""
    return {"team_rows": team_rows(due_for_team(limit=0))}
