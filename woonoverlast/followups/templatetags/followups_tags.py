"""The rows of a due list (followups/due_list.html), made in Python.

The list is the largest part of Mijn casussen, the casemanager's start page and Termijnen, and
rendered row by row through the template language (two includes, a `{% url %}`, a CSRF field
per row) it was most of those pages' time in the worker. `due_rows` writes the same markup
(tests/test_followups_fast_rows.py compares it with the template it replaced).
"""

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The "Afgehandeld" form's action for a placeholder id, filled in per row: reversing the
# URL once per list instead of once per row.
_PLACEHOLDER = 987654321


def _badge_class(item) -> str:
    if item.is_overdue:
        return "badge--overdue"
    if item.is_deadline and item.urgency == "vandaag":
        return "badge--due"
    return "badge--week"


def _record_link(item, *, can_lead_team) -> str:
    """A maatregel's task: the link to the form that records its step; a step only a team
    leader records is named, not linked, for others (followups/_record_link.html)."""
    if item.record_by_team_leader and not can_lead_team:
        return mark_safe('<span class="muted">door een teamleider</span>')
    return format_html(
        '<a class="button button--secondary button--small" href="{}">Vastleggen'
        '<span class="visually-hidden">: {} bij {}</span></a>',
        item.record_url,
        item.kind_label.lower(),
        item.reference,
    )


@register.simple_tag(takes_context=True)
def due_rows(context, items, show_casemanager=False):
    """The `<tr>` of each DueItem in `items`: urgency badge, date, case, kind, what, the
    casemanager (`show_casemanager`) and, for those who work cases, "Afgehandeld" for a
    follow-up (back to `next` from the context, or the page itself) or the link that records
    a maatregel's task."""
    can_work_cases = context.get("can_work_cases")
    done_button = ""
    if can_work_cases:
        request = context.get("request")
        next_url = context.get("next") or (request.get_full_path() if request else "")
        csrf_token = context.get("csrf_token")
        csrf_field = (
            format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
            if csrf_token and csrf_token != "NOTPROVIDED"
            else ""
        )
        action = reverse("followups:followup_done", args=[_PLACEHOLDER])
        done_button = (action, csrf_field, next_url)
    rows = []
    for item in items:
        cells = [
            format_html(
                '<tr><td data-label="Urgentie"><span class="badge {}">{}</span></td>'
                '<td class="nowrap" data-label="Datum">{}</td>'
                '<th scope="row" class="nowrap"><a href="{}">{}</a></th>'
                '<td data-label="Soort">{}</td><td data-label="Wat">{}</td>',
                _badge_class(item),
                item.urgency_label,
                date_filter(item.due_on, "d-m-Y"),
                item.url,
                item.reference,
                item.kind_label,
                item.description,
            )
        ]
        if show_casemanager:
            cells.append(
                format_html(
                    '<td data-label="Casemanager">{}</td>',
                    item.casemanager_name or "Niet toegewezen",
                )
            )
        if can_work_cases:
            form = ""
            if item.is_follow_up:
                action, csrf_field, next_url = done_button
                form = format_html(
                    '<form method="post" action="{}" class="inline-form">{}'
                    '<input type="hidden" name="next" value="{}">'
                    '<button type="submit" class="button button--secondary button--small">'
                    'Afgehandeld<span class="visually-hidden">: {} bij {}</span></button>'
                    "</form>",
                    action.replace(str(_PLACEHOLDER), str(item.action_id)),
                    csrf_field,
                    next_url,
                    item.description.lower(),
                    item.reference,
                )
            elif item.record_url:
                form = _record_link(item, can_lead_team=context.get("can_lead_team"))
            cells.append(format_html('<td class="cell--action">{}</td>', form))
        cells.append("</tr>")
        rows.append("".join(cells))
    return mark_safe("\n".join(rows))  # every part escaped by format_html


# The team table's counts after the name (team_summary.html): the TeamRow field, the filter of
# the team's list its link opens, and whether it is shown in red.
TEAM_COUNTS = (
    ("overdue", "urgentie=te_laat", True),
    ("today", "urgentie=vandaag", False),
    ("this_week", "urgentie=deze_week", False),
    ("stalled", "soort=stilgevallen", False),
    ("aftercare", "soort=nazorg", False),
    ("feedback", "soort=terugkoppeling", False),
    ("total", "", False),
)


@register.simple_tag
def team_summary_rows(rows):
    """The `<tr>` of each casemanager in the team table: the name, then each count as a link
    to the team's list filtered to it (0 without one). `rows`: TeamRow objects, or their dicts
    as a stored team digest holds them. Made in Python, as due_rows: an include and a `{% url %}`
    per count (seven per casemanager) were most of the render time of the team leader's start
    page and Termijnen (docs/performance.md)."""
    due_url = reverse("followups:due")
    html = []
    for row in rows:
        value = row.get if isinstance(row, dict) else row.__getattribute__
        who = value("casemanager_id")
        who = "geen" if who is None else who
        cells = [format_html('<tr><th scope="row">{}</th>', value("name"))]
        for field, query, overdue in TEAM_COUNTS:
            count = value(field)
            if not count:
                cells.append(mark_safe('<td class="number">0</td>'))
                continue
            url = f"{due_url}?casemanager={who}{'&' + query if query else ''}#team-termijnen"
            shown = (
                format_html('<strong class="text-overdue">{}</strong>', count) if overdue else count
            )
            cells.append(format_html('<td class="number"><a href="{}">{}</a></td>', url, shown))
        cells.append(mark_safe("</tr>"))
        html.extend(cells)
    return mark_safe("".join(html))
